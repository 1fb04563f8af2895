//! `samlmeta verify`: what a signed metadata document or SAML message has signed, by whom, and
//! the verdict.
//!
//! Exit codes: 0 valid and signed by the supplied certificate or fingerprint; 3 intact but the
//! signer is not authenticated (no certificate supplied); 1 invalid, unsigned or refused;
//! 2 usage (including a `--cert` that cannot be read or a malformed `--fingerprint`).

use samlmeta::digest::Fingerprint;
use samlmeta::dsig::verify::{
    DocumentKind, ElementRef, MAX_DOCUMENT_BYTES, Options, Outcome, Refusal, Report,
    SignatureCheck, Signer, Trust, Verdict, VerifyError, verify,
};
use samlmeta::findings::signing_certificate;
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;

/// Not authenticated: intact, but no certificate was supplied.
const EXIT_NOT_AUTHENTICATED: u8 = 3;
const EXIT_USAGE: u8 = 2;

pub struct VerifyArgs<'a> {
    pub file: &'a Path,
    pub cert: Option<&'a Path>,
    pub fingerprint: Option<&'a str>,
    pub allow_sha1: bool,
    pub json: bool,
}

pub fn run(args: &VerifyArgs<'_>) -> ExitCode {
    let trust = match trust(args) {
        Ok(trust) => trust,
        Err(message) => {
            eprintln!("samlmeta: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let options = Options {
        trust,
        allow_sha1: args.allow_sha1,
    };
    let result = read(args.file)
        .and_then(|bytes| verify(&bytes, &options).map_err(|e| (Some(e.code()), e.to_string())));
    let report = match result {
        Ok(report) => report,
        Err((code, message)) => {
            if args.json {
                println!(
                    "{:#}",
                    json!({
                        "file": args.file.display().to_string(),
                        "verdict": "refused",
                        "refusal": code,
                        "message": message,
                    })
                );
            } else {
                eprintln!("samlmeta: {}: {message}", args.file.display());
            }
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        println!("{:#}", as_json(args.file, &report));
    } else {
        print!("{}", as_text(args.file, &report));
    }
    match report.verdict {
        Verdict::Valid => ExitCode::SUCCESS,
        Verdict::SignerNotAuthenticated => ExitCode::from(EXIT_NOT_AUTHENTICATED),
        _ => ExitCode::FAILURE,
    }
}

fn trust(args: &VerifyArgs<'_>) -> Result<Trust, String> {
    trust_from(args.cert, args.fingerprint)
}

/// The signer `--cert` (the leaf of the file's certificates) or `--fingerprint` names, else
/// only the embedded certificate. Shared by `verify` and `check`.
pub(crate) fn trust_from(cert: Option<&Path>, fingerprint: Option<&str>) -> Result<Trust, String> {
    if let Some(path) = cert {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read the certificate {}: {e}", path.display()))?;
        let contents =
            samlmeta::read(&bytes, None).map_err(|e| format!("{}: {e}", path.display()))?;
        let contents = contents
            .require_certificate()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        // From a chain, the leaf: the certificate that signs.
        let cert = signing_certificate(None, &contents.certificates)
            .ok_or_else(|| format!("{}: no certificate in it can sign", path.display()))?;
        return Ok(Trust::Certificate(Box::new(cert.clone())));
    }
    if let Some(text) = fingerprint {
        let fp: Fingerprint = text
            .parse()
            .map_err(|e| format!("--fingerprint {text:?}: {e}"))?;
        return Ok(Trust::Fingerprint(fp));
    }
    Ok(Trust::Embedded)
}

/// The file's bytes, or why not: the error's code (the verifier's, for a file too large to
/// read) and its message.
fn read(file: &Path) -> Result<Vec<u8>, (Option<&'static str>, String)> {
    let cannot = |e: std::io::Error| (None, format!("cannot read it: {e}"));
    let len = std::fs::metadata(file).map_err(cannot)?.len();
    let bytes = usize::try_from(len).unwrap_or(usize::MAX);
    if bytes > MAX_DOCUMENT_BYTES {
        let e = VerifyError::TooLarge { bytes };
        return Err((Some(e.code()), e.to_string()));
    }
    std::fs::read(file).map_err(cannot)
}

fn kind(report: &Report) -> &'static str {
    match report.kind {
        DocumentKind::Metadata => "SAML metadata",
        DocumentKind::Message => "SAML message",
    }
}

fn signer_text(signer: &Signer) -> String {
    let how = if signer.trusted {
        "the supplied certificate"
    } else {
        "the certificate embedded in the signature, not authenticated"
    };
    format!(
        "{}\n    SHA-256 {} ({how})",
        signer.subject, signer.fingerprint
    )
}

fn outcome_text(check: &SignatureCheck) -> String {
    match &check.outcome {
        Outcome::Valid => "valid".to_owned(),
        Outcome::SignerNotAuthenticated => {
            "intact; the signer is not authenticated (no certificate supplied)".to_owned()
        }
        Outcome::Altered => "the content changed after signing (digest mismatch)".to_owned(),
        Outcome::OtherSigner {
            actual: Some(actual),
        } => format!(
            "signed by another key: the embedded certificate {} (SHA-256 {})",
            actual.subject, actual.fingerprint
        ),
        Outcome::OtherSigner { actual: None } => {
            "not signed by the supplied certificate's key".to_owned()
        }
        Outcome::BadSignatureValue => {
            "the signature value does not match the embedded certificate".to_owned()
        }
        Outcome::Refused(r) => format!("refused: {r}"),
    }
}

fn as_text(file: &Path, report: &Report) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "{}: {}, root {}\n",
        file.display(),
        kind(report),
        report.root
    );
    for (n, check) in report.signatures.iter().enumerate() {
        let _ = writeln!(out, "Signature {} (line {}):", n + 1, check.at.line);
        if let Some(covers) = &check.covers {
            let _ = writeln!(out, "  covers  {covers}");
        }
        if let (Some(a), Some(d)) = (check.algorithm, check.digest) {
            let _ = writeln!(out, "  uses    {}, digest {}", a.name(), d.name());
        }
        if let Some(signer) = &check.signer {
            let _ = writeln!(out, "  signer  {}", signer_text(signer));
        }
        let _ = writeln!(out, "  result  {}", outcome_text(check));
    }
    if !report.signatures.is_empty() {
        for e in &report.unsigned {
            let _ = writeln!(out, "Not covered by any valid signature: {e}");
        }
        let good = report.verdict.is_valid() || report.verdict == Verdict::SignerNotAuthenticated;
        if good && !report.unsigned.is_empty() {
            out.push_str(
                "Only the covered elements above are signed; rely on nothing outside them.\n",
            );
        }
    }
    let _ = writeln!(out, "Verdict: {}", report.verdict);
    if report.verdict == Verdict::Refused(Refusal::Sha1) {
        out.push_str(
            "(--allow-sha1 accepts SHA-1, which is broken: only for old documents you trust.)\n",
        );
    }
    out
}

fn element_json(e: &ElementRef) -> Value {
    json!({ "name": e.name, "id": e.id, "line": e.line })
}

fn as_json(file: &Path, report: &Report) -> Value {
    let signatures: Vec<Value> = report
        .signatures
        .iter()
        .map(|c| {
            json!({
                "line": c.at.line,
                "covers": c.covers.as_ref().map(element_json),
                "algorithm": c.algorithm.map(|a| a.name()),
                "digest": c.digest.map(|d| d.name()),
                "signer": c.signer.as_ref().map(|s| json!({
                    "subject": s.subject,
                    "sha256": s.fingerprint.to_string(),
                    "trusted": s.trusted,
                })),
                "outcome": c.outcome.code(),
                "message": outcome_text(c),
            })
        })
        .collect();
    json!({
        "file": file.display().to_string(),
        "refusal": report.verdict.refusal_code(),
        "kind": match report.kind {
            DocumentKind::Metadata => "metadata",
            DocumentKind::Message => "message",
        },
        "root": element_json(&report.root),
        "signatures": signatures,
        "unsigned": report.unsigned.iter().map(element_json).collect::<Vec<_>>(),
        "verdict": report.verdict.code(),
        "message": report.verdict.to_string(),
    })
}
