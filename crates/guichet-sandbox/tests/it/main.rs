//! Integration tests of guichet-sandbox over real HTTP on 127.0.0.1 (ephemeral ports).

mod admin;
mod callbacks;
mod cli;
mod common;
mod dexchange;
mod easytransfert;
mod faults;
mod unipesa;
