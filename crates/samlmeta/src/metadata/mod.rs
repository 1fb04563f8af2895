//! SAML 2.0 metadata: the model (plain data and the rule each value follows), the writer (schema
//! order, already in exclusive-C14N form) and the reader of an SP's metadata.

mod model;
mod read;
pub(crate) use read::certificates_in;
mod write;

pub use model::{
    Binding, Contact, ContactType, IdpMetadata, InvalidMetadata, JUMPCLOUD_SSO_BASE,
    MAX_ENTITY_ID_CHARS, NAMEID_EMAIL, Organization, SpMetadata, jumpcloud_sso_url,
};
pub(crate) use model::{
    check_contacts, check_entity_id, check_name_id_format, check_organization, check_url, error,
};
pub use read::{
    IdpMetadataError, IdpSigners, MAX_SP_METADATA_BYTES, SpInfo, SpMetadataError, read_idp_signers,
    read_sp_metadata,
};
pub(crate) use write::{Written, idp_document, sp_document};
pub use write::{idp_xml, sp_xml};
