//! Guichet's core: everything that is not UI. Builds and tests without a window.
//!
//! The modules in the order an operation flows through them:

/// What each provider's account offers, from its services list: the catalog services to hide.
pub mod account_services;
/// What the home screen shows about the till.
pub mod app_info;
/// The append-only, hash-chained audit trail.
pub mod audit;
/// The service catalog and the validation of a request against it.
pub mod catalog;
/// One connector per provider: HTTP, transformers, status mapping.
pub mod connector;
/// The business day: shifts, the cash drawer, X / Z / day reports, the providers' float.
pub mod day;
/// The front door: every call a person makes at the till, each with its role check.
pub mod desk;
/// The operation engine: intent, send, answer, reconciliation.
pub mod engine;
/// Fuzz entry points over every parser of outside input (`make fuzz`, and a short run in `make test`).
#[doc(hidden)]
pub mod fuzz;
/// The SQLite ledger: operations, events, settings.
pub mod ledger;
/// Money in integer minor units.
pub mod money;
/// Operators, PINs, lockout and sessions.
pub mod operators;
/// Phone numbers per country and operator.
pub mod phone;
/// ESC/POS printing to a network or device printer.
pub mod printer;
/// The providers started on purpose: engine, reconciler, training sandbox.
pub mod providers;
/// QR codes for payment links.
pub mod qr;
/// Receipts rendered from the ledger alone.
pub mod receipt;
/// Provider keys in the OS keyring.
pub mod secrets;
/// Every setting, its default, check and audited change.
pub mod settings;
/// Wiring connectors to a target's URLs and keys; the embedded sandbox's start.
pub mod setup;
/// French and English texts.
pub mod text;
/// The till's data: one data dir, its ledger and catalog (opening it starts nothing).
pub mod till;
/// Guichet's one version (the workspace's), as every screen, receipt and package shows it.
pub mod version;

pub use version::VERSION;
