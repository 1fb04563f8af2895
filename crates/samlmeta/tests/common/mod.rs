//! Shared by the integration tests: fixtures, and the real xmllint and xmlsec1.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // each test uses a part

use samlmeta::{Certificate, SigningKey};
use std::path::PathBuf;
use std::process::Command;

pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

pub fn fixture(name: &str) -> PathBuf {
    tests_dir().join("fixtures").join(name)
}

/// The first certificate in a fixture.
pub fn cert(name: &str) -> Certificate {
    samlmeta::read(&std::fs::read(fixture(name)).unwrap(), None)
        .unwrap()
        .certificates
        .remove(0)
}

/// The private key in a fixture.
pub fn key(name: &str, passphrase: Option<&str>) -> SigningKey {
    samlmeta::read(&std::fs::read(fixture(name)).unwrap(), passphrase)
        .unwrap()
        .key
        .unwrap()
}

/// Runs `program args… FILE` with `xml` in a temporary file; (success, stdout, stderr).
pub fn run_on(program: &str, args: &[&str], xml: &[u8]) -> (bool, String, String) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "samlmeta-test-{}-{}.xml",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, xml).unwrap();
    let out = Command::new(program)
        .args(args)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (make test installs it): {e}"));
    let _ = std::fs::remove_file(&path);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `xmllint --nonet --schema` against the OASIS metadata and mdui schemas; the errors when invalid.
pub fn schema_errors(xml: &[u8]) -> Option<String> {
    let schema = tests_dir().join("schemas/samlmeta-all.xsd");
    let (ok, _, stderr) = run_on(
        "xmllint",
        &["--nonet", "--noout", "--schema", schema.to_str().unwrap()],
        xml,
    );
    (!ok).then_some(stderr)
}

/// The string value of an XPath expression, as xmllint computes it.
pub fn xpath(xml: &[u8], expr: &str) -> String {
    let (ok, stdout, stderr) = run_on("xmllint", &["--nonet", "--xpath", expr], xml);
    assert!(ok, "{expr}: {stderr}");
    // xmllint ends the printed string with a newline of its own.
    stdout.strip_suffix('\n').unwrap_or(&stdout).to_owned()
}

/// `xmllint --exc-c14n` of the document.
pub fn exc_c14n(xml: &[u8]) -> String {
    let (ok, stdout, stderr) = run_on("xmllint", &["--nonet", "--exc-c14n"], xml);
    assert!(ok, "{stderr}");
    stdout
}

/// xmlsec1's verdict on metadata with `trusted_cert` (a fixture) trusted; (ok, its messages).
pub fn xmlsec1_verify(xml: &[u8], trusted_cert: &str) -> (bool, String) {
    let trusted = fixture(trusted_cert);
    let (ok, _, stderr) = run_on(
        "xmlsec1",
        &[
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            "--trusted-pem",
            trusted.to_str().unwrap(),
        ],
        xml,
    );
    (ok, stderr)
}

/// `namespace:local` and ID of the element whose child is the (first) ds:Signature.
pub fn signed_element(xml: &[u8]) -> (String, String) {
    let at =
        "//*[*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#']]";
    let ns = xpath(xml, &format!("namespace-uri({at})"));
    let local = xpath(xml, &format!("local-name({at})"));
    let id = xpath(xml, &format!("string({at}/@ID)"));
    let node = if ns.is_empty() {
        local
    } else {
        format!("{ns}:{local}")
    };
    (node, id)
}

/// Signs a template (a document with an empty ds:Signature) with `xmlsec1 --sign`.
pub fn xmlsec1_sign(template: &[u8], key: &str, cert: &str) -> Vec<u8> {
    let (node, _) = signed_element(template);
    let keys = format!(
        "{},{}",
        fixture(key).to_str().unwrap(),
        fixture(cert).to_str().unwrap()
    );
    let (ok, stdout, stderr) = run_on(
        "xmlsec1",
        &["--sign", "--privkey-pem", &keys, "--id-attr:ID", &node],
        template,
    );
    assert!(ok, "xmlsec1 --sign: {stderr}");
    stdout.into_bytes()
}

/// The exact bytes xmlsec1 digested for the (one) Reference, from
/// `xmlsec1 --verify --store-references --print-debug`.
pub fn xmlsec1_predigest(signed: &[u8], trusted_cert: &str) -> Vec<u8> {
    let (node, _) = signed_element(signed);
    let trusted = fixture(trusted_cert);
    let (ok, stdout, stderr) = run_on(
        "xmlsec1",
        &[
            "--verify",
            "--store-references",
            "--print-debug",
            "--id-attr:ID",
            &node,
            "--trusted-pem",
            trusted.to_str().unwrap(),
        ],
        signed,
    );
    assert!(ok, "xmlsec1 --verify: {stderr}");
    let start = "== PreDigest data - start buffer:\n";
    let end = "\n== PreDigest data - end buffer";
    let from = stdout
        .find(start)
        .expect("xmlsec1 printed the pre-digest data")
        + start.len();
    let to = from + stdout[from..].find(end).unwrap();
    stdout.as_bytes()[from..to].to_vec()
}

/// Runs `openssl args…`; its standard output, trimmed. Fails the test when openssl fails.
pub fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs (make test installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
