//! `samlmeta inspect`: what a key or certificate file holds, and every finding.

use crate::common::{now, read_passphrase};
use samlmeta::findings::{self, signing_certificate};
use samlmeta::{Certificate, Contents, Finding, UnixTime};
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;
use zeroize::Zeroizing;

pub fn run(file: &Path, passphrase_file: Option<&Path>, json: bool) -> ExitCode {
    let passphrase = match passphrase_file.map(read_passphrase).transpose() {
        Ok(p) => p,
        Err(message) => {
            eprintln!("samlmeta: {message}");
            return ExitCode::FAILURE;
        }
    };
    let bytes = match std::fs::read(file) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(e) => {
            eprintln!("samlmeta: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let contents = match samlmeta::read(&bytes, passphrase.as_deref().map(String::as_str)) {
        Ok(contents) => contents,
        Err(e) => {
            eprintln!("samlmeta: {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let findings = samlmeta::check(
        contents
            .key
            .as_ref()
            .map(samlmeta::SigningKey::public)
            .as_ref(),
        &contents.certificates,
        now(),
    );
    let signing = signing_index(&contents);
    if json {
        println!("{:#}", as_json(file, &contents, signing, &findings));
    } else {
        print!("{}", as_text(file, &contents, signing, &findings));
    }
    ExitCode::SUCCESS
}

/// Which certificate goes into the metadata (see `samlmeta::findings::signing_certificate`).
fn signing_index(contents: &Contents) -> Option<usize> {
    let signing = signing_certificate(
        contents
            .key
            .as_ref()
            .map(samlmeta::SigningKey::public)
            .as_ref(),
        &contents.certificates,
    )?;
    contents.certificates.iter().position(|c| c == signing)
}

fn as_text(
    file: &Path,
    contents: &Contents,
    signing: Option<usize>,
    findings: &[Finding],
) -> String {
    let mut out = format!("{}: {}\n", file.display(), contents.summary());
    if let Some(key) = &contents.key {
        let matches = match signing {
            Some(i) => format!(", matches certificate {}", i + 1),
            None if contents.certificates.is_empty() => String::new(),
            None => ", matches no certificate in the file".to_owned(),
        };
        out += &format!(
            "\nPrivate key: {}, RSA {} bits{matches}\n",
            key.format().describe(),
            key.bits()
        );
        if let Some(fp) = key.public_key_fingerprint() {
            out += &format!("  Public key SHA-256: {fp}\n");
        }
    }
    let now = now();
    for (i, cert) in contents.certificates.iter().enumerate() {
        let role = if Some(i) == signing {
            " (signing certificate)"
        } else {
            ""
        };
        out += &format!("\nCertificate {}{role}\n", i + 1);
        out += &certificate_text(cert, now);
    }
    if findings.is_empty() {
        out += "\nNo findings.\n";
    } else {
        out += "\nFindings:\n";
        for f in findings {
            out += &format!("  {}: {} [{}]\n", f.severity, f.message, f.code);
        }
    }
    out
}

fn certificate_text(cert: &Certificate, now: UnixTime) -> String {
    let days_left = now.days_until(cert.not_after());
    let left = if days_left >= 0 {
        format!("{days_left} days left")
    } else {
        format!("expired {} days ago", -days_left)
    };
    let issuer = if cert.is_self_issued() {
        "(self-signed)".to_owned()
    } else {
        cert.issuer()
    };
    let usage = cert
        .key_usage()
        .map_or_else(|| "(not restricted)".to_owned(), |u| u.join(", "));
    format!(
        "  Subject:    {}\n  Issuer:     {issuer}\n  Serial:     {}\n  Valid:      {} to {} ({left})\n  \
         Public key: {}\n  Signature:  {}\n  Key usage:  {usage}\n  SHA-256:    {}\n  SHA-1:      {}\n",
        cert.subject(),
        cert.serial(),
        cert.not_before(),
        cert.not_after(),
        cert.public_key(),
        cert.signature_algorithm(),
        cert.sha256_fingerprint(),
        cert.sha1_fingerprint(),
    )
}

fn as_json(
    file: &Path,
    contents: &Contents,
    signing: Option<usize>,
    findings: &[Finding],
) -> Value {
    json!({
        "file": file.display().to_string(),
        "summary": contents.summary(),
        "pkcs12": contents.pkcs12,
        "found": contents.found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "key": contents.key.as_ref().map(|key| json!({
            "format": key.format().describe(),
            "algorithm": "RSA",
            "bits": key.bits(),
            "public_key_sha256": key.public_key_fingerprint().map(|f| f.to_string()),
            "matches_certificate": signing.filter(|_| !contents.certificates.is_empty()).map(|i| i + 1),
        })),
        "certificates": contents.certificates.iter().enumerate().map(|(i, c)| json!({
            "index": i + 1,
            "signing": Some(i) == signing,
            "subject": c.subject(),
            "issuer": c.issuer(),
            "self_signed": c.is_self_issued(),
            "serial": c.serial(),
            "not_before": c.not_before().to_string(),
            "not_after": c.not_after().to_string(),
            "public_key": c.public_key().to_string(),
            "signature_algorithm": c.signature_algorithm().to_string(),
            "key_usage": c.key_usage(),
            "sha256": c.sha256_fingerprint().to_string(),
            "sha1": c.sha1_fingerprint(),
            "base64": c.base64(),
        })).collect::<Vec<_>>(),
        "findings": findings.iter().map(|f| json!({
            "severity": f.severity.to_string(),
            "code": f.code.as_str(),
            "message": f.message,
        })).collect::<Vec<_>>(),
        "blocks_signing": findings::blocks_signing(findings),
    })
}
