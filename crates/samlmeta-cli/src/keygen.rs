//! `samlmeta keygen`: a new RSA key and self-signed certificate, written as two files or none.

use crate::common;
use samlmeta::pki::generate::{self, CertificateRequest, KeyEncoding, KeyPair, KeySize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The flags of `samlmeta keygen`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    samlmeta keygen --cn idp.example.com --key-out private.pem --cert-out cert.pem\n  \
    samlmeta keygen --bits 4096 --cn idp.example.com --org \"Example Inc\" --days 730 \\\n      \
    --key-out private.pem --cert-out cert.pem --passphrase-file pass.txt")]
pub struct KeygenArgs {
    /// RSA key size in bits.
    #[arg(long, default_value_t = 3072, value_parser = parse_bits)]
    bits: u32,
    /// The certificate's common name (CN), at most 64 characters: for example the host name of
    /// the IdP Entity ID.
    #[arg(long, value_name = "NAME")]
    cn: String,
    /// The certificate's organization (O).
    #[arg(long, value_name = "O")]
    org: Option<String>,
    /// The certificate's organizational unit (OU).
    #[arg(long, value_name = "OU")]
    org_unit: Option<String>,
    /// The certificate's country (C), two letters.
    #[arg(long, value_name = "C")]
    country: Option<String>,
    /// Days the certificate is valid, 1 to 3650.
    #[arg(long, value_name = "N", default_value_t = generate::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(generate::MAX_DAYS)))]
    days: u32,
    /// Where to write the private key (created with mode 0600).
    #[arg(long, value_name = "FILE")]
    key_out: PathBuf,
    /// Where to write the certificate (PEM).
    #[arg(long, value_name = "FILE")]
    cert_out: PathBuf,
    /// Encrypt the key with the passphrase on this file's first line (PKCS#8 with
    /// PBKDF2-HMAC-SHA256 and AES-256-CBC, which OpenSSL 3 opens). JumpCloud's upload takes an
    /// unencrypted key: use this for a stored copy.
    #[arg(long, value_name = "F", conflicts_with = "pkcs1")]
    passphrase_file: Option<PathBuf>,
    /// Write the key as PKCS#1 (BEGIN RSA PRIVATE KEY) instead of PKCS#8 (BEGIN PRIVATE KEY).
    #[arg(long)]
    pkcs1: bool,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
    /// The start of the validity, RFC 3339 (default: the system clock).
    #[arg(long, value_name = "RFC3339", value_parser = common::parse_time)]
    now: Option<samlmeta::UnixTime>,
}

fn parse_bits(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .and_then(KeySize::from_bits)
        .map(KeySize::bits)
        .ok_or_else(|| "choose 2048, 3072 or 4096".to_owned())
}

/// Runs `samlmeta keygen`.
pub fn run(args: &KeygenArgs) -> ExitCode {
    let mut request =
        CertificateRequest::new(args.cn.clone(), args.now.unwrap_or_else(common::now));
    request.organization.clone_from(&args.org);
    request.organizational_unit.clone_from(&args.org_unit);
    request.country.clone_from(&args.country);
    request.days = args.days;
    // Bad values are usage errors, found before a key is made.
    if let Err(e) = request.check() {
        eprintln!("samlmeta: {e}");
        return ExitCode::from(2);
    }
    if args.key_out == args.cert_out {
        eprintln!("samlmeta: --key-out and --cert-out name the same file; give two names.");
        return ExitCode::from(2);
    }
    let passphrase = match args.passphrase_file.as_deref().map(common::read_passphrase) {
        None => None,
        Some(Ok(p)) if p.is_empty() => {
            eprintln!("samlmeta: the passphrase file's first line is empty.");
            return ExitCode::from(2);
        }
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            eprintln!("samlmeta: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !args.force {
        for path in [&args.key_out, &args.cert_out] {
            if path.exists() {
                eprintln!(
                    "samlmeta: {} exists; nothing was written. Choose another name, or add --force \
                     to replace it.",
                    path.display()
                );
                return ExitCode::FAILURE;
            }
        }
    }

    let size = KeySize::from_bits(args.bits).unwrap_or_default();
    let pair = match KeyPair::generate(size, &request) {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("samlmeta: {e}");
            return ExitCode::FAILURE;
        }
    };
    let encoding = match (&passphrase, args.pkcs1) {
        (Some(p), _) => KeyEncoding::EncryptedPkcs8 { passphrase: p },
        (None, true) => KeyEncoding::Pkcs1,
        (None, false) => KeyEncoding::Pkcs8,
    };
    let key_pem = match pair.private_key_pem(encoding) {
        Ok(pem) => pem,
        Err(e) => {
            eprintln!("samlmeta: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cert_pem = pair.certificate_pem();
    match write_both(
        (&args.key_out, key_pem.as_bytes()),
        (&args.cert_out, cert_pem.as_bytes()),
        args.force,
    ) {
        Ok(()) => {
            let cert = pair.certificate();
            println!(
                "wrote {} (RSA {} bits, {}) and {}",
                args.key_out.display(),
                pair.bits(),
                match encoding {
                    KeyEncoding::Pkcs8 => "PKCS#8",
                    KeyEncoding::Pkcs1 => "PKCS#1",
                    KeyEncoding::EncryptedPkcs8 { .. } => "encrypted PKCS#8",
                },
                args.cert_out.display()
            );
            println!("subject: {}", cert.subject());
            println!(
                "valid: {} to {}",
                cert.not_before().date(),
                cert.not_after().date()
            );
            println!("SHA-256 fingerprint: {}", cert.sha256_fingerprint());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("samlmeta: {e}; nothing was written.");
            ExitCode::FAILURE
        }
    }
}

/// Writes the key and the certificate, both or neither: each goes to a temporary file beside
/// its destination first (the key's created with mode 0600), then both are moved into place.
/// Without `force`, a destination that appeared meanwhile is not replaced.
fn write_both(key: (&Path, &[u8]), cert: (&Path, &[u8]), force: bool) -> Result<(), String> {
    let key_tmp = Temporary::write(key.0, key.1, true)?;
    let cert_tmp = Temporary::write(cert.0, cert.1, false)?;
    key_tmp.place(key.0, force)?;
    if let Err(e) = cert_tmp.place(cert.0, force) {
        // The key alone is no use: take it back.
        let _ = std::fs::remove_file(key.0);
        return Err(e);
    }
    Ok(())
}

/// A temporary file beside its destination, removed unless it was moved into place.
struct Temporary {
    path: PathBuf,
    placed: bool,
}

impl Temporary {
    fn write(dest: &Path, bytes: &[u8], secret: bool) -> Result<Self, String> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dest.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = secret;
        let mut file = options
            .open(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let tmp = Self {
            path,
            placed: false,
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write {}: {e}", tmp.path.display()))?;
        Ok(tmp)
    }

    fn place(mut self, dest: &Path, force: bool) -> Result<(), String> {
        let moved = if force {
            std::fs::rename(&self.path, dest)
        } else {
            // A hard link fails when the destination exists: no race with another writer.
            // Where the file system has no hard links (FAT on a USB stick), check, then move.
            match std::fs::hard_link(&self.path, dest) {
                Ok(()) => std::fs::remove_file(&self.path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
                Err(_) if dest.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
                Err(_) => std::fs::rename(&self.path, dest),
            }
        };
        moved.map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
