//! Rebuilds the crate when a ledger migration is added (sqlx's `migrate!` embeds them).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
