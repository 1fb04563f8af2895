//! Input bytes → PEM blocks or DER.
//!
//! Admins hand us what their tools wrote: PEM with CRLF line ends, a UTF-8 byte order mark,
//! "Bag Attributes" or `subject=` lines around the blocks, several blocks in one file, or plain DER.
//! This module finds the blocks and decodes them with `pem-rfc7468` (RFC 7468: "Textual Encodings
//! of PKIX, PKCS, and CMS Structures"), and refuses early what can never be a key or certificate:
//! empty input, input over [`MAX_INPUT_BYTES`], UTF-16 text, and anything that is neither PEM nor
//! DER.

use core::fmt;
use zeroize::Zeroizing;

/// Key and certificate files are capped at 1 MB: real ones are a few kilobytes, and a cap keeps a
/// wrong file (a disk image, a video) from freezing the page.
pub const MAX_INPUT_BYTES: usize = 1_000_000;

/// One encoded object found in the input.
pub(crate) struct Encoded {
    /// The PEM label (`PRIVATE KEY`, `CERTIFICATE`, …), or `None` for DER input.
    pub label: Option<String>,
    /// The DER bytes (zeroized when dropped: they may be a private key).
    pub der: Zeroizing<Vec<u8>>,
}

/// The input could not be read as PEM or DER.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    /// The file is empty, or holds only white space.
    Empty,
    /// The file is larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// The file is UTF-16 text (as Windows Notepad may save it).
    Utf16,
    /// A PEM block is damaged (bad base64, a missing END line, a label that does not match).
    MalformedPem {
        /// The label on the BEGIN line.
        label: String,
        /// What the decoder found wrong.
        detail: String,
    },
    /// A PEM block uses the legacy OpenSSL encryption headers (`Proc-Type: 4,ENCRYPTED`).
    LegacyEncryptedPem {
        /// The label on the BEGIN line, e.g. `RSA PRIVATE KEY`.
        label: String,
    },
    /// Neither PEM nor DER: some other kind of file.
    Unrecognized {
        /// A short description of what it looks like, when it can be told.
        looks_like: Option<&'static str>,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "The file is empty. Choose the file itself (for example private.pem or cert.pem), \
                 not an empty copy of it.",
            ),
            Self::TooLarge { bytes } => write!(
                f,
                "The file is {bytes} bytes; keys and certificates are a few kilobytes and at most \
                 {MAX_INPUT_BYTES} bytes are read. Check that you chose the right file."
            ),
            Self::Utf16 => f.write_str(
                "The file is saved as UTF-16 text, which keys and certificates never are. Save it \
                 again as UTF-8 or ANSI (in Notepad: File > Save As > Encoding: UTF-8), or export \
                 it again from the tool that made it.",
            ),
            Self::MalformedPem { label, detail } => write!(
                f,
                "The \"{label}\" block in this file is damaged ({detail}). Copy the whole block \
                 again, from the -----BEGIN line to the -----END line, without changing it."
            ),
            Self::LegacyEncryptedPem { label } => write!(
                f,
                "This \"{label}\" is encrypted with OpenSSL's legacy PEM encryption \
                 (Proc-Type: 4,ENCRYPTED), which is weak and not supported. Convert it to an \
                 encrypted PKCS#8 key with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in private.pem \
                 -out private-pkcs8.pem (it asks for the old passphrase, then a new one)."
            ),
            Self::Unrecognized { looks_like } => {
                match looks_like {
                    Some(what) => write!(f, "This looks like {what}, not a key or certificate. ")?,
                    None => {
                        f.write_str("This file is not a key or certificate in PEM or DER form. ")?
                    }
                }
                f.write_str(
                    "A PEM file is text that starts with a line such as -----BEGIN CERTIFICATE----- \
                     or -----BEGIN PRIVATE KEY-----; choose that file.",
                )
            }
        }
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too-large",
            Self::Utf16 => "utf-16",
            Self::MalformedPem { .. } => "malformed-pem",
            Self::LegacyEncryptedPem { .. } => "legacy-pem-encryption",
            Self::Unrecognized { .. } => "unrecognized",
        }
    }
}

/// Finds the PEM blocks in `bytes`, or takes `bytes` as one DER object.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Encoded>, InputError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(bytes) {
        return Err(InputError::Utf16);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    if contains(bytes, b"-----BEGIN ") {
        return pem_blocks(bytes);
    }
    if bytes.first() == Some(&0x30) {
        // DER: a SEQUENCE. What it holds is decided by the caller.
        return Ok(vec![Encoded {
            label: None,
            der: Zeroizing::new(bytes.to_vec()),
        }]);
    }
    Err(InputError::Unrecognized {
        looks_like: looks_like(bytes),
    })
}

/// UTF-16 without a byte order mark: ASCII text with every other byte zero.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = bytes.get(..64.min(bytes.len())).unwrap_or_default();
    head.len() >= 8
        && (head.iter().step_by(2).all(|&b| b == 0)
            || head.iter().skip(1).step_by(2).all(|&b| b == 0))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn looks_like(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(bytes.get(..256.min(bytes.len())).unwrap_or_default());
    let text = text.trim_start();
    if text.starts_with("ssh-rsa ")
        || text.starts_with("ssh-ed25519 ")
        || text.starts_with("ecdsa-sha2-")
    {
        Some("an SSH public key")
    } else if text.starts_with("PuTTY-User-Key-File") {
        Some("a PuTTY key (.ppk)")
    } else if text.starts_with('<') {
        Some("an XML or HTML document")
    } else if text.starts_with('{') {
        Some("a JSON document")
    } else if bytes.starts_with(b"%PDF") {
        Some("a PDF document")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a ZIP archive (extract the key or certificate from it first)")
    } else {
        None
    }
}

/// Every `-----BEGIN X-----` … `-----END X-----` block, in order; text around them is ignored.
fn pem_blocks(bytes: &[u8]) -> Result<Vec<Encoded>, InputError> {
    // Copies of the text may hold a private key: zeroized when dropped.
    let text = Zeroizing::new(String::from_utf8_lossy(bytes).into_owned());
    let mut blocks = Vec::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = rest.get(start..).unwrap_or_default();
        let label = block
            .get("-----BEGIN ".len()..)
            .and_then(|s| s.split_once("-----"))
            .map(|(label, _)| label.trim().to_owned())
            .unwrap_or_default();
        let end_marker = format!("-----END {label}-----");
        let Some(end) = block.find(&end_marker) else {
            return Err(InputError::MalformedPem {
                label,
                detail: format!("there is no {end_marker} line"),
            });
        };
        let block_len = end + end_marker.len();
        let one = block.get(..block_len).unwrap_or_default();
        if one.contains("Proc-Type:") || one.contains("DEK-Info:") {
            return Err(InputError::LegacyEncryptedPem { label });
        }
        // An OpenSSH key is refused by its label (with the command that converts it); its body is
        // never decoded, and its 70-column lines are not RFC 7468's 64 anyway.
        if label == "OPENSSH PRIVATE KEY" {
            blocks.push(Encoded {
                label: Some(label),
                der: Zeroizing::new(Vec::new()),
            });
            rest = block.get(block_len..).unwrap_or_default();
            continue;
        }
        // pem-rfc7468 accepts LF and CRLF line ends; trailing spaces on lines are cleaned here.
        let cleaned = Zeroizing::new(
            one.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n"),
        );
        match pem_rfc7468::decode_vec(cleaned.as_bytes()) {
            Ok((decoded_label, der)) => blocks.push(Encoded {
                label: Some(decoded_label.to_owned()),
                der: Zeroizing::new(der),
            }),
            Err(e) => {
                return Err(InputError::MalformedPem {
                    label,
                    detail: e.to_string(),
                });
            }
        }
        rest = block.get(block_len..).unwrap_or_default();
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_be_pem_or_der() {
        assert_eq!(decode(b"").err(), Some(InputError::Empty));
        assert_eq!(decode(b" \r\n\t").err(), Some(InputError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF\n").err(), Some(InputError::Empty));
        assert_eq!(
            decode(&vec![b'A'; MAX_INPUT_BYTES + 1]).err(),
            Some(InputError::TooLarge {
                bytes: MAX_INPUT_BYTES + 1
            })
        );
        assert_eq!(decode(b"\xFF\xFE-\0-\0").err(), Some(InputError::Utf16));
        assert_eq!(
            decode(b"-\0-\0-\0-\0-\0B\0E\0G\0I\0N\0").err(),
            Some(InputError::Utf16)
        );
        assert_eq!(
            decode(b"ssh-rsa AAAAB3Nza me@host").err(),
            Some(InputError::Unrecognized {
                looks_like: Some("an SSH public key")
            })
        );
    }

    #[test]
    fn a_missing_end_line_is_named() {
        let err = decode(b"-----BEGIN CERTIFICATE-----\nMIIB\n").err();
        assert_eq!(
            err,
            Some(InputError::MalformedPem {
                label: "CERTIFICATE".into(),
                detail: "there is no -----END CERTIFICATE----- line".into()
            })
        );
    }

    #[test]
    fn finds_blocks_among_other_text() {
        let text = "Bag Attributes\n-----BEGIN A-----\nAQID\n-----END A-----\nsubject=x\n\
                    -----BEGIN B-----\r\nBAUG  \r\n-----END B-----\r\n";
        let blocks = decode(text.as_bytes()).unwrap();
        let got: Vec<(Option<String>, Vec<u8>)> = blocks
            .into_iter()
            .map(|b| (b.label, b.der.to_vec()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("A".to_owned()), vec![1, 2, 3]),
                (Some("B".to_owned()), vec![4, 5, 6])
            ]
        );
    }

    #[test]
    fn every_error_says_what_to_do() {
        for e in [
            InputError::Empty,
            InputError::TooLarge { bytes: 5 },
            InputError::Utf16,
            InputError::LegacyEncryptedPem {
                label: "RSA PRIVATE KEY".into(),
            },
            InputError::Unrecognized { looks_like: None },
        ] {
            let text = e.to_string();
            assert!(text.len() > 60, "{text}");
        }
    }
}
