//! Guichet's core: everything that is not UI. Builds and tests without a window.

pub mod app_info;
pub mod catalog;
pub mod ledger;
pub mod money;
pub mod phone;
pub mod text;
pub mod till;
