//! `samlmeta idp` and `samlmeta sp`: write metadata from the connector values.

use crate::common::{now, read_passphrase};
use samlmeta::findings::{Severity, signing_certificate};
use samlmeta::model::{
    Binding, Contact, ContactType, IdpMetadata, NAMEID_EMAIL, Organization, SpMetadata,
};
use samlmeta::{Certificate, Finding, UnixTime};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The arguments of `samlmeta idp`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # JumpCloud as IdP for Keeper SSO Connect (the JumpCloud connector's values):
  samlmeta idp --cert cert.pem --entity-id KeeperSSO --idp-url-suffix keepersecurity \\
      --display-label 'Keeper Security' -o keepersecurity-idp-metadata.xml

  # The same, signed (the key may also be a .p12/.pfx; then --cert can be left out):
  samlmeta idp --cert cert.pem --key private.pem --entity-id KeeperSSO \
      --idp-url-suffix keepersecurity -o keepersecurity-idp-metadata.xml

  # Another IdP's SSO URL, POST only, a second certificate during a key rollover:
  samlmeta idp --cert new.pem --signing-cert old.pem --entity-id https://idp.example.com \\
      --sso-url https://idp.example.com/sso --binding post -o -")]
pub struct IdpArgs {
    /// The IdP's signing certificate (cert.pem; PEM or DER, or a bundle). May be left out when
    /// --key is a PKCS#12 file or a PEM holding the certificate too.
    #[arg(long, value_name = "FILE", required_unless_present = "key")]
    cert: Option<PathBuf>,
    /// The IdP's private key: sign the metadata (PKCS#1, PKCS#8, encrypted PKCS#8, .p12/.pfx, or a
    /// PEM with key and certificate). Without it the metadata is unsigned.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// A file whose first line is the passphrase of an encrypted key or PKCS#12 file.
    #[arg(long, value_name = "F", requires = "key")]
    passphrase_file: Option<PathBuf>,
    /// The IdP Entity ID, exactly as the SP has it (case-sensitive).
    #[arg(long, value_name = "ID")]
    entity_id: String,
    /// The JumpCloud IdP URL suffix: SSO at https://sso.jumpcloud.com/saml2/<SUFFIX>.
    #[arg(
        long,
        value_name = "SUFFIX",
        conflicts_with = "sso_url",
        required_unless_present = "sso_url"
    )]
    idp_url_suffix: Option<String>,
    /// The full SSO URL, for an IdP other than JumpCloud.
    #[arg(long, value_name = "URL")]
    sso_url: Option<String>,
    /// SSO bindings (repeat for both); default: redirect and post.
    #[arg(long, value_enum, value_name = "BINDING")]
    binding: Vec<BindingArg>,
    /// NameID formats (repeat); default: emailAddress.
    #[arg(long, value_name = "URN")]
    nameid_format: Vec<String>,
    /// A single logout URL (HTTP-Redirect).
    #[arg(long, value_name = "URL")]
    slo_url: Option<String>,
    /// Write validUntil this many days from now.
    #[arg(long, value_name = "N")]
    valid_days: Option<u32>,
    /// Write cacheDuration, an xs:duration such as PT604800S or P7D.
    #[arg(long, value_name = "DURATION")]
    cache_duration: Option<String>,
    /// The display label (written as mdui:DisplayName).
    #[arg(long, value_name = "TEXT")]
    display_label: Option<String>,
    /// The organization's name (written as md:Organization, with --org-url).
    #[arg(long, value_name = "NAME", requires = "org_url")]
    org_name: Option<String>,
    /// The organization's web site.
    #[arg(long, value_name = "URL", requires = "org_name")]
    org_url: Option<String>,
    /// A technical contact's e-mail address.
    #[arg(long, value_name = "EMAIL")]
    contact_email: Option<String>,
    /// The technical contact's name.
    #[arg(long, value_name = "NAME", requires = "contact_email")]
    contact_name: Option<String>,
    /// Another signing certificate, for a key rollover (repeat).
    #[arg(long, value_name = "FILE")]
    signing_cert: Vec<PathBuf>,
    /// A certificate SPs encrypt assertions to.
    #[arg(long, value_name = "FILE")]
    encryption_cert: Option<PathBuf>,
    /// Where to write the metadata; - for standard output (the default).
    #[arg(short = 'o', long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

/// The arguments of `samlmeta sp`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  samlmeta sp --entity-id https://keeper.example.com/sso/saml \\
      --acs-url https://keeper.example.com/sso/saml/acs -o sp-metadata.xml")]
pub struct SpArgs {
    /// The SP's private key: sign the metadata (needs --cert, the SP's own certificate).
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// A file whose first line is the passphrase of an encrypted key or PKCS#12 file.
    #[arg(long, value_name = "F", requires = "key")]
    passphrase_file: Option<PathBuf>,
    /// The SP Entity ID.
    #[arg(long, value_name = "ID")]
    entity_id: String,
    /// The Assertion Consumer Service URL.
    #[arg(long, value_name = "URL")]
    acs_url: String,
    /// The SP's own certificate (never the IdP's).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The NameID format; default: emailAddress.
    #[arg(long, value_name = "URN")]
    nameid_format: Option<String>,
    /// A single logout URL (HTTP-Redirect).
    #[arg(long, value_name = "URL")]
    slo_url: Option<String>,
    /// Where to write the metadata; - for standard output (the default).
    #[arg(short = 'o', long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum BindingArg {
    Redirect,
    Post,
}

pub fn idp(args: &IdpArgs) -> ExitCode {
    run(|| {
        let key = args
            .key
            .as_deref()
            .map(|path| read_key(path, args.passphrase_file.as_deref()))
            .transpose()?;
        let certificate = match (&args.cert, &key) {
            (Some(path), _) => read_certificate(path)?,
            (None, Some((key, certs))) => signing_certificate(Some(key), certs).cloned().ok_or(
                "the key file holds no certificate for this key: give the certificate with --cert",
            )?,
            (None, None) => return Err("give the IdP's certificate with --cert".to_owned()),
        };
        let suffix = args.idp_url_suffix.as_deref().unwrap_or_default();
        let mut md = IdpMetadata::jumpcloud(&args.entity_id, certificate, suffix);
        if let Some(url) = &args.sso_url {
            md.sso_url = url.clone();
        }
        if !args.binding.is_empty() {
            md.sso_bindings = args
                .binding
                .iter()
                .map(|b| match b {
                    BindingArg::Redirect => Binding::HttpRedirect,
                    BindingArg::Post => Binding::HttpPost,
                })
                .collect();
        }
        if !args.nameid_format.is_empty() {
            md.name_id_formats = args.nameid_format.clone();
        }
        for extra in &args.signing_cert {
            md.signing_certificates.push(read_certificate(extra)?);
        }
        if let Some(path) = &args.encryption_cert {
            md.encryption_certificate = Some(read_certificate(path)?);
        }
        md.slo_url = args.slo_url.clone();
        md.display_name = args.display_label.clone().filter(|l| !l.trim().is_empty());
        if let (Some(name), Some(url)) = (&args.org_name, &args.org_url) {
            md.organization = Some(Organization {
                name: name.clone(),
                display_name: name.clone(),
                url: url.clone(),
            });
        }
        if let Some(email) = &args.contact_email {
            md.contacts.push(Contact {
                kind: ContactType::Technical,
                name: args.contact_name.clone(),
                email: Some(email.clone()),
            });
        }
        md.valid_until = args.valid_days.map(|days| {
            UnixTime::from_seconds(now().seconds() + i64::from(days) * samlmeta::time::DAY)
        });
        md.cache_duration_seconds = args
            .cache_duration
            .as_deref()
            .map(|d| {
                samlmeta::time::parse_xs_duration(d).ok_or_else(|| {
                    format!("--cache-duration {d:?} is not an xs:duration such as PT604800S or P7D")
                })
            })
            .transpose()?;
        warn(&md.findings());
        let xml = match &key {
            None => {
                for cert in &md.signing_certificates {
                    warn(&samlmeta::check(None, std::slice::from_ref(cert), now()));
                }
                samlmeta::writer::idp_xml(&md).map_err(|e| e.to_string())?
            }
            Some((key, _)) => {
                refuse(&samlmeta::check(Some(key), &md.signing_certificates, now()))?;
                let id = samlmeta::dsig::new_document_id().map_err(|e| e.to_string())?;
                samlmeta::dsig::signed_idp_xml(&md, key, &id).map_err(|e| e.to_string())?
            }
        };
        write_output(&args.output, &xml)
    })
}

pub fn sp(args: &SpArgs) -> ExitCode {
    run(|| {
        let mut md = SpMetadata::new(&args.entity_id, &args.acs_url);
        if let Some(path) = &args.cert {
            md.certificate = Some(read_certificate(path)?);
        }
        md.name_id_format = args
            .nameid_format
            .clone()
            .unwrap_or_else(|| NAMEID_EMAIL.to_owned());
        md.slo_url = args.slo_url.clone();
        warn(&md.findings());
        let xml = match &args.key {
            None => samlmeta::writer::sp_xml(&md).map_err(|e| e.to_string())?,
            Some(path) => {
                let (key, _) = read_key(path, args.passphrase_file.as_deref())?;
                let certs: Vec<Certificate> = md.certificate.iter().cloned().collect();
                refuse(&samlmeta::check(Some(&key), &certs, now()))?;
                let id = samlmeta::dsig::new_document_id().map_err(|e| e.to_string())?;
                samlmeta::dsig::signed_sp_xml(&md, &key, &id).map_err(|e| e.to_string())?
            }
        };
        write_output(&args.output, &xml)
    })
}

fn run(body: impl FnOnce() -> Result<(), String>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("samlmeta: {message}");
            ExitCode::FAILURE
        }
    }
}

fn warn(findings: &[Finding]) {
    for f in findings.iter().filter(|f| f.severity == Severity::Warning) {
        eprintln!("samlmeta: warning: {}", f.message);
    }
}

/// Warnings go to stderr; an error finding stops signing.
fn refuse(findings: &[Finding]) -> Result<(), String> {
    warn(findings);
    match findings.iter().find(|f| f.severity == Severity::Error) {
        Some(error) => Err(format!("not signed: {}", error.message)),
        None => Ok(()),
    }
}

/// The private key in a file, and any certificates with it (a PKCS#12 file or combined PEM).
fn read_key(
    path: &Path,
    passphrase_file: Option<&Path>,
) -> Result<(samlmeta::SigningKey, Vec<Certificate>), String> {
    let passphrase = passphrase_file.map(read_passphrase).transpose()?;
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
    );
    let contents = samlmeta::read(&bytes, passphrase.as_deref().map(String::as_str))
        .and_then(samlmeta::Contents::require_key)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let certificates = contents.certificates;
    let key = contents
        .key
        .ok_or_else(|| format!("{}: no private key", path.display()))?;
    Ok((key, certificates))
}

/// The certificate in a file: the end-entity one when the file holds a chain.
fn read_certificate(path: &Path) -> Result<Certificate, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let contents = samlmeta::read(&bytes, None)
        .and_then(samlmeta::Contents::require_certificate)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    signing_certificate(None, &contents.certificates)
        .cloned()
        .ok_or_else(|| format!("{}: no certificate", path.display()))
}

/// Writes `bytes` to `path` (or standard output for `-`). A file is written whole or not at all:
/// a temporary file beside it, renamed into place.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path == Path::new("-") {
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}"));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}
