//! libFuzzer target `settings_json`: `guichet_core::fuzz::settings_json` (no panic, its invariants hold).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    guichet_core::fuzz::settings_json(data);
});
