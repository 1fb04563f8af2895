//! `samlmeta idp` and `samlmeta sp`: write metadata from the connector values, through the same
//! rules as the page (the core's field table, presets and findings). The connector flags are
//! built from that table, and a settings file exported by the page gives the same values.

use crate::common::{now, read_passphrase};
use samlmeta::connector::{ConnectorValues, ExtraCertificates, FIELDS, Field, Side, read_settings};
use samlmeta::findings::{Severity, signing_certificate};
use samlmeta::metadata::SpInfo;
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
  samlmeta idp --cert cert.pem --key private.pem --entity-id KeeperSSO \\
      --idp-url-suffix keepersecurity -o keepersecurity-idp-metadata.xml

  # Re-sign at a certificate rotation from the settings the page exported:
  samlmeta idp --settings keepersecurity-samlmeta-settings.json --cert cert.pem \\
      --key private.pem -o keepersecurity-idp-metadata.xml

  # Another IdP's SSO URL, a second certificate during a key rollover:
  samlmeta idp --cert new.pem --signing-cert old.pem --entity-id https://idp.example.com \\
      --sso-url https://idp.example.com/sso -o -")]
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
    /// Another signing certificate, for a key rollover (repeat).
    #[arg(long, value_name = "FILE")]
    signing_cert: Vec<PathBuf>,
    /// A certificate SPs encrypt assertions to.
    #[arg(long, value_name = "FILE")]
    encryption_cert: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    connector: ConnectorFlags<false>,
}

/// The arguments of `samlmeta sp`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  samlmeta sp --entity-id https://sso.example.com/sso-connect \\
      --acs-url https://sso.example.com/sso-connect/saml/sso -o sp-metadata.xml

  # Keeper SSO Connect Cloud's values from the region and SSO ID:
  samlmeta sp --preset keeper-cloud --keeper-region keepersecurity.eu \\
      --keeper-sso-id 459561502469 -o sp-metadata.xml")]
pub struct SpArgs {
    /// The SP's private key: sign the metadata (needs --cert, the SP's own certificate).
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// A file whose first line is the passphrase of an encrypted key or PKCS#12 file.
    #[arg(long, value_name = "F", requires = "key")]
    passphrase_file: Option<PathBuf>,
    /// The SP's own certificate (never the IdP's).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The SP's single logout URL (HTTP-Redirect).
    #[arg(long, value_name = "URL")]
    slo_url: Option<String>,
    /// The SP's own metadata (Keeper: "Export Metadata"): fills the SP Entity ID, the ACS URL
    /// and, without --cert, the SP's certificate, as the page's "SP metadata" input does. Over
    /// --settings; flags given beside it win.
    #[arg(long, value_name = "FILE")]
    sp_metadata: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    connector: ConnectorFlags<true>,
}

/// The flags `idp` and `sp` share beside the connector's.
#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// A settings file saved with the page's "Export settings"; flags given beside it override
    /// its values.
    #[arg(long, value_name = "FILE.json")]
    settings: Option<PathBuf>,
    /// The signed document's ID (an NCName such as _0123abcd…), for reproducible output; a new
    /// random one by default. Unsigned metadata has none.
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// The time to take as now (RFC 3339, e.g. 2026-12-01T09:30:00Z), for validUntil and the
    /// certificate checks; the system clock by default.
    #[arg(long, value_name = "RFC3339", value_parser = crate::common::parse_time)]
    now: Option<UnixTime>,
    /// Where to write the metadata; - for standard output (the default).
    #[arg(short = 'o', long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

/// The connector flags of `idp` (`SP = false`) or `sp` (`SP = true`), made from the core's field
/// table: each flag is a settings key, its values the settings text.
#[derive(Debug, Clone, Default)]
pub struct ConnectorFlags<const SP: bool> {
    /// (field, flag as typed, value) for each flag given; repeated flags joined by commas.
    given: Vec<(Field, String)>,
}

impl<const SP: bool> ConnectorFlags<SP> {
    const SIDE: Side = if SP { Side::Sp } else { Side::Idp };

    fn fields() -> impl Iterator<Item = (Field, samlmeta::connector::CliFlag)> {
        FIELDS
            .into_iter()
            .filter(|field| field.spec().side.includes(Self::SIDE))
            .map(|field| (field, field.flag()))
    }
}

impl<const SP: bool> clap::FromArgMatches for ConnectorFlags<SP> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for (field, _) in Self::fields() {
            if let Some(values) = matches.get_many::<String>(field.key()) {
                let values: Vec<&str> = values.map(String::as_str).collect();
                given.push((field, values.join(",")));
            }
        }
        Ok(Self { given })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<const SP: bool> clap::Args for ConnectorFlags<SP> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let mut cmd = cmd.next_help_heading("Connector values (as in the page and its settings)");
        for (field, flag) in Self::fields() {
            let mut arg = clap::Arg::new(field.key())
                .long(flag.long)
                .value_name(flag.value_name)
                .help(flag.help)
                .action(if flag.repeats {
                    clap::ArgAction::Append
                } else {
                    clap::ArgAction::Set
                });
            if let Some(alias) = flag.alias {
                arg = arg.visible_alias(alias);
            }
            if field == Field::IdpUrlSuffix {
                arg = arg.conflicts_with(Field::SsoUrl.key());
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// How a subcommand ended: written, refused (exit 1), or called wrongly (exit 2).
enum Failure {
    Refused(String),
    Usage(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Refused(message)
    }
}

/// The connector values: the settings file's, then the flags', with notes on what was not used.
fn connector_values<const SP: bool>(
    common: &CommonArgs,
    flags: &ConnectorFlags<SP>,
    sp_metadata: Option<&SpInfo>,
) -> Result<(ConnectorValues, Vec<Field>), Failure> {
    let mut given: Vec<Field> = Vec::new();
    let mut values = ConnectorValues::default();
    if let Some(path) = &common.settings {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        let prefill = read_settings(&bytes, &values)
            .map_err(|e| format!("error: {}: {e}", path.display()))?;
        for note in &prefill.notes {
            eprintln!("samlmeta: note: {note}");
        }
        given.extend(
            prefill
                .applied
                .iter()
                .filter_map(|key| Field::from_key(key)),
        );
        values = prefill.values;
    }
    if let Some(info) = sp_metadata {
        given.extend(values.fill_from_sp_metadata(info));
    }
    let items: Vec<(Field, &str)> = flags
        .given
        .iter()
        .map(|(field, text)| (*field, text.as_str()))
        .collect();
    if let Some((i, why)) = values.set_all(&items).first()
        && let Some((field, _)) = flags.given.get(*i)
    {
        let flag = field.flag().long;
        return Err(Failure::Usage(format!("error: --{flag}: {why}")));
    }
    given.extend(flags.given.iter().map(|(field, _)| *field));
    Ok((values, given))
}

fn the_time(common: &CommonArgs) -> UnixTime {
    common.now.unwrap_or_else(now)
}

fn document_id(common: &CommonArgs) -> Result<String, Failure> {
    match &common.id {
        Some(id) => Ok(id.clone()),
        None => {
            samlmeta::dsig::new_document_id().map_err(|e| Failure::Refused(format!("error: {e}")))
        }
    }
}

pub fn idp(args: &IdpArgs) -> ExitCode {
    run(|| {
        let (values, given) = connector_values(&args.common, &args.connector, None)?;
        if !given.contains(&Field::IdpEntityId) {
            return Err(Failure::Usage(
                "error: the IdP Entity ID is missing: give --entity-id, or idp-entity-id in the \
                 --settings file"
                    .to_owned(),
            ));
        }
        if values.sso_url.is_none() && !given.contains(&Field::IdpUrlSuffix) {
            return Err(Failure::Usage(
                "error: the IdP URL is missing: give --idp-url-suffix (or --sso-url for another \
                 IdP), or idp-url-suffix in the --settings file"
                    .to_owned(),
            ));
        }
        let now = the_time(&args.common);
        let key = args
            .key
            .as_deref()
            .map(|path| read_key(path, args.passphrase_file.as_deref()))
            .transpose()?;
        let certificate = match (&args.cert, &key) {
            (Some(path), _) => read_certificate(path)?,
            (None, Some((key, certs))) => signing_certificate(Some(&key.public()), certs)
                .cloned()
                .ok_or_else(|| {
                    "error: the key file holds no certificate for this key: give the \
                     certificate with --cert"
                        .to_owned()
                })?,
            (None, None) => {
                return Err(Failure::Usage(
                    "error: give the IdP's certificate with --cert".to_owned(),
                ));
            }
        };
        let extra = ExtraCertificates {
            rollover: args
                .signing_cert
                .iter()
                .map(|path| read_certificate(path))
                .collect::<Result<_, _>>()?,
            encryption: args
                .encryption_cert
                .as_deref()
                .map(read_certificate)
                .transpose()?,
        };
        let mut findings: Vec<Finding> = values
            .findings_at(Some(&certificate), now)
            .into_iter()
            .map(|(_, f)| f)
            .collect();
        let mut certificates = vec![certificate.clone()];
        certificates.extend(extra.rollover.iter().cloned());
        findings.extend(samlmeta::check(
            key.as_ref().map(|(k, _)| k.public()).as_ref(),
            &certificates,
            now,
        ));
        report(&findings)?;
        let md = values.idp_metadata_with(certificate, &extra, now);
        let xml = metadata_xml(
            &md,
            key.as_ref().map(|(k, _)| k),
            &args.common,
            samlmeta::metadata::idp_xml,
            samlmeta::dsig::signed_idp_xml,
        )?;
        Ok(write_output(&args.common.output, &xml)?)
    })
}

pub fn sp(args: &SpArgs) -> ExitCode {
    run(|| {
        let sp_metadata = args
            .sp_metadata
            .as_deref()
            .map(read_sp_metadata)
            .transpose()?;
        let (values, given) =
            connector_values(&args.common, &args.connector, sp_metadata.as_ref())?;
        // Required: given (even empty, which is then an error finding) or derived by the preset.
        for (field, value, what) in [
            (
                Field::SpEntityId,
                &values.sp_entity_id,
                "the SP Entity ID is missing: give --entity-id",
            ),
            (
                Field::AcsUrl,
                &values.acs_url,
                "the ACS URL is missing: give --acs-url",
            ),
        ] {
            if value.is_empty() && !given.contains(&field) {
                return Err(Failure::Usage(format!(
                    "error: {what}, the preset's --keeper-sso-id or --sso-connect-server, or the \
                     value in the --settings file"
                )));
            }
        }
        let now = the_time(&args.common);
        let certificate = match args.cert.as_deref().map(read_certificate).transpose()? {
            Some(cert) => Some(cert),
            None => sp_metadata.and_then(|info| info.certificates.into_iter().next()),
        };
        let mut md = values.sp_metadata(certificate);
        md.slo_url.clone_from(&args.slo_url);
        let mut findings: Vec<Finding> = values.sp_findings().into_iter().map(|(_, f)| f).collect();
        // The model's own checks add the SP's logout URL (the rest are the fields' checks again).
        if !findings.iter().any(|f| f.severity == Severity::Error) {
            for f in md.findings() {
                if !findings.contains(&f) {
                    findings.push(f);
                }
            }
        }
        let key = args
            .key
            .as_deref()
            .map(|path| read_key(path, args.passphrase_file.as_deref()))
            .transpose()?;
        if let Some((key, _)) = &key {
            let certs: Vec<Certificate> = md.certificate.iter().cloned().collect();
            findings.extend(samlmeta::check(Some(&key.public()), &certs, now));
        }
        report(&findings)?;
        let xml = metadata_xml(
            &md,
            key.as_ref().map(|(k, _)| k),
            &args.common,
            samlmeta::metadata::sp_xml,
            samlmeta::dsig::signed_sp_xml,
        )?;
        Ok(write_output(&args.common.output, &xml)?)
    })
}

/// The metadata's bytes: signed with `key` under the document ID when a key is given, unsigned
/// otherwise.
fn metadata_xml<M>(
    md: &M,
    key: Option<&samlmeta::SigningKey>,
    common: &CommonArgs,
    unsigned: fn(&M) -> Result<Vec<u8>, samlmeta::metadata::InvalidMetadata>,
    signed: fn(&M, &samlmeta::SigningKey, &str) -> Result<Vec<u8>, samlmeta::dsig::SignError>,
) -> Result<Vec<u8>, Failure> {
    match key {
        None => Ok(unsigned(md).map_err(|e| format!("error: {e}"))?),
        Some(key) => {
            let id = document_id(common)?;
            Ok(signed(md, key, &id).map_err(|e| format!("error: not signed: {e}"))?)
        }
    }
}

fn run(body: impl FnOnce() -> Result<(), Failure>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(message)) => {
            eprintln!("samlmeta: {message}");
            ExitCode::FAILURE
        }
        Err(Failure::Usage(message)) => {
            eprintln!("samlmeta: {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints warnings and errors as `samlmeta: warning [<code>]: <message>`; any error refuses.
fn report(findings: &[Finding]) -> Result<(), Failure> {
    let mut refused = false;
    for f in findings {
        match f.severity {
            Severity::Info => {}
            Severity::Warning => eprintln!("samlmeta: warning [{}]: {}", f.code, f.message),
            Severity::Error => {
                eprintln!("samlmeta: error [{}]: {}", f.code, f.message);
                refused = true;
            }
        }
    }
    if refused {
        Err(Failure::Refused(
            "nothing was written: correct the errors above".to_owned(),
        ))
    } else {
        Ok(())
    }
}

/// The private key in a file, and any certificates with it (a PKCS#12 file or combined PEM).
fn read_key(
    path: &Path,
    passphrase_file: Option<&Path>,
) -> Result<(samlmeta::SigningKey, Vec<Certificate>), String> {
    let passphrase = passphrase_file
        .map(read_passphrase)
        .transpose()
        .map_err(|e| format!("error: {e}"))?;
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?,
    );
    let contents = samlmeta::read(&bytes, passphrase.as_deref().map(String::as_str))
        .and_then(samlmeta::Contents::require_key)
        .map_err(|e| format!("error: {}: {e}", path.display()))?;
    let certificates = contents.certificates;
    let key = contents
        .key
        .ok_or_else(|| format!("error: {}: no private key", path.display()))?;
    Ok((key, certificates))
}

/// The certificate in a file: the end-entity one when the file holds a chain.
fn read_certificate(path: &Path) -> Result<Certificate, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let contents = samlmeta::read(&bytes, None)
        .and_then(samlmeta::Contents::require_certificate)
        .map_err(|e| format!("error: {}: {e}", path.display()))?;
    signing_certificate(None, &contents.certificates)
        .cloned()
        .ok_or_else(|| format!("error: {}: no certificate", path.display()))
}

/// The SP's own metadata in a file.
fn read_sp_metadata(path: &Path) -> Result<SpInfo, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    samlmeta::metadata::read_sp_metadata(&bytes)
        .map_err(|e| format!("error: {}: {e}", path.display()))
}

/// Writes `bytes` to `path` (or standard output for `-`). A file is written whole or not at all:
/// a temporary file beside it, renamed into place.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path == Path::new("-") {
        return std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("error: cannot write to standard output: {e}"));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("error: cannot write {}: {e}", path.display()));
    }
    Ok(())
}
