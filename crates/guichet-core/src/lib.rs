//! Guichet's core: everything that is not UI. Builds and tests without a window.

pub mod app_info;
pub mod audit;
pub mod catalog;
pub mod connector;
pub mod desk;
pub mod engine;
pub mod ledger;
pub mod money;
pub mod operators;
pub mod phone;
pub mod printer;
pub mod qr;
pub mod receipt;
pub mod secrets;
pub mod setup;
pub mod text;
pub mod till;
