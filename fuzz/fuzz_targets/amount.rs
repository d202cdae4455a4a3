//! libFuzzer target `amount`: `guichet_core::fuzz::amount` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::amount(data);
});
