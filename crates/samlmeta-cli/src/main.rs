//! `samlmeta`: build, sign and check SAML 2.0 metadata from the shell.
//!
//! Exit codes: 0 success, 1 failure, 2 usage error.

use clap::{Parser, Subcommand};
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
