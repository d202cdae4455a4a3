//! libFuzzer target `unipesa_answer`: `guichet_core::fuzz::unipesa_answer` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::unipesa_answer(data);
});
