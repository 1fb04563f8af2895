//! Damaged input must give an error, never a panic (a panic kills the whole page): every fixture,
//! truncated and with bytes flipped, through `read` and `check`. Deterministic: the same positions
//! every run.

#![allow(clippy::unwrap_used)] // test code

use samlmeta::{UnixTime, check, read};

const PASS: &str = "correct horse battery staple";

#[test]
fn truncated_and_flipped_fixtures_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x != "sh"))
        .collect();
    files.sort();
    let mut cases = 0usize;
    for path in files {
        let original = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // scrypt and the huge PBKDF2 count cost real time per attempt; fewer variants for them.
        let variants = if name.contains("scrypt") { 6 } else { 40 };
        let len = original.len().max(1);
        for i in 0..variants {
            let at = (i * 7919 + 13) % len;
            let mut truncated = original.clone();
            truncated.truncate(at);
            let mut flipped = original.clone();
            if let Some(b) = flipped.get_mut(at) {
                *b ^= 1 << (i % 8);
            }
            for bytes in [truncated, flipped] {
                for pass in [None, Some(PASS)] {
                    cases += 1;
                    if let Ok(contents) = read(&bytes, pass) {
                        let _ = check(
                            contents
                                .key
                                .as_ref()
                                .map(samlmeta::SigningKey::public)
                                .as_ref(),
                            &contents.certificates,
                            UnixTime::from_seconds(1_800_000_000),
                        );
                        for cert in &contents.certificates {
                            let _ = (
                                cert.subject(),
                                cert.issuer(),
                                cert.serial(),
                                cert.public_key(),
                                cert.key_usage(),
                            );
                            let _ = (
                                cert.to_pem(),
                                cert.sha1_fingerprint(),
                                cert.not_after().to_string(),
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 5_000, "{cases} cases");
}
