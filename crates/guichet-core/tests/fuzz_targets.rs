//! The fuzz targets' short run, on stable Rust (part of `make test`): every seed of
//! `fuzz/corpus/<target>/` (real answers and files), then a fixed budget of generated inputs —
//! random bytes and seeds with bytes flipped, cut or spliced. A panic (or a broken invariant the
//! target asserts) fails the test with the input that caused it. `make fuzz` runs the same
//! targets for longer under libFuzzer (`fuzz/`).

use std::path::PathBuf;

use guichet_core::fuzz::{self, MAX_INPUT, TARGETS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Every allocation of this test process is counted; past [`MEMORY_CAP`] it fails (the process
/// aborts with "memory allocation … failed"), so an input that makes a parser allocate without
/// bound is a failure here, as `-malloc_limit_mb` makes it one under libFuzzer.
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// The whole process (every target at once, test harness included) stays under this.
const MEMORY_CAP: usize = 1024 * 1024 * 1024;

/// Generated inputs per target (a few seconds each in a debug build); `GUICHET_FUZZ_CASES`
/// changes it for a longer run on stable.
const CASES: u32 = 1000;

fn cases() -> u32 {
    std::env::var("GUICHET_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seed in {}", dir.display());
    seeds.into_iter().map(|(_, b)| b).collect()
}

/// A seed changed the way a fuzzer would: bytes flipped, a cut, a splice of two seeds.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    (
        0..n,
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(move |(a, b, flips, cut, splice)| {
            let mut out = seeds[a].clone();
            for (at, byte) in flips {
                if !out.is_empty() {
                    let i = at.index(out.len());
                    out[i] = byte;
                }
            }
            if !out.is_empty() {
                out.truncate(cut.index(out.len() + 1));
            }
            let other = &seeds[b];
            if !other.is_empty() {
                out.extend_from_slice(&other[splice.index(other.len())..]);
            }
            out
        })
}

/// Sets the cap once, before the first target runs.
fn cap_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        ALLOCATOR
            .set_limit(MEMORY_CAP)
            .expect("the tests hold less than the cap before they start");
    });
}

fn run_target(target: &str) {
    cap_memory();
    let seeds = corpus(target);
    for seed in &seeds {
        assert!(fuzz::run(target, seed), "unknown target {target}");
    }
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        mutated(seeds.clone()),
    ];
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |data| {
            fuzz::run(target, &data);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}: {e}"));
}

#[test]
fn every_target_has_a_corpus_and_a_test() {
    let source = include_str!("fuzz_targets.rs");
    for t in TARGETS {
        assert!(source.contains(&format!("run_target(\"{t}\")")), "{t}");
        assert!(!corpus(t).is_empty());
    }
    assert!(!fuzz::run("no_such_target", b""));
}

#[test]
fn the_memory_cap_is_set() {
    cap_memory();
    assert_eq!(ALLOCATOR.limit(), MEMORY_CAP);
    assert!(ALLOCATOR.allocated() < MEMORY_CAP);
}

#[test]
fn oversized_inputs_are_ignored_not_parsed() {
    let big = vec![b'['; MAX_INPUT + 2];
    for t in TARGETS {
        assert!(fuzz::run(t, &big));
    }
}

#[test]
fn phone() {
    run_target("phone");
}

#[test]
fn amount() {
    run_target("amount");
}

#[test]
fn dexchange_answer() {
    run_target("dexchange_answer");
}

#[test]
fn easytransfert_answer() {
    run_target("easytransfert_answer");
}

#[test]
fn unipesa_answer() {
    run_target("unipesa_answer");
}

#[test]
fn gateway_signature() {
    run_target("gateway_signature");
}

#[test]
fn receipt_text() {
    run_target("receipt_text");
}

#[test]
fn catalog_toml() {
    run_target("catalog_toml");
}

#[test]
fn settings_json() {
    run_target("settings_json");
}
