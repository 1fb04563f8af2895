//! Every input fuzzing found a crash, a hang or a wrong answer with (`fuzz/regressions/<target>/`)
//! runs through the same function as its fuzz target (`fuzz/src/lib.rs`, included here), so that
//! what was fixed stays fixed. The seeds each target starts from (the test fixtures and corpora,
//! see docs/fuzzing.md) run through it too: a target that fails on its own seeds finds nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

#[path = "../../../fuzz/src/lib.rs"]
#[allow(dead_code, missing_docs)]
mod targets;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files directly in `dir` (none when it does not exist), in name order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

type Target = fn(&[u8]);

/// Each target, by the name `make fuzz` and `fuzz/regressions/` use.
const TARGETS: [(&str, Target); 9] = [
    ("read_keys", targets::read_keys),
    ("certificate", targets::certificate),
    ("c14n", targets::c14n),
    ("verify", targets::verify),
    ("message", targets::message),
    ("metadata", targets::metadata),
    ("settings", targets::settings),
    ("sign_round_trip", targets::sign_round_trip),
    ("unlzma", targets::unlzma),
];

/// The seed directories of `target`, from `fuzz/seeds.txt` (which `scripts/fuzz.sh` reads too).
fn seed_dirs(target: &str) -> Vec<String> {
    let list = std::fs::read_to_string(root().join("fuzz/seeds.txt")).unwrap();
    list.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .filter(|(name, _)| *name == target)
        .flat_map(|(_, dirs)| dirs.split_whitespace().map(str::to_owned))
        .collect()
}

#[test]
fn every_input_fuzzing_found_runs_clean_through_its_target() {
    let mut ran = 0;
    for (name, target) in TARGETS {
        for file in files(&root().join("fuzz/regressions").join(name)) {
            target(&std::fs::read(&file).unwrap());
            ran += 1;
        }
    }
    // Directories without a file are fine: a target that never found anything.
    eprintln!("{ran} regression inputs");
}

#[test]
fn every_target_runs_clean_on_its_seeds() {
    for (name, target) in TARGETS {
        let mut ran = 0;
        for dir in seed_dirs(name) {
            for file in files(&root().join(dir)) {
                let bytes = std::fs::read(&file).unwrap();
                // The 10 MB oversize message is refused before anything else; one run is enough.
                if bytes.len() > 2_000_000 {
                    continue;
                }
                target(&bytes);
                ran += 1;
            }
        }
        assert!(ran > 0, "{name}: no seed ran");
    }
}

#[test]
fn the_round_trip_seeds_get_as_far_as_signing() {
    let seeds = files(&root().join("fuzz/seeds/sign_round_trip"));
    assert!(seeds.len() >= 3);
    for seed in seeds {
        let bytes = std::fs::read(&seed).unwrap();
        assert!(
            targets::signed_round_trip(&bytes),
            "{} stops before signing",
            seed.display()
        );
    }
}

#[test]
fn every_fuzz_target_is_built_seeded_and_replayed_here() {
    let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    assert_eq!(manifest.matches("[[bin]]").count(), TARGETS.len());
    for (name, _) in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} is not a fuzz target"
        );
        assert!(
            root()
                .join(format!("fuzz/fuzz_targets/{name}.rs"))
                .is_file()
        );
        assert!(
            !seed_dirs(name).is_empty(),
            "{name} has no seeds in fuzz/seeds.txt"
        );
    }
}
