//! libFuzzer target `gateway_signature`: `guichet_core::fuzz::gateway_signature` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::gateway_signature(data);
});
