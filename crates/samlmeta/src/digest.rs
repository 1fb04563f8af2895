//! Digests and fingerprints.
//!
//! A certificate's fingerprint is the digest of its DER encoding. SSO consoles and
//! `openssl x509 -noout -fingerprint -sha256` show it as upper-case hex pairs separated by
//! colons (`AB:CD:…`); that is the form [`Fingerprint`]'s `Display` writes and its parser reads.

use core::fmt;
use core::str::FromStr;
use sha2::{Digest, Sha256};

/// SHA-256 of `bytes` (FIPS 180-4).
#[must_use]
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// `bytes` as lower-case hex without separators, as `sha256sum` prints a digest.
#[must_use]
pub fn lower_hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            // Writing to a String cannot fail.
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A SHA-256 fingerprint: the digest of a certificate's DER bytes (or of any bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The SHA-256 fingerprint of `der`.
    #[must_use]
    pub fn sha256(der: &[u8]) -> Self {
        Self(sha256(der))
    }

    /// The 32 digest bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    /// Upper-case hex pairs joined by colons, as OpenSSL prints fingerprints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// A text could not be read as a SHA-256 fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FingerprintError {
    /// A character other than a hex digit or a separator (`:`, space, `-`) was found.
    NotHex {
        /// The offending character.
        found: char,
    },
    /// The text has the wrong number of hex digits for SHA-256.
    WrongLength {
        /// How many hex digits were found.
        digits: usize,
    },
}

impl fmt::Display for FingerprintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHex { found } => write!(
                f,
                "A SHA-256 fingerprint is made of hex digits (0-9, A-F), optionally separated by \
                 colons, but it contains {found:?}. Copy it again from \
                 `openssl x509 -noout -fingerprint -sha256 -in cert.pem`."
            ),
            Self::WrongLength { digits } => write!(
                f,
                "A SHA-256 fingerprint has 64 hex digits, but this one has {digits}. \
                 {hint}Copy it again from `openssl x509 -noout -fingerprint -sha256 -in cert.pem`.",
                hint = if *digits == 40 {
                    "40 digits is a SHA-1 fingerprint, which is too weak to identify a certificate. "
                } else {
                    ""
                }
            ),
        }
    }
}

impl std::error::Error for FingerprintError {}

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    /// Reads 64 hex digits in either case, with or without `:`, space or `-` separators, and
    /// an optional `sha256 Fingerprint=` / `SHA256:` prefix as tools print it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let text = text
            .rsplit_once('=')
            .map_or(text, |(_, value)| value)
            .trim_start_matches("SHA256:")
            .trim_start_matches("sha256:");
        let mut out = [0u8; 32];
        let mut digits = 0usize;
        for c in text.chars() {
            if matches!(c, ':' | ' ' | '-') {
                continue;
            }
            let nibble = c
                .to_digit(16)
                .ok_or(FingerprintError::NotHex { found: c })?;
            if let Some(byte) = out.get_mut(digits / 2) {
                // `nibble` < 16, so the conversion is lossless.
                let nibble = nibble as u8;
                *byte = if digits.is_multiple_of(2) {
                    nibble << 4
                } else {
                    *byte | nibble
                };
            }
            digits += 1;
        }
        if digits != 64 {
            return Err(FingerprintError::WrongLength { digits });
        }
        Ok(Self(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

    #[test]
    fn displays_like_openssl() {
        assert_eq!(Fingerprint::sha256(b"abc").to_string(), ABC);
    }

    #[test]
    fn parses_the_forms_people_paste() {
        let want = Fingerprint::sha256(b"abc");
        for text in [
            ABC.to_string(),
            ABC.to_lowercase(),
            ABC.replace(':', ""),
            ABC.replace(':', " "),
            format!("sha256 Fingerprint={ABC}\n"),
            format!("SHA256:{}", ABC.replace(':', "")),
        ] {
            assert_eq!(text.parse::<Fingerprint>(), Ok(want), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_sha256_fingerprint() {
        assert_eq!(
            "zz".parse::<Fingerprint>(),
            Err(FingerprintError::NotHex { found: 'z' })
        );
        let sha1 = "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D";
        let err = sha1.parse::<Fingerprint>().err();
        assert_eq!(err, Some(FingerprintError::WrongLength { digits: 40 }));
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("SHA-1")
        );
        let long = format!("{ABC}:00");
        assert_eq!(
            long.parse::<Fingerprint>(),
            Err(FingerprintError::WrongLength { digits: 66 })
        );
        assert_eq!(
            "".parse::<Fingerprint>(),
            Err(FingerprintError::WrongLength { digits: 0 })
        );
    }
}
