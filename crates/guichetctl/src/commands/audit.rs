//! `audit verify` and `audit export`: the trail of the till's ledger, without starting providers.

use guichet_core::audit::{Audit, AuditError};
use guichet_core::ledger::Ledger;
use guichet_core::till::{TillError, LEDGER_FILE};

use crate::cli::{AuditAction, Global};
use crate::context::data_dir;
use crate::output::{Failure, EXIT_ERROR, EXIT_OK};

/// Runs an `audit` subcommand.
pub async fn run(g: &Global, action: AuditAction) -> Result<u8, Failure> {
    let file = data_dir(g)?.join(LEDGER_FILE);
    if !file.exists() {
        return Err(Failure::new(
            EXIT_ERROR,
            format!("Aucun journal ici : {}", file.display()),
            format!("No ledger here: {}", file.display()),
        ));
    }
    let ledger = Ledger::open(&file).await.map_err(TillError::from)?;
    let audit = Audit::new(&ledger);
    let code = match action {
        AuditAction::Verify => match audit.verify().await {
            Ok(n) => {
                println!("Journal d'audit intact : {n} entrées vérifiées.");
                println!("Audit trail intact: {n} entries checked.");
                EXIT_OK
            }
            Err(e @ AuditError::Broken { .. }) => {
                let m = e.message();
                println!("{}", m.fr);
                println!("{}", m.en);
                EXIT_ERROR
            }
            Err(e) => return Err(TillError::from(e).into()),
        },
        AuditAction::Export => {
            let json = audit.export_json().await.map_err(TillError::from)?;
            println!("{json}");
            EXIT_OK
        }
    };
    ledger.close().await;
    Ok(code)
}
