//! libFuzzer target `phone`: `guichet_core::fuzz::phone` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::phone(data);
});
