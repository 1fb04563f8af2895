//! The certificate card: what an SP that asks for fields instead of metadata needs, with copy
//! buttons, and the certificate as PEM, DER (.cer) and one-line base64.

use samlmeta::{Certificate, UnixTime};
use yew::prelude::*;

/// What to copy or download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    /// The SSO URL.
    CopySsoUrl,
    /// The IdP Entity ID.
    CopyEntityId,
    /// The certificate as PEM.
    CopyPem,
    /// The certificate as one line of base64.
    CopyBase64,
    /// The certificate as DER, `<name>.cer`.
    DownloadDer,
}

/// Properties of [`CertCard`].
#[derive(Properties, PartialEq)]
pub struct CertCardProps {
    /// The signing certificate.
    pub cert: Certificate,
    /// The clock, for days left.
    pub now: UnixTime,
    /// The SSO URL.
    pub sso_url: AttrValue,
    /// The IdP Entity ID.
    pub entity_id: AttrValue,
    /// A button was pressed.
    pub on_action: Callback<CardAction>,
}

/// The certificate card.
#[component]
pub fn CertCard(props: &CertCardProps) -> Html {
    let c = &props.cert;
    let days_left = (c.not_after().seconds() - props.now.seconds()).div_euclid(86_400);
    let validity = format!(
        "{} to {} ({})",
        c.not_before().date(),
        c.not_after().date(),
        if days_left < 0 {
            format!("expired {} days ago", -days_left)
        } else {
            format!("{days_left} days left")
        }
    );
    let button = |label: &'static str, action: CardAction| {
        let on_action = props.on_action.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_action.emit(action));
        html! { <button type="button" class="small" {onclick}>{label}</button> }
    };
    let row = |name: &'static str, value: String, extra: Html| {
        html! {
            <div class="card-row">
                <dt>{name}</dt>
                <dd><span class="card-value">{value}</span>{extra}</dd>
            </div>
        }
    };
    html! {
        <section class="cert-card" aria-labelledby="cert-card-title">
            <h3 id="cert-card-title">{"Certificate and values for your service provider"}</h3>
            <dl>
                { row("IdP Entity ID", props.entity_id.to_string(), button("Copy entity ID", CardAction::CopyEntityId)) }
                { row("SSO URL", props.sso_url.to_string(), button("Copy SSO URL", CardAction::CopySsoUrl)) }
                { row("Subject", c.subject(), html!{}) }
                { row("Issuer", c.issuer(), html!{}) }
                { row("Valid", validity, html!{}) }
                { row("Key", c.public_key().to_string(), html!{}) }
                { row("SHA-256", c.sha256_fingerprint().to_string(), html!{}) }
                { row("SHA-1", c.sha1_fingerprint(), html!{}) }
            </dl>
            <div class="actions">
                { button("Copy certificate (PEM)", CardAction::CopyPem) }
                { button("Copy one-line base64", CardAction::CopyBase64) }
                { button("Download certificate (.cer)", CardAction::DownloadDer) }
            </div>
        </section>
    }
}
