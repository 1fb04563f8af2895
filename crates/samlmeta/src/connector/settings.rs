//! The connector values as settings: a versioned JSON file (`"samlmeta-settings": 1`) and a URL
//! fragment, written by the page's "Export settings" and "Copy link", read by the page and by
//! `samlmeta idp|sp --settings`. Never a key or a passphrase. `docs/settings.md` lists the keys.

use super::fields::{FIELDS, Field};
use super::json::{self, Value};
use super::presets::{Preset, keeper_cloud_sp, parse_keeper_cloud_entity_id};
use super::{ConnectorValues, holds_private_key, shorten};
use core::fmt;

/// The member that marks a settings file, and its format number.
pub const SETTINGS_MARKER: &str = "samlmeta-settings";

/// The settings format this version writes and reads. New keys are optional, so files of
/// format 1 keep reading as keys are added.
pub const SETTINGS_FORMAT: u32 = 1;

/// The largest settings file read.
pub const MAX_SETTINGS_BYTES: usize = 1024 * 1024;

/// Connector values from a link or a settings file, and notes on everything not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefill {
    /// The values: the base values with the settings applied.
    pub values: ConnectorValues,
    /// The settings applied, by key, in the order given.
    pub applied: Vec<String>,
    /// `embed=1` (links only): the page is embedded and may tell its parent frame its height.
    pub embed: bool,
    /// `#check` (links only: a first item `check` with no `=`): the page opens its Check view.
    /// It is not a setting, and other parameters after it still apply.
    pub check: bool,
    /// One sentence per setting that was ignored or corrected, and why.
    pub notes: Vec<String>,
}

/// Why a file is not readable as settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsError {
    /// Larger than [`MAX_SETTINGS_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not UTF-8 text.
    NotText,
    /// Not JSON: where it stops being JSON.
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// JSON, but without the `"samlmeta-settings"` marker.
    NotSettings,
    /// Written in a newer settings format.
    NewerFormat {
        /// The format number found.
        format: String,
    },
    /// The file holds a private key (a PEM `PRIVATE KEY` block): settings never carry keys, and
    /// a key found in one is not read, not even in part.
    HoldsKey,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "This file has {bytes} bytes; a settings file has a few hundred. Choose the \
                 file saved with \"Export settings\"."
            ),
            Self::NotText => f.write_str(
                "This file is not text. Choose the JSON file saved with \"Export settings\".",
            ),
            Self::NotJson { line, column } => write!(
                f,
                "This file is not valid JSON (line {line}, column {column}). Choose the file \
                 saved with \"Export settings\", or correct it there."
            ),
            Self::NotSettings => f.write_str(
                "This file is not samlmeta settings (a JSON file saved with \"Export settings\", \
                 beginning with \"samlmeta-settings\": 1).",
            ),
            Self::NewerFormat { format } => write!(
                f,
                "These settings are in format {format}, written by a newer samlmeta; this one \
                 reads format {SETTINGS_FORMAT}. Use the newer samlmeta."
            ),
            Self::HoldsKey => f.write_str(
                "This file holds a private key. Settings never carry keys, so nothing in it was \
                 used. Load the key as its own file, and delete this copy of it if nobody meant \
                 to write it there.",
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

impl SettingsError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::NotText => "not-text",
            Self::NotJson { .. } => "not-json",
            Self::NotSettings => "not-settings",
            Self::NewerFormat { .. } => "newer-format",
            Self::HoldsKey => "holds-key",
        }
    }
}

/// Words in a setting's name that mark a secret: such settings are refused, never stored.
const SECRET_WORDS: [&str; 9] = [
    "key",
    "private",
    "passphrase",
    "password",
    "secret",
    "pkcs12",
    "p12",
    "pfx",
    "pem",
];

impl ConnectorValues {
    /// Sets several fields (see [`ConnectorValues::set`]): the preset first, its inputs next,
    /// then the rest, whatever the order given, so that a value given beside the preset's inputs
    /// wins over what they derive. Returns the ones not taken, by their index in `items`, with
    /// the reason.
    pub fn set_all(&mut self, items: &[(Field, &str)]) -> Vec<(usize, String)> {
        let rank = |field: Field| match field {
            Field::Preset => 0,
            f if f.preset_input_of().is_some() => 1,
            _ => 2,
        };
        // Three passes rather than a sort: std's sort costs the page kilobytes of code.
        let mut why_not: Vec<Option<String>> = vec![None; items.len()];
        for pass in 0..3 {
            for ((field, text), slot) in items.iter().zip(why_not.iter_mut()) {
                if rank(*field) == pass {
                    *slot = self.set(*field, text).err();
                }
            }
        }
        why_not
            .into_iter()
            .enumerate()
            .filter_map(|(i, why)| why.map(|why| (i, why)))
            .collect()
    }

    /// The values as settings, by key, in [`FIELDS`] order, without empty ones: what "Export
    /// settings" saves and a link carries. Never a key: a value holding one (pasted into the
    /// wrong field; its field shows the error `value-holds-key`) is left out.
    #[must_use]
    pub fn parameters(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .into_iter()
            .filter_map(|field| field.text(self).map(|text| (field.key(), text)))
            .filter(|(_, text)| !holds_private_key(text))
            .collect()
    }

    /// A URL fragment (without `#`) that fills the page with these values.
    #[must_use]
    pub fn to_fragment(&self) -> String {
        self.parameters()
            .iter()
            .map(|(name, value)| format!("{name}={}", form_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The settings file: `{ "samlmeta-settings": 1, "preset": "keeper", ... }`.
    #[must_use]
    pub fn settings_json(&self) -> String {
        json::write_object((SETTINGS_MARKER, SETTINGS_FORMAT), &self.parameters())
    }
}

/// Reads a settings file (as "Export settings" saves it) over `base`. Settings that cannot be
/// used are left out, each with a note; keys and passphrases are never taken.
///
/// # Errors
/// The file is too large, not text, not JSON, not samlmeta settings, or of a newer format.
pub fn read_settings(bytes: &[u8], base: &ConnectorValues) -> Result<Prefill, SettingsError> {
    if bytes.len() > MAX_SETTINGS_BYTES {
        return Err(SettingsError::TooLarge { bytes: bytes.len() });
    }
    let text = core::str::from_utf8(bytes).map_err(|_| SettingsError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Key material anywhere in the file: refused whole.
    if holds_private_key(text) {
        return Err(SettingsError::HoldsKey);
    }
    let members = json::parse_object(text).map_err(|e| SettingsError::NotJson {
        line: e.line,
        column: e.column,
    })?;
    match members.iter().find(|(name, _)| name == SETTINGS_MARKER) {
        None => return Err(SettingsError::NotSettings),
        Some((_, Value::Number(n))) if n == "1" => {}
        Some((_, Value::Number(n))) if n.parse::<u32>().is_ok_and(|n| n > SETTINGS_FORMAT) => {
            return Err(SettingsError::NewerFormat { format: n.clone() });
        }
        Some(_) => return Err(SettingsError::NotSettings),
    }
    let mut notes = Vec::new();
    let mut pairs = Vec::new();
    for (name, value) in members {
        match value {
            _ if name == SETTINGS_MARKER => {}
            Value::Text(text) => pairs.push((name, text)),
            Value::Number(n) => notes.push(format!(
                "Ignored \"{}\" from the settings file: its value {n} is not text in quotes.",
                shorten(&name)
            )),
            Value::Other(kind) => notes.push(format!(
                "Ignored \"{}\" from the settings file: its value is {kind}, not text.",
                shorten(&name)
            )),
        }
    }
    let mut out = prefill_from_pairs(pairs, base, "the settings file");
    notes.append(&mut out.notes);
    out.notes = notes;
    Ok(out)
}

/// The first fragment item that opens the page's Check view (`#check`, `#check&sp_entity_id=...`).
pub const CHECK_VIEW: &str = "check";

/// Applies a URL fragment (with or without its leading `#`) to `base`.
/// A first item `check` (no `=`) is not a setting: it sets [`Prefill::check`]. Parameters are
/// `name=value` pairs joined by `&`, percent-encoded as `URLSearchParams` writes them (`+` is a
/// space). Unknown, repeated or unreadable parameters are ignored, each with a note; a parameter
/// that names a key or passphrase is refused with a note; nothing else changes because of them.
#[must_use]
pub fn prefill_from_fragment(fragment: &str, base: &ConnectorValues) -> Prefill {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut pairs = Vec::new();
    let mut notes = Vec::new();
    let mut embed = None;
    let check = fragment.split('&').next() == Some(CHECK_VIEW);
    let rest = if check {
        fragment.get(CHECK_VIEW.len()..).unwrap_or_default()
    } else {
        fragment
    };
    for pair in rest.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        match (form_decode(raw_name), form_decode(raw_value)) {
            (Some(name), Some(value)) if name == "embed" => match value.as_str() {
                "1" | "true" | "" => embed = Some(true),
                "0" | "false" => embed = Some(false),
                other => notes.push(format!(
                    "Ignored \"embed\" from the link: \"{}\" is not 1 or 0.",
                    shorten(other)
                )),
            },
            (Some(name), Some(value)) => pairs.push((name, value)),
            _ => notes.push(format!(
                "Ignored \"{}\" from the link: it is not properly encoded.",
                shorten(pair)
            )),
        }
    }
    let mut out = prefill_from_pairs(pairs, base, "the link");
    notes.append(&mut out.notes);
    out.notes = notes;
    out.embed = embed == Some(true);
    out.check = check;
    if embed.is_some() {
        out.applied.push("embed".to_owned());
    }
    out
}

/// Applies settings given as key/value pairs (a link's parameters, a settings file's members,
/// the command line's flags) to `base`; `source` ("the link", "the settings file") names where
/// they came from in notes.
///
/// The preset is applied first and its inputs next, whatever the order given, so that a value
/// given beside them wins over what they derive. Settings written by earlier builds for Keeper
/// SSO Connect Cloud carry the entity ID as the ACS URL: that ACS URL is replaced by Keeper's,
/// with a note.
#[must_use]
pub fn prefill_from_pairs(
    pairs: impl IntoIterator<Item = (String, String)>,
    base: &ConnectorValues,
    source: &str,
) -> Prefill {
    let mut out = Prefill {
        values: base.clone(),
        applied: Vec::new(),
        embed: false,
        check: false,
        notes: Vec::new(),
    };
    let mut accepted: Vec<(Field, String, String)> = Vec::new();
    for (name, value) in pairs {
        let lower = name.to_ascii_lowercase();
        if SECRET_WORDS.iter().any(|word| lower.contains(word)) {
            out.notes.push(format!(
                "Ignored \"{}\" from {source}: keys and passphrases are never taken from a URL or \
                 a settings file. Add the key as a file in step 1.",
                shorten(&name)
            ));
            continue;
        }
        let Some(field) = Field::from_key(&name) else {
            out.notes.push(format!(
                "Ignored \"{}\" from {source}: samlmeta has no such setting.",
                shorten(&name)
            ));
            continue;
        };
        if accepted.iter().any(|(f, _, _)| *f == field) {
            out.notes.push(format!(
                "Ignored the second \"{name}\" in {source}: the first one was used."
            ));
            continue;
        }
        if holds_private_key(&value) {
            out.notes.push(format!(
                "Ignored \"{name}\" from {source}: its value holds a private key, and keys are \
                 never taken from a URL or a settings file. Add the key as a file in step 1."
            ));
            continue;
        }
        if value.chars().any(char::is_control) {
            out.notes.push(format!(
                "Ignored \"{name}\" from {source}: its value contains a line break or control \
                 character."
            ));
            continue;
        }
        accepted.push((field, name, value));
    }
    let items: Vec<(Field, &str)> = accepted.iter().map(|(f, _, v)| (*f, v.as_str())).collect();
    let failed = out.values.set_all(&items);
    for (i, (_, name, _)) in accepted.iter().enumerate() {
        match failed.iter().find(|(at, _)| *at == i) {
            Some((_, why)) => out
                .notes
                .push(format!("Ignored \"{name}\" from {source}: {why}.")),
            None => out.applied.push(name.clone()),
        }
    }
    keeper_cloud_from_entity_id(&mut out, source);
    out
}

/// Keeper SSO Connect Cloud settings that name the SP Entity ID but not the region and SSO ID
/// (written before those were settings) get them from the entity ID; and an ACS URL equal to the
/// entity ID (what earlier builds' Cloud preset filled in) is replaced by Keeper's ACS URL.
fn keeper_cloud_from_entity_id(out: &mut Prefill, source: &str) {
    let v = &mut out.values;
    if v.preset != Preset::KeeperCloud {
        return;
    }
    let Some((host, id)) = parse_keeper_cloud_entity_id(&v.sp_entity_id) else {
        return;
    };
    if v.keeper_sso_id.is_empty() {
        let _ = v.set(Field::KeeperRegion, host);
        let _ = v.set(Field::KeeperSsoId, &id);
    }
    if !v.acs_url.is_empty()
        && v.acs_url == v.sp_entity_id
        && let Some((_, acs)) = keeper_cloud_sp(host, &id)
    {
        out.notes.push(format!(
            "Corrected the ACS URL from {source}: it was Keeper SSO Connect Cloud's entity ID \
             (earlier versions of samlmeta filled it in by mistake). Keeper's ACS URL is {acs}; \
             use it in the JumpCloud connector too."
        ));
        v.acs_url = acs;
    }
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; the result must
/// be UTF-8. `None` for a broken escape or bytes that are not UTF-8.
fn form_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut iter = s.bytes();
    while let Some(b) = iter.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = iter.next().and_then(|c| char::from(c).to_digit(16))?;
                let lo = iter.next().and_then(|c| char::from(c).to_digit(16))?;
                bytes.push(u8::try_from(hi * 16 + lo).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `application/x-www-form-urlencoded` encoding, as `URLSearchParams` writes it.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            other => {
                let _ = fmt::Write::write_fmt(&mut out, format_args!("%{other:02X}"));
            }
        }
    }
    out
}

/// The values an IdP's metadata gives the builder, applied to `base`: the IdP Entity ID of its
/// first entity with an `IDPSSODescriptor`, and its first SingleSignOnService's Location, as the
/// IdP URL (the part after [`JUMPCLOUD_SSO_BASE`](crate::metadata::JUMPCLOUD_SSO_BASE)) when it
/// is JumpCloud's, else as the SSO URL. `None` when the metadata has no IdP entity.
///
/// The certificates are the caller's to load ([`crate::metadata::read_idp_signers`]): they go
/// through the same reading and checks as a certificate file.
#[must_use]
pub fn prefill_from_idp_metadata(
    metadata: &crate::message::MetadataCheck,
    base: &ConnectorValues,
) -> Option<Prefill> {
    let entity = metadata
        .entities
        .iter()
        .find(|e| e.roles.iter().any(|r| r == "IDPSSODescriptor"))?;
    let mut pairs = vec![(
        Field::IdpEntityId.key().to_owned(),
        entity.entity_id.clone(),
    )];
    if let Some(sso) = entity
        .endpoints
        .iter()
        .find(|e| e.kind == "SingleSignOnService")
    {
        let suffix = sso
            .location
            .strip_prefix(crate::metadata::JUMPCLOUD_SSO_BASE)
            .filter(|s| !s.is_empty() && !s.contains(['/', '?', '#']));
        pairs.push(match suffix {
            Some(suffix) => (Field::IdpUrlSuffix.key().to_owned(), suffix.to_owned()),
            None => (Field::SsoUrl.key().to_owned(), sso.location.clone()),
        });
    }
    Some(prefill_from_pairs(pairs, base, "the IdP metadata"))
}
