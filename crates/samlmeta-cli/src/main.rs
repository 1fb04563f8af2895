//! `samlmeta`: build, sign and check SAML 2.0 metadata from the shell.
//!
//! Exit codes: 0 success, 1 failure (the input could not be read, or a check failed), 2 usage error.

mod common;
mod inspect;
mod metadata;

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
    /// Write IdP metadata (unsigned) from the IdP's certificate and the connector values.
    Idp(Box<metadata::IdpArgs>),
    /// Write SP metadata (unsigned) from the SP's entity ID and ACS URL.
    Sp(metadata::SpArgs),
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
