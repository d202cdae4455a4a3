//! `audit verify` and `audit export`: the trail of the till's ledger, without starting providers.

use guichet_core::till::LEDGER_FILE;

use crate::cli::{AuditAction, Global};
use crate::context::{data_dir, Ctx, Needs};
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
    let ctx = Ctx::open(g, Needs::Ledger).await?;
    let result = async {
        Ok(match action {
            AuditAction::Verify => {
                let check = ctx.desk.audit_verify().await?;
                println!("{}", check.message.fr);
                println!("{}", check.message.en);
                if check.ok {
                    EXIT_OK
                } else {
                    EXIT_ERROR
                }
            }
            AuditAction::Export => {
                println!("{}", ctx.desk.audit_json().await?);
                EXIT_OK
            }
        })
    }
    .await;
    ctx.close().await;
    result
}
