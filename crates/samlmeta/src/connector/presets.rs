//! Presets: where the values start from, the SP values a preset derives from its own inputs, and
//! the warnings for SP values that do not fit the preset.
//!
//! Keeper's endpoints, as Keeper and Microsoft publish them:
//! - Keeper SSO Connect Cloud, for a region's host and an SSO ID: Entity ID
//!   `https://<host>/api/rest/sso/saml/<id>`, ACS `https://<host>/api/rest/sso/saml/sso/<id>`
//!   (Microsoft Entra's tutorial for Keeper Password Manager, "Basic SAML Configuration":
//!   <https://learn.microsoft.com/en-us/entra/identity/saas-apps/keeperpasswordmanager-tutorial>).
//!   The ACS URL is not the entity ID.
//! - Keeper SSO Connect on-prem: Entity ID `https://<server>/sso-connect`, ACS
//!   `https://<server>/sso-connect/saml/sso` (Keeper's SSO Connect guide, "Entra ID/Azure AD
//!   Configuration": "Identifier = https://xyz.domain.com:8443/sso-connect Reply URL =
//!   https://xyz.domain.com:8443/sso-connect/saml/sso",
//!   <https://docs.keeper.io/sso-connect-guide/identity-provider-setup/azure-configuration>).

use super::ConnectorValues;
use crate::findings::{Finding, FindingCode, Severity};

/// A starting point: sets defaults, derives the SP values from its inputs, and checks that typed
/// SP values fit. Never drops what the user typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// JumpCloud as IdP for Keeper SSO Connect on-prem (the reference flow).
    #[default]
    KeeperOnPrem,
    /// JumpCloud as IdP for Keeper SSO Connect Cloud: SP values from the region and SSO ID.
    KeeperCloud,
    /// Any SAML IdP: a full SSO URL instead of JumpCloud's.
    Generic,
}

impl Preset {
    /// Every preset, in the order the page offers them.
    pub const ALL: [Self; 3] = [Self::KeeperOnPrem, Self::KeeperCloud, Self::Generic];

    /// True for the presets whose SP is Keeper SSO Connect (on-prem or Cloud).
    #[must_use]
    pub const fn is_keeper(self) -> bool {
        matches!(self, Self::KeeperOnPrem | Self::KeeperCloud)
    }

    /// The name in links, settings files and `--preset`.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::KeeperOnPrem => "keeper",
            Self::KeeperCloud => "keeper-cloud",
            Self::Generic => "generic",
        }
    }

    /// The name the page shows.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::KeeperOnPrem => "JumpCloud \u{2192} Keeper SSO Connect (on-prem)",
            Self::KeeperCloud => "JumpCloud \u{2192} Keeper SSO Connect Cloud",
            Self::Generic => "Generic SAML IdP",
        }
    }

    /// The preset called `id`.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// Keeper SSO Connect Cloud's regions: (name, host). Keeper's data centers as Keeper lists their
/// vault addresses ("Enterprise End-User (SSO)", Web Vault Login: US `keepersecurity.com`, US Public
/// Sector / GovCloud `govcloud.keepersecurity.us`, EU `keepersecurity.eu`, ...,
/// <https://docs.keeper.io/user-guides/enterprise-end-user-setup-sso>); the AU, CA and JP hosts as
/// a Keeper reseller's region table lists them (keepersecurity.com.au, .ca, .jp).
pub const KEEPER_REGIONS: [(&str, &str); 6] = [
    ("US (keepersecurity.com)", "keepersecurity.com"),
    ("EU (keepersecurity.eu)", "keepersecurity.eu"),
    ("Australia (keepersecurity.com.au)", "keepersecurity.com.au"),
    ("Canada (keepersecurity.ca)", "keepersecurity.ca"),
    ("Japan (keepersecurity.jp)", "keepersecurity.jp"),
    (
        "US GovCloud (govcloud.keepersecurity.us)",
        "govcloud.keepersecurity.us",
    ),
];

/// Keeper SSO Connect Cloud's (SP Entity ID, ACS URL) for a region's host and an SSO ID:
/// `https://<host>/api/rest/sso/saml/<id>` and `https://<host>/api/rest/sso/saml/sso/<id>`.
/// `None` while the SSO ID is empty or not digits.
#[must_use]
pub fn keeper_cloud_sp(host: &str, sso_id: &str) -> Option<(String, String)> {
    let id = sso_id.trim();
    if host.is_empty() || id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((
        format!("https://{host}/api/rest/sso/saml/{id}"),
        format!("https://{host}/api/rest/sso/saml/sso/{id}"),
    ))
}

/// Keeper SSO Connect on-prem's (SP Entity ID, ACS URL) for a server (`host` or `host:port`, a
/// pasted URL is cut down to its host): `https://<server>/sso-connect` and
/// `https://<server>/sso-connect/saml/sso`. `None` while the server is empty or not a host.
#[must_use]
pub fn keeper_on_prem_sp(server: &str) -> Option<(String, String)> {
    let host = sso_connect_host(server).ok()?;
    Some((
        format!("https://{host}/sso-connect"),
        format!("https://{host}/sso-connect/saml/sso"),
    ))
}

/// The SSO Connect server as `host` or `host:port`: a pasted `https://` and anything from the
/// first `/` on are dropped.
///
/// # Errors
/// A sentence when what is left is not a host name, an IPv4 address or a bracketed IPv6 address
/// with an optional port.
pub fn sso_connect_host(server: &str) -> Result<String, String> {
    let text = server.trim();
    let lower = text.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") || lower.starts_with("http://") {
        text.split_once("://").map_or(text, |(_, rest)| rest)
    } else {
        text
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let bad = || {
        format!(
            "\"{}\" is not a server name: type the SSO Connect server's host name, with \
             :port if it is not 443 (for example sso.example.com:8443).",
            super::shorten(text)
        )
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']').ok_or_else(bad)?;
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(bad());
        }
        (format!("[{inside}]"), after.strip_prefix(':'))
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let labels_ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !labels_ok {
            return Err(bad());
        }
        (host.to_ascii_lowercase(), port)
    };
    match port {
        None => Ok(host),
        Some(port) => match port.parse::<u16>() {
            Ok(n) if n > 0 && port.chars().all(|c| c.is_ascii_digit()) => Ok(format!("{host}:{n}")),
            _ => Err(bad()),
        },
    }
}

/// A Keeper SSO Connect Cloud entity ID read back: (region host, SSO ID).
#[must_use]
pub fn parse_keeper_cloud_entity_id(entity_id: &str) -> Option<(&'static str, String)> {
    let rest = entity_id.trim().strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let region = KEEPER_REGIONS
        .iter()
        .map(|(_, h)| *h)
        .find(|h| h.eq_ignore_ascii_case(host))?;
    let id = path.strip_prefix("api/rest/sso/saml/")?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then(|| (region, id.to_owned()))
}

impl ConnectorValues {
    /// The (SP Entity ID, ACS URL) the preset derives from its inputs, if they are complete.
    #[must_use]
    pub fn derived_sp(&self) -> Option<(String, String)> {
        match self.preset {
            Preset::KeeperCloud => keeper_cloud_sp(&self.keeper_region, &self.keeper_sso_id),
            Preset::KeeperOnPrem => keeper_on_prem_sp(&self.sso_connect_server),
            Preset::Generic => None,
        }
    }

    /// Runs `change` (a preset or one of its inputs), then replaces each SP value that the preset
    /// had derived (or that was empty) with what it derives now. A value equal to the old
    /// derivation was derived; anything else was typed or read from the SP's metadata and stays.
    pub(super) fn rederive(&mut self, change: impl FnOnce(&mut Self)) {
        let before = self.derived_sp();
        change(self);
        let after = self.derived_sp();
        if before == after {
            return;
        }
        let (old_entity, old_acs) = before.unzip();
        let (new_entity, new_acs) = after.unzip();
        for (value, old, new) in [
            (&mut self.sp_entity_id, old_entity, new_entity),
            (&mut self.acs_url, old_acs, new_acs),
        ] {
            if value.is_empty() || old.as_ref() == Some(value) {
                *value = new.unwrap_or_default();
            }
        }
    }

    /// Switches to `preset`. The SP values the old preset derived are replaced by the new one's
    /// (or emptied), and the old preset's inputs are emptied: nothing of the other preset stays.
    /// Values the user typed stay. The generic preset asks for a full SSO URL; the Keeper presets
    /// use JumpCloud's.
    pub fn apply_preset(&mut self, preset: Preset) {
        self.rederive(|v| {
            v.preset = preset;
            if preset == Preset::KeeperCloud {
                if v.keeper_region.is_empty() {
                    KEEPER_REGIONS[0].1.clone_into(&mut v.keeper_region);
                }
            } else {
                v.keeper_region.clear();
                v.keeper_sso_id.clear();
            }
            if preset != Preset::KeeperOnPrem {
                v.sso_connect_server.clear();
            }
            match preset {
                Preset::Generic => {
                    if v.sso_url.is_none() {
                        v.sso_url = Some(String::new());
                    }
                }
                Preset::KeeperOnPrem | Preset::KeeperCloud => {
                    if v.sso_url.as_deref() == Some("") {
                        v.sso_url = None;
                    }
                }
            }
        });
    }
}

fn warning(code: FindingCode, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        code,
        message,
    }
}

/// Warnings for an SP Entity ID that does not fit the preset.
pub(super) fn sp_entity_id_fit(v: &ConnectorValues) -> Option<Finding> {
    let value = v.sp_entity_id.trim();
    match v.preset {
        Preset::Generic => None,
        Preset::KeeperCloud => match (parse_keeper_cloud_entity_id(value), v.derived_sp()) {
            (None, _) => Some(warning(
                FindingCode::KeeperSpEntityIdUnexpected,
                "Keeper SSO Connect Cloud's SP Entity ID has the form \
                     https://keepersecurity.com/api/rest/sso/saml/<SSO ID> (with your region's \
                     host); this one does not. Check it against Keeper's Export Metadata."
                    .to_owned(),
            )),
            (Some(_), Some((derived, _))) if derived != value => Some(warning(
                FindingCode::KeeperSpEntityIdUnexpected,
                format!(
                    "The SP Entity ID is not the one of the Keeper region and SSO ID above \
                     ({derived}). Check both against Keeper's Export Metadata."
                ),
            )),
            _ => None,
        },
        Preset::KeeperOnPrem => {
            let fits = value
                .strip_prefix("https://")
                .and_then(|rest| rest.strip_suffix("/sso-connect"))
                .is_some_and(|host| !host.contains('/') && sso_connect_host(host).is_ok());
            (!fits).then(|| {
                warning(
                    FindingCode::KeeperSpEntityIdUnexpected,
                    "Keeper SSO Connect on-prem's SP Entity ID has the form \
                         https://<server>/sso-connect; this one does not. Check it against SSO \
                         Connect's Service Provider section."
                        .to_owned(),
                )
            })
        }
    }
}

/// Warnings for an ACS URL that does not fit the preset, above all Keeper's entity ID typed as
/// its ACS URL.
pub(super) fn acs_url_fit(v: &ConnectorValues) -> Option<Finding> {
    let value = v.acs_url.trim();
    let expected = v
        .derived_sp()
        .map(|(_, acs)| acs)
        .or_else(|| match v.preset {
            Preset::KeeperCloud => parse_keeper_cloud_entity_id(&v.sp_entity_id)
                .and_then(|(host, id)| keeper_cloud_sp(host, &id))
                .map(|(_, acs)| acs),
            Preset::KeeperOnPrem => v
                .sp_entity_id
                .trim()
                .strip_prefix("https://")
                .and_then(|rest| rest.strip_suffix("/sso-connect"))
                .and_then(keeper_on_prem_sp)
                .map(|(_, acs)| acs),
            Preset::Generic => None,
        });
    let product = match v.preset {
        Preset::KeeperCloud => "Keeper SSO Connect Cloud",
        Preset::KeeperOnPrem => "Keeper SSO Connect on-prem",
        Preset::Generic => return None,
    };
    let form = match v.preset {
        Preset::KeeperCloud => "https://<region host>/api/rest/sso/saml/sso/<SSO ID>",
        _ => "https://<server>/sso-connect/saml/sso",
    };
    let should_be = expected
        .as_deref()
        .map_or_else(|| format!("has the form {form}"), |acs| format!("is {acs}"));
    if value == v.sp_entity_id.trim() {
        return Some(warning(
            FindingCode::AcsUrlIsEntityId,
            format!(
                "The ACS URL equals the SP Entity ID, but {product}'s ACS URL is a different \
                 address: it {should_be}. With this one, logins fail."
            ),
        ));
    }
    let fits = match (&expected, v.preset) {
        (Some(acs), _) => acs == value,
        (None, Preset::KeeperCloud) => value
            .strip_prefix("https://")
            .and_then(|rest| rest.split_once("/api/rest/sso/saml/sso/"))
            .is_some_and(|(host, id)| {
                parse_keeper_cloud_entity_id(&format!("https://{host}/api/rest/sso/saml/{id}"))
                    .is_some()
            }),
        (None, _) => value
            .strip_prefix("https://")
            .and_then(|rest| rest.strip_suffix("/sso-connect/saml/sso"))
            .is_some_and(|host| !host.contains('/') && sso_connect_host(host).is_ok()),
    };
    (!fits).then(|| {
        warning(
            FindingCode::KeeperAcsUrlUnexpected,
            format!(
                "{product}'s ACS URL {should_be}; this one is not. Check it against Keeper's own \
                 values."
            ),
        )
    })
}
