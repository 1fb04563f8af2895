//! What the subcommands share: the clock and the passphrase file.

use samlmeta::UnixTime;
use std::path::Path;
use zeroize::Zeroizing;

/// The system time: the core never reads the clock, the CLI passes it in.
pub fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    UnixTime::from_seconds(secs)
}

/// The passphrase: the file's first line, without its line end. Zeroized when dropped.
pub fn read_passphrase(path: &Path) -> Result<Zeroizing<String>, String> {
    let text = std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| format!("cannot read the passphrase file {}: {e}", path.display()))?;
    let first = text.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(first.to_owned()))
}

/// Parses `--now`: an RFC 3339 time such as `2026-12-01T09:30:00Z`.
pub fn parse_time(text: &str) -> Result<UnixTime, String> {
    UnixTime::parse_rfc3339(text)
        .ok_or_else(|| format!("{text:?} is not an RFC 3339 time such as 2026-12-01T09:30:00Z"))
}
