//! `shift open|status|cash|close`, `report x|z|day` and `float`: the business day from a
//! terminal, through the console's desk (the ledger only: any process may run them, the app
//! open or not; `float --read` talks to the providers).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use guichet_core::day::{render, Approval, CashCount, Counted, Direction, Shift, ShiftReport};
use guichet_core::money::Currency;
use guichet_core::receipt::PaperWidth;

use super::read_pin;
use crate::cli::{CountArgs, DirectionArg, Global, ReportAction, ReportFormat, ShiftAction};
use crate::context::{Ctx, Needs};
use crate::output::{self, Failure, EXIT_ERROR, EXIT_OK, EXIT_PENDING};

/// Runs `f` on the ledger-only console desk, then closes it.
async fn with_ledger<F>(g: &Global, needs: Needs, f: F) -> Result<u8, Failure>
where
    F: AsyncFnOnce(&Ctx) -> Result<u8, Failure>,
{
    let ctx = Ctx::open(g, needs).await?;
    let result = f(&ctx).await;
    ctx.close().await;
    result
}

fn amount(input: &str) -> Result<i64, Failure> {
    guichet_core::money::Money::parse(input, Currency::Xof)
        .map(|m| m.minor)
        .map_err(|e| {
            let m = e.message();
            Failure::refused(
                format!("Montant « {input} » : {}", m.fr),
                format!("Amount \"{input}\": {}", m.en),
            )
        })
}

/// The count as typed: `--amount`, else the notes and coins.
fn counted(c: &CountArgs) -> Result<Counted, Failure> {
    if let Some(a) = &c.amount {
        return Ok(Counted::Total {
            amount_minor: amount(a)?,
        });
    }
    Ok(Counted::Denominations(CashCount {
        notes_10000: c.notes_10000,
        notes_5000: c.notes_5000,
        notes_2000: c.notes_2000,
        notes_1000: c.notes_1000,
        notes_500: c.notes_500,
        coins_minor: c.coins.as_deref().map(amount).transpose()?.unwrap_or(0),
    }))
}

fn money(minor: i64) -> String {
    output::amount(minor, "XOF")
}

fn print_shift(s: &Shift) {
    println!("Caisse / Shift: {}", s.id);
    println!(
        "  Ouverte par / Opened by: {} ({})",
        s.opened_by,
        s.opened_at.format("%d/%m/%Y %H:%M")
    );
    println!(
        "  Fond de caisse / Opening float: {}",
        money(s.opening_float_minor)
    );
    if let (Some(by), Some(at)) = (&s.closed_by, s.closed_at) {
        println!(
            "  Fermée par / Closed by: {by} ({})",
            at.format("%d/%m/%Y %H:%M")
        );
    }
    if let (Some(e), Some(c)) = (s.expected_minor, s.counted_minor) {
        println!("  Attendu / Expected: {}", money(e));
        println!("  Compté / Counted: {}", money(c));
        println!("  Écart / Difference: {}", money(c - e));
    }
    if let (Some(by), Some(note)) = (&s.approved_by, &s.approval_note) {
        println!("  Écart validé par / Approved by: {by} — {note}");
    }
    if let Some(z) = s.z_number {
        println!("  Rapport Z / Z report: {z}");
    }
}

/// Runs a `shift` subcommand.
pub async fn shift(g: &Global, action: ShiftAction) -> Result<u8, Failure> {
    match action {
        ShiftAction::Open { count, json } => {
            let float = counted(&count)?;
            with_ledger(g, Needs::Ledger, async |ctx: &Ctx| {
                let s = ctx.desk.open_shift(float).await?;
                if json {
                    output::print_json(&s)?;
                } else {
                    print_shift(&s);
                }
                Ok(EXIT_OK)
            })
            .await
        }
        ShiftAction::Status { json } => {
            with_ledger(g, Needs::Ledger, async |ctx: &Ctx| {
                let Some(s) = ctx.desk.current_shift().await? else {
                    if json {
                        println!("null");
                    } else {
                        println!("Aucune caisse ouverte / No open shift.");
                    }
                    return Ok(EXIT_PENDING);
                };
                let x = ctx.desk.x_report(Some(s.id)).await?;
                if json {
                    output::print_json(&serde_json::json!({"shift": s, "cash": x.cash}))?;
                } else {
                    print_shift(&s);
                    println!(
                        "  Attendu maintenant / Expected now: {}",
                        money(x.cash.expected_minor)
                    );
                    println!(
                        "  En attente / Pending: {}, à vérifier / to review: {}",
                        x.pending.len(),
                        x.to_review.len()
                    );
                }
                Ok(EXIT_OK)
            })
            .await
        }
        ShiftAction::Cash {
            direction,
            amount: a,
            reason,
        } => {
            let minor = amount(&a)?;
            let direction = match direction {
                DirectionArg::In => Direction::In,
                DirectionArg::Out => Direction::Out,
            };
            with_ledger(g, Needs::Ledger, async |ctx: &Ctx| {
                let m = ctx.desk.cash_movement(direction, minor, &reason).await?;
                let sign = if m.direction == Direction::In {
                    "+"
                } else {
                    "-"
                };
                println!(
                    "Mouvement / Movement {}: {sign}{} ({}) — caisse / shift {}",
                    m.id,
                    money(m.amount_minor),
                    m.reason,
                    m.shift_id
                );
                Ok(EXIT_OK)
            })
            .await
        }
        ShiftAction::Close {
            count,
            manager,
            note,
            json,
        } => {
            let counted = counted(&count)?;
            let approval = match (manager, note) {
                (Some(manager), Some(note)) => {
                    let pin = read_pin(
                        &format!("Code PIN de {manager} sur l'entrée standard"),
                        &format!("{manager}'s PIN on stdin"),
                    )?;
                    Some(Approval {
                        manager,
                        pin: pin.into(),
                        note,
                    })
                }
                _ => None,
            };
            with_ledger(g, Needs::Ledger, async |ctx: &Ctx| {
                let open = ctx.desk.current_shift().await?.ok_or_else(|| {
                    Failure::from(guichet_core::till::TillError::from(
                        guichet_core::day::DayError::NoOpenShift,
                    ))
                })?;
                let closed = ctx.desk.close_shift(open.id, counted, approval).await?;
                if json {
                    output::print_json(&closed)?;
                } else {
                    let r = ctx
                        .desk
                        .report_receipt(&closed.report, PaperWidth::Mm80)
                        .await?;
                    print!("{}", r.to_text());
                }
                Ok(EXIT_OK)
            })
            .await
        }
    }
}

/// A report as text (the printer's layout), JSON, CSV or PDF bytes.
async fn report_bytes(
    ctx: &Ctx,
    report: &ShiftReport,
    format: ReportFormat,
    width: usize,
) -> Result<Vec<u8>, Failure> {
    Ok(match format {
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(report).map_err(|e| {
                Failure::new(EXIT_ERROR, format!("JSON : {e}"), format!("JSON: {e}"))
            })?;
            json.push('\n');
            json.into_bytes()
        }
        ReportFormat::Csv => render::to_csv(report).into_bytes(),
        ReportFormat::Pdf => ctx.desk.report_pdf(report).await?,
        ReportFormat::Text => {
            let width = PaperWidth::from_columns(width).ok_or_else(|| {
                Failure::refused("Largeur : 32 ou 48 colonnes.", "Width: 32 or 48 columns.")
            })?;
            ctx.desk
                .report_receipt(report, width)
                .await?
                .to_text()
                .into_bytes()
        }
    })
}

/// Writes a report to `output`, or to the standard output (never a PDF to a terminal).
async fn print_report(
    ctx: &Ctx,
    report: &ShiftReport,
    format: ReportFormat,
    width: usize,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let bytes = report_bytes(ctx, report, format, width).await?;
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                Failure::new(
                    EXIT_ERROR,
                    format!("Impossible d'écrire {} : {e}", path.display()),
                    format!("Cannot write {}: {e}", path.display()),
                )
            })?;
            eprintln!("Rapport enregistré / Report saved: {}", path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| {
                    Failure::new(
                        EXIT_ERROR,
                        format!("Sortie standard : {e}"),
                        format!("Standard output: {e}"),
                    )
                })?;
        }
    }
    Ok(())
}

/// Runs a `report` subcommand.
pub async fn report(
    g: &Global,
    action: ReportAction,
    format: ReportFormat,
    width: usize,
    output: Option<PathBuf>,
) -> Result<u8, Failure> {
    if output.is_none() && format == ReportFormat::Pdf && std::io::stdout().is_terminal() {
        return Err(Failure::refused(
            "Un PDF ne s'affiche pas dans le terminal : ajoutez --output rapport.pdf.",
            "A PDF cannot be shown in a terminal: add --output report.pdf.",
        ));
    }
    with_ledger(g, Needs::Ledger, async |ctx: &Ctx| {
        let report = match action {
            ReportAction::X => ctx.desk.x_report(None).await?,
            ReportAction::Z { number } => ctx.desk.z_report(number).await?,
            ReportAction::Day { date } => {
                let day = date.unwrap_or_else(|| chrono::Utc::now().date_naive());
                ctx.desk.day_report(day).await?
            }
        };
        print_report(ctx, &report, format, width, output.as_deref()).await?;
        Ok(EXIT_OK)
    })
    .await
}

/// `float [--read] [--json]`.
pub async fn float(g: &Global, read: bool, json: bool) -> Result<u8, Failure> {
    let needs = if read {
        Needs::Providers
    } else {
        Needs::Ledger
    };
    with_ledger(g, needs, async |ctx: &Ctx| {
        let list = if read {
            ctx.desk.read_floats().await?
        } else {
            ctx.desk.float_status().await?
        };
        if json {
            output::print_json(&list)?;
            return Ok(EXIT_OK);
        }
        for f in &list {
            let last = match &f.last {
                _ if !f.balance_api => {
                    "pas d'API de solde documentée / no documented balance API".to_owned()
                }
                None => "jamais lu / never read".to_owned(),
                Some(r) => match (r.amount_minor, &r.error) {
                    (Some(a), _) => format!("{} ({})", money(a), r.at.format("%d/%m/%Y %H:%M")),
                    (None, e) => format!("illisible / unreadable: {}", e.as_deref().unwrap_or("-")),
                },
            };
            let low = if f.low { "  BAS / LOW" } else { "" };
            println!("{}: {last}{low}", f.name);
        }
        Ok(EXIT_OK)
    })
    .await
}
