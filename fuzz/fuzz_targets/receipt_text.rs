//! libFuzzer target `receipt_text`: `guichet_core::fuzz::receipt_text` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::receipt_text(data);
});
