//! `samlmeta check`: a captured login (a SAML Response or Assertion), request (AuthnRequest,
//! logout) or any metadata, in whatever encoding it was copied, decoded, verified and held
//! against the connector's values.
//!
//! Exit codes: 0 no error; 1 an error (or the input could not be decoded or checked); 3 no error,
//! but the signer is not authenticated (no certificate, fingerprint or IdP metadata given);
//! 2 usage.

use crate::common;
use samlmeta::connector::{ConnectorValues, read_settings};
use samlmeta::dsig::verify::{Options, Trust, Verdict};
use samlmeta::message::{
    AssertionValues, Checked, DEFAULT_SKEW_SECONDS, Expectations, MAX_MESSAGE_BYTES, MetadataCheck,
    Problem, RequestCheck, ResponseCheck, Value, check, decode,
};
use samlmeta::{Severity, UnixTime};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_USAGE: u8 = 2;
const EXIT_NOT_AUTHENTICATED: u8 = 3;

/// The flags of `samlmeta check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    samlmeta check response.txt --cert cert.pem --settings keepersecurity-samlmeta-settings.json\n  \
    pbpaste | samlmeta check - --idp-metadata jumpcloud-metadata.xml --sp-entity-id https://sp.example/saml --json")]
pub struct CheckArgs {
    /// The captured message or metadata, or - for standard input: the XML, the SAMLResponse or
    /// SAMLRequest value (base64, URL-encoded or not, DEFLATE), the whole form body, or the
    /// whole URL.
    file: PathBuf,
    /// The certificate (PEM or DER) whose key must have signed: the IdP's for a Response or
    /// metadata, the SP's for an AuthnRequest or a logout message.
    #[arg(long, value_name = "F", conflicts_with_all = ["fingerprint", "idp_metadata"])]
    cert: Option<PathBuf>,
    /// The SHA-256 fingerprint of the certificate that must have signed.
    #[arg(long, value_name = "SHA256", conflicts_with = "idp_metadata")]
    fingerprint: Option<String>,
    /// The IdP's metadata: any of its signing certificates may have signed (a rollover).
    #[arg(long, value_name = "F")]
    idp_metadata: Option<PathBuf>,
    /// The connector's settings, exported by the page ("Export settings"): the expected IdP
    /// Entity ID, SP Entity ID and ACS URL, and whether the SP is Keeper SSO Connect.
    #[arg(long, value_name = "F")]
    settings: Option<PathBuf>,
    /// The expected Issuer (overrides the settings').
    #[arg(long, value_name = "ID")]
    idp_entity_id: Option<String>,
    /// The expected Audience (overrides the settings').
    #[arg(long, value_name = "ID")]
    sp_entity_id: Option<String>,
    /// The expected Destination and Recipient (overrides the settings').
    #[arg(long, value_name = "URL")]
    acs_url: Option<String>,
    /// The time to check validity at (default: the system clock), e.g. when the login was
    /// captured.
    #[arg(long, value_name = "RFC3339", value_parser = common::parse_time)]
    now: Option<UnixTime>,
    /// Clock difference allowed, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_SKEW_SECONDS,
          value_parser = clap::value_parser!(i64).range(0..=86_400))]
    skew: i64,
    /// Accept SHA-1 digests and RSA-SHA1 signatures (refused by default: SHA-1 is broken).
    #[arg(long)]
    allow_sha1: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `samlmeta check`.
pub fn run(args: &CheckArgs) -> ExitCode {
    let (trust, expected) = match setup(args) {
        Ok(setup) => setup,
        Err(message) => {
            eprintln!("samlmeta: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let authenticated = trust != Trust::Embedded;
    let options = Options {
        trust,
        allow_sha1: args.allow_sha1,
    };
    let now = args.now.unwrap_or_else(common::now);
    let checked = read_input(&args.file).and_then(|bytes| {
        let decoded = decode(&bytes).map_err(|e| e.to_string())?;
        let checked =
            check(&decoded, &options, &expected, now, args.skew).map_err(|e| e.to_string())?;
        Ok((decoded, checked))
    });
    let (decoded, checked) = match checked {
        Ok(done) => done,
        Err(message) => {
            if args.json {
                println!("{:#}", json!({ "error": message }));
            } else {
                eprintln!("samlmeta: {}: {message}", args.file.display());
            }
            return ExitCode::FAILURE;
        }
    };
    let encoding = decoded.encoding.as_str();
    match (&checked, args.json) {
        (Checked::Response(r), true) => println!("{:#}", as_json(encoding, r)),
        (Checked::Response(r), false) => print!("{}", as_text(encoding, r, authenticated)),
        (Checked::Request(r), true) => println!("{:#}", request_json(encoding, &decoded, r)),
        (Checked::Request(r), false) => print!("{}", request_text(encoding, &decoded, r)),
        (Checked::Metadata(r), true) => println!("{:#}", metadata_json(encoding, r)),
        (Checked::Metadata(r), false) => print!("{}", metadata_text(encoding, r)),
    }
    if checked
        .problems()
        .iter()
        .any(|p| p.severity == Severity::Error)
    {
        ExitCode::FAILURE
    } else if *checked.verdict() == Verdict::SignerNotAuthenticated {
        ExitCode::from(EXIT_NOT_AUTHENTICATED)
    } else {
        ExitCode::SUCCESS
    }
}

fn metadata_json(encoding: &str, r: &MetadataCheck) -> serde_json::Value {
    json!({
        "kind": "metadata",
        "encoding": encoding,
        "signed": {
            "metadata": r.verdict == Verdict::Valid || r.verdict == Verdict::SignerNotAuthenticated,
        },
        "verdict": r.verdict.code(),
        "values": {
            "valid_until": r.valid_until,
            "entities": r.entities.iter().map(|e| json!({
                "entity_id": e.entity_id,
                "roles": e.roles,
                "valid_until": e.valid_until,
                "endpoints": e.endpoints.iter().map(|p| json!({
                    "kind": p.kind, "binding": p.binding, "location": p.location,
                })).collect::<Vec<_>>(),
                "certificates": e.certificates.iter().map(|c| json!({
                    "use": c.usage,
                    "subject": c.subject,
                    "sha256": c.sha256.to_string(),
                    "not_after": c.not_after.to_string(),
                    "days_left": c.days_left,
                })).collect::<Vec<_>>(),
                "name_id_formats": e.name_id_formats,
            })).collect::<Vec<_>>(),
        },
        "problems": problems_json(&r.problems),
        "map": map_json(&r.map),
    })
}

fn metadata_text(encoding: &str, r: &MetadataCheck) -> String {
    let mut out = format!("SAML metadata (decoded from {encoding})\n");
    if let Some(until) = &r.valid_until {
        out.push_str(&format!("  validUntil: {until}\n"));
    }
    for e in &r.entities {
        out.push_str(&format!(
            "entity {} ({})\n",
            e.entity_id,
            e.roles.join(", ")
        ));
        for p in &e.endpoints {
            out.push_str(&format!("  {} {}: {}\n", p.kind, p.binding, p.location));
        }
        for c in &e.certificates {
            out.push_str(&format!(
                "  certificate ({}): {}\n    SHA-256 {}\n    valid until {} ({} days)\n",
                c.usage.as_deref().unwrap_or("signing and encryption"),
                c.subject,
                c.sha256,
                c.not_after.date(),
                c.days_left
            ));
        }
        for f in &e.name_id_formats {
            out.push_str(&format!("  NameIDFormat: {f}\n"));
        }
    }
    out.push_str(&format!("signature: {}\n", r.verdict));
    problems_text(&mut out, &r.problems);
    out
}

/// The document map: each element near the top, and whether a good signature covers it.
fn map_json(map: &samlmeta::message::DocumentMap) -> serde_json::Value {
    json!({
        "elements": map.entries.iter().map(|e| json!({
            "name": e.name, "id": e.id, "line": e.line, "depth": e.depth, "signed": e.signed,
        })).collect::<Vec<_>>(),
        "left_out": map.left_out,
    })
}

fn problems_json(problems: &[Problem]) -> Vec<serde_json::Value> {
    problems
        .iter()
        .map(|p| {
            json!({
                "code": p.code.as_str(),
                "severity": p.severity.to_string(),
                "message": p.message,
                "refusal": p.refusal,
            })
        })
        .collect()
}

fn problems_text(out: &mut String, problems: &[Problem]) {
    if problems.is_empty() {
        out.push_str("no problems found\n");
    }
    for p in problems {
        out.push_str(&format!(
            "{} [{}]: {}\n",
            p.severity,
            p.code.as_str(),
            p.message
        ));
    }
}

fn request_json(
    encoding: &str,
    decoded: &samlmeta::message::Decoded,
    r: &RequestCheck,
) -> serde_json::Value {
    json!({
        "kind": r.kind.as_str(),
        "encoding": encoding,
        "signed": {
            "request": r.verdict == Verdict::Valid || r.verdict == Verdict::SignerNotAuthenticated,
            "redirect_signature": r.redirect_signature.as_ref().map(|alg| json!({
                "sig_alg": alg,
                "verified": false,
            })),
        },
        "verdict": r.verdict.code(),
        "values": {
            "id": r.id,
            "issuer": value_json(r.issuer.as_ref()),
            "destination": value_json(r.destination.as_ref()),
            "acs_url": value_json(r.acs_url.as_ref()),
            "name_id": value_json(r.name_id.as_ref()),
            "status": value_json(r.status.as_ref()),
            "relay_state": decoded.relay_state,
        },
        "problems": problems_json(&r.problems),
        "map": map_json(&r.map),
    })
}

fn request_text(encoding: &str, decoded: &samlmeta::message::Decoded, r: &RequestCheck) -> String {
    let mut out = format!("SAML {} (decoded from {encoding})\n", r.kind.as_str());
    for (name, v) in [
        ("Issuer", r.issuer.as_ref()),
        ("Destination", r.destination.as_ref()),
        ("AssertionConsumerServiceURL", r.acs_url.as_ref()),
        ("NameID", r.name_id.as_ref()),
        ("Status", r.status.as_ref()),
    ] {
        if let Some(v) = v {
            out.push_str(&format!("  {name}: {}\n", v.value));
        }
    }
    if let Some(relay) = &decoded.relay_state {
        out.push_str(&format!("  RelayState: {relay}\n"));
    }
    if let Some(alg) = &r.redirect_signature {
        out.push_str(&format!(
            "  Redirect-binding signature ({alg}): present, not verified (it covers the raw \
             query string, which is shown as received)\n"
        ));
    }
    out.push_str(&format!("XML signature: {}\n", r.verdict));
    problems_text(&mut out, &r.problems);
    out
}

/// The signer to trust and the values to expect, from the flags and the settings file.
fn setup(args: &CheckArgs) -> Result<(Trust, Expectations), String> {
    let trust = match &args.idp_metadata {
        Some(path) => {
            let bytes = read_file(path, "IdP metadata")?;
            let signers = samlmeta::metadata::read_idp_signers(&bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Trust::AnyOf(signers.certificates)
        }
        None => crate::verify::trust_from(args.cert.as_deref(), args.fingerprint.as_deref())?,
    };
    let mut expected = match &args.settings {
        Some(path) => {
            let bytes = read_file(path, "settings")?;
            let prefill = read_settings(&bytes, &ConnectorValues::default())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Expectations::from_connector(&prefill.values)
        }
        None => Expectations::default(),
    };
    if let Trust::Certificate(cert) = &trust {
        expected.certificate = Some(cert.sha256_fingerprint());
    } else if let Trust::Fingerprint(fp) = &trust {
        expected.certificate = Some(*fp);
    }
    for (flag, target) in [
        (&args.idp_entity_id, &mut expected.idp_entity_id),
        (&args.sp_entity_id, &mut expected.sp_entity_id),
        (&args.acs_url, &mut expected.acs_url),
    ] {
        if let Some(value) = flag {
            *target = Some(value.clone());
        }
    }
    Ok((trust, expected))
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read the {what} file {}: {e}", path.display()))
}

/// The message, from a file or standard input, at most the decoder's limit (plus one byte, so
/// the decoder says it is too large).
fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let limit = u64::try_from(MAX_MESSAGE_BYTES).unwrap_or(u64::MAX) + 1;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("cannot read it: {e}"))?;
    Ok(bytes)
}

fn value_json(v: Option<&Value>) -> serde_json::Value {
    v.map_or(
        serde_json::Value::Null,
        |v| json!({ "value": v.value, "signed": v.signed }),
    )
}

fn assertion_json(a: &AssertionValues) -> serde_json::Value {
    json!({
        "id": a.id,
        "signed": a.signed,
        "encrypted": a.encrypted,
        "issuer": value_json(a.issuer.as_ref()),
        "name_id": value_json(a.name_id.as_ref()),
        "name_id_format": value_json(a.name_id_format.as_ref()),
        "audiences": a.audiences.iter().map(|v| value_json(Some(v))).collect::<Vec<_>>(),
        "recipient": value_json(a.recipient.as_ref()),
        "not_before": value_json(a.not_before.as_ref()),
        "not_on_or_after": value_json(a.not_on_or_after.as_ref()),
        "attributes": a.attributes.iter().map(|x| json!({
            "name": x.name, "values": x.values, "signed": x.signed,
        })).collect::<Vec<_>>(),
    })
}

fn as_json(encoding: &str, r: &ResponseCheck) -> serde_json::Value {
    json!({
        "kind": if r.is_response { "response" } else { "assertion" },
        "encoding": encoding,
        "signed": {
            "response": r.response_signed,
            "assertions": r.assertions.iter().map(|a| json!({ "id": a.id, "signed": a.signed })).collect::<Vec<_>>(),
        },
        "verdict": r.verdict.code(),
        "values": {
            "issuer": value_json(r.response.issuer.as_ref()),
            "destination": value_json(r.response.destination.as_ref()),
            "status": value_json(r.response.status.as_ref()),
            "in_response_to": value_json(r.response.in_response_to.as_ref()),
            "assertions": r.assertions.iter().map(assertion_json).collect::<Vec<_>>(),
        },
        "problems": problems_json(&r.problems),
        "map": map_json(&r.map),
    })
}

fn as_text(encoding: &str, r: &ResponseCheck, authenticated: bool) -> String {
    let mut out = String::new();
    let mark = |signed: bool| if signed { "signed" } else { "UNSIGNED" };
    let line = |out: &mut String, name: &str, v: Option<&Value>| {
        if let Some(v) = v {
            out.push_str(&format!("  {name}: {} ({})\n", v.value, mark(v.signed)));
        }
    };
    out.push_str(&format!(
        "{} (decoded from {encoding})\n",
        if r.is_response {
            "SAML Response"
        } else {
            "SAML Assertion"
        }
    ));
    if r.is_response {
        out.push_str(&format!(
            "  the Response itself: {}\n",
            mark(r.response_signed)
        ));
        line(&mut out, "Issuer", r.response.issuer.as_ref());
        line(&mut out, "Destination", r.response.destination.as_ref());
        line(&mut out, "Status", r.response.status.as_ref());
        line(&mut out, "InResponseTo", r.response.in_response_to.as_ref());
    }
    for a in &r.assertions {
        out.push_str(&format!(
            "Assertion {}: {}{}\n",
            a.id.as_deref().unwrap_or("(no ID)"),
            mark(a.signed),
            if a.encrypted { ", encrypted" } else { "" }
        ));
        line(&mut out, "Issuer", a.issuer.as_ref());
        line(&mut out, "NameID", a.name_id.as_ref());
        line(&mut out, "NameID Format", a.name_id_format.as_ref());
        for audience in &a.audiences {
            line(&mut out, "Audience", Some(audience));
        }
        line(&mut out, "Recipient", a.recipient.as_ref());
        line(&mut out, "NotBefore", a.not_before.as_ref());
        line(&mut out, "NotOnOrAfter", a.not_on_or_after.as_ref());
        for x in &a.attributes {
            out.push_str(&format!(
                "  attribute {}: {} ({})\n",
                x.name,
                x.values.join(", "),
                mark(x.signed)
            ));
        }
    }
    out.push_str(&format!("verdict: {}\n", r.verdict));
    if !authenticated && r.verdict == Verdict::SignerNotAuthenticated {
        out.push_str("  give --cert, --fingerprint or --idp-metadata to know who signed it\n");
    }
    problems_text(&mut out, &r.problems);
    out
}
