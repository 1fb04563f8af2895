//! XML Signature: signing metadata ([`signed_idp_xml`], [`signed_sp_xml`]) and verifying what is
//! signed and by whom ([`verify`]), over one table of algorithms.

mod algorithms;
mod sign;
pub mod verify;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use sign::{SignError, new_document_id, signed_idp_xml, signed_sp_xml};
