//! The namespace and transform URIs samlmeta reads and writes, each written once.

/// `md:`, SAML 2.0 metadata (saml-metadata-2.0-os §2.2).
pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// `saml:`, SAML 2.0 assertions (saml-core-2.0-os §2.1).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// `samlp:`, SAML 2.0 protocol (saml-core-2.0-os §3.1); also the value of
/// `protocolSupportEnumeration`.
pub const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// `mdui:`, the metadata UI extensions (sstc-saml-metadata-ui-v1.0 §2).
pub const MDUI: &str = "urn:oasis:names:tc:SAML:metadata:ui";
/// `ds:`, XML Signature (xmldsig-core1 §4).
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The `xml:` prefix's namespace (Namespaces in XML 1.0 §3), bound without a declaration.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Exclusive XML Canonicalization 1.0, without comments (xml-exc-c14n §3).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The enveloped-signature transform (xmldsig-core1 §6.6.4).
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
