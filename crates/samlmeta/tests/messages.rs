//! The generic modules (`pki`, `xml`, `dsig`, `metadata`, and the findings on keys and
//! certificates) speak of keys, certificates, XML and SAML only: no message there names a vendor's
//! product, the page or a command-line flag. Advice of that kind belongs to the connector and its
//! presets (their subject is JumpCloud and Keeper), and to the page and the CLI, which know where
//! the user is.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

use std::path::Path;

/// Words that place a message in one product or one front end.
const FORBIDDEN: [&str; 9] = [
    "Keeper",
    "JumpCloud",
    "browser",
    "this page",
    "the page",
    "step 1",
    "step 2",
    "--allow",
    "--cert",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn generic_modules_name_no_product_and_no_front_end() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["pki", "xml", "dsig", "metadata"] {
        rust_files(&src.join(dir), &mut files);
    }
    // Decoding is generic; checking a login against the connector (message/check.rs) names
    // JumpCloud's and Keeper's settings on purpose, like the connector module.
    files.push(src.join("message/decode.rs"));
    files.push(src.join("findings.rs"));
    files.push(src.join("digest.rs"));
    assert!(files.len() > 10, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Only the code, not its tests.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            // Comments, and the table of finding codes (identifiers, not messages).
            let is_code = line.split_once(" => ").is_some_and(|(name, text)| {
                name.chars().all(char::is_alphanumeric)
                    && text.starts_with('"')
                    && text.ends_with("\",")
                    && !text.contains(' ')
            });
            if line.starts_with("//") || is_code {
                continue;
            }
            for word in FORBIDDEN {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}: {line}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
