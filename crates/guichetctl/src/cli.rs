//! Command-line syntax (clap derive): what `guichetctl --help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Guichet from a terminal: the same core, ledger and providers as the desktop app.
#[derive(Debug, Parser)]
#[command(
    name = "guichetctl",
    version = guichet_core::VERSION,
    about,
    long_about = None,
    after_help = "Exit codes: 0 done (success); 1 unexpected error; 2 refused input, nothing sent; \
3 the provider refused or failed it; 4 not final yet (pending, unknown, to review); \
5 another process (the app, or another guichetctl) owns this data dir: money and reconcile \
commands are refused here, reading (history, status, receipt, export, audit) works."
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the till lives and which providers it talks to.
#[derive(Debug, Args)]
pub struct Global {
    /// The till's data dir (ledger, catalog). Default: `$GUICHET_DATA_DIR`, else the OS data dir
    /// for `sn.guichet.pos` (the desktop app's folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Every provider is a guichet-sandbox running at this root URL, with its default keys.
    #[arg(long, global = true, value_name = "URL", conflicts_with = "live")]
    pub sandbox: Option<String>,
    /// The live providers, with the keys stored in the OS keyring (`keys set`).
    #[arg(long, global = true)]
    pub live: bool,
}

/// One command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lists the services the till offers.
    Services {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Bills (SenEau, Senelec): look up, pay.
    Bill {
        /// lookup or pay.
        #[command(subcommand)]
        action: BillAction,
    },
    /// Woyofal prepaid electricity: buys a token for a meter.
    Woyofal {
        /// The meter number.
        #[arg(long)]
        meter: String,
        /// The amount (FCFA).
        #[arg(long)]
        amount: String,
        /// Longest wait for a final status, in seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Phone credit; the operator is detected from the number when no service is given.
    Airtime {
        /// The phone to top up.
        #[arg(long)]
        to: String,
        /// The amount.
        #[arg(long)]
        amount: String,
        /// The catalog service code (ORANGE_SN_AIRTIME…).
        #[arg(long)]
        service: Option<String>,
        /// Longest wait for a final status, in seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Cash-out: the customer pays from his wallet, the shop hands over cash.
    Collect {
        /// The catalog service code.
        #[arg(long)]
        service: String,
        /// The customer's wallet phone.
        #[arg(long)]
        from: String,
        /// The amount.
        #[arg(long)]
        amount: String,
        /// The customer's OTP, for services that need one.
        #[arg(long)]
        otp: Option<String>,
        /// Longest wait for a final status, in seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Cash-in: the customer hands over cash, the shop pays into his wallet.
    Payout {
        /// The catalog service code.
        #[arg(long)]
        service: String,
        /// The customer's wallet phone.
        #[arg(long)]
        to: String,
        /// The amount.
        #[arg(long)]
        amount: String,
        /// The customer's full name (services that ask for it).
        #[arg(long)]
        name: Option<String>,
        /// Longest wait for a final status, in seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Creates a payment link (and its QR code).
    Link {
        /// What the customer pays for.
        #[arg(long)]
        item: String,
        /// The price.
        #[arg(long)]
        price: String,
        /// Writes the link's QR code to this SVG file.
        #[arg(long, value_name = "FILE.svg")]
        qr: Option<PathBuf>,
    },
    /// One operation with its timeline.
    Status {
        /// The operation id.
        id: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resolves every unfinished operation (start-up recovery, then polling).
    Reconcile {
        /// Longest wait, in seconds.
        #[arg(long, default_value_t = 30)]
        wait: u64,
    },
    /// Operations, newest first.
    History {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// At most this many (1000 at most).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Text search (phone, reference, id…).
        #[arg(long)]
        search: Option<String>,
    },
    /// An operation's receipt, as plain text, from the ledger alone.
    Receipt {
        /// The operation id.
        id: String,
        /// Paper width in columns: 32 (58 mm) or 48 (80 mm).
        #[arg(long, default_value_t = 48)]
        width: usize,
    },
    /// Every operation, for accounting.
    Export {
        /// json (an array of objects) or csv.
        #[arg(long, value_enum)]
        format: ExportFormat,
    },
    /// Provider keys in the OS keyring.
    Keys {
        /// set or status.
        #[command(subcommand)]
        action: KeysAction,
    },
    /// First run from a terminal (installers): names the shop and creates its manager, whose
    /// PIN is read on stdin. Refused once the till has a manager.
    Setup {
        /// The shop's name (receipts, screen header).
        #[arg(long)]
        shop: String,
        /// The shop's address.
        #[arg(long, default_value = "")]
        address: String,
        /// Extra receipt header lines, separated by `\n` (NINEA, phone…).
        #[arg(long, default_value = "")]
        header: String,
        /// The manager's name.
        #[arg(long)]
        manager: String,
    },
    /// The audit trail (logins, settings and key changes, mode switches, reprints, kiosk exits,
    /// review settlements).
    Audit {
        /// verify or export.
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Operations waiting for a manager's review (needs_review): list them with their evidence,
    /// or settle one as read in the provider's back office.
    Review {
        /// list or settle.
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// The shift at this till: open with the counted float, status, cash paid in or out, close
    /// with the counted cash (a difference needs a manager: `--manager`, `--note`, PIN on stdin).
    Shift {
        /// open, status, cash or close.
        #[command(subcommand)]
        action: ShiftAction,
    },
    /// Shift reports: x (the open shift so far), z (a closed shift, as stored), day (every shift
    /// of a day, summed).
    Report {
        /// x, z or day.
        #[command(subcommand)]
        action: ReportAction,
        /// text (the printer's layout), json, csv or pdf (A4).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text, global = true)]
        format: ReportFormat,
        /// Paper width in columns for text: 32 (58 mm) or 48 (80 mm).
        #[arg(long, default_value_t = 48, global = true)]
        width: usize,
        /// Writes the report to this file instead of the standard output (a PDF needs it
        /// when the output is a terminal).
        #[arg(long, global = true)]
        output: Option<std::path::PathBuf>,
    },
    /// The providers' float: the last balances read, or read them now (`--read`, talks to the
    /// providers of `--live` / `--sandbox`, training otherwise).
    Float {
        /// Reads each provider's balance now and stores it.
        #[arg(long)]
        read: bool,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// A cash count: `--amount`, or the notes and coins.
#[derive(Debug, Args)]
pub struct CountArgs {
    /// The total counted (FCFA).
    #[arg(long, conflicts_with_all = ["notes_10000", "notes_5000", "notes_2000", "notes_1000", "notes_500", "coins"])]
    pub amount: Option<String>,
    /// How many 10 000 F notes.
    #[arg(long = "notes-10000", default_value_t = 0)]
    pub notes_10000: u32,
    /// How many 5 000 F notes.
    #[arg(long = "notes-5000", default_value_t = 0)]
    pub notes_5000: u32,
    /// How many 2 000 F notes.
    #[arg(long = "notes-2000", default_value_t = 0)]
    pub notes_2000: u32,
    /// How many 1 000 F notes.
    #[arg(long = "notes-1000", default_value_t = 0)]
    pub notes_1000: u32,
    /// How many 500 F notes.
    #[arg(long = "notes-500", default_value_t = 0)]
    pub notes_500: u32,
    /// The coins, as one amount (FCFA).
    #[arg(long)]
    pub coins: Option<String>,
}

/// `shift` subcommands.
#[derive(Debug, Subcommand)]
pub enum ShiftAction {
    /// Opens a shift with the counted float (exit 2 when one is already open).
    Open {
        /// The counted float.
        #[command(flatten)]
        count: CountArgs,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The open shift and its drawer so far (exit 4 when no shift is open).
    Status {
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Cash paid in or out of the drawer for another reason than a sale.
    Cash {
        /// in (float top-up) or out (expense, bank deposit).
        #[arg(value_enum)]
        direction: DirectionArg,
        /// The amount.
        #[arg(long)]
        amount: String,
        /// Why; required.
        #[arg(long)]
        reason: String,
    },
    /// Closes the open shift with the counted cash and prints its Z report. A difference is
    /// refused (exit 2) unless a manager approves it: `--manager NAME --note TEXT`, their PIN
    /// on stdin.
    Close {
        /// The counted cash.
        #[command(flatten)]
        count: CountArgs,
        /// The manager approving a difference (their PIN on stdin).
        #[arg(long, requires = "note")]
        manager: Option<String>,
        /// Why the difference is accepted.
        #[arg(long, requires = "manager")]
        note: Option<String>,
        /// JSON (the shift and its Z report) instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Into or out of the drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    /// Paid in.
    In,
    /// Paid out.
    Out,
}

/// `report` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// The open shift so far.
    X,
    /// A closed shift's Z report, as stored at close (the last one without `--number`).
    Z {
        /// The Z report's number.
        #[arg(long)]
        number: Option<i64>,
    },
    /// Every shift opened on a day, summed (today, UTC = Dakar, without `--date`).
    Day {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The thermal printer's layout, as text.
    Text,
    /// The report as JSON.
    Json,
    /// CSV with a header line.
    Csv,
    /// A PDF document (A4).
    Pdf,
}

/// `review` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// Every operation waiting for review, oldest first, with its timeline and the reason.
    List {
        /// One JSON array (each operation with its events and reason) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Settles one operation as a success or a failure; the manager's PIN is read on stdin.
    /// Exit 0 when settled, 2 when refused (no note, wrong PIN, not under review).
    Settle {
        /// The operation id.
        id: String,
        /// What the provider's back office shows: success or failed.
        #[arg(long, value_enum)]
        outcome: ReviewOutcomeArg,
        /// Why (reference, date, amount seen at the provider); required.
        #[arg(long)]
        note: String,
        /// The manager who settles it (their PIN on stdin).
        #[arg(long)]
        manager: String,
    },
}

/// A review's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewOutcomeArg {
    /// The money moved.
    Success,
    /// Nothing moved.
    Failed,
}

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Recomputes the hash chain and the MACs keyed with the keyring's audit key: exit 0 when
    /// intact; 1 with the first bad entry, or the entries a lost key leaves unverifiable.
    Verify,
    /// Prints the whole trail as JSON (hashes, segments, MACs: to check elsewhere with the keys;
    /// format in docs/audit.md).
    Export,
}

/// `bill` subcommands.
#[derive(Debug, Subcommand)]
pub enum BillAction {
    /// Shows a customer's bills.
    Lookup(BillArgs),
    /// Pays a bill (the oldest unpaid one, or `--invoice`).
    Pay {
        /// Service and reference.
        #[command(flatten)]
        bill: BillArgs,
        /// The bill to pay (reference_facture).
        #[arg(long)]
        invoice: Option<String>,
        /// Longest wait for a final status, in seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
}

/// Which customer of which biller.
#[derive(Debug, Args)]
pub struct BillArgs {
    /// SENELEC_SN_BILL, SENEAU_SN_BILL, WOYOFAL_SN_BILL.
    #[arg(long)]
    pub service: String,
    /// The customer reference (account / police / meter).
    #[arg(long = "ref")]
    pub reference: String,
}

/// `keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Reads the provider's values on stdin, one line per field, and stores them.
    Set {
        /// dexchange, easytransfert or unipesa.
        provider: String,
    },
    /// Which keys are stored (never their values).
    Status,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A JSON array, one object per operation.
    Json,
    /// CSV with a header line.
    Csv,
}
