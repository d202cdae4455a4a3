//! libFuzzer target `catalog_toml`: `guichet_core::fuzz::catalog_toml` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::catalog_toml(data);
});
