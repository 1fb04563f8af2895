//! Runs the real `samlmeta` binary and checks its output and exit codes.

#![allow(clippy::panic)] // test helpers may fail the test loudly

use std::process::Command;

fn samlmeta(args: &[&str]) -> std::process::Output {
    match Command::new(env!("CARGO_BIN_EXE_samlmeta"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run samlmeta: {e}"),
    }
}

#[test]
fn version_prints_the_core_version_and_succeeds() {
    let out = samlmeta(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("samlmeta {}", samlmeta::VERSION)
    );
}

#[test]
fn self_test_passes() {
    let out = samlmeta(&["self-test"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("self-test passed"));
}

#[test]
fn unknown_command_is_a_usage_error() {
    let out = samlmeta(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("frobnicate"));
}

#[test]
fn no_command_is_a_usage_error() {
    let out = samlmeta(&[]);
    assert_eq!(out.status.code(), Some(2));
}
