//! The three connectors over real HTTP against `guichet-sandbox` on 127.0.0.1: every
//! operation's happy path, the error mappings, and every fault mode.

#[path = "connectors_sandbox/common.rs"]
mod common;
#[path = "connectors_sandbox/dexchange.rs"]
mod dexchange;
#[path = "connectors_sandbox/easytransfert.rs"]
mod easytransfert;
#[path = "connectors_sandbox/faults.rs"]
mod faults;
#[path = "connectors_sandbox/logs.rs"]
mod logs;
#[path = "connectors_sandbox/unipesa.rs"]
mod unipesa;
