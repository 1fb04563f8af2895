//! The page's state and the actions that change it: plain data and a reducer, no DOM.
//!
//! Every rule comes from the core: reading files ([`samlmeta::read`]), findings
//! ([`samlmeta::check`], [`ConnectorValues::findings_at`]), the metadata and its signature. The
//! reducer only decides what is shown and what is kept. It holds no private key: key files go to
//! a key ring ([`crate::keyring`], in the key worker, or on the page where no worker starts) and
//! come back as [`Action::KeyRead`] with the key's id and public half; signing is a
//! [`SignJob`] the ring answers ([`State::sign_job`], sent by the page's idle effect and by
//! Download/Copy), coming back as [`Action::Signed`]. The ring drops every key the state no
//! longer names ([`State::live_keys`]).
//!
//! The state is split by concern, like Yew's `function_todomvc`: the engine, the IdP's inputs,
//! the SP's inputs, the connector values, the output, the notices and the options.

use crate::keyring::{IdpJob, Need, Read, ReadOutcome, SignJob, SpJob};
use core::fmt;
use samlmeta::connector::{ConnectorValues, ExtraCertificates, Field};
use samlmeta::findings::{blocks_signing, signing_certificate};
use samlmeta::metadata::{Binding, SpMetadata};
use samlmeta::pki::generate::{CertificateRequest, KeySize, default_common_name};
use samlmeta::{Certificate, Finding, PublicKey, Severity, UnixTime};
use std::rc::Rc;
use yew::Reducible;
use zeroize::Zeroizing;

/// Whether the WebAssembly engine on this page works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineStatus {
    /// The known-answer self-test has not run yet.
    Starting,
    /// The self-test passed on the page.
    Ready,
    /// The self-test failed: nothing may be signed. The text says what to do.
    Broken(String),
}

/// Whether the background worker answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerStatus {
    /// Started, no answer yet.
    Starting,
    /// It answered with the same result as the page computed.
    Ready,
    /// It could not be started or answered wrongly.
    Unavailable(String),
}

/// The engine on the page and its worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// The self-test on the page.
    pub page: EngineStatus,
    /// The background worker's round trip.
    pub worker: WorkerStatus,
}

/// Every file input of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Step 1, "IdP Certificate".
    Certificate,
    /// Step 1, "IdP Private Key".
    Key,
    /// Advanced, "Second signing certificate".
    Rollover,
    /// Advanced, "Encryption certificate".
    Encryption,
    /// Step 2, "SP metadata".
    SpMetadata,
    /// Step 2, "SP private key".
    SpKey,
}

impl Slot {
    /// The input's label, as the page shows it.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Certificate => "IdP Certificate",
            Self::Key => "IdP Private Key",
            Self::Rollover => "Second signing certificate",
            Self::Encryption => "Encryption certificate",
            Self::SpMetadata => "SP metadata",
            Self::SpKey => "SP private key",
        }
    }
}

/// What a file input shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotView {
    /// The file it holds ("pasted text" for a paste).
    pub file_name: Option<String>,
    /// What was found in it, in words.
    pub summary: Option<String>,
    /// Why the file could not be used.
    pub error: Option<String>,
    /// A file dropped on this slot while it held another could not be used: it replaced
    /// nothing, and this says why (the slot still holds what it held).
    pub not_replaced: Option<String>,
}

impl SlotView {
    /// A file that was read: its name and what it holds.
    #[must_use]
    pub fn loaded(file_name: String, summary: String) -> Self {
        Self {
            file_name: Some(file_name),
            summary: Some(summary),
            error: None,
            not_replaced: None,
        }
    }

    /// A file that could not be used, and why.
    #[must_use]
    pub fn failed(file_name: String, error: String) -> Self {
        Self {
            file_name: Some(file_name),
            summary: None,
            error: Some(error),
            not_replaced: None,
        }
    }
}

/// A private key held by the key ring: its id there and its public half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    /// The key's id in the ring.
    pub id: u64,
    /// Its public half.
    pub public: Rc<PublicKey>,
}

impl KeyRef {
    /// The public half.
    #[must_use]
    pub fn public(&self) -> &PublicKey {
        &self.public
    }
}

/// An encrypted key or PKCS#12 file waiting for its passphrase, kept by the key ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    /// The slot it was dropped on.
    pub slot: Slot,
    /// Its file name.
    pub file_name: String,
    /// Its id in the key ring.
    pub id: u64,
    /// Why the last passphrase did not unlock it.
    pub error: Option<String>,
    /// A passphrase is being tried.
    pub unlocking: bool,
}

/// A file on its way to the key ring (or a passphrase being tried), until its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Names the answer.
    pub seq: u64,
    /// The slot.
    pub slot: Slot,
    /// The file's name.
    pub file_name: String,
    /// A passphrase for the locked file, not a new file.
    pub unlock: bool,
}

/// The page's traffic with the key ring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyTraffic {
    /// Files and passphrases sent, not answered yet.
    pub pending: Vec<Pending>,
    /// The highest key id any answer carried (taken or not). The ring's ids only grow, so the
    /// page's [`State::live_keys`] with this id tell the ring which keys the page has heard of
    /// and dropped, without touching one it has not heard of yet (a file read after the page
    /// last looked).
    pub seen: u64,
    /// How many keys and locked files the ring last said it holds.
    pub held: Option<usize>,
}

/// A certificate input of the advanced section: the certificate and what the input shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertSlot {
    /// The certificate read.
    pub certificate: Option<Certificate>,
    /// What the input shows.
    pub view: SlotView,
}

/// The IdP's files: step 1's certificate and key, and the advanced certificates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdpInputs {
    /// What "IdP Certificate" shows.
    pub cert_view: SlotView,
    /// What "IdP Private Key" shows.
    pub key_view: SlotView,
    /// The private key (held by the key ring).
    pub key: Option<KeyRef>,
    /// The certificates loaded (a chain possibly).
    pub certificates: Vec<Certificate>,
    /// One file filled both slots (a PKCS#12 file or a PEM bundle): removing either empties both.
    pub bundle: bool,
    /// A file waiting for its passphrase.
    pub locked: Option<Locked>,
    /// The pair made by "Generate a key pair", while it is what step 1 holds.
    pub generated: Option<Generated>,
    /// Advanced: a second signing certificate, for a key rollover.
    pub rollover: CertSlot,
    /// Advanced: the certificate SPs encrypt to.
    pub encryption: CertSlot,
}

impl IdpInputs {
    /// The certificates beside the signing one, as the core takes them.
    #[must_use]
    pub fn extra(&self) -> ExtraCertificates {
        ExtraCertificates {
            rollover: self.rollover.certificate.iter().cloned().collect(),
            encryption: self.encryption.certificate.clone(),
        }
    }
}

/// A generated pair and what has been saved of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The pair, its encrypted copy and where it was made.
    pub made: MadePair,
    /// "Download private.pem" (or the encrypted copy) was used.
    pub key_saved: bool,
    /// "Download cert.pem" was used.
    pub cert_saved: bool,
}

impl Generated {
    /// True while the key or the certificate exists only in this page.
    #[must_use]
    pub fn unsaved(&self) -> bool {
        !(self.key_saved && self.cert_saved)
    }
}

/// A pair just made, as the key ring holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadePair {
    /// The key, in the ring.
    pub key: KeyRef,
    /// The certificate.
    pub certificate: Certificate,
    /// Whether the ring holds an encrypted copy (a passphrase was given).
    pub encrypted: bool,
    /// Which engine made the key, and where ("WebCrypto in a background worker").
    pub made_by: String,
}

/// The files of a generated pair the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairFile {
    /// `private.pem`, unencrypted PKCS#8 (what JumpCloud's upload takes).
    Key,
    /// `cert.pem`.
    Certificate,
    /// `private-encrypted.pem`, for storage.
    EncryptedKey,
}

impl PairFile {
    /// The download's file name.
    #[must_use]
    pub const fn file_name(self) -> &'static str {
        match self {
            Self::Key => "private.pem",
            Self::Certificate => "cert.pem",
            Self::EncryptedKey => "private-encrypted.pem",
        }
    }
}

/// The "Generate a key pair" panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeygenForm {
    /// The panel is open.
    pub open: bool,
    /// "Key size".
    pub size: KeySize,
    /// "Common name" as typed; `None` follows the IdP Entity ID.
    pub common_name: Option<String>,
    /// "Valid for (years)" as typed.
    pub years: String,
    /// "Certificate organization (O)".
    pub organization: String,
    /// A generation in progress.
    pub running: Option<Running>,
    /// Why the last Generate did not make a pair.
    pub error: Option<String>,
}

impl Default for KeygenForm {
    fn default() -> Self {
        Self {
            open: false,
            size: KeySize::default(),
            common_name: None,
            years: DEFAULT_YEARS.to_string(),
            organization: String::new(),
            running: None,
            error: None,
        }
    }
}

/// "Valid for (years)" when untouched: three years, the 1095 days of JumpCloud's instructions.
pub const DEFAULT_YEARS: u32 = 3;
/// The longest validity offered in years (× 365 days: the core's ten-year limit).
pub const MAX_YEARS: u32 = 10;

/// A generation in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// Which Generate click this is; an answer for another is ignored.
    pub token: u64,
    /// The key size.
    pub bits: u32,
}

/// A change in the key pair panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeygenEdit {
    /// Open or close the panel.
    Open(bool),
    /// "Key size".
    Size(KeySize),
    /// "Common name".
    CommonName(String),
    /// "Valid for (years)".
    Years(String),
    /// "Certificate organization (O)".
    Organization(String),
}

/// The SP's files, for the SP metadata download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpInputs {
    /// What "SP metadata" shows.
    pub metadata_view: SlotView,
    /// The SP's certificates, from its metadata or its key file.
    pub certificates: Vec<Certificate>,
    /// The SP's own private key, to sign the SP metadata (never the IdP's), in the key ring.
    pub key: Option<KeyRef>,
    /// What "SP private key" shows.
    pub key_view: SlotView,
}

/// The metadata as last shown in the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The XML.
    pub xml: Rc<str>,
    /// Whether it carries a signature.
    pub signed: bool,
    /// The input revision it was made from.
    pub revision: u64,
}

/// What the page made from the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The metadata's `ID`: one per page load, so re-signing keeps it.
    pub document_id: String,
    /// Bumped by every change of input; a signature is for one revision.
    pub revision: u64,
    /// The signed metadata of a revision, or why signing failed.
    pub signed: Option<(u64, Result<Rc<str>, String>)>,
    /// What the preview shows.
    pub preview: Option<Preview>,
}

/// Messages above the steps and after actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    /// A short message after Copy, Download or another action.
    pub notice: Option<String>,
    /// Notes on what a link's fragment or a settings file did not set.
    pub link_notes: Vec<String>,
    /// Where values were filled in from ("the link", "the settings file ..."), if anywhere.
    pub filled_from: Option<String>,
}

/// The user's choices about the page itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Wipe the key from the page after a download (opt-in).
    pub wipe_after_download: bool,
    /// Embedded (`#embed=1`): tell the parent frame the page's height.
    pub embed: bool,
    /// The view shown: the builder, or "Check a login or metadata" (`#check`).
    pub view: crate::check::View,
    /// The Check view has been shown: it is drawn from then on (hidden while the builder is
    /// shown, so nothing given there is lost), and not before, so start-up does not draw it.
    pub check_opened: bool,
}

/// A change to one connector value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// A field's new text (see the core's field table).
    Text(Field, String),
    /// Use a full SSO URL instead of JumpCloud's.
    UseSsoUrl(bool),
    /// Turn a binding on or off.
    Binding(Binding, bool),
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The engine and its worker.
    pub engine: Engine,
    /// The IdP's certificate, key and advanced certificates.
    pub idp: IdpInputs,
    /// The SP's metadata and key.
    pub sp: SpInputs,
    /// Step 2.
    pub values: ConnectorValues,
    /// The metadata made, signed, previewed.
    pub output: Output,
    /// Messages.
    pub notices: Notices,
    /// The page's options.
    pub options: Options,
    /// The key pair panel.
    pub keygen: KeygenForm,
    /// Files on their way to the key ring, and its answers.
    pub keys: KeyTraffic,
    /// The browser's clock, for expiry findings and validUntil.
    pub now: UnixTime,
}

/// Metadata to download or copy: ready, or to be signed by the key ring first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// The XML.
    Ready(Rc<str>),
    /// What the key ring must sign first.
    Sign(SignJob),
}

/// Why the IdP metadata (or the SP metadata) cannot be downloaded now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// The engine's self-test failed.
    Engine(String),
    /// An encrypted key waits for its passphrase.
    Locked,
    /// A file in a slot cannot be used.
    Unusable(Slot),
    /// No IdP certificate yet.
    NoCertificate,
    /// An error about the key or the certificate.
    Key(Finding),
    /// An error about a connector value.
    Value(Field, Finding),
    /// The SP's key matches none of the SP's certificates.
    SpKeyWithoutCertificate,
    /// Signing this revision failed.
    Signing(String),
}

/// The id of the input a connector value is typed or chosen in.
#[must_use]
pub const fn field_input_id(field: Field) -> &'static str {
    match field {
        Field::IdpUrlSuffix => "idp-url",
        Field::Bindings => "binding-post",
        other => other.key(),
    }
}

impl Blocker {
    /// The id of the input that fixes this, when there is one: the status links to it.
    #[must_use]
    pub const fn target(&self) -> Option<&'static str> {
        match self {
            Self::Engine(_) | Self::Signing(_) => None,
            Self::Locked => Some("passphrase"),
            Self::Unusable(Slot::Key) | Self::Key(_) => Some("idp-private-key"),
            Self::Unusable(_) | Self::NoCertificate => Some("idp-certificate"),
            Self::Value(field, _) => Some(field_input_id(*field)),
            Self::SpKeyWithoutCertificate => Some("sp-private-key"),
        }
    }
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Engine(why) | Self::Signing(why) => f.write_str(why),
            Self::Locked => f.write_str(
                "The private key is locked: enter its passphrase in step 1, or remove it to make \
                 unsigned metadata.",
            ),
            Self::Unusable(slot) => write!(
                f,
                "The file in \"{}\" cannot be used (see step 1): replace or remove it.",
                slot.label()
            ),
            Self::NoCertificate => f.write_str("Add the IdP Certificate (cert.pem) in step 1."),
            Self::Key(finding) | Self::Value(_, finding) => f.write_str(&finding.message),
            Self::SpKeyWithoutCertificate => f.write_str(
                "The SP's private key matches none of the SP's certificates: read the SP's \
                 metadata or use a file that holds its certificate too, or remove the key.",
            ),
        }
    }
}

/// The findings of one render, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checks {
    /// On the key and the certificates (empty before anything is loaded).
    pub key: Vec<Finding>,
    /// On the connector values, by field.
    pub values: Vec<(Field, Finding)>,
}

/// What can happen to the page.
#[derive(Debug)]
pub enum Action {
    /// The page's self-test finished.
    SelfTestFinished(Result<(), String>),
    /// The worker answered (or failed to).
    WorkerAnswered(Result<(), String>),
    /// A file (or pasted text) arrived in a slot that takes no key (see [`State::key_route`]),
    /// as bytes copied into wasm.
    Load {
        /// Which slot.
        slot: Slot,
        /// The file's name.
        file_name: String,
        /// Its bytes; zeroized when dropped.
        bytes: Zeroizing<Vec<u8>>,
        /// Its passphrase, when it was given with the file (the SP key).
        passphrase: Option<Zeroizing<String>>,
    },
    /// A file could not be read (too large, unreadable).
    ReadFailed {
        /// Which slot.
        slot: Slot,
        /// The file's name.
        file_name: String,
        /// Why.
        message: String,
    },
    /// A file for a key slot (or the passphrase for the locked file, `unlock`) went to the key
    /// ring.
    Reading(Pending),
    /// The key ring's answer to [`Action::Reading`] `seq`.
    KeyRead {
        /// The request's `seq`.
        seq: u64,
        /// What the file held.
        outcome: ReadOutcome,
    },
    /// How many keys and locked files the ring holds.
    KeysHeld(usize),
    /// Empty a slot.
    Remove(Slot),
    /// A connector value changed.
    Edit(Edit),
    /// The signed metadata of a revision, or why signing failed (the ring's answer to
    /// [`State::sign_job`]).
    Signed(u64, Result<Rc<str>, String>),
    /// Show the current revision in the preview.
    RefreshPreview,
    /// The clock.
    Now(UnixTime),
    /// A view was chosen in the header.
    ShowView(crate::check::View),
    /// A message after an action.
    Notice(Option<String>),
    /// Values from the page's URL fragment (at load) or a settings file; the text names which.
    Prefill(Box<samlmeta::connector::Prefill>, String),
    /// Turn the wipe-after-download option on or off.
    WipeAfterDownload(bool),
    /// A download finished; wipes the key when the option is on.
    Downloaded(String),
    /// Wipe everything: keys, certificates, values.
    ClearAll,
    /// A change in the key pair panel.
    Keygen(KeygenEdit),
    /// "Generate" was pressed and the work started (see [`State::keygen_request`]).
    GenerateStarted(Running),
    /// "Generate" was pressed, but a value cannot go into a certificate.
    GenerateRefused(String),
    /// "Cancel": the work is abandoned, step 1 stays as it was.
    CancelGenerate,
    /// The pair of generation `token`, with its encrypted copy, or why there is none.
    Generated {
        /// The Generate click it answers.
        token: u64,
        /// The pair, or why there is none.
        result: Result<Box<MadePair>, String>,
    },
    /// A file of the generated pair was downloaded.
    SavedPairFile(PairFile),
    /// The rollover helper's plan: its current certificate becomes IdP Certificate, its new one
    /// the Second signing certificate. A private key that is not the current certificate's is
    /// taken out (the metadata of step 1 is signed with the current key, or unsigned).
    LoadRollover(Box<samlmeta::connector::rollover::RolloverPlan>),
}

impl State {
    /// A fresh page: nothing loaded, `document_id` for the metadata, `now` from the clock.
    #[must_use]
    pub fn new(document_id: String, now: UnixTime) -> Self {
        Self {
            engine: Engine {
                page: EngineStatus::Starting,
                worker: WorkerStatus::Starting,
            },
            idp: IdpInputs::default(),
            sp: SpInputs::default(),
            values: ConnectorValues::default(),
            output: Output {
                document_id,
                revision: 0,
                signed: None,
                preview: None,
            },
            notices: Notices::default(),
            options: Options::default(),
            keygen: KeygenForm::default(),
            keys: KeyTraffic::default(),
            now,
        }
    }

    /// The certificate that goes into the metadata: the one matching the key, else the leaf.
    #[must_use]
    pub fn signing_certificate(&self) -> Option<&Certificate> {
        signing_certificate(
            self.idp.key.as_ref().map(KeyRef::public),
            &self.idp.certificates,
        )
    }

    /// Every finding, once: on the key and certificates, and on the values.
    #[must_use]
    pub fn checks(&self) -> Checks {
        let key = if self.idp.key.is_none() && self.idp.certificates.is_empty() {
            Vec::new()
        } else {
            samlmeta::check(
                self.idp.key.as_ref().map(KeyRef::public),
                &self.idp.certificates,
                self.now,
            )
        };
        Checks {
            key,
            values: self
                .values
                .findings_at(self.signing_certificate(), self.now),
        }
    }

    /// Why the IdP metadata cannot be downloaded now, given this render's `checks`; empty when
    /// it can.
    #[must_use]
    pub fn blockers(&self, checks: &Checks) -> Vec<Blocker> {
        let mut out = Vec::new();
        if let EngineStatus::Broken(why) = &self.engine.page {
            out.push(Blocker::Engine(why.clone()));
        }
        if self.idp.locked.is_some() {
            out.push(Blocker::Locked);
        }
        for (slot, view) in [
            (Slot::Certificate, &self.idp.cert_view),
            (Slot::Key, &self.idp.key_view),
        ] {
            if view.error.is_some() {
                out.push(Blocker::Unusable(slot));
            }
        }
        if self.idp.certificates.is_empty() && self.idp.cert_view.error.is_none() {
            out.push(Blocker::NoCertificate);
        }
        if blocks_signing(&checks.key) {
            out.extend(
                checks
                    .key
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .cloned()
                    .map(Blocker::Key),
            );
        }
        out.extend(
            checks
                .values
                .iter()
                .filter(|(_, f)| f.severity == Severity::Error)
                .map(|(field, f)| Blocker::Value(*field, f.clone())),
        );
        if let Some((revision, Err(why))) = &self.output.signed
            && *revision == self.output.revision
        {
            out.push(Blocker::Signing(why.clone()));
        }
        out
    }

    /// Whether the download will be signed (a usable key is loaded).
    #[must_use]
    pub fn will_sign(&self) -> bool {
        self.idp.key.is_some()
    }

    /// The metadata of the current values, without a signature, or why there is none.
    ///
    /// # Errors
    /// A sentence: no certificate, or the writer's first error.
    pub fn unsigned_xml(&self) -> Result<Rc<str>, String> {
        let md = self.idp_metadata()?;
        let bytes = samlmeta::metadata::idp_xml(&md).map_err(|e| e.to_string())?;
        utf8(bytes)
    }

    /// What to sign for the current values with the IdP's key: the one thing the page asks the
    /// key ring to sign for the IdP (the idle effect and Download/Copy send it; the result comes
    /// back as [`Action::Signed`]).
    ///
    /// # Errors
    /// A sentence: no key or no certificate.
    pub fn sign_job(&self) -> Result<SignJob, String> {
        let key = self
            .idp
            .key
            .as_ref()
            .ok_or_else(|| "Add the IdP Private Key (private.pem) in step 1.".to_owned())?;
        let certificate = self
            .signing_certificate()
            .ok_or_else(|| Blocker::NoCertificate.to_string())?;
        let extra = self.idp.extra();
        Ok(SignJob::Idp(Box::new(IdpJob {
            key: key.id,
            values: self.values.clone(),
            certificate: certificate.clone(),
            rollover: extra.rollover,
            encryption: extra.encryption,
            now: self.now,
            document_id: self.output.document_id.clone(),
        })))
    }

    /// The ids of every key and locked file this state holds: the key ring drops the others.
    #[must_use]
    pub fn live_keys(&self) -> Vec<u64> {
        let mut live: Vec<u64> = [
            self.idp.key.as_ref().map(|k| k.id),
            self.idp.locked.as_ref().map(|l| l.id),
            self.idp.generated.as_ref().map(|g| g.made.key.id),
            self.sp.key.as_ref().map(|k| k.id),
        ]
        .into_iter()
        .flatten()
        .collect();
        live.dedup();
        live
    }

    /// Where a file for `slot` is read: by the key ring (what its slot needs, and whether an
    /// encrypted file waits for its passphrase) for the slots that can hold a private key, by
    /// the reducer ([`Action::Load`]) for the others.
    #[must_use]
    pub const fn key_route(slot: Slot) -> Option<(Need, bool)> {
        match slot {
            Slot::Key => Some((Need::Key, true)),
            Slot::Certificate => Some((Need::Certificate, true)),
            Slot::SpKey => Some((Need::Key, false)),
            Slot::Rollover | Slot::Encryption | Slot::SpMetadata => None,
        }
    }

    /// The signature of the current revision, if it is made.
    #[must_use]
    pub fn current_signature(&self) -> Option<&Result<Rc<str>, String>> {
        self.output
            .signed
            .as_ref()
            .filter(|(revision, _)| *revision == self.output.revision)
            .map(|(_, result)| result)
    }

    /// The metadata to download or copy: signed when a key is loaded (the job to sign, if the
    /// current revision is not signed yet), unsigned otherwise. `Err` when downloads are blocked.
    ///
    /// # Errors
    /// The reasons.
    pub fn document(&self) -> Result<Document, Vec<Blocker>> {
        let blockers = self.blockers(&self.checks());
        if !blockers.is_empty() {
            return Err(blockers);
        }
        let made = if self.will_sign() {
            match self.current_signature() {
                Some(done) => done.clone().map(Document::Ready),
                None => self.sign_job().map(Document::Sign),
            }
        } else {
            self.unsigned_xml().map(Document::Ready)
        };
        made.map_err(|why| vec![Blocker::Signing(why)])
    }

    fn idp_metadata(&self) -> Result<samlmeta::metadata::IdpMetadata, String> {
        let cert = self
            .signing_certificate()
            .ok_or_else(|| Blocker::NoCertificate.to_string())?;
        Ok(self
            .values
            .idp_metadata_with(cert.clone(), &self.idp.extra(), self.now))
    }

    /// The SP metadata of the SP values: what it is built from, or why it cannot be. Cheap (no
    /// XML, no signature), so the page can ask on every render.
    fn sp_metadata(&self) -> Result<SpMetadata, Vec<Blocker>> {
        let mut problems: Vec<Blocker> = self
            .values
            .sp_findings()
            .into_iter()
            .filter(|(_, f)| f.severity == Severity::Error)
            .map(|(field, f)| Blocker::Value(field, f))
            .collect();
        let certificate = match &self.sp.key {
            // Signed with the SP's own key: the certificate is the one that matches it.
            Some(key) => {
                let matching =
                    samlmeta::findings::matching_certificate(key.public(), &self.sp.certificates);
                if matching.is_none() {
                    problems.push(Blocker::SpKeyWithoutCertificate);
                }
                matching.cloned()
            }
            None => self.sp.certificates.first().cloned(),
        };
        if problems.is_empty() {
            Ok(self.values.sp_metadata(certificate))
        } else {
            Err(problems)
        }
    }

    /// Why "Download SP metadata" is off; empty when it is on.
    #[must_use]
    pub fn sp_blockers(&self) -> Vec<Blocker> {
        self.sp_metadata().err().unwrap_or_default()
    }

    /// The SP metadata to download: signed with the SP's own key when one is loaded (never the
    /// IdP's), unsigned otherwise.
    ///
    /// # Errors
    /// The reasons.
    pub fn sp_document(&self) -> Result<Document, Vec<Blocker>> {
        let sp = self.sp_metadata()?;
        match &self.sp.key {
            Some(key) => Ok(Document::Sign(SignJob::Sp(Box::new(SpJob {
                key: key.id,
                values: self.values.clone(),
                certificate: sp.certificate,
                document_id: self.output.document_id.clone(),
            })))),
            None => samlmeta::metadata::sp_xml(&sp)
                .map_err(|e| e.to_string())
                .and_then(utf8)
                .map(Document::Ready)
                .map_err(|why| vec![Blocker::Signing(why)]),
        }
    }

    /// The state after `action`.
    #[must_use]
    pub fn apply(&self, action: Action) -> Self {
        let mut next = self.clone();
        match action {
            Action::SelfTestFinished(Ok(())) => next.engine.page = EngineStatus::Ready,
            Action::SelfTestFinished(Err(why)) => next.engine.page = EngineStatus::Broken(why),
            Action::WorkerAnswered(Ok(())) => next.engine.worker = WorkerStatus::Ready,
            Action::WorkerAnswered(Err(why)) => {
                if next.keygen.running.take().is_some() {
                    next.keygen.error = Some(format!(
                        "The background worker stopped before the key pair was made ({why}). \
                         Press Generate again."
                    ));
                }
                next.engine.worker = WorkerStatus::Unavailable(why);
                next.keys_lost();
            }
            Action::Load {
                slot,
                file_name,
                bytes,
                passphrase: _,
            } => {
                next.load(slot, file_name, &bytes);
                next.keep_unless_loaded(self, slot);
            }
            Action::Reading(pending) => {
                if pending.unlock
                    && let Some(locked) = &mut next.idp.locked
                {
                    locked.unlocking = true;
                    locked.error = None;
                }
                next.keys.pending.push(pending);
            }
            Action::KeyRead { seq, outcome } => {
                next.keys.seen = next.keys.seen.max(outcome_id(&outcome));
                let Some(index) = next.keys.pending.iter().position(|p| p.seq == seq) else {
                    // Removed or cleared meanwhile: the ring drops what it read.
                    return next;
                };
                let pending = next.keys.pending.remove(index);
                if pending.unlock {
                    if next.idp.locked.take().is_some() {
                        next.apply_read(pending.slot, pending.file_name, outcome);
                        next.changed();
                    }
                } else {
                    next.apply_read(pending.slot, pending.file_name, outcome);
                    let before = Self {
                        keys: next.keys.clone(),
                        ..self.clone()
                    };
                    next.keep_unless_loaded(&before, pending.slot);
                }
            }
            Action::KeysHeld(count) => next.keys.held = Some(count),
            Action::ReadFailed {
                slot,
                file_name,
                message,
            } => {
                next.empty(slot);
                *next.view_mut(slot) = SlotView::failed(file_name, message);
                next.keep_unless_loaded(self, slot);
            }
            Action::Remove(slot) => {
                next.keys.pending.retain(|p| p.slot != slot);
                next.empty(slot);
                next.changed();
            }
            Action::Edit(edit) => {
                next.edit(edit);
                if next.values != self.values {
                    next.changed();
                }
            }
            Action::Signed(revision, result) => {
                if revision == next.output.revision && next.will_sign() {
                    next.output.signed = Some((revision, result));
                    next.refresh_preview();
                }
            }
            Action::RefreshPreview => next.refresh_preview(),
            Action::Now(now) => next.now = now,
            Action::ShowView(view) => {
                next.options.view = view;
                next.options.check_opened |= view == crate::check::View::Check;
            }
            Action::Notice(notice) => next.notices.notice = notice,
            Action::Prefill(prefill, source) => {
                let prefill = *prefill;
                next.notices.filled_from = (!prefill.applied.is_empty()).then_some(source);
                next.values = prefill.values;
                next.notices.link_notes = prefill.notes;
                next.options.embed = next.options.embed || prefill.embed;
                if prefill.check {
                    next.options.view = crate::check::View::Check;
                    next.options.check_opened = true;
                }
                next.changed();
            }
            Action::WipeAfterDownload(on) => next.options.wipe_after_download = on,
            Action::Downloaded(notice) => {
                if next.options.wipe_after_download && next.idp.key.is_some() {
                    next.empty(Slot::Key);
                    next.changed();
                    next.notices.notice = Some(format!(
                        "{notice} The private key was wiped from this page, as you asked."
                    ));
                } else {
                    next.notices.notice = Some(notice);
                }
            }
            Action::Keygen(edit) => {
                let form = &mut next.keygen;
                match edit {
                    KeygenEdit::Open(open) => form.open = open,
                    KeygenEdit::Size(size) => form.size = size,
                    KeygenEdit::CommonName(cn) => form.common_name = Some(cn),
                    KeygenEdit::Years(years) => form.years = years,
                    KeygenEdit::Organization(o) => form.organization = o,
                }
            }
            Action::GenerateStarted(running) => {
                next.keygen.error = None;
                next.keygen.running = Some(running);
            }
            Action::GenerateRefused(why) => next.keygen.error = Some(why),
            Action::CancelGenerate => next.keygen.running = None,
            Action::Generated { token, result } => {
                if let Ok(made) = &result {
                    next.keys.seen = next.keys.seen.max(made.key.id);
                }
                if next.keygen.running.as_ref().map(|r| r.token) != Some(token) {
                    // Cancelled, or superseded: the ring drops the key.
                    return next;
                }
                next.keygen.running = None;
                match result {
                    Ok(made) => {
                        next.place_generated(*made);
                        next.changed();
                    }
                    Err(why) => next.keygen.error = Some(why),
                }
            }
            Action::SavedPairFile(file) => {
                if let Some(generated) = &mut next.idp.generated {
                    match file {
                        PairFile::Key | PairFile::EncryptedKey => generated.key_saved = true,
                        PairFile::Certificate => generated.cert_saved = true,
                    }
                }
                next.notices.notice = Some(format!("Saved {}.", file.file_name()));
            }
            Action::LoadRollover(plan) => {
                next.changed();
                next.load_rollover(*plan);
            }
            Action::ClearAll => {
                let mut fresh = Self::new(next.output.document_id.clone(), next.now);
                fresh.engine = next.engine.clone();
                fresh.output.revision = next.output.revision + 1;
                fresh.options = next.options;
                fresh.keys.seen = next.keys.seen;
                fresh.notices.notice = Some(
                    "Cleared: the key, the certificate and every value were removed from this page."
                        .to_owned(),
                );
                next = fresh;
            }
        }
        next
    }

    /// The key worker stopped: the keys and locked files it held, and the files on their way
    /// to it, are gone; the slots say so, and the page's own ring takes the next ones.
    fn keys_lost(&mut self) {
        let lost = !self.live_keys().is_empty() || !self.keys.pending.is_empty();
        if !lost {
            return;
        }
        let gone = "The background worker that held this key stopped: add the file again.";
        for pending in core::mem::take(&mut self.keys.pending) {
            self.empty(pending.slot);
            *self.view_mut(pending.slot) = SlotView::failed(pending.file_name, gone.to_owned());
        }
        for (slot, held) in [
            (Slot::Key, self.idp.key.is_some()),
            (Slot::SpKey, self.sp.key.is_some()),
        ] {
            if held {
                let file_name = self.view(slot).file_name.clone().unwrap_or_default();
                self.empty(slot);
                *self.view_mut(slot) = SlotView::failed(file_name, gone.to_owned());
            }
        }
        if let Some(locked) = self.idp.locked.take() {
            self.empty(locked.slot);
            *self.view_mut(locked.slot) = SlotView::failed(locked.file_name, gone.to_owned());
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.output.revision += 1;
        self.notices.notice = None;
    }

    fn refresh_preview(&mut self) {
        let signed = match (self.will_sign(), self.current_signature()) {
            (true, Some(Ok(xml))) => Some(Rc::clone(xml)),
            _ => None,
        };
        let revision = self.output.revision;
        self.output.preview = match signed {
            Some(xml) => Some(Preview {
                xml,
                signed: true,
                revision,
            }),
            None => self.unsigned_xml().ok().map(|xml| Preview {
                xml,
                signed: false,
                revision,
            }),
        };
    }

    /// Nothing is lost to a bad file: when the file just given to `slot` could not be used and
    /// the slot held something `before`, the page stays as it was `before` (keys, certificates,
    /// values, other slots and the signed output alike) and the slot says why the file replaced
    /// nothing. Otherwise the inputs changed.
    fn keep_unless_loaded(&mut self, before: &Self, slot: Slot) {
        let view = self.view(slot);
        let rejected = view
            .error
            .clone()
            .zip(view.file_name.clone())
            .filter(|_| before.holds(slot));
        match rejected {
            Some((error, file_name)) => {
                *self = before.clone();
                self.view_mut(slot).not_replaced =
                    Some(format!("Not replaced by {file_name}: {error}"));
            }
            None => self.changed(),
        }
    }

    /// Whether `slot` holds a file that was read (or one waiting for its passphrase).
    fn holds(&self, slot: Slot) -> bool {
        let view = self.view(slot);
        view.file_name.is_some() && view.error.is_none()
    }

    fn view(&self, slot: Slot) -> &SlotView {
        match slot {
            Slot::Certificate => &self.idp.cert_view,
            Slot::Key => &self.idp.key_view,
            Slot::Rollover => &self.idp.rollover.view,
            Slot::Encryption => &self.idp.encryption.view,
            Slot::SpMetadata => &self.sp.metadata_view,
            Slot::SpKey => &self.sp.key_view,
        }
    }

    fn view_mut(&mut self, slot: Slot) -> &mut SlotView {
        match slot {
            Slot::Certificate => &mut self.idp.cert_view,
            Slot::Key => &mut self.idp.key_view,
            Slot::Rollover => &mut self.idp.rollover.view,
            Slot::Encryption => &mut self.idp.encryption.view,
            Slot::SpMetadata => &mut self.sp.metadata_view,
            Slot::SpKey => &mut self.sp.key_view,
        }
    }

    /// Empties a slot and what it brought. A bundle that filled both IdP slots empties both.
    fn empty(&mut self, slot: Slot) {
        if self.idp.locked.as_ref().is_some_and(|l| l.slot == slot) {
            self.idp.locked = None;
        }
        match slot {
            Slot::Certificate | Slot::Key => {
                // The generated pair goes with either half: step 1 no longer holds it.
                self.idp.generated = None;
                let both = self.idp.bundle;
                if slot == Slot::Key || both {
                    self.idp.key = None;
                    self.idp.key_view = SlotView::default();
                }
                if slot == Slot::Certificate || both {
                    self.idp.certificates.clear();
                    self.idp.cert_view = SlotView::default();
                }
                self.idp.bundle = false;
            }
            Slot::Rollover => self.idp.rollover = CertSlot::default(),
            Slot::Encryption => self.idp.encryption = CertSlot::default(),
            Slot::SpMetadata => {
                self.sp.metadata_view = SlotView::default();
                self.sp.certificates.clear();
            }
            Slot::SpKey => {
                self.sp.key = None;
                self.sp.key_view = SlotView::default();
            }
        }
    }

    fn edit(&mut self, edit: Edit) {
        let v = &mut self.values;
        match edit {
            // The page offers only what the field takes (a select, a checkbox) or free text, so
            // a refusal leaves the value as it was.
            Edit::Text(field, text) => {
                let _ = v.set(field, &text);
            }
            Edit::UseSsoUrl(on) => {
                v.sso_url = match (on, v.sso_url.take()) {
                    (true, Some(url)) => Some(url),
                    (true, None) => Some(String::new()),
                    (false, _) => None,
                };
            }
            Edit::Binding(binding, on) => {
                // Keep the order the metadata writes them in: Redirect, then POST.
                let wanted = |b: Binding| {
                    if b == binding {
                        on
                    } else {
                        v.bindings.contains(&b)
                    }
                };
                v.bindings = [Binding::HttpRedirect, Binding::HttpPost]
                    .into_iter()
                    .filter(|b| wanted(*b))
                    .collect();
            }
        }
    }

    /// The common name the panel shows: as typed, or the one the IdP Entity ID suggests.
    #[must_use]
    pub fn keygen_common_name(&self) -> String {
        self.keygen
            .common_name
            .clone()
            .unwrap_or_else(|| default_common_name(&self.values.idp_entity_id))
    }

    /// What "Generate" asks for: the size and the certificate's subject and validity, checked
    /// by the core before any key is made.
    ///
    /// # Errors
    /// A sentence naming the panel's field to fix.
    pub fn keygen_request(&self) -> Result<(KeySize, CertificateRequest), String> {
        let years = self
            .keygen
            .years
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|y| (1..=MAX_YEARS).contains(y))
            .ok_or_else(|| {
                format!("\"Valid for (years)\" must be a whole number from 1 to {MAX_YEARS}.")
            })?;
        let mut request = CertificateRequest::new(self.keygen_common_name(), self.now);
        request.days = years * 365;
        let organization = self.keygen.organization.trim();
        if !organization.is_empty() {
            request.organization = Some(organization.to_owned());
        }
        request.check().map_err(|e| e.to_string())?;
        Ok((self.keygen.size, request))
    }

    /// Step 1 takes a generated pair: the key and certificate slots hold it.
    fn place_generated(&mut self, made: MadePair) {
        self.empty(Slot::Key);
        self.empty(Slot::Certificate);
        let cert = made.certificate.clone();
        self.idp.key_view = SlotView::loaded(
            PairFile::Key.file_name().to_owned(),
            format!(
                "RSA {} bits, made in this page; not saved until you download it",
                made.key.public().bits()
            ),
        );
        self.idp.cert_view = SlotView::loaded(
            PairFile::Certificate.file_name().to_owned(),
            format!("made in this page: {}", certificate_summary(&cert)),
        );
        self.idp.key = Some(made.key.clone());
        self.idp.certificates = vec![cert];
        self.idp.generated = Some(Generated {
            made,
            key_saved: false,
            cert_saved: false,
        });
    }

    /// [`Action::LoadRollover`].
    fn load_rollover(&mut self, plan: samlmeta::connector::rollover::RolloverPlan) {
        let keeps_key = self.idp.key.as_ref().is_some_and(|k| {
            samlmeta::findings::matching_certificate(
                k.public(),
                core::slice::from_ref(&plan.current),
            )
            .is_some()
        });
        let had_key = self.idp.key.is_some() || self.idp.locked.is_some();
        if self
            .idp
            .locked
            .as_ref()
            .is_some_and(|l| matches!(l.slot, Slot::Certificate | Slot::Key))
        {
            self.idp.locked = None;
        }
        self.idp.generated = None;
        self.idp.bundle = false;
        if !keeps_key {
            self.idp.key = None;
            self.idp.key_view = SlotView::default();
        }
        self.idp.cert_view = SlotView::loaded(
            "the IdP metadata".to_owned(),
            format!("in use now: {}", certificate_summary(&plan.current)),
        );
        self.idp.certificates = vec![plan.current.clone()];
        self.idp.rollover = CertSlot {
            view: SlotView::loaded(
                "the new certificate".to_owned(),
                certificate_summary(&plan.new),
            ),
            certificate: Some(plan.new),
        };
        let key = match (keeps_key, had_key) {
            (true, _) => {
                " The private key in step 1 is the current certificate's: the metadata is signed with it."
            }
            (false, true) => {
                " The private key that was in step 1 is not the current certificate's, so it was taken out: add the current private.pem to sign, or download the metadata unsigned."
            }
            (false, false) => {
                " Add the current private.pem to sign the metadata, or download it unsigned."
            }
        };
        self.notices.notice = Some(format!(
            "Rollover loaded: IdP Certificate is the certificate in use now, Second signing certificate the new one.{key}"
        ));
    }

    /// The rollover plan when a second signing certificate is loaded: from the signing
    /// certificate to it, with its dates.
    #[must_use]
    pub fn rollover_plan(&self) -> Option<samlmeta::connector::rollover::RolloverPlan> {
        let current = self.signing_certificate()?;
        let new = self.idp.rollover.certificate.as_ref()?;
        Some(samlmeta::connector::rollover::plan_rollover(
            current,
            new,
            self.now,
            self.values.preset,
        ))
    }

    /// Reads `bytes` into `slot`, one that takes no key (the key ring reads the others).
    fn load(&mut self, slot: Slot, file_name: String, bytes: &[u8]) {
        match slot {
            Slot::Rollover | Slot::Encryption => {
                let target = if slot == Slot::Rollover {
                    &mut self.idp.rollover
                } else {
                    &mut self.idp.encryption
                };
                *target = match read_certificate(bytes) {
                    Ok(cert) => CertSlot {
                        view: SlotView::loaded(file_name, certificate_summary(&cert)),
                        certificate: Some(cert),
                    },
                    Err(why) => CertSlot {
                        certificate: None,
                        view: SlotView::failed(file_name, why),
                    },
                };
            }
            Slot::SpMetadata => match samlmeta::metadata::read_sp_metadata(bytes) {
                Ok(info) => {
                    let filled: Vec<&str> = self
                        .values
                        .fill_from_sp_metadata(&info)
                        .into_iter()
                        .map(Field::label)
                        .collect();
                    let summary = format!(
                        "filled {}{}",
                        filled.join(" and "),
                        match info.certificates.len() {
                            0 => String::new(),
                            1 => "; the SP's certificate goes into the SP metadata".to_owned(),
                            n => format!("; the SP's {n} certificates go into the SP metadata"),
                        }
                    );
                    self.sp.certificates = info.certificates;
                    self.sp.metadata_view = SlotView::loaded(file_name, summary);
                }
                Err(e) => {
                    self.sp.certificates.clear();
                    self.sp.metadata_view = SlotView::failed(file_name, e.to_string());
                }
            },
            Slot::Certificate | Slot::Key | Slot::SpKey => {
                *self.view_mut(slot) = SlotView::failed(
                    file_name,
                    "This file was not sent to the key worker; drop it again.".to_owned(),
                );
            }
        }
    }

    /// The key ring's answer for `slot`: step 1's slots fill (a file holding both a key and
    /// certificates fills both) or wait for a passphrase; the SP key is checked against the
    /// IdP's.
    fn apply_read(&mut self, slot: Slot, file_name: String, outcome: ReadOutcome) {
        if slot == Slot::SpKey {
            self.sp.key = None;
            self.sp.key_view = match outcome {
                ReadOutcome::Read(read) => match self.sp_key(*read) {
                    Ok((key, summary)) => {
                        self.sp.key = Some(key);
                        SlotView::loaded(file_name, summary)
                    }
                    Err(why) => SlotView::failed(file_name, why),
                },
                ReadOutcome::Locked { error, .. } => SlotView::failed(
                    file_name,
                    error.unwrap_or_else(|| {
                        "This key is encrypted: give its passphrase with the file.".to_owned()
                    }),
                ),
                ReadOutcome::Failed(why) => SlotView::failed(file_name, why),
            };
            return;
        }
        match outcome {
            ReadOutcome::Read(read) => self.place(slot, file_name, *read),
            ReadOutcome::Locked { id, error: None } => {
                self.empty(slot);
                *self.view_mut(slot) = SlotView::loaded(
                    file_name.clone(),
                    "Encrypted: enter its passphrase below to unlock it.".to_owned(),
                );
                self.idp.locked = Some(Locked {
                    slot,
                    file_name,
                    id,
                    error: None,
                    unlocking: false,
                });
            }
            ReadOutcome::Locked { id, error } => {
                // Keep it locked, say why.
                self.idp.locked = Some(Locked {
                    slot,
                    file_name,
                    id,
                    error,
                    unlocking: false,
                });
            }
            ReadOutcome::Failed(why) => {
                self.empty(slot);
                *self.view_mut(slot) = SlotView::failed(file_name, why);
            }
        }
    }

    /// The SP's key as the ring read it; refuses the IdP's own key. Its certificates join the
    /// SP's.
    fn sp_key(&mut self, read: Read) -> Result<(KeyRef, String), String> {
        let Read {
            key,
            certificates,
            summary,
        } = read;
        let (id, public) = key.ok_or_else(|| "No private key in this file.".to_owned())?;
        if self
            .idp
            .key
            .as_ref()
            .is_some_and(|k| !k.public().der().is_empty() && k.public().der() == public.der())
        {
            return Err(
                "This is the IdP's private key. SP metadata is signed with the service provider's \
                 own key, never the IdP's."
                    .to_owned(),
            );
        }
        for cert in certificates.into_iter().rev() {
            if !self.sp.certificates.contains(&cert) {
                self.sp.certificates.insert(0, cert);
            }
        }
        Ok((
            KeyRef {
                id,
                public: Rc::new(public),
            },
            summary,
        ))
    }

    fn place(&mut self, slot: Slot, file_name: String, read: Read) {
        let Read {
            key,
            certificates,
            mut summary,
        } = read;
        let key = key.map(|(id, public)| KeyRef {
            id,
            public: Rc::new(public),
        });
        if let Some(cert) = signing_certificate(key.as_ref().map(KeyRef::public), &certificates) {
            summary = format!("{summary}; {}", certificate_summary(cert));
        }
        let view = SlotView::loaded(file_name, summary);
        let fills_key = key.is_some();
        let fills_certs = !certificates.is_empty();
        // What this file replaces is dropped (and a replaced key dropped by the ring).
        if self.idp.locked.as_ref().is_some_and(|l| l.slot == slot) {
            self.idp.locked = None;
        }
        self.idp.bundle = fills_key && fills_certs;
        self.idp.generated = None;
        if fills_key {
            self.idp.key = key;
            self.idp.key_view = view.clone();
        }
        if fills_certs {
            self.idp.certificates = certificates;
            self.idp.cert_view = view;
        }
    }
}

/// The key or locked file id an answer carries (0 for none).
fn outcome_id(outcome: &ReadOutcome) -> u64 {
    match outcome {
        ReadOutcome::Read(read) => read.key.as_ref().map_or(0, |(id, _)| *id),
        ReadOutcome::Locked { id, .. } => *id,
        ReadOutcome::Failed(_) => 0,
    }
}

/// "CN=..., valid until YYYY-MM-DD".
fn certificate_summary(cert: &Certificate) -> String {
    format!(
        "{}, valid until {}",
        cert.subject(),
        cert.not_after().date()
    )
}

/// The end-entity certificate of a file, or why there is none.
fn read_certificate(bytes: &[u8]) -> Result<Certificate, String> {
    let contents = samlmeta::read(bytes, None)
        .and_then(samlmeta::Contents::require_certificate)
        .map_err(|e| e.to_string())?;
    signing_certificate(None, &contents.certificates)
        .cloned()
        .ok_or_else(|| "No certificate in this file.".to_owned())
}

fn utf8(bytes: Vec<u8>) -> Result<Rc<str>, String> {
    String::from_utf8(bytes)
        .map(Rc::from)
        .map_err(|_| "The metadata is not UTF-8 text.".to_owned())
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
mod tests {
    use super::*;
    use crate::keyring::{KeyRing, ReadFile};
    use samlmeta::dsig::verify::{Options, Trust, verify};
    use samlmeta::pki::generate::KeyPair;
    use std::cell::{Cell, RefCell};

    thread_local! {
        /// The key ring the page's key worker would hold, for this test's thread.
        static RING: RefCell<KeyRing> = RefCell::new(KeyRing::new());
        static SEQ: Cell<u64> = const { Cell::new(0) };
    }

    fn next_seq() -> u64 {
        SEQ.with(|seq| {
            seq.set(seq.get() + 1);
            seq.get()
        })
    }

    /// What the key ring answers to `job`.
    fn ring_sign(job: &SignJob) -> Result<Rc<str>, String> {
        RING.with(|ring| ring.borrow_mut().sign(job)).map(Rc::from)
    }

    /// The metadata Download saves, signed by the ring when it must be.
    fn doc(state: &State) -> Rc<str> {
        match state.document().unwrap() {
            Document::Ready(xml) => xml,
            Document::Sign(job) => ring_sign(&job).unwrap(),
        }
    }

    /// The SP metadata "Download SP metadata" saves.
    fn sp_doc(state: &State) -> Rc<str> {
        match state.sp_document().unwrap() {
            Document::Ready(xml) => xml,
            Document::Sign(job) => ring_sign(&job).unwrap(),
        }
    }

    /// What the page's Unlock does: the passphrase goes to the ring, its answer comes back.
    fn unlock(state: &State, passphrase: &str) -> State {
        let locked = state.idp.locked.clone().unwrap();
        let seq = next_seq();
        let (need, _) = State::key_route(locked.slot).unwrap();
        let s = state.apply(Action::Reading(Pending {
            seq,
            slot: locked.slot,
            file_name: locked.file_name,
            unlock: true,
        }));
        assert!(s.idp.locked.as_ref().unwrap().unlocking);
        let outcome = RING.with(|ring| ring.borrow_mut().unlock(locked.id, passphrase, need));
        s.apply(Action::KeyRead { seq, outcome })
    }

    const CERT: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/cert.pem");
    const KEY: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/pkcs8.pem");
    const COMBINED: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/combined.pem");
    const OTHER_KEY: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/other.key.pem");
    const EC_KEY: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/ec-p256.pkcs8.pem");
    const P12: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/bundle-aes.p12");
    const PASS: &str = "correct horse battery staple";

    fn fresh() -> State {
        let now = samlmeta::UnixTime::from_seconds(1_800_000_000);
        State::new("_0123456789abcdef0123456789abcdef".to_owned(), now)
    }

    /// What the page does with a file: a key slot's goes to the ring, and its answer comes back;
    /// the others' go to the reducer.
    fn load(state: &State, slot: Slot, name: &str, bytes: &[u8]) -> State {
        let Some((need, lockable)) = State::key_route(slot) else {
            return state.apply(Action::Load {
                slot,
                file_name: name.to_owned(),
                bytes: Zeroizing::new(bytes.to_vec()),
                passphrase: None,
            });
        };
        let seq = next_seq();
        let s = state.apply(Action::Reading(Pending {
            seq,
            slot,
            file_name: name.to_owned(),
            unlock: false,
        }));
        let outcome = RING.with(|ring| {
            ring.borrow_mut().read(&ReadFile {
                bytes: Zeroizing::new(bytes.to_vec()),
                passphrase: None,
                need,
                lockable,
            })
        });
        s.apply(Action::KeyRead { seq, outcome })
    }

    /// What the page's idle effect does: the ring signs, its answer comes back.
    fn sign(state: &State) -> State {
        let result = state.sign_job().and_then(|job| ring_sign(&job));
        state.apply(Action::Signed(state.output.revision, result))
    }

    fn keeper(state: &State) -> State {
        state
            .apply(Action::Edit(Edit::Text(
                Field::IdpEntityId,
                "KeeperSSO".into(),
            )))
            .apply(Action::Edit(Edit::Text(
                Field::IdpUrlSuffix,
                "keepersecurity".into(),
            )))
    }

    #[test]
    fn certificate_and_key_make_signed_metadata_that_verifies() {
        let s = load(&fresh(), Slot::Certificate, "cert.pem", CERT);
        let s = keeper(&load(&s, Slot::Key, "private.pem", KEY));
        assert!(
            s.blockers(&s.checks()).is_empty(),
            "{:?}",
            s.blockers(&s.checks())
        );
        assert!(s.will_sign());
        let s = sign(&s);
        let preview = s.output.preview.clone().unwrap();
        assert!(preview.signed);
        let cert = s.signing_certificate().unwrap().clone();
        let report = verify(
            preview.xml.as_bytes(),
            &Options::new(Trust::Certificate(Box::new(cert))),
        )
        .unwrap();
        assert!(report.verdict.is_valid());
        // The ID stays the same when the values change and the metadata is signed again.
        let again = sign(&s.apply(Action::Edit(Edit::Text(
            Field::DisplayLabel,
            "Keeper".into(),
        ))));
        assert!(
            again
                .output
                .preview
                .unwrap()
                .xml
                .contains("ID=\"_0123456789abcdef0123456789abcdef\"")
        );
        assert_eq!(doc(&s), preview.xml);
    }

    #[test]
    fn a_check_link_opens_the_check_view_and_still_fills_values() {
        use crate::check::View;
        let prefill = samlmeta::connector::prefill_from_fragment(
            "#check&idp-entity-id=KeeperSSO",
            &ConnectorValues::default(),
        );
        let s = fresh().apply(Action::Prefill(Box::new(prefill), "the link".to_owned()));
        assert_eq!(s.options.view, View::Check);
        assert_eq!(s.values.idp_entity_id, "KeeperSSO");
        assert!(
            s.notices.link_notes.is_empty(),
            "{:?}",
            s.notices.link_notes
        );
        let s = s.apply(Action::ShowView(View::Build));
        assert_eq!(s.options.view, View::Build);
    }

    #[test]
    fn without_a_key_the_metadata_is_unsigned() {
        let s = keeper(&load(&fresh(), Slot::Certificate, "cert.pem", CERT));
        assert!(!s.will_sign());
        let xml = doc(&s);
        assert!(!xml.contains("ds:Signature"));
        assert!(xml.contains("https://sso.jumpcloud.com/saml2/keepersecurity"));
    }

    #[test]
    fn a_bundle_in_either_slot_fills_both_and_remove_empties_both() {
        for slot in [Slot::Certificate, Slot::Key] {
            let s = load(&fresh(), slot, "combined.pem", COMBINED);
            assert!(s.idp.key.is_some() && !s.idp.certificates.is_empty());
            assert_eq!(s.idp.cert_view.file_name.as_deref(), Some("combined.pem"));
            assert_eq!(s.idp.key_view.file_name.as_deref(), Some("combined.pem"));
            let s = s.apply(Action::Remove(slot));
            assert!(s.idp.key.is_none() && s.idp.certificates.is_empty());
        }
    }

    #[test]
    fn an_encrypted_pkcs12_waits_for_its_passphrase() {
        let s = load(&fresh(), Slot::Key, "bundle.p12", P12);
        assert!(s.idp.locked.is_some());
        assert!(s.idp.key.is_none());
        assert!(!s.blockers(&s.checks()).is_empty());
        let wrong = unlock(&s, "nope");
        let locked = wrong.idp.locked.clone().unwrap();
        assert!(locked.error.unwrap().contains("passphrase"));
        let open = unlock(&wrong, PASS);
        assert!(open.idp.locked.is_none());
        assert!(open.idp.key.is_some() && !open.idp.certificates.is_empty());
    }

    #[test]
    fn wrong_files_get_inline_messages_and_block_downloads() {
        let s = keeper(&load(&fresh(), Slot::Key, "cert.pem", CERT));
        assert!(
            s.idp
                .key_view
                .error
                .as_deref()
                .unwrap()
                .contains("certificate")
        );
        assert!(s.idp.key.is_none());

        let s = load(&fresh(), Slot::Key, "ec.pem", EC_KEY);
        assert!(s.idp.key_view.error.as_deref().unwrap().contains("EC"));

        let s = load(&fresh(), Slot::Certificate, "cert.pem", CERT);
        let s = keeper(&load(&s, Slot::Key, "other.pem", OTHER_KEY));
        assert!(s.checks().key.iter().any(|f| f.code == "key-mismatch"));
        assert!(s.document().is_err());

        // The page recovers with the right file.
        let s = load(&s, Slot::Key, "private.pem", KEY);
        assert!(s.document().is_ok());
    }

    #[test]
    fn a_rollover_puts_the_current_certificate_first_and_keeps_only_its_key() {
        const OTHER_CERT: &[u8] =
            include_bytes!("../crates/samlmeta/tests/fixtures/other.cert.pem");
        let current = read_certificate(CERT).unwrap();
        let new = read_certificate(OTHER_CERT).unwrap();
        let plan = |s: &State| {
            samlmeta::connector::rollover::plan_rollover(&current, &new, s.now, s.values.preset)
        };
        // The builder holds the new pair (made or loaded there): its key is taken out.
        let s = load(&fresh(), Slot::Certificate, "new.pem", OTHER_CERT);
        let s = keeper(&load(&s, Slot::Key, "new-key.pem", OTHER_KEY));
        let r = s.apply(Action::LoadRollover(Box::new(plan(&s))));
        assert_eq!(r.idp.certificates, core::slice::from_ref(&current));
        assert_eq!(r.idp.rollover.certificate.as_ref(), Some(&new));
        assert!(r.idp.key.is_none());
        assert!(r.notices.notice.as_deref().unwrap().contains("taken out"));
        let xml = doc(&r);
        let first = xml.find(&current.base64()).unwrap();
        let second = xml.find(&new.base64()).unwrap();
        assert!(first < second, "the certificate in use now comes first");
        assert_eq!(r.rollover_plan().unwrap().new, new);
        // The builder holds the current key: it stays and signs.
        let s = keeper(&load(&fresh(), Slot::Key, "private.pem", KEY));
        let r = s.apply(Action::LoadRollover(Box::new(plan(&s))));
        assert!(r.idp.key.is_some() && r.will_sign());
        assert!(
            r.notices
                .notice
                .as_deref()
                .unwrap()
                .contains("signed with it")
        );
    }

    #[test]
    fn a_bad_file_on_a_slot_that_holds_one_replaces_nothing() {
        const SP_METADATA: &[u8] = b"<md:EntityDescriptor \
            xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://sp.example.com\">\
            <md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
            <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
            Location=\"https://sp.example.com/acs\" index=\"0\"/></md:SPSSODescriptor>\
            </md:EntityDescriptor>";
        let s = load(&fresh(), Slot::Certificate, "cert.pem", CERT);
        let s = keeper(&load(&s, Slot::Key, "private.pem", KEY));
        let s = load(&s, Slot::Rollover, "next.pem", CERT);
        let s = load(&s, Slot::Encryption, "enc.pem", CERT);
        let s = load(&s, Slot::SpMetadata, "sp.xml", SP_METADATA);
        let s = load(&s, Slot::SpKey, "sp-key.pem", OTHER_KEY);
        let s = sign(&s);
        let signed = doc(&s);
        for slot in [
            Slot::Certificate,
            Slot::Key,
            Slot::Rollover,
            Slot::Encryption,
            Slot::SpMetadata,
            Slot::SpKey,
        ] {
            for bad in [
                load(&s, slot, "garbage.txt", b"not a key at all"),
                s.apply(Action::ReadFailed {
                    slot,
                    file_name: "huge.pem".to_owned(),
                    message: "The file is too large.".to_owned(),
                }),
            ] {
                let note = bad.view(slot).not_replaced.clone().unwrap();
                assert!(note.starts_with("Not replaced by "), "{slot:?}: {note}");
                // Everything else is as it was: keys, certificates, values, the signed output.
                let mut same = bad.clone();
                same.view_mut(slot).not_replaced = None;
                // (but the key the ring read is seen, so the ring hears it can drop it)
                assert!(same.keys.seen >= s.keys.seen);
                same.keys.seen = s.keys.seen;
                assert_eq!(same, s, "{slot:?}");
                assert_eq!(doc(&bad), signed, "{slot:?}");
            }
        }
        // The note goes when the slot takes a good file, or is emptied.
        let bad = load(&s, Slot::Key, "ec.pem", EC_KEY);
        assert!(
            bad.idp
                .key_view
                .not_replaced
                .as_deref()
                .unwrap()
                .contains("EC")
        );
        assert!(
            load(&bad, Slot::Key, "private.pem", KEY)
                .idp
                .key_view
                .not_replaced
                .is_none()
        );
        assert_eq!(
            bad.apply(Action::Remove(Slot::Key)).idp.key_view,
            SlotView::default()
        );
        // An empty slot shows the error itself, as before.
        let empty = load(
            &fresh(),
            Slot::Certificate,
            "garbage.txt",
            b"not a key at all",
        );
        assert!(empty.idp.cert_view.error.is_some());
        assert!(empty.idp.cert_view.not_replaced.is_none());
    }

    #[test]
    fn clear_all_wipes_key_certificate_and_values_but_keeps_the_id() {
        let s = sign(&keeper(&load(
            &fresh(),
            Slot::Key,
            "combined.pem",
            COMBINED,
        )));
        let cleared = s.apply(Action::ClearAll);
        assert!(cleared.idp.key.is_none());
        assert!(cleared.idp.certificates.is_empty());
        assert_eq!(cleared.values, ConnectorValues::default());
        assert!(cleared.output.preview.is_none());
        assert!(cleared.output.signed.is_none());
        assert_eq!(cleared.output.document_id, s.output.document_id);
        assert!(cleared.output.revision > s.output.revision);
    }

    #[test]
    fn edits_bump_the_revision_and_invalidate_the_signature() {
        let s = sign(&keeper(&load(
            &fresh(),
            Slot::Key,
            "combined.pem",
            COMBINED,
        )));
        let signed_at = s.output.revision;
        let s = s.apply(Action::Edit(Edit::Text(Field::IdpEntityId, "Other".into())));
        assert!(s.output.revision > signed_at);
        // A stale signature is never handed out: document() signs the new values.
        let xml = doc(&s);
        assert!(xml.contains("entityID=\"Other\""));
        // An edit that changes nothing keeps the revision.
        let same = s.apply(Action::Edit(Edit::Text(Field::IdpEntityId, "Other".into())));
        assert_eq!(same.output.revision, s.output.revision);
    }

    #[test]
    fn sp_metadata_fills_the_sp_values_and_makes_sp_metadata() {
        let mut sp = samlmeta::metadata::SpMetadata::new(
            "https://sp.example.com",
            "https://sp.example.com/acs",
        );
        sp.certificate = samlmeta::read(CERT, None).unwrap().certificates.pop();
        let xml = samlmeta::metadata::sp_xml(&sp).unwrap();
        let s = load(&fresh(), Slot::SpMetadata, "sp.xml", &xml);
        assert_eq!(s.values.sp_entity_id, "https://sp.example.com");
        assert_eq!(s.values.acs_url, "https://sp.example.com/acs");
        assert_eq!(s.sp.certificates.len(), 1);
        let doc = sp_doc(&s);
        assert!(doc.contains("SPSSODescriptor") && !doc.contains("Signature"));
        let bad = load(&s, Slot::SpMetadata, "cert.pem", CERT);
        // Nothing lost: a file that is not SP metadata replaces nothing, and says why.
        assert!(bad.sp.metadata_view.not_replaced.is_some());
        assert_eq!(bad.sp.certificates, s.sp.certificates);
        assert_eq!(bad.values, s.values);
    }

    #[test]
    fn wipe_after_download_drops_the_key_only_when_asked() {
        let s = keeper(&load(&fresh(), Slot::Key, "combined.pem", COMBINED));
        let kept = s.apply(Action::Downloaded("saved".into()));
        assert!(kept.idp.key.is_some());
        let wiped = s
            .apply(Action::WipeAfterDownload(true))
            .apply(Action::Downloaded("saved".into()));
        assert!(wiped.idp.key.is_none());
        assert!(wiped.notices.notice.unwrap().contains("wiped"));
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_same_state() {
        let s = Rc::new(fresh().apply(Action::SelfTestFinished(Ok(()))));
        let same = Rc::clone(&s).reduce(Action::SelfTestFinished(Ok(())));
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn presets_fill_keepers_values_and_switching_leaves_none_behind() {
        let edit = |s: &State, field: Field, text: &str| {
            s.apply(Action::Edit(Edit::Text(field, text.to_owned())))
        };
        let s = edit(&fresh(), Field::Preset, "keeper-cloud");
        let s = edit(&s, Field::KeeperRegion, "keepersecurity.eu");
        let s = edit(&s, Field::KeeperSsoId, "459561502469");
        assert_eq!(
            s.values.acs_url,
            "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469"
        );
        assert_eq!(
            s.values.sp_entity_id,
            "https://keepersecurity.eu/api/rest/sso/saml/459561502469"
        );
        let s = edit(&s, Field::Preset, "keeper");
        assert_eq!(s.values.acs_url, "");
        assert_eq!(s.values.keeper_sso_id, "");
        let s = edit(&s, Field::SsoConnectServer, "sso.acme.example");
        assert_eq!(
            s.values.sp_entity_id,
            "https://sso.acme.example/sso-connect"
        );
        assert_eq!(
            s.values.acs_url,
            "https://sso.acme.example/sso-connect/saml/sso"
        );
        let s = edit(&s, Field::Preset, "generic");
        assert_eq!(
            (s.values.sp_entity_id.as_str(), s.values.acs_url.as_str()),
            ("", "")
        );
    }

    #[test]
    fn the_download_is_what_the_core_makes_from_the_same_values() {
        // The CLI makes its metadata with the same core calls (tested there against the same
        // expression), so page and CLI give the same bytes for the same settings, key, ID and time.
        let settings = r#"{"samlmeta-settings": 1, "idp-entity-id": "KeeperSSO",
            "idp-url-suffix": "keepersecurity", "valid-days": "30", "display-label": "Keeper"}"#;
        let prefill =
            samlmeta::connector::read_settings(settings.as_bytes(), &ConnectorValues::default())
                .unwrap();
        let s = load(&fresh(), Slot::Certificate, "cert.pem", CERT);
        let s = load(&s, Slot::Key, "private.pem", KEY).apply(Action::Prefill(
            Box::new(prefill.clone()),
            "the settings file".into(),
        ));
        let page = doc(&s);
        let md = prefill.values.idp_metadata_with(
            s.signing_certificate().unwrap().clone(),
            &samlmeta::connector::ExtraCertificates::default(),
            s.now,
        );
        let key = samlmeta::read(KEY, None).unwrap().key.unwrap();
        let core = samlmeta::dsig::signed_idp_xml(&md, &key, &s.output.document_id).unwrap();
        assert_eq!(page.as_bytes(), core.as_slice());
        // Export settings gives back the same values.
        let again = samlmeta::connector::read_settings(
            s.values.settings_json().as_bytes(),
            &ConnectorValues::default(),
        )
        .unwrap();
        assert_eq!(again.values, s.values);
    }

    /// A pair as the key worker holds it after a task worker made it.
    fn made_pair(state: &State) -> MadePair {
        let (size, request) = state.keygen_request().unwrap();
        assert_eq!(size, KeySize::Rsa3072);
        // The reducer's tests use a 2048-bit pair: quicker, and the size is not its concern.
        let pair = KeyPair::generate(KeySize::Rsa2048, &request).unwrap();
        let public = RING.with(|ring| ring.borrow_mut().add_pair(pair, None));
        MadePair {
            key: KeyRef {
                id: public.id,
                public: Rc::new(public.public),
            },
            certificate: public.certificate,
            encrypted: false,
            made_by: "WebCrypto in a background worker".to_owned(),
        }
    }

    fn generated(state: &State, token: u64, pair: MadePair) -> State {
        state
            .apply(Action::GenerateStarted(Running { token, bits: 2048 }))
            .apply(Action::Generated {
                token,
                result: Ok(Box::new(pair)),
            })
    }

    #[test]
    fn a_generated_pair_fills_step_1_signs_and_is_unsaved_until_both_files_are_downloaded() {
        let s = keeper(&fresh());
        assert_eq!(s.keygen_common_name(), "KeeperSSO");
        let s = s.apply(Action::Edit(Edit::Text(
            Field::IdpEntityId,
            "https://idp.example.com/saml".into(),
        )));
        assert_eq!(s.keygen_common_name(), "idp.example.com");
        let pair = made_pair(&s);
        let (_, request) = s.keygen_request().unwrap();
        assert_eq!(request.days, 3 * 365);
        assert_eq!(request.not_before, s.now);
        let s = generated(&s, 1, pair);
        assert!(s.keygen.running.is_none());
        assert!(s.will_sign());
        assert_eq!(s.idp.key_view.file_name.as_deref(), Some("private.pem"));
        assert_eq!(s.idp.cert_view.file_name.as_deref(), Some("cert.pem"));
        assert!(s.checks().key.is_empty(), "{:?}", s.checks().key);
        assert!(s.blockers(&s.checks()).is_empty());
        assert!(sign(&s).output.preview.unwrap().signed);
        assert!(s.idp.generated.as_ref().unwrap().unsaved());
        let s = s.apply(Action::SavedPairFile(PairFile::Key));
        assert!(s.idp.generated.as_ref().unwrap().unsaved());
        let s = s.apply(Action::SavedPairFile(PairFile::Certificate));
        assert!(!s.idp.generated.as_ref().unwrap().unsaved());
        // Removing either half drops the pair (and its key).
        let removed = s.apply(Action::Remove(Slot::Certificate));
        assert!(removed.idp.generated.is_none());
        assert!(removed.will_sign(), "the key alone stays, as for any file");
        assert!(s.apply(Action::ClearAll).idp.generated.is_none());
    }

    #[test]
    fn a_cancelled_or_superseded_generation_changes_nothing() {
        let s = load(&keeper(&fresh()), Slot::Certificate, "cert.pem", CERT);
        let pair = made_pair(&s);
        let started = s.apply(Action::GenerateStarted(Running {
            token: 7,
            bits: 2048,
        }));
        let cancelled = started.apply(Action::CancelGenerate);
        let late = cancelled.apply(Action::Generated {
            token: 7,
            result: Ok(Box::new(pair.clone())),
        });
        assert_eq!(late.idp, s.idp, "step 1 exactly as before");
        assert_eq!(late.output.revision, s.output.revision);
        // An answer for an older click is dropped too.
        let restarted = cancelled.apply(Action::GenerateStarted(Running {
            token: 8,
            bits: 2048,
        }));
        let old = restarted.apply(Action::Generated {
            token: 7,
            result: Ok(Box::new(pair.clone())),
        });
        assert!(
            !old.live_keys().contains(&pair.key.id),
            "the ring is told to drop the key of a dropped answer"
        );
        assert_eq!(old.idp, s.idp);
        assert!(old.keygen.running.is_some());
        // A worker that dies mid-way ends the generation with a message.
        let died = restarted.apply(Action::WorkerAnswered(Err("out of memory".into())));
        assert!(died.keygen.running.is_none());
        assert!(
            died.keygen
                .error
                .as_deref()
                .unwrap()
                .contains("out of memory")
        );
    }

    #[test]
    fn the_panel_refuses_values_a_certificate_cannot_hold() {
        let s = fresh();
        assert!(s.keygen_request().unwrap_err().contains("common name"));
        let s = s.apply(Action::Keygen(KeygenEdit::CommonName("idp".into())));
        for years in ["0", "11", "two", ""] {
            let e = s
                .apply(Action::Keygen(KeygenEdit::Years(years.into())))
                .keygen_request()
                .unwrap_err();
            assert!(e.contains("Valid for (years)"), "{years}: {e}");
        }
        let s = s
            .apply(Action::Keygen(KeygenEdit::Years("10".into())))
            .apply(Action::Keygen(KeygenEdit::Organization("  Acme  ".into())))
            .apply(Action::Keygen(KeygenEdit::Size(KeySize::Rsa4096)));
        let (size, request) = s.keygen_request().unwrap();
        assert_eq!(size, KeySize::Rsa4096);
        assert_eq!(request.days, 3650);
        assert_eq!(request.organization.as_deref(), Some("Acme"));
        let long = s.apply(Action::Keygen(KeygenEdit::CommonName("x".repeat(65))));
        assert!(long.keygen_request().unwrap_err().contains("at most 64"));
    }

    #[test]
    fn the_ring_is_told_to_keep_only_the_keys_the_page_holds() {
        let s = load(&fresh(), Slot::Certificate, "cert.pem", CERT);
        let s = keeper(&load(&s, Slot::Key, "private.pem", KEY));
        let first = s.idp.key.clone().unwrap().id;
        assert_eq!(s.live_keys(), vec![first]);
        // A replaced key is no longer named; the new one is.
        let replaced = load(&s, Slot::Key, "private.pem", KEY);
        let second = replaced.idp.key.clone().unwrap().id;
        assert_ne!(first, second);
        assert_eq!(replaced.live_keys(), vec![second]);
        assert!(s.apply(Action::Remove(Slot::Key)).live_keys().is_empty());
        assert!(s.apply(Action::ClearAll).live_keys().is_empty());
        let wiped = s
            .apply(Action::WipeAfterDownload(true))
            .apply(Action::Downloaded("saved".into()));
        assert!(wiped.live_keys().is_empty());
        // A locked file is named until it is unlocked or removed.
        let locked = load(&fresh(), Slot::Key, "bundle.p12", P12);
        let id = locked.idp.locked.clone().unwrap().id;
        assert_eq!(locked.live_keys(), vec![id]);
        let open = unlock(&locked, PASS);
        assert!(!open.live_keys().contains(&id));
        assert_eq!(open.live_keys().len(), 1);
    }

    #[test]
    fn an_answer_for_a_removed_file_is_dropped_and_a_stopped_worker_takes_its_keys() {
        let s = fresh().apply(Action::Reading(Pending {
            seq: 900,
            slot: Slot::Key,
            file_name: "private.pem".into(),
            unlock: false,
        }));
        let removed = s.apply(Action::Remove(Slot::Key));
        let outcome = RING.with(|ring| {
            ring.borrow_mut().read(&ReadFile {
                bytes: Zeroizing::new(KEY.to_vec()),
                passphrase: None,
                need: Need::Key,
                lockable: true,
            })
        });
        let late = removed.apply(Action::KeyRead { seq: 900, outcome });
        assert!(late.idp.key.is_none() && late.live_keys().is_empty());
        assert!(
            late.keys.seen > removed.keys.seen,
            "the ring hears it can drop it"
        );
        // The key worker stops: the key it held is gone, and the slot says so.
        let s = keeper(&load(
            &load(&fresh(), Slot::Certificate, "cert.pem", CERT),
            Slot::Key,
            "private.pem",
            KEY,
        ));
        let stopped = s.apply(Action::WorkerAnswered(Err("it crashed".into())));
        assert!(stopped.idp.key.is_none());
        assert!(
            stopped
                .idp
                .key_view
                .error
                .as_deref()
                .unwrap()
                .contains("add the file again")
        );
        assert!(
            !stopped.idp.certificates.is_empty(),
            "the certificate stays"
        );
        // At start-up, with nothing held, nothing changes but the status.
        let at_start = fresh().apply(Action::WorkerAnswered(Err("no workers".into())));
        assert!(at_start.idp.key_view.error.is_none());
    }
}
