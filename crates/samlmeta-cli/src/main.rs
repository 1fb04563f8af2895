//! `samlmeta`: build, sign and check SAML 2.0 metadata from the shell.
//!
//! Exit codes: 0 success, 1 failure (the input could not be read, or a check failed), 2 usage error,
//! and for `verify` and `check` 3: intact, but the signer is not authenticated.

mod check;
mod common;
mod inspect;
mod keygen;
mod metadata;
mod verify;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build, sign and check SAML 2.0 metadata. Nothing is sent anywhere: every step runs on
/// this machine.
#[derive(Debug, Parser)]
#[command(name = "samlmeta", version = samlmeta::VERSION, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what a key, certificate, bundle or PKCS#12 file holds, and every finding.
    ///
    /// Exit 0 when the file was read (findings may still be errors), 1 when it could not be read.
    Inspect {
        /// The file: PEM or DER key or certificate, a PEM bundle, or a .p12/.pfx file.
        file: PathBuf,
        /// A file whose first line is the passphrase of an encrypted key or PKCS#12 file.
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write IdP metadata from the IdP's certificate and the connector values; signed when
    /// --key is given.
    Idp(Box<metadata::IdpArgs>),
    /// Write SP metadata from the SP's entity ID and ACS URL; signed when the SP's own --key
    /// and --cert are given.
    Sp(metadata::SpArgs),
    /// Check the signatures of SAML metadata or a SAML message: what is signed, by which
    /// certificate, and the verdict.
    ///
    /// Exit 0: valid and signed by the certificate given with --cert or --fingerprint.
    /// Exit 3: intact, but the signer is not authenticated (no certificate given).
    /// Exit 1: altered, signed by another key, unsigned, or refused. Exit 2: usage.
    #[command(after_help = "Examples:\n  \
        samlmeta verify keepersecurity-idp-metadata.xml --cert cert.pem\n  \
        samlmeta verify response.xml --fingerprint 9F:86:D0:81:...:08 --json")]
    Verify {
        /// The XML file: metadata (EntityDescriptor, EntitiesDescriptor) or a SAML message.
        file: PathBuf,
        /// The certificate (PEM or DER) whose key must have signed.
        #[arg(long, value_name = "CERT", conflicts_with = "fingerprint")]
        cert: Option<PathBuf>,
        /// The SHA-256 fingerprint of the embedded certificate that must have signed
        /// (as `openssl x509 -noout -fingerprint -sha256` prints it; colons optional).
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
        /// Accept SHA-1 digests and RSA-SHA1 signatures (refused by default: SHA-1 is broken).
        #[arg(long)]
        allow_sha1: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Make a new RSA private key and a self-signed certificate for it (private.pem and
    /// cert.pem for the IdP), written both or neither.
    ///
    /// Exit 0: both written. Exit 1: an output file exists (without --force) or writing failed;
    /// nothing was written. Exit 2: usage.
    Keygen(keygen::KeygenArgs),
    /// Check a captured login, request or any metadata: decode it (XML, the SAMLResponse or
    /// SAMLRequest value, the form body or the URL), verify what is signed, and hold the signed
    /// values against the connector's.
    ///
    /// Exit 0: no error. Exit 1: an error (or the input cannot be decoded). Exit 3: no error, but
    /// the signer is not authenticated (give --cert, --fingerprint or --idp-metadata). Exit 2:
    /// usage.
    Check(Box<check::CheckArgs>),
    /// Run the built-in known-answer tests and report the result.
    SelfTest,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version arrive as errors too; they print to stdout and succeed.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Inspect {
            file,
            passphrase_file,
            json,
        } => inspect::run(&file, passphrase_file.as_deref(), json),
        Command::Idp(args) => metadata::idp(&args),
        Command::Sp(args) => metadata::sp(&args),
        Command::Verify {
            file,
            cert,
            fingerprint,
            allow_sha1,
            json,
        } => verify::run(&verify::VerifyArgs {
            file: &file,
            cert: cert.as_deref(),
            fingerprint: fingerprint.as_deref(),
            allow_sha1,
            json,
        }),
        Command::Keygen(args) => keygen::run(&args),
        Command::Check(args) => check::run(&args),
        Command::SelfTest => match samlmeta::self_test() {
            Ok(()) => {
                println!("self-test passed: SHA-256 matches the FIPS 180-4 examples");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("samlmeta: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
