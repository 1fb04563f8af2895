//! A signing-key rollover: moving the IdP from the certificate in use now to a new one without
//! an outage, as three steps with dates.
//!
//! An SP that reads the IdP's keys from its metadata accepts a login signed by any signing
//! certificate the metadata lists, so the order that avoids an outage is the one federations
//! publish for it (SWAMID's "Key Rollover" guide, wiki.sunet.se; Shibboleth's "IdPKeyRollover"):
//! publish metadata that lists both certificates, let it reach every SP, switch the IdP to the new
//! key, then publish metadata with the new one alone. Many SPs read only the first signing
//! `KeyDescriptor`, so the certificate in use now stays first until the switch. JumpCloud wants the
//! new private key and certificate uploaded together (a new certificate clears the key it stored).
//!
//! ```
//! # use samlmeta::connector::rollover::{RolloverStep, plan_rollover};
//! # use samlmeta::connector::Preset;
//! # use samlmeta::time::UnixTime;
//! # let read = |pem: &[u8]| samlmeta::read(pem, None).unwrap().certificates.remove(0);
//! let current = read(include_bytes!("../../tests/fixtures/cert.pem"));
//! let new = read(include_bytes!("../../tests/fixtures/other.cert.pem"));
//! let now = current.not_before();
//! let plan = plan_rollover(&current, &new, now, Preset::KeeperOnPrem);
//! assert_eq!(plan.steps[0].step, RolloverStep::PublishBoth);
//! assert_eq!(plan.steps[1].by, Some(current.not_after()));
//! ```

use crate::connector::Preset;
use crate::findings::{Finding, FindingCode, Severity};
use crate::pki::cert::Certificate;
use crate::time::UnixTime;

/// Which of the three steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RolloverStep {
    /// Publish metadata with the current certificate first and the new one second.
    PublishBoth,
    /// Switch the IdP (JumpCloud's connector) to the new key and certificate.
    SwitchIdp,
    /// Publish metadata with the new certificate alone.
    RemoveOld,
}

impl RolloverStep {
    /// The stable text the page writes in `data-step`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PublishBoth => "publish-both",
            Self::SwitchIdp => "switch-idp",
            Self::RemoveOld => "remove-old",
        }
    }

    /// The step's title.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::PublishBoth => "Publish both certificates",
            Self::SwitchIdp => "Switch JumpCloud to the new key and certificate",
            Self::RemoveOld => "Remove the old certificate",
        }
    }
}

/// One step, with its dates and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// Which step.
    pub step: RolloverStep,
    /// Not before this time.
    pub from: UnixTime,
    /// Done by this time, when there is a deadline.
    pub by: Option<UnixTime>,
    /// What to do, in words.
    pub what: String,
}

/// The rollover from `current` to `new`: the steps in order and what is wrong with the pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloverPlan {
    /// The certificate in use now: first in the metadata until the switch.
    pub current: Certificate,
    /// The certificate to move to: second in the metadata, then alone.
    pub new: Certificate,
    /// The three steps, in order.
    pub steps: [PlannedStep; 3],
    /// What stands in the way or is worth knowing (`rollover-*` codes). None of them stops the
    /// metadata with both certificates from being made; each says what it means for the steps.
    pub findings: Vec<Finding>,
}

/// Plans the rollover from `current` (the certificate the IdP signs with now) to `new`, at `now`.
/// `preset` names where the metadata goes in step 1.
#[must_use]
pub fn plan_rollover(
    current: &Certificate,
    new: &Certificate,
    now: UnixTime,
    preset: Preset,
) -> RolloverPlan {
    let old_end = current.not_after();
    let switch_from = if new.not_before() > now {
        new.not_before()
    } else {
        now
    };
    let import = match preset {
        // Keeper's JumpCloud guide: the metadata file is dropped on SSO Connect's Setup screen.
        Preset::KeeperOnPrem => "drop it on Keeper SSO Connect's Setup screen",
        Preset::KeeperCloud => "upload it in Keeper's Admin Console",
        Preset::Generic => "import it into the service provider",
    };
    let steps = [
        PlannedStep {
            step: RolloverStep::PublishBoth,
            from: now,
            by: Some(old_end),
            what: format!(
                "Download the metadata with both certificates (the current one first: many \
                 service providers read only the first) and {import}. Logins keep working with \
                 the current key."
            ),
        },
        PlannedStep {
            step: RolloverStep::SwitchIdp,
            from: switch_from,
            by: Some(old_end),
            what: format!(
                "Once the service provider has the metadata from step 1, upload the new private \
                 key and certificate together in JumpCloud's connector (a new certificate clears \
                 the key JumpCloud stored), then try a login. From {} the current certificate \
                 has expired and logins signed with it fail.",
                old_end.date()
            ),
        },
        PlannedStep {
            step: RolloverStep::RemoveOld,
            from: switch_from,
            by: None,
            what: format!(
                "Once logins work with the new key, publish metadata with the new certificate \
                 alone: give the new certificate (and its private key, to sign) as IdP \
                 Certificate and remove the Second signing certificate. The new certificate \
                 expires on {}: the next rollover is due before then.",
                new.not_after().date()
            ),
        },
    ];
    RolloverPlan {
        current: current.clone(),
        new: new.clone(),
        steps,
        findings: findings(current, new, now),
    }
}

fn warning(code: FindingCode, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        code,
        message,
    }
}

/// Each rule once; the messages say what to do.
fn findings(current: &Certificate, new: &Certificate, now: UnixTime) -> Vec<Finding> {
    let mut out = Vec::new();
    if current == new {
        out.push(warning(
            FindingCode::RolloverSameCertificate,
            "The new certificate is the one in use now: there is nothing to roll over to. Give \
             the new certificate (cert.pem of the new key pair)."
                .to_owned(),
        ));
        return out;
    }
    let (old_end, new_start, new_end) = (current.not_after(), new.not_before(), new.not_after());
    if new_end <= now {
        out.push(warning(
            FindingCode::RolloverNewExpired,
            format!(
                "The new certificate expired on {}: make a new key pair and certificate.",
                new_end.date()
            ),
        ));
    } else if new_end <= old_end {
        out.push(warning(
            FindingCode::RolloverNewExpiresFirst,
            format!(
                "The new certificate expires on {}, no later than the current one ({}): moving \
                 to it gains nothing. Make a certificate that lasts longer.",
                new_end.date(),
                old_end.date()
            ),
        ));
    }
    if new_start > old_end && new_start > now {
        out.push(warning(
            FindingCode::RolloverGap,
            format!(
                "The new certificate is valid only from {}, after the current one expires on {}: \
                 logins would fail in between. Make a certificate valid from today.",
                new_start.date(),
                old_end.date()
            ),
        ));
    } else if new_start > now {
        out.push(Finding {
            severity: Severity::Info,
            code: FindingCode::RolloverNewNotYetValid,
            message: format!(
                "The new certificate is valid from {}: switch JumpCloud to it on that day or \
                 later.",
                new_start.date()
            ),
        });
    }
    if old_end <= now {
        out.push(warning(
            FindingCode::RolloverCurrentExpired,
            format!(
                "The current certificate expired on {}: service providers that check it already \
                 refuse logins. Do steps 1 and 2 today.",
                old_end.date()
            ),
        ));
    }
    if current.public_key_der().is_some() && current.public_key_der() == new.public_key_der() {
        out.push(warning(
            FindingCode::RolloverSameKey,
            "The new certificate holds the same key as the current one: this renews the \
             certificate, the key stays. In step 2, upload the same private key with the new \
             certificate."
                .to_owned(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::generate::{CertificateRequest, KeyPair};
    use crate::time::DAY;

    const KEY: &[u8] = include_bytes!("../../tests/fixtures/pkcs8.der");
    const OTHER_KEY: &[u8] = include_bytes!("../../tests/fixtures/other.key.pem");
    const NOW: i64 = 1_800_000_000;

    fn cert(key: &[u8], start_day: i64, days: u32) -> Certificate {
        let mut request = CertificateRequest::new("idp.example.com", at(start_day));
        request.days = days;
        KeyPair::certify(key, &request)
            .unwrap()
            .certificate()
            .clone()
    }

    fn other_key() -> Vec<u8> {
        pem_rfc7468::decode_vec(OTHER_KEY).unwrap().1
    }

    fn at(day: i64) -> UnixTime {
        UnixTime::from_seconds(NOW + day * DAY)
    }

    fn codes(plan: &RolloverPlan) -> Vec<&'static str> {
        plan.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_good_pair_has_the_three_steps_with_the_current_certificates_end_as_deadline() {
        let current = cert(KEY, -300, 365);
        let new = cert(&other_key(), 0, 1095);
        let plan = plan_rollover(&current, &new, at(0), Preset::KeeperOnPrem);
        assert!(plan.findings.is_empty(), "{:?}", plan.findings);
        let steps: Vec<_> = plan.steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["publish-both", "switch-idp", "remove-old"]);
        assert_eq!(plan.steps[0].from, at(0));
        assert_eq!(plan.steps[0].by, Some(current.not_after()));
        assert_eq!(plan.steps[1].by, Some(current.not_after()));
        assert_eq!(plan.steps[2].by, None);
        assert!(plan.steps[0].what.contains("Setup screen"));
        assert!(plan.steps[1].what.contains(&current.not_after().date()));
        assert!(plan.steps[2].what.contains(&new.not_after().date()));
        let generic = plan_rollover(&current, &new, at(0), Preset::Generic);
        assert!(
            generic.steps[0]
                .what
                .contains("import it into the service provider")
        );
    }

    #[test]
    fn a_new_certificate_valid_later_moves_the_switch_and_says_so() {
        let current = cert(KEY, -300, 365);
        let new = cert(&other_key(), 10, 1095);
        let plan = plan_rollover(&current, &new, at(0), Preset::KeeperCloud);
        assert_eq!(codes(&plan), ["rollover-new-not-yet-valid"]);
        assert_eq!(plan.findings[0].severity, Severity::Info);
        assert_eq!(plan.steps[0].from, at(0));
        assert_eq!(plan.steps[1].from, new.not_before());
        assert_eq!(plan.steps[2].from, new.not_before());
    }

    #[test]
    fn a_gap_a_shorter_or_expired_new_certificate_and_an_expired_current_one_are_flagged() {
        let other = other_key();
        let current = cert(KEY, -300, 365);
        let gap = cert(&other, 100, 1095);
        assert_eq!(
            codes(&plan_rollover(&current, &gap, at(0), Preset::Generic)),
            ["rollover-gap"]
        );
        let shorter = cert(&other, 0, 30);
        assert_eq!(
            codes(&plan_rollover(&current, &shorter, at(0), Preset::Generic)),
            ["rollover-new-expires-first"]
        );
        let expired = cert(&other, -400, 30);
        assert_eq!(
            codes(&plan_rollover(&current, &expired, at(0), Preset::Generic)),
            ["rollover-new-expired"]
        );
        let old = cert(KEY, -400, 365);
        let new = cert(&other, 0, 365);
        assert_eq!(
            codes(&plan_rollover(&old, &new, at(0), Preset::Generic)),
            ["rollover-current-expired"]
        );
    }

    #[test]
    fn the_same_certificate_or_the_same_key_is_flagged() {
        let current = cert(KEY, -300, 365);
        assert_eq!(
            codes(&plan_rollover(&current, &current, at(0), Preset::Generic)),
            ["rollover-same-certificate"]
        );
        let renewed = cert(KEY, 0, 1095);
        assert_eq!(
            codes(&plan_rollover(&current, &renewed, at(0), Preset::Generic)),
            ["rollover-same-key"]
        );
    }
}
