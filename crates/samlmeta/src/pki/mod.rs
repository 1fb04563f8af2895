//! Bytes in: PEM and DER ([`input`]), what a file holds ([`contents`]), private keys ([`key`],
//! decrypted and zeroized), certificates ([`cert`]) and PKCS#12 files; new key pairs
//! ([`generate`]).

pub mod cert;
pub mod contents;
pub mod generate;
pub mod input;
pub mod key;
mod pkcs12;
