//! `setup`: the first-run wizard from a terminal, for installers preparing tills.

use guichet_core::desk::{Desk, FirstRun};
use guichet_core::till::Till;

use super::read_pin;
use crate::cli::Global;
use crate::context::data_dir;
use crate::output::{Failure, EXIT_OK};

/// Names the shop and creates its manager; the PIN is the first line on stdin.
pub async fn run(
    g: &Global,
    shop: &str,
    address: &str,
    header: &str,
    manager: &str,
) -> Result<u8, Failure> {
    let dir = data_dir(g)?;
    let pin = read_pin(
        "Code PIN du responsable sur l'entrée standard",
        "manager's PIN on stdin",
    )?;
    // Setting up writes the first-run rows only: no provider is started.
    let desk = Desk::new(Till::open(&dir).await?);
    if let Err(e) = crate::context::seal(&desk).await {
        desk.close().await;
        return Err(e);
    }
    let result = desk
        .first_run(FirstRun {
            shop_name: shop.to_owned(),
            shop_address: address.to_owned(),
            receipt_header: header.replace("\\n", "\n"),
            manager_name: manager.to_owned(),
            pin: pin.into(),
        })
        .await;
    desk.close().await;
    let info = result?;
    println!(
        "Boutique « {} » prête, responsable : {} (mode FORMATION).",
        info.shop_name, info.operator_name
    );
    println!(
        "Shop \"{}\" ready, manager: {} (TRAINING mode).",
        info.shop_name, info.operator_name
    );
    Ok(EXIT_OK)
}
