//! `services`: the catalog in force.

use guichet_core::catalog::Catalog;

use crate::cli::Global;
use crate::context;
use crate::output::{self, Failure, EXIT_ERROR, EXIT_OK};

/// Lists the enabled services (needs no provider and starts no sandbox).
pub async fn list(g: &Global, json: bool) -> Result<u8, Failure> {
    let dir = context::data_dir(g)?;
    let catalog = Catalog::load(Some(&dir)).map_err(|e| Failure {
        exit: EXIT_ERROR,
        message: e.message(),
        refusals: Vec::new(),
    })?;
    let services: Vec<_> = catalog.services().iter().filter(|s| s.enabled).collect();
    if json {
        output::print_json(&services)?;
        return Ok(EXIT_OK);
    }
    println!(
        "{:<26} {:<14} {:<8} {:<34} SERVICE",
        "CODE", "PROVIDER", "PAYS", "TYPES"
    );
    for s in services {
        let kinds: Vec<String> = s
            .kinds()
            .iter()
            .map(|k| guichet_core::engine::kind_name(*k))
            .collect();
        println!(
            "{:<26} {:<14} {:<8} {:<34} {}",
            s.code,
            s.provider.slug(),
            s.country.code(),
            kinds.join(","),
            s.name.fr
        );
    }
    Ok(EXIT_OK)
}
