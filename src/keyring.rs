//! The page's private keys, in one place: the key worker holds a [`KeyRing`] (or, where no worker
//! starts, the page itself does), and the page holds only what a key ring answers: key ids, public
//! keys, certificates, signed XML.
//!
//! A key ring reads key files (PEM, DER, PKCS#8, encrypted PKCS#8, PKCS#12) and keeps an
//! encrypted one until its passphrase comes, keeps the pairs made by "Generate a key pair"
//! (to offer their `private.pem`), and signs IdP and SP metadata with the key an id names. Keys
//! are dropped, and zeroized ([`SigningKey`] and the buffers zeroize on drop), when the page's
//! state no longer names them: the page sends the ids it still holds ([`KeyRing::retain`]) after
//! every change, so remove, replace, Clear all and wipe-after-download reach the ring through
//! one path.
//!
//! Every rule is the core's: [`samlmeta::read`], `require_key`/`require_certificate`,
//! [`samlmeta::dsig::signed_idp_xml`] and [`samlmeta::dsig::signed_sp_xml`]. The ring only decides
//! what it keeps.

use samlmeta::connector::{ConnectorValues, ExtraCertificates};
use samlmeta::pki::generate::KeyPair;
use samlmeta::pki::key::KeyError;
use samlmeta::{Certificate, Contents, PublicKey, ReadError, SigningKey, UnixTime};
use zeroize::Zeroizing;

/// What the slot a file was given to needs from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A private key ("IdP Private Key", "SP private key").
    Key,
    /// A certificate ("IdP Certificate"; a key in the same file comes along).
    Certificate,
}

/// A file to read, with its passphrase.
#[derive(PartialEq, Eq)]
pub struct ReadFile {
    /// The file's bytes.
    pub bytes: Zeroizing<Vec<u8>>,
    /// The passphrase given with it (the SP key's), if any.
    pub passphrase: Option<Zeroizing<String>>,
    /// What the slot needs.
    pub need: Need,
    /// Whether an encrypted file waits for its passphrase (step 1) rather than failing (the SP
    /// key, whose passphrase comes with the file).
    pub lockable: bool,
}

/// What a file held, without its private key: the key's id in the ring and its public half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The private key, kept in the ring under this id.
    pub key: Option<(u64, PublicKey)>,
    /// The certificates.
    pub certificates: Vec<Certificate>,
    /// The core's one-line summary of what the file holds.
    pub summary: String,
}

/// The answer to a [`ReadFile`] or an unlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOutcome {
    /// The file was read.
    Read(Box<Read>),
    /// The file is encrypted and kept, under this id, until its passphrase comes; `error` says
    /// why the last passphrase did not open it.
    Locked {
        /// The locked file's id.
        id: u64,
        /// Why the passphrase given did not open it.
        error: Option<String>,
    },
    /// The file cannot be used: the core's sentence.
    Failed(String),
}

/// IdP metadata to sign: the values and certificates it is built from, the key's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpJob {
    /// The IdP key's id.
    pub key: u64,
    /// The connector values.
    pub values: ConnectorValues,
    /// The signing certificate.
    pub certificate: Certificate,
    /// The second signing certificate (rollover), if any.
    pub rollover: Vec<Certificate>,
    /// The encryption certificate, if any.
    pub encryption: Option<Certificate>,
    /// The clock, for validUntil.
    pub now: UnixTime,
    /// The metadata's `ID`.
    pub document_id: String,
}

/// SP metadata to sign with the SP's own key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpJob {
    /// The SP key's id.
    pub key: u64,
    /// The connector values.
    pub values: ConnectorValues,
    /// The SP's certificate, the one matching the key.
    pub certificate: Option<Certificate>,
    /// The metadata's `ID`.
    pub document_id: String,
}

/// Metadata to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignJob {
    /// The IdP metadata, with the IdP's key.
    Idp(Box<IdpJob>),
    /// The SP metadata, with the SP's key.
    Sp(Box<SpJob>),
}

/// A file of a generated pair that only the ring can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretFile {
    /// `private.pem`, unencrypted PKCS#8.
    Key,
    /// `private-encrypted.pem`, the copy encrypted with the passphrase given at generation.
    EncryptedKey,
}

/// A generated pair as the page sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairPublic {
    /// The key's id in the ring.
    pub id: u64,
    /// Its public half.
    pub public: PublicKey,
    /// The pair's certificate.
    pub certificate: Certificate,
    /// Whether an encrypted copy was made.
    pub encrypted: bool,
}

/// A request to a key ring, as it crosses to the key worker ([`crate::wire`]).
#[derive(PartialEq, Eq)]
pub enum KeyRequest {
    /// Read a file; answered by [`KeyAnswer::Read`].
    Read {
        /// Names the answer.
        seq: u64,
        /// The file.
        file: ReadFile,
    },
    /// Try a passphrase on a locked file; answered by [`KeyAnswer::Read`].
    Unlock {
        /// Names the answer.
        seq: u64,
        /// The locked file's id.
        id: u64,
        /// The passphrase.
        passphrase: Zeroizing<String>,
        /// What the slot needs.
        need: Need,
    },
    /// Sign metadata; answered by [`KeyAnswer::Signed`].
    Sign {
        /// Names the answer.
        seq: u64,
        /// What to sign.
        job: SignJob,
    },
    /// Drop the keys the page has heard of and no longer holds; answered by
    /// [`KeyAnswer::Held`].
    Retain {
        /// The ids the page still holds.
        live: Vec<u64>,
        /// The highest id the page has heard of: younger keys are kept.
        seen: u64,
    },
    /// A generated pair's secret file; answered by [`KeyAnswer::SecretFile`] (the file beside it,
    /// as a `Blob`).
    SecretFile {
        /// Names the answer.
        seq: u64,
        /// The pair's id.
        id: u64,
        /// Which file.
        file: SecretFile,
    },
}

// Never the file's bytes or a passphrase, even in a debug print.
impl core::fmt::Debug for ReadFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ReadFile({} bytes, passphrase {}, {:?}, lockable {})",
            self.bytes.len(),
            if self.passphrase.is_some() {
                "given"
            } else {
                "none"
            },
            self.need,
            self.lockable
        )
    }
}

impl core::fmt::Debug for KeyRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Read { seq, file } => write!(f, "Read({seq}, {file:?})"),
            Self::Unlock { seq, id, need, .. } => write!(f, "Unlock({seq}, {id}, {need:?})"),
            Self::Sign { seq, job } => write!(f, "Sign({seq}, {job:?})"),
            Self::Retain { live, seen } => write!(f, "Retain({live:?}, {seen})"),
            Self::SecretFile { seq, id, file } => write!(f, "SecretFile({seq}, {id}, {file:?})"),
        }
    }
}

/// What a key ring answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAnswer {
    /// What a file held (or why it is locked or unusable).
    Read {
        /// The request's `seq`.
        seq: u64,
        /// The outcome.
        outcome: ReadOutcome,
    },
    /// The signed metadata, or why there is none.
    Signed {
        /// The request's `seq`.
        seq: u64,
        /// The XML, or the reason.
        result: Result<String, String>,
    },
    /// How many keys and locked files the ring holds now.
    Held {
        /// The count.
        count: usize,
    },
    /// A pair generated in the task worker, now held by the key worker.
    Generated {
        /// The Generate click it answers.
        token: u64,
        /// The pair's public parts, or why there is none.
        result: Result<Box<PairPublic>, String>,
        /// Which engine made the key: "WebCrypto" or "WebAssembly".
        engine: String,
    },
    /// Whether the secret file was written (it travels beside the answer).
    SecretFile {
        /// The request's `seq`.
        seq: u64,
        /// `Ok` when the file is beside the answer.
        result: Result<(), String>,
    },
}

impl KeyRing {
    /// Answers `request` (`None` for none). [`KeyRequest::SecretFile`] answers with the file's
    /// text beside the answer.
    pub fn answer(&mut self, request: KeyRequest) -> (KeyAnswer, Option<Zeroizing<String>>) {
        match request {
            KeyRequest::Read { seq, file } => (
                KeyAnswer::Read {
                    seq,
                    outcome: self.read(&file),
                },
                None,
            ),
            KeyRequest::Unlock {
                seq,
                id,
                passphrase,
                need,
            } => (
                KeyAnswer::Read {
                    seq,
                    outcome: self.unlock(id, &passphrase, need),
                },
                None,
            ),
            KeyRequest::Sign { seq, job } => (
                KeyAnswer::Signed {
                    seq,
                    result: self.sign(&job),
                },
                None,
            ),
            KeyRequest::Retain { live, seen } => (
                KeyAnswer::Held {
                    count: self.retain(&live, seen),
                },
                None,
            ),
            KeyRequest::SecretFile { seq, id, file } => match self.secret_file(id, file) {
                Ok(pem) => (
                    KeyAnswer::SecretFile {
                        seq,
                        result: Ok(()),
                    },
                    Some(pem),
                ),
                Err(why) => (
                    KeyAnswer::SecretFile {
                        seq,
                        result: Err(why),
                    },
                    None,
                ),
            },
        }
    }
}

/// How many private-key operations a ring has done: on the page these stay 0 while a key worker
/// holds the keys (the page shows them, see `docs/keys.md`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Operations {
    /// Metadata signed.
    pub signed: u64,
    /// Key files read or unlocked into a key.
    pub unlocked: u64,
}

struct Pair {
    key: SigningKey,
    pair: KeyPair,
    encrypted: Option<Zeroizing<String>>,
}

enum Entry {
    Key(Box<SigningKey>),
    /// An encrypted file waiting for its passphrase.
    Locked(Zeroizing<Vec<u8>>),
    /// A generated pair: the key to sign with, the pair to write `private.pem` from.
    Pair(Box<Pair>),
}

/// The private keys and locked files, by id.
#[derive(Default)]
pub struct KeyRing {
    next: u64,
    held: Vec<(u64, Entry)>,
    operations: Operations,
}

impl KeyRing {
    /// An empty ring.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn keep(&mut self, entry: Entry) -> u64 {
        self.next += 1;
        self.held.push((self.next, entry));
        self.next
    }

    fn entry(&self, id: u64) -> Option<&Entry> {
        self.held.iter().find(|(i, _)| *i == id).map(|(_, e)| e)
    }

    /// How many keys and locked files the ring holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// True when it holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// The operations done so far.
    #[must_use]
    pub fn operations(&self) -> Operations {
        self.operations
    }

    /// Reads `file`: its key is kept, its public parts answered.
    pub fn read(&mut self, file: &ReadFile) -> ReadOutcome {
        self.read_bytes(
            &file.bytes,
            file.passphrase.as_deref().map(String::as_str),
            file.need,
            file.lockable,
            None,
        )
    }

    /// Tries `passphrase` on the locked file `id`. A wrong passphrase keeps it locked; anything
    /// else takes it out of the ring.
    pub fn unlock(&mut self, id: u64, passphrase: &str, need: Need) -> ReadOutcome {
        let Some(index) = self
            .held
            .iter()
            .position(|(i, e)| *i == id && matches!(e, Entry::Locked(_)))
        else {
            return ReadOutcome::Failed(
                "The encrypted file is no longer here: drop it again.".to_owned(),
            );
        };
        let (_, entry) = self.held.remove(index);
        let Entry::Locked(bytes) = entry else {
            return ReadOutcome::Failed("The encrypted file is no longer here.".to_owned());
        };
        let outcome = self.read_bytes(&bytes, Some(passphrase), need, true, Some(id));
        if let ReadOutcome::Locked { .. } = outcome {
            self.held.push((id, Entry::Locked(bytes)));
        }
        outcome
    }

    fn read_bytes(
        &mut self,
        bytes: &Zeroizing<Vec<u8>>,
        passphrase: Option<&str>,
        need: Need,
        lockable: bool,
        locked_id: Option<u64>,
    ) -> ReadOutcome {
        match samlmeta::read(bytes, passphrase) {
            Ok(contents) => {
                let summary = contents.summary();
                let checked = match need {
                    Need::Key => contents.require_key(),
                    Need::Certificate => contents.require_certificate(),
                };
                match checked {
                    Ok(Contents {
                        key, certificates, ..
                    }) => {
                        let key = key.map(|key| {
                            self.operations.unlocked += 1;
                            let public = key.public();
                            (self.keep(Entry::Key(Box::new(key))), public)
                        });
                        ReadOutcome::Read(Box::new(Read {
                            key,
                            certificates,
                            summary,
                        }))
                    }
                    Err(e) => ReadOutcome::Failed(e.to_string()),
                }
            }
            Err(
                e @ ReadError::Key(
                    KeyError::PassphraseNeeded { .. } | KeyError::WrongPassphrase { .. },
                ),
            ) if lockable => {
                // A first look at a file asks for its passphrase; a passphrase given says why it
                // did not open it.
                let error = (locked_id.is_some()
                    || matches!(e, ReadError::Key(KeyError::WrongPassphrase { .. })))
                .then(|| e.to_string());
                let id = match locked_id {
                    Some(id) => id,
                    None => self.keep(Entry::Locked(Zeroizing::new(bytes.to_vec()))),
                };
                ReadOutcome::Locked { id, error }
            }
            Err(e) => ReadOutcome::Failed(e.to_string()),
        }
    }

    /// Keeps a pair made by "Generate a key pair" (and its encrypted copy).
    pub fn add_pair(&mut self, pair: KeyPair, encrypted: Option<Zeroizing<String>>) -> PairPublic {
        let key = pair.signing_key();
        let public = key.public();
        let certificate = pair.certificate().clone();
        let has_copy = encrypted.is_some();
        let id = self.keep(Entry::Pair(Box::new(Pair {
            key,
            pair,
            encrypted,
        })));
        PairPublic {
            id,
            public,
            certificate,
            encrypted: has_copy,
        }
    }

    /// A generated pair's secret file, as PEM text.
    ///
    /// # Errors
    /// A sentence when the ring holds no such pair (or no encrypted copy).
    pub fn secret_file(&self, id: u64, file: SecretFile) -> Result<Zeroizing<String>, String> {
        let gone = || "The key pair made in this page is no longer here.".to_owned();
        let Entry::Pair(pair) = self.entry(id).ok_or_else(gone)? else {
            return Err(gone());
        };
        match (file, &pair.encrypted) {
            (SecretFile::Key, _) => pair.pair.pkcs8_pem().map_err(|e| e.to_string()),
            (SecretFile::EncryptedKey, Some(pem)) => Ok(pem.clone()),
            (SecretFile::EncryptedKey, None) => Err(gone()),
        }
    }

    /// Signs `job` with the key it names.
    ///
    /// # Errors
    /// A sentence: the key is gone, or the core's reason.
    pub fn sign(&mut self, job: &SignJob) -> Result<String, String> {
        let key_id = match job {
            SignJob::Idp(j) => j.key,
            SignJob::Sp(j) => j.key,
        };
        let key = match self.entry(key_id) {
            Some(Entry::Key(key)) => key,
            Some(Entry::Pair(pair)) => &pair.key,
            _ => {
                return Err(
                    "The private key is no longer in this page: add it again to sign.".to_owned(),
                );
            }
        };
        let signed = match job {
            SignJob::Idp(j) => {
                let extra = ExtraCertificates {
                    rollover: j.rollover.clone(),
                    encryption: j.encryption.clone(),
                };
                let md = j
                    .values
                    .idp_metadata_with(j.certificate.clone(), &extra, j.now);
                samlmeta::dsig::signed_idp_xml(&md, key, &j.document_id)
            }
            SignJob::Sp(j) => {
                let md = j.values.sp_metadata(j.certificate.clone());
                samlmeta::dsig::signed_sp_xml(&md, key, &j.document_id)
            }
        }
        .map_err(|e| e.to_string())?;
        self.operations.signed += 1;
        String::from_utf8(signed).map_err(|_| "The metadata is not UTF-8 text.".to_owned())
    }

    /// Drops (and zeroizes) every key and locked file whose id is at most `seen` and not in
    /// `live`; answers how many are left. Ids only grow, so a key read after the page last
    /// looked (id above `seen`) stays until the page has heard of it.
    pub fn retain(&mut self, live: &[u64], seen: u64) -> usize {
        self.held.retain(|(id, _)| *id > seen || live.contains(id));
        self.held.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
mod tests {
    use super::*;

    const KEY: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/pkcs8.pem");
    const CERT: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/cert.pem");
    const P12: &[u8] = include_bytes!("../crates/samlmeta/tests/fixtures/bundle-aes.p12");
    const PASS: &str = "correct horse battery staple";

    fn file(bytes: &[u8], need: Need) -> ReadFile {
        ReadFile {
            bytes: Zeroizing::new(bytes.to_vec()),
            passphrase: None,
            need,
            lockable: true,
        }
    }

    #[test]
    fn a_key_is_kept_and_only_its_public_half_answered() {
        let mut ring = KeyRing::new();
        let ReadOutcome::Read(read) = ring.read(&file(KEY, Need::Key)) else {
            panic!("not read")
        };
        let (id, public) = read.key.unwrap();
        assert_eq!(public.bits(), 2048);
        let cert = samlmeta::read(CERT, None).unwrap().certificates.remove(0);
        assert_eq!(Some(public.der()), cert.public_key_der().as_deref());
        assert_eq!(ring.len(), 1);
        assert_eq!(ring.operations().unlocked, 1);
        assert_eq!(ring.retain(&[id], id), 1);
        // A key the page has not heard of yet is kept.
        let ReadOutcome::Read(younger) = ring.read(&file(KEY, Need::Key)) else {
            panic!("not read")
        };
        assert_eq!(ring.retain(&[], id), 1, "only the key the page saw goes");
        let (younger, _) = younger.key.unwrap();
        assert_eq!(ring.retain(&[], younger), 0);
        assert!(ring.is_empty());
    }

    #[test]
    fn the_slot_decides_what_a_file_must_hold() {
        let mut ring = KeyRing::new();
        assert!(matches!(
            ring.read(&file(CERT, Need::Key)),
            ReadOutcome::Failed(_)
        ));
        assert!(matches!(
            ring.read(&file(KEY, Need::Certificate)),
            ReadOutcome::Failed(_)
        ));
        assert!(ring.is_empty(), "a refused file leaves nothing behind");
    }

    #[test]
    fn a_locked_file_waits_and_a_wrong_passphrase_keeps_it_locked() {
        let mut ring = KeyRing::new();
        let ReadOutcome::Locked { id, error: None } = ring.read(&file(P12, Need::Certificate))
        else {
            panic!("not locked")
        };
        assert!(matches!(
            ring.unlock(id, "wrong", Need::Certificate),
            ReadOutcome::Locked { id: same, error: Some(_) } if same == id
        ));
        let ReadOutcome::Read(read) = ring.unlock(id, PASS, Need::Certificate) else {
            panic!("not unlocked")
        };
        assert!(read.key.is_some() && !read.certificates.is_empty());
        assert_eq!(ring.len(), 1, "the locked file went, the key stayed");
        assert!(matches!(
            ring.unlock(id, PASS, Need::Certificate),
            ReadOutcome::Failed(_)
        ));
    }

    #[test]
    fn an_sp_key_with_its_passphrase_elsewhere_fails_instead_of_waiting() {
        let mut ring = KeyRing::new();
        let mut f = file(P12, Need::Key);
        f.lockable = false;
        assert!(matches!(ring.read(&f), ReadOutcome::Failed(_)));
        assert!(ring.is_empty());
    }

    #[test]
    fn signing_needs_the_key_to_be_held() {
        let mut ring = KeyRing::new();
        let ReadOutcome::Read(read) = ring.read(&file(KEY, Need::Key)) else {
            panic!("not read")
        };
        let (id, _) = read.key.unwrap();
        let certificate = samlmeta::read(CERT, None).unwrap().certificates.remove(0);
        let job = SignJob::Idp(Box::new(IdpJob {
            key: id,
            values: ConnectorValues {
                idp_entity_id: "KeeperSSO".to_owned(),
                idp_url_suffix: "keepersecurity".to_owned(),
                ..ConnectorValues::default()
            },
            certificate,
            rollover: Vec::new(),
            encryption: None,
            now: UnixTime::from_seconds(1_800_000_000),
            document_id: "_0123456789abcdef0123456789abcdef".to_owned(),
        }));
        assert!(ring.sign(&job).unwrap().contains("<ds:SignatureValue>"));
        assert_eq!(ring.operations().signed, 1);
        ring.retain(&[], id);
        assert!(ring.sign(&job).unwrap_err().contains("no longer"));
        assert_eq!(ring.operations().signed, 1);
    }
}
