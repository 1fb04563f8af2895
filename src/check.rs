//! The Check view's state: what to check (a file or pasted text), whom to trust as the signer,
//! and the check itself, which the core does ([`samlmeta::message::check`]). Plain data and a
//! reducer, testable without a DOM; the view is [`crate::components::CheckView`].

use samlmeta::Certificate;
use samlmeta::connector::ConnectorValues;
use samlmeta::connector::rollover::{RolloverPlan, plan_rollover};
use samlmeta::digest::Fingerprint;
use samlmeta::dsig::verify::{Options, Trust};
use samlmeta::findings::signing_certificate;
use samlmeta::message::{Checked, DEFAULT_SKEW_SECONDS, Expectations, check, decode};
use samlmeta::time::UnixTime;
use std::rc::Rc;
use yew::Reducible;

/// Which of the page's two views is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// The builder (steps 1 to 3).
    #[default]
    Build,
    /// "Check a login or metadata".
    Check,
}

/// What is checked: the file chosen last, or the text typed or pasted last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A file, by name, with its bytes.
    File {
        /// Its name.
        name: String,
        /// Its bytes.
        bytes: Rc<Vec<u8>>,
    },
    /// The "Text to check" area.
    Text,
}

/// A certificate given as "Trusted certificate".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedCert {
    /// The file it came from.
    pub file_name: String,
    /// The certificate (a chain's leaf).
    pub cert: Certificate,
    /// Said about the file, e.g. that a key in it was not kept.
    pub note: Option<String>,
}

/// The Check view's input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckState {
    /// What is checked, if anything.
    pub subject: Option<Subject>,
    /// The "Text to check" area.
    pub text: String,
    /// Why the file to check could not be read: (file name, message).
    pub file_error: Option<(String, String)>,
    /// The "Trusted certificate".
    pub trusted: Option<TrustedCert>,
    /// Why the trusted certificate file could not be used: (file name, message).
    pub trusted_error: Option<(String, String)>,
    /// The "Trusted SHA-256 fingerprint" field.
    pub fingerprint: String,
    /// The rollover helper's "New certificate".
    pub new_cert: Option<TrustedCert>,
    /// Why the new certificate file could not be used: (file name, message).
    pub new_cert_error: Option<(String, String)>,
    /// Counts changes, so that the view recomputes the check only when something changed.
    pub revision: u64,
}

/// What can happen in the Check view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckAction {
    /// The text area changed: the text is what is checked now.
    Text(String),
    /// A file to check was read: it is what is checked now (the text area is emptied).
    File {
        /// Its name.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A file to check could not be read.
    FileFailed {
        /// Its name.
        name: String,
        /// Why.
        message: String,
    },
    /// A "Trusted certificate" file was read.
    TrustedFile {
        /// Its name.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A "Trusted certificate" file could not be read.
    TrustedFailed {
        /// Its name.
        name: String,
        /// Why.
        message: String,
    },
    /// The trusted certificate is removed.
    RemoveTrusted,
    /// The fingerprint field changed.
    Fingerprint(String),
    /// The rollover helper's "New certificate" file was read.
    NewCertFile {
        /// Its name.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// The "New certificate" file could not be read.
    NewCertFailed {
        /// Its name.
        name: String,
        /// Why.
        message: String,
    },
    /// The new certificate is removed.
    RemoveNewCert,
    /// Check the same input again (after Cancel, or a worker that stopped).
    Recheck,
    /// Everything in the view is cleared.
    Clear,
}

impl CheckState {
    /// The state after `action`.
    #[must_use]
    pub fn reduce(mut self, action: CheckAction) -> Self {
        // The rollover helper's certificate does not change the check: no new revision for it.
        match action {
            CheckAction::NewCertFile { name, bytes } => {
                read_into(&mut self.new_cert, &mut self.new_cert_error, name, &bytes);
                return self;
            }
            CheckAction::NewCertFailed { name, message } => {
                self.new_cert_error = Some((name, message));
                return self;
            }
            CheckAction::RemoveNewCert => {
                self.new_cert = None;
                self.new_cert_error = None;
                return self;
            }
            _ => {}
        }
        self.revision += 1;
        match action {
            CheckAction::Text(text) => {
                self.subject = (!text.trim().is_empty()).then_some(Subject::Text);
                self.text = text;
                self.file_error = None;
            }
            CheckAction::File { name, bytes } => {
                self.subject = Some(Subject::File {
                    name,
                    bytes: Rc::new(bytes),
                });
                self.text.clear();
                self.file_error = None;
            }
            CheckAction::FileFailed { name, message } => {
                self.file_error = Some((name, message));
            }
            CheckAction::TrustedFile { name, bytes } => {
                read_into(&mut self.trusted, &mut self.trusted_error, name, &bytes);
            }
            CheckAction::TrustedFailed { name, message } => {
                self.trusted_error = Some((name, message));
            }
            CheckAction::RemoveTrusted => {
                self.trusted = None;
                self.trusted_error = None;
            }
            CheckAction::Fingerprint(text) => self.fingerprint = text,
            CheckAction::Clear => {
                return Self {
                    revision: self.revision,
                    ..Self::default()
                };
            }
            CheckAction::Recheck
            | CheckAction::NewCertFile { .. }
            | CheckAction::NewCertFailed { .. }
            | CheckAction::RemoveNewCert => {}
        }
        self
    }

    /// The bytes to check and what to call them, if anything is to be checked.
    #[must_use]
    pub fn input(&self) -> Option<(String, &[u8])> {
        match self.subject.as_ref()? {
            Subject::File { name, bytes } => Some((format!("the file {name}"), bytes.as_slice())),
            Subject::Text => Some(("the pasted text".to_owned(), self.text.as_bytes())),
        }
    }

    /// The fingerprint typed, parsed; `Err` with what is wrong when it is not one.
    #[must_use]
    pub fn fingerprint(&self) -> Option<Result<Fingerprint, String>> {
        let text = self.fingerprint.trim();
        (!text.is_empty()).then(|| text.parse().map_err(|e| format!("{e}")))
    }
}

impl Reducible for CheckState {
    type Action = CheckAction;

    fn reduce(self: Rc<Self>, action: CheckAction) -> Rc<Self> {
        Rc::new((*self).clone().reduce(action))
    }
}

/// Reads a certificate file into `place` ("Trusted certificate" or "New certificate"): the
/// certificate replaces what was there and the error is cleared, or the error is set and the
/// certificate already there stays.
fn read_into(
    place: &mut Option<TrustedCert>,
    error: &mut Option<(String, String)>,
    name: String,
    bytes: &[u8],
) {
    match trusted_certificate(bytes) {
        Ok((cert, note)) => {
            *place = Some(TrustedCert {
                file_name: name,
                cert,
                note,
            });
            *error = None;
        }
        Err(message) => *error = Some((name, message)),
    }
}

/// The certificate of a "Trusted certificate" file (a chain's leaf). A private key in the same
/// file is not kept (it is wiped as the file's contents are dropped), and the note says so.
fn trusted_certificate(bytes: &[u8]) -> Result<(Certificate, Option<String>), String> {
    let contents = samlmeta::read(bytes, None).map_err(|e| e.to_string())?;
    let had_key = contents.key.is_some();
    let contents = contents.require_certificate().map_err(|e| e.to_string())?;
    let cert = signing_certificate(None, &contents.certificates)
        .cloned()
        .ok_or_else(|| "No certificate in this file can sign.".to_owned())?;
    let note = had_key.then(|| {
        "This file also holds a private key: only its certificate is used here, and the key was \
         not kept. Checking never needs a private key."
            .to_owned()
    });
    Ok((cert, note))
}

/// What "Load into builder" gives the builder: IdP metadata's values and its first signing
/// certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadIntoBuilder {
    /// The values, applied to the builder's.
    pub prefill: samlmeta::connector::Prefill,
    /// The first signing certificate, as PEM, loaded into the builder's certificate input.
    pub certificate_pem: Option<String>,
}

impl LoadIntoBuilder {
    /// From a check's outcome, against the builder's `values`: `None` unless it is metadata with
    /// an IdP entity.
    #[must_use]
    pub fn from_outcome(outcome: &Outcome, values: &ConnectorValues) -> Option<Self> {
        let Ok(Checked::Metadata(m)) = &outcome.result else {
            return None;
        };
        Some(Self {
            prefill: samlmeta::connector::prefill_from_idp_metadata(m, values)?,
            certificate_pem: outcome.idp_certificates.first().map(Certificate::to_pem),
        })
    }

    /// The builder's typed values this would replace with different ones, by label.
    #[must_use]
    pub fn replaces(&self, values: &ConnectorValues) -> Vec<&'static str> {
        let new = &self.prefill.values;
        let mut out = Vec::new();
        if !values.idp_entity_id.trim().is_empty() && values.idp_entity_id != new.idp_entity_id {
            out.push("IdP Entity ID");
        }
        let typed_url = !values.idp_url_suffix.trim().is_empty() || values.sso_url.is_some();
        if typed_url && values.sso_url() != new.sso_url() {
            out.push("IdP URL");
        }
        out
    }
}

/// Where the rollover helper's new certificate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSource {
    /// The helper's "New certificate" file.
    File,
    /// The builder's signing certificate (a pair made or loaded there).
    Builder,
}

/// What "Load rollover into builder" gives the builder: IdP metadata's values, its certificate in
/// use now (first) and the new one (second), and the plan with its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRollover {
    /// The values, applied to the builder's (as "Load into builder" does).
    pub prefill: samlmeta::connector::Prefill,
    /// The plan: its `current` becomes IdP Certificate, its `new` the Second signing certificate.
    pub plan: RolloverPlan,
    /// Where the new certificate came from.
    pub source: NewSource,
}

impl LoadRollover {
    /// From a check's outcome: `None` unless it is IdP metadata with a signing certificate and a
    /// new certificate is given (the helper's file first, else the builder's certificate when it
    /// is not the metadata's).
    #[must_use]
    pub fn from_outcome(
        outcome: &Outcome,
        state: &CheckState,
        builder_cert: Option<&Certificate>,
        values: &ConnectorValues,
        now: UnixTime,
    ) -> Option<Self> {
        let load = LoadIntoBuilder::from_outcome(outcome, values)?;
        let current = outcome.idp_certificates.first()?;
        let (new, source) = match (&state.new_cert, builder_cert) {
            (Some(t), _) => (&t.cert, NewSource::File),
            (None, Some(cert)) if !outcome.idp_certificates.contains(cert) => {
                (cert, NewSource::Builder)
            }
            _ => return None,
        };
        let preset = load.prefill.values.preset;
        Some(Self {
            plan: plan_rollover(current, new, now, preset),
            prefill: load.prefill,
            source,
        })
    }
}

impl LoadRollover {
    /// The builder's typed values the rollover's values would replace, by label.
    #[must_use]
    pub fn prefill_replaces(&self, values: &ConnectorValues) -> Vec<&'static str> {
        LoadIntoBuilder {
            prefill: self.prefill.clone(),
            certificate_pem: None,
        }
        .replaces(values)
    }
}

/// Whose signature the check accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustUsed {
    /// The "Trusted certificate" file.
    File {
        /// Its file name.
        file_name: String,
        /// Its subject.
        subject: String,
        /// Its SHA-256 fingerprint.
        sha256: String,
    },
    /// The "Trusted SHA-256 fingerprint".
    Fingerprint(String),
    /// The builder's signing certificate.
    Builder {
        /// Its subject.
        subject: String,
        /// Its SHA-256 fingerprint.
        sha256: String,
    },
    /// None given: only the certificate inside the document.
    Embedded,
}

/// A check done: of what, trusting whom, and what the core found (or why it could not check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What was checked, in words ("the pasted text", "the file response.txt").
    pub source: String,
    /// The signer trusted.
    pub trust: TrustUsed,
    /// How the input was encoded (`xml`, `base64`, ...), once decoded.
    pub encoding: Option<&'static str>,
    /// The core's check, or why there is none, in words.
    pub result: Result<Checked, String>,
    /// For IdP metadata: its signing certificates, in document order (what "Load into builder"
    /// loads).
    pub idp_certificates: Vec<Certificate>,
}

/// Checks what `state` holds against the builder's values at time `now`, trusting (in this
/// order) the "Trusted certificate", the "Trusted SHA-256 fingerprint", the builder's
/// certificate, or else only the certificate inside the document. `None` when there is nothing
/// to check.
#[must_use]
pub fn run(
    state: &CheckState,
    builder_cert: Option<&Certificate>,
    values: &ConnectorValues,
    now: UnixTime,
) -> Option<Outcome> {
    let (source, bytes) = state.input()?;
    Some(run_input(source, bytes, state, builder_cert, values, now))
}

/// [`run`] on `bytes` called `source`, trusting as `state` says: what the background worker
/// runs for a large input ([`crate::wire::CheckRequest`]).
#[must_use]
pub fn run_input(
    source: String,
    bytes: &[u8],
    state: &CheckState,
    builder_cert: Option<&Certificate>,
    values: &ConnectorValues,
    now: UnixTime,
) -> Outcome {
    let mut expected = Expectations::from_connector(values);
    let fingerprint = state.fingerprint().and_then(Result::ok);
    let (trust, used) = if let Some(t) = &state.trusted {
        (
            Trust::Certificate(Box::new(t.cert.clone())),
            TrustUsed::File {
                file_name: t.file_name.clone(),
                subject: t.cert.subject(),
                sha256: t.cert.sha256_fingerprint().to_string(),
            },
        )
    } else if let Some(fp) = fingerprint {
        (
            Trust::Fingerprint(fp),
            TrustUsed::Fingerprint(fp.to_string()),
        )
    } else if let Some(cert) = builder_cert {
        (
            Trust::Certificate(Box::new(cert.clone())),
            TrustUsed::Builder {
                subject: cert.subject(),
                sha256: cert.sha256_fingerprint().to_string(),
            },
        )
    } else {
        (Trust::Embedded, TrustUsed::Embedded)
    };
    expected.certificate = match &trust {
        Trust::Certificate(cert) => Some(cert.sha256_fingerprint()),
        Trust::Fingerprint(fp) => Some(*fp),
        _ => None,
    };
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            return Outcome {
                source,
                trust: used,
                encoding: None,
                result: Err(e.to_string()),
                idp_certificates: Vec::new(),
            };
        }
    };
    let result = check(
        &decoded,
        &Options::new(trust),
        &expected,
        now,
        DEFAULT_SKEW_SECONDS,
    )
    .map_err(|e| e.to_string());
    let idp_certificates = match &result {
        Ok(Checked::Metadata(_)) => samlmeta::metadata::read_idp_signers(&decoded.xml)
            .map(|s| s.certificates)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Outcome {
        source,
        trust: used,
        encoding: Some(decoded.encoding.as_str()),
        result,
        idp_certificates,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
mod tests {
    use super::*;

    const CERT: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/cert.pem");
    const OTHER: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/other.cert.pem");
    const COMBINED: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/combined.pem");
    const METADATA: &str = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#;

    fn now() -> UnixTime {
        UnixTime::parse_rfc3339("2026-12-01T10:00:00Z").unwrap()
    }

    fn cert(pem: &[u8]) -> Certificate {
        samlmeta::read(pem, None).unwrap().certificates.remove(0)
    }

    fn text(s: &str) -> CheckState {
        CheckState::default().reduce(CheckAction::Text(s.to_owned()))
    }

    #[test]
    fn the_last_input_given_is_what_is_checked() {
        let s = text("<a/>");
        assert_eq!(s.input().unwrap().0, "the pasted text");
        let s = s.reduce(CheckAction::File {
            name: "response.txt".to_owned(),
            bytes: b"PHNhbWw+".to_vec(),
        });
        assert_eq!(
            s.input().unwrap(),
            ("the file response.txt".to_owned(), &b"PHNhbWw+"[..])
        );
        assert!(s.text.is_empty(), "choosing a file empties the text area");
        let s = s.reduce(CheckAction::Text("   ".to_owned()));
        assert!(s.input().is_none(), "blank text checks nothing");
        let s = text("<a/>").reduce(CheckAction::Clear);
        assert!(s.input().is_none() && s.text.is_empty());
    }

    #[test]
    fn trust_is_the_trusted_file_then_the_fingerprint_then_the_builder() {
        let values = ConnectorValues::default();
        let builder = cert(CERT);
        let s = text(METADATA);
        let run = |s: &CheckState, b: Option<&Certificate>| run(s, b, &values, now()).unwrap();
        assert_eq!(run(&s, None).trust, TrustUsed::Embedded);
        assert!(matches!(
            run(&s, Some(&builder)).trust,
            TrustUsed::Builder { .. }
        ));

        let other = cert(OTHER).sha256_fingerprint().to_string();
        let s = s.reduce(CheckAction::Fingerprint(other.clone()));
        assert_eq!(run(&s, Some(&builder)).trust, TrustUsed::Fingerprint(other));

        let s = s.reduce(CheckAction::TrustedFile {
            name: "other.cert.pem".to_owned(),
            bytes: OTHER.to_vec(),
        });
        assert!(matches!(
            run(&s, Some(&builder)).trust,
            TrustUsed::File { ref file_name, .. } if file_name == "other.cert.pem"
        ));

        // A fingerprint that is not one is said on its field and not used.
        let s = text(METADATA).reduce(CheckAction::Fingerprint("12:34".to_owned()));
        assert!(s.fingerprint().unwrap().is_err());
        assert!(matches!(
            run(&s, Some(&builder)).trust,
            TrustUsed::Builder { .. }
        ));
    }

    #[test]
    fn a_trusted_file_with_a_key_gives_only_its_certificate() {
        let s = CheckState::default().reduce(CheckAction::TrustedFile {
            name: "combined.pem".to_owned(),
            bytes: COMBINED.to_vec(),
        });
        let t = s.trusted.unwrap();
        assert!(t.note.unwrap().contains("not kept"));
        let s = CheckState::default().reduce(CheckAction::TrustedFile {
            name: "garbage.txt".to_owned(),
            bytes: b"hello".to_vec(),
        });
        assert!(s.trusted.is_none());
        assert_eq!(s.trusted_error.unwrap().0, "garbage.txt");
    }

    #[test]
    fn the_check_is_the_cores_and_bad_input_is_said_in_words() {
        let values = ConnectorValues {
            idp_entity_id: "OtherIdP".to_owned(),
            ..ConnectorValues::default()
        };
        let outcome = run(&text(METADATA), None, &values, now()).unwrap();
        assert_eq!(outcome.encoding, Some("xml"));
        let Ok(Checked::Metadata(m)) = outcome.result else {
            panic!("{:?}", outcome.result);
        };
        assert_eq!(m.entities[0].entity_id, "KeeperSSO");
        assert!(
            m.problems
                .iter()
                .any(|p| p.code.as_str() == "entity-id-mismatch")
        );
        assert!(m.map.entries.iter().all(|e| !e.signed));

        let outcome = run(&text("not a message"), None, &values, now()).unwrap();
        assert!(outcome.encoding.is_none());
        assert!(!outcome.result.unwrap_err().is_empty());
        assert!(run(&CheckState::default(), None, &values, now()).is_none());
    }

    #[test]
    fn the_rollover_takes_the_new_file_else_the_builders_other_certificate() {
        let (current, other) = (cert(CERT), cert(OTHER));
        let values = ConnectorValues {
            idp_entity_id: "KeeperSSO".to_owned(),
            idp_url_suffix: "keepersecurity".to_owned(),
            ..ConnectorValues::default()
        };
        let xml = samlmeta::metadata::idp_xml(&values.idp_metadata(current.clone())).unwrap();
        let s = text(core::str::from_utf8(&xml).unwrap());
        let outcome = run(&s, None, &values, now()).unwrap();
        let empty = ConnectorValues::default();
        let plan = |s: &CheckState, builder: Option<&Certificate>| {
            LoadRollover::from_outcome(&outcome, s, builder, &empty, now())
        };
        // No new certificate, or the builder holds the metadata's own: nothing to roll over to.
        assert!(plan(&s, None).is_none());
        assert!(plan(&s, Some(&current)).is_none());
        // The builder's other certificate is the new one.
        let load = plan(&s, Some(&other)).unwrap();
        assert_eq!(load.source, NewSource::Builder);
        assert_eq!((&load.plan.current, &load.plan.new), (&current, &other));
        assert_eq!(load.prefill.values.idp_entity_id, "KeeperSSO");
        // A "New certificate" file wins, and does not rerun the check.
        let with_file = s.clone().reduce(CheckAction::NewCertFile {
            name: "new.pem".to_owned(),
            bytes: OTHER.to_vec(),
        });
        assert_eq!(with_file.revision, s.revision);
        let load = plan(&with_file, Some(&current)).unwrap();
        assert_eq!(load.source, NewSource::File);
        assert_eq!(load.plan.new, other);
        let bad = s.clone().reduce(CheckAction::NewCertFile {
            name: "new.pem".to_owned(),
            bytes: b"not a certificate".to_vec(),
        });
        assert!(bad.new_cert.is_none() && bad.new_cert_error.is_some());
        assert!(
            with_file
                .reduce(CheckAction::RemoveNewCert)
                .new_cert
                .is_none()
        );
    }

    #[test]
    fn load_into_builder_says_which_typed_values_it_replaces() {
        let xml = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.jumpcloud.com/saml2/keepersecurity"/></md:IDPSSODescriptor></md:EntityDescriptor>"#;
        let empty = ConnectorValues::default();
        let outcome = run(&text(xml), None, &empty, now()).unwrap();
        let load = LoadIntoBuilder::from_outcome(&outcome, &empty).unwrap();
        assert_eq!(load.prefill.values.idp_url_suffix, "keepersecurity");
        assert!(
            load.certificate_pem.is_none(),
            "no KeyDescriptor, no certificate"
        );
        assert!(load.replaces(&empty).is_empty());
        let typed = ConnectorValues {
            idp_entity_id: "OldIdP".to_owned(),
            idp_url_suffix: "keepersecurity".to_owned(),
            ..ConnectorValues::default()
        };
        assert_eq!(load.replaces(&typed), ["IdP Entity ID"]);
        let typed = ConnectorValues {
            idp_url_suffix: "other".to_owned(),
            ..typed
        };
        assert_eq!(load.replaces(&typed), ["IdP Entity ID", "IdP URL"]);
        // A Response is not metadata: nothing to load.
        let outcome = run(&text("<a/>"), None, &empty, now()).unwrap();
        assert!(LoadIntoBuilder::from_outcome(&outcome, &empty).is_none());
    }
}
