//! One module per command group; [`run`] dispatches.

mod audit;
mod bill;
mod day;
mod keys;
mod ledger;
mod money;
mod review;
mod services;
mod setup;

use std::time::Duration;

use guichet_core::engine::SubmitRequest;
use guichet_core::ledger::Operation;
use guichet_core::receipt::{CopyKind, PaperWidth};

use crate::cli::{Cli, Command};
use crate::context::Ctx;
use crate::output::{self, Failure};

/// Runs one command; the exit code on success, a [`Failure`] otherwise.
pub async fn run(cli: Cli) -> Result<u8, Failure> {
    let g = &cli.global;
    match cli.command {
        Command::Services { json } => services::list(g, json).await,
        Command::Bill { action } => bill::run(g, action).await,
        Command::Woyofal {
            meter,
            amount,
            wait,
        } => money::woyofal(g, &meter, &amount, wait).await,
        Command::Airtime {
            to,
            amount,
            service,
            wait,
        } => money::airtime(g, &to, &amount, service.as_deref(), wait).await,
        Command::Collect {
            service,
            from,
            amount,
            otp,
            wait,
        } => money::collect(g, &service, &from, &amount, otp, wait).await,
        Command::Payout {
            service,
            to,
            amount,
            name,
            wait,
        } => money::payout(g, &service, &to, &amount, name, wait).await,
        Command::Link { item, price, qr } => money::link(g, &item, &price, qr.as_deref()).await,
        Command::Status { id, json } => ledger::status(g, &id, json).await,
        Command::Reconcile { wait } => ledger::reconcile(g, wait).await,
        Command::History {
            json,
            limit,
            search,
        } => ledger::history(g, json, limit, search).await,
        Command::Receipt { id, width } => ledger::receipt(g, &id, width).await,
        Command::Export { format } => ledger::export(g, format).await,
        Command::Keys { action } => keys::run(action),
        Command::Audit { action } => audit::run(g, action).await,
        Command::Review { action } => review::run(g, action).await,
        Command::Shift { action } => day::shift(g, action).await,
        Command::Report {
            action,
            format,
            width,
            output,
        } => day::report(g, action, format, width, output).await,
        Command::Float { read, json } => day::float(g, read, json).await,
        Command::Setup {
            shop,
            address,
            header,
            manager,
        } => setup::run(g, &shop, &address, &header, &manager).await,
    }
}

/// Reads a PIN: the first line on stdin, after saying so on stderr (French / English).
fn read_pin(fr: &str, en: &str) -> Result<String, Failure> {
    use std::io::BufRead;
    eprintln!("{fr} / {en}:");
    let mut pin = String::new();
    std::io::stdin().lock().read_line(&mut pin).map_err(|e| {
        Failure::refused(
            format!("Lecture du PIN : {e}"),
            format!("Reading the PIN: {e}"),
        )
    })?;
    Ok(pin.trim().to_owned())
}

/// Parses an operation id.
fn parse_id(id: &str) -> Result<uuid::Uuid, Failure> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| {
        Failure::refused(
            format!("Identifiant d'opération invalide : « {id} »."),
            format!("Invalid operation id \"{id}\"."),
        )
    })
}

/// Submits, waits (bounded) for a settled status with the reconciler running, prints the
/// receipt; the exit code follows the status.
async fn submit_and_report(ctx: &Ctx, req: SubmitRequest, wait: u64) -> Result<u8, Failure> {
    let op = ctx.submit(req).await?;
    println!("Opération / Operation: {}", op.id);
    let op = ctx
        .desk
        .wait_settled(op.id, Duration::from_secs(wait))
        .await?;
    print_outcome(ctx, &op).await?;
    Ok(output::exit_for(op.status))
}

/// The status line, the token when there is one, and the 48-column receipt.
async fn print_outcome(ctx: &Ctx, op: &Operation) -> Result<(), Failure> {
    println!("Statut / Status: {}", output::status_words(op.status));
    if let Some(token) = &op.token {
        println!("Code Woyofal / Token: {}", output::grouped_token(token));
    }
    if let Some(msg) = op
        .details
        .get(guichet_core::engine::detail_keys::PROVIDER_MESSAGE)
        .and_then(|v| v.as_str())
    {
        println!("Fournisseur / Provider: {msg}");
    }
    let receipt = ctx
        .desk
        .receipt(op.id, PaperWidth::Mm80, CopyKind::Customer)
        .await?;
    println!();
    print!("{}", receipt.to_text());
    Ok(())
}
