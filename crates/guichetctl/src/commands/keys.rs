//! `keys set PROVIDER` (values on stdin) and `keys status` (present or absent, never values).

use std::io::BufRead;

use guichet_core::secrets::KNOWN_KEYS;
use secrecy::SecretString;

use crate::cli::KeysAction;
use crate::context::{secret_store, secrets_failure};
use crate::output::{Failure, EXIT_OK};

/// Runs `keys set` or `keys status` (blocking keyring calls: no runtime work around them).
pub fn run(action: KeysAction) -> Result<u8, Failure> {
    match action {
        KeysAction::Status => {
            let store = secret_store()?;
            println!("Trousseau / Keyring: {}", store.backend());
            for k in store.status().map_err(secrets_failure)? {
                println!(
                    "{}.{}: {}",
                    k.provider,
                    k.field,
                    if k.present {
                        "présente / present"
                    } else {
                        "absente / absent"
                    }
                );
            }
            Ok(EXIT_OK)
        }
        KeysAction::Set { provider } => {
            let provider = provider.trim().to_lowercase();
            let fields: Vec<&str> = KNOWN_KEYS
                .iter()
                .filter(|(p, _)| *p == provider)
                .map(|(_, f)| *f)
                .collect();
            if fields.is_empty() {
                return Err(Failure::refused(
                    format!(
                        "Fournisseur inconnu : {provider} (dexchange, easytransfert, unipesa)."
                    ),
                    format!("Unknown provider: {provider} (dexchange, easytransfert, unipesa)."),
                ));
            }
            let store = secret_store()?;
            eprintln!(
                "Une ligne par champ / one line per field: {}",
                fields.join(", ")
            );
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines();
            let mut values = Vec::new();
            for field in &fields {
                let line = match lines.next() {
                    Some(Ok(line)) => line,
                    _ => {
                        return Err(Failure::refused(
                            format!("Valeur manquante sur l'entrée standard : {provider}.{field}."),
                            format!("Missing value on stdin: {provider}.{field}."),
                        ))
                    }
                };
                values.push((*field, SecretString::from(line)));
            }
            // Every value read before any is stored: a short input stores nothing.
            for (field, value) in values {
                store
                    .set(&provider, field, value)
                    .map_err(secrets_failure)?;
                println!("{provider}.{field}: enregistrée / stored");
            }
            Ok(EXIT_OK)
        }
    }
}
