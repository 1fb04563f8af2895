//! The "In JumpCloud" guided list: the connector's steps in the order of Keeper's JumpCloud guide
//! (docs.keeper.io, SSO Connect on-prem, "JumpCloud Configuration"), each with the page's value,
//! then the Keeper side for the preset. Plain data, testable without a DOM; the view is
//! [`crate::components::InJumpCloud`].

use samlmeta::Severity;
use samlmeta::connector::{ConnectorValues, Field, Preset};
use samlmeta::metadata::Binding;

/// A value the admin pastes into JumpCloud, with its copy button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted {
    /// JumpCloud's field name.
    pub label: &'static str,
    /// The copy button's text ("Copy IdP Entity ID").
    pub button: &'static str,
    /// What the button copies (empty: nothing yet).
    pub value: String,
}

/// One step of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStep {
    /// A stable name for the step (`data-step`).
    pub id: &'static str,
    /// What to do.
    pub text: String,
    /// The value to paste, for the steps that have one.
    pub pasted: Option<Pasted>,
    /// For the steps the page can judge: whether what they need is there and valid.
    pub done: Option<bool>,
}

/// What the page holds beside the values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The private key's file name, when one is loaded ("private.pem" for a pair made here).
    pub key_file: Option<String>,
    /// The certificate's file name, when one is loaded.
    pub cert_file: Option<String>,
    /// The key pair was made in this page and is not saved yet (both files are needed here).
    pub pair_unsaved: bool,
    /// The metadata's download name.
    pub metadata_file: String,
    /// Whether the metadata can be downloaded (nothing blocks it).
    pub metadata_ready: bool,
}

/// True when `field` has a value and no error about it.
fn ready(values: &ConnectorValues, findings: &[(Field, samlmeta::Finding)], field: Field) -> bool {
    let has_value = field.text(values).is_some_and(|t| !t.trim().is_empty());
    has_value
        && !findings
            .iter()
            .any(|(f, finding)| *f == field && finding.severity == Severity::Error)
}

fn pasted(
    values: &ConnectorValues,
    findings: &[(Field, samlmeta::Finding)],
    id: &'static str,
    field: Field,
    button: &'static str,
    text: String,
) -> GuideStep {
    GuideStep {
        id,
        text,
        pasted: Some(Pasted {
            label: field.label(),
            button,
            value: field.text(values).unwrap_or_default().trim().to_owned(),
        }),
        done: Some(ready(values, findings, field)),
    }
}

/// The steps for `values` (Keeper presets: JumpCloud's connector for Keeper; generic: `None`,
/// the page shows its short list for any SP instead).
#[must_use]
pub fn steps(
    values: &ConnectorValues,
    findings: &[(Field, samlmeta::Finding)],
    inputs: &Inputs,
) -> Option<Vec<GuideStep>> {
    if values.preset == Preset::Generic {
        return None;
    }
    let step = |id, text: &str, done| GuideStep {
        id,
        text: text.to_owned(),
        pasted: None,
        done,
    };
    let files = match (&inputs.key_file, &inputs.cert_file) {
        _ if inputs.pair_unsaved => "Upload the IdP Private Key (private.pem) and the IdP \
            Certificate (cert.pem) of the pair made in step 1, together: save both there first \
            (Download private.pem, Download cert.pem)."
            .to_owned(),
        (Some(k), Some(c)) if k == c => format!(
            "Upload the IdP Private Key and the IdP Certificate together. Both are in {k}: \
             JumpCloud takes them as two PEM files (private.pem and cert.pem)."
        ),
        (Some(k), Some(c)) => format!(
            "Upload the IdP Private Key ({k}) and the IdP Certificate ({c}) together: a new \
             certificate clears the key JumpCloud stored."
        ),
        (None, Some(c)) => format!(
            "Upload the IdP Private Key (private.pem) and the IdP Certificate ({c}) together. \
             The page has only the certificate: add the key in step 1 to sign the metadata too."
        ),
        _ => "Upload the IdP Private Key (private.pem) and the IdP Certificate (cert.pem) \
              together: add or make them in step 1."
            .to_owned(),
    };
    let mut out = vec![
        step(
            "open",
            "In JumpCloud's Administrator console, select Applications, then +, search for \
             Keeper and select Configure.",
            None,
        ),
        pasted(
            values,
            findings,
            "idp-entity-id",
            Field::IdpEntityId,
            "Copy IdP Entity ID",
            "IdP Entity ID: exactly as Keeper SSO Connect's Entity ID, same letters and case."
                .to_owned(),
        ),
        step(
            "files",
            &files,
            Some(inputs.key_file.is_some() && inputs.cert_file.is_some() && !inputs.pair_unsaved),
        ),
        pasted(
            values,
            findings,
            "sp-entity-id",
            Field::SpEntityId,
            "Copy SP Entity ID",
            "SP Entity ID: Keeper SSO Connect's Entity ID, from its Service Provider section."
                .to_owned(),
        ),
        pasted(
            values,
            findings,
            "acs-url",
            Field::AcsUrl,
            "Copy ACS URL",
            "ACS URL: Keeper SSO Connect's ACS URL, from the same section.".to_owned(),
        ),
        pasted(
            values,
            findings,
            "idp-url",
            Field::IdpUrlSuffix,
            "Copy IdP URL",
            format!(
                "IdP URL: the end of the connector's URL (it cannot be changed after the \
                 connector is created): {}.",
                values.sso_url()
            ),
        ),
        pasted(
            values,
            findings,
            "display-label",
            Field::DisplayLabel,
            "Copy Display Label",
            "Display Label: shown under Keeper's logo in the JumpCloud User console.".to_owned(),
        ),
        step(
            "sign",
            "Sign: Response (or Assertion and Response), since Keeper SSO Connect expects a \
             signed response; Signature Algorithm: RSA-SHA256.",
            None,
        ),
    ];
    if values.bindings.contains(&Binding::HttpRedirect) {
        out.push(step(
            "declare-redirect",
            "Tick Declare Redirect Endpoint: this metadata lists the HTTP-Redirect binding.",
            None,
        ));
    }
    out.push(step(
        "attributes",
        "User attributes: map First, Last and Email, spelled exactly like that.",
        None,
    ));
    out.push(step("activate", "Select activate.", None));
    let file = &inputs.metadata_file;
    out.push(step(
        "metadata",
        &format!(
            "Download the metadata here (Download IdP metadata saves {file}): it takes the \
             place of the connector's own export."
        ),
        Some(inputs.metadata_ready),
    ));
    out.push(match values.preset {
        Preset::KeeperCloud => step(
            "keeper",
            &format!("In Keeper's Admin Console, set the IDP Type to GENERIC, then upload {file}."),
            None,
        ),
        _ => step(
            "keeper",
            &format!("In Keeper SSO Connect, drop {file} on the Setup screen, then select Save."),
            None,
        ),
    });
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
mod tests {
    use super::*;

    fn values() -> ConnectorValues {
        ConnectorValues {
            idp_entity_id: "KeeperSSO".to_owned(),
            sp_entity_id: "https://sso.acme.example/sso-connect".to_owned(),
            acs_url: "https://sso.acme.example/sso-connect/saml/sso".to_owned(),
            idp_url_suffix: "keepersecurity".to_owned(),
            ..ConnectorValues::default()
        }
    }

    fn ids(steps: &[GuideStep]) -> Vec<&str> {
        steps.iter().map(|s| s.id).collect()
    }

    #[test]
    fn the_steps_follow_the_guide_with_the_values_and_tick_when_valid() {
        let v = values();
        let inputs = Inputs {
            metadata_file: "keepersecurity-idp-metadata.xml".to_owned(),
            ..Inputs::default()
        };
        let steps = steps(&v, &v.findings(), &inputs).unwrap();
        assert_eq!(
            ids(&steps),
            [
                "open",
                "idp-entity-id",
                "files",
                "sp-entity-id",
                "acs-url",
                "idp-url",
                "display-label",
                "sign",
                "attributes",
                "activate",
                "metadata",
                "keeper"
            ]
        );
        let by_id = |id| steps.iter().find(|s| s.id == id).unwrap();
        let entity = by_id("idp-entity-id");
        assert_eq!(entity.pasted.as_ref().unwrap().value, "KeeperSSO");
        assert_eq!(entity.pasted.as_ref().unwrap().button, "Copy IdP Entity ID");
        assert_eq!(entity.done, Some(true));
        assert_eq!(
            by_id("idp-url").pasted.as_ref().unwrap().value,
            "keepersecurity"
        );
        assert!(
            by_id("idp-url")
                .text
                .contains("https://sso.jumpcloud.com/saml2/keepersecurity")
        );
        assert_eq!(by_id("display-label").done, Some(false), "empty");
        assert_eq!(by_id("files").done, Some(false));
        assert!(by_id("keeper").text.contains("Setup screen"));
        assert!(
            by_id("keeper")
                .text
                .contains("keepersecurity-idp-metadata.xml")
        );

        // An invalid value does not tick; the files tick with both; Cloud's Keeper side.
        let mut bad = values();
        bad.idp_entity_id = "Keeper SSO".to_owned();
        bad.preset = Preset::KeeperCloud;
        bad.bindings.push(Binding::HttpRedirect);
        let inputs = Inputs {
            key_file: Some("private.pem".to_owned()),
            cert_file: Some("cert.pem".to_owned()),
            ..inputs
        };
        let steps = super::steps(&bad, &bad.findings(), &inputs).unwrap();
        let by_id = |id| steps.iter().find(|s| s.id == id).unwrap();
        assert_eq!(by_id("idp-entity-id").done, Some(false));
        assert_eq!(by_id("files").done, Some(true));
        assert!(by_id("files").text.contains("(private.pem)"));
        assert!(ids(&steps).contains(&"declare-redirect"));
        assert!(by_id("keeper").text.contains("GENERIC"));
        // A pair made here and not saved: the files are not there yet.
        let unsaved = Inputs {
            pair_unsaved: true,
            ..inputs
        };
        let steps = super::steps(&bad, &bad.findings(), &unsaved).unwrap();
        let files = steps.iter().find(|s| s.id == "files").unwrap();
        assert_eq!(files.done, Some(false));
        assert!(files.text.contains("save both there first"));
        // Any other SP: no JumpCloud list.
        let generic = ConnectorValues {
            preset: Preset::Generic,
            ..values()
        };
        assert!(super::steps(&generic, &[], &Inputs::default()).is_none());
    }
}
