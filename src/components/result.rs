//! Step 3: the preview, Download, Copy and Clear all, and why downloads are off when they are.

use crate::highlight::highlighted;
use crate::state::{Blocker, Preview};
use yew::prelude::*;

/// Properties of [`ResultView`].
#[derive(Properties, PartialEq)]
pub struct ResultProps {
    /// What the preview shows.
    pub preview: Option<Preview>,
    /// Whether the current input revision is shown.
    pub up_to_date: bool,
    /// Whether downloads will be signed.
    pub will_sign: bool,
    /// The certificate that signs or is named: subject and SHA-256 fingerprint.
    pub certificate: Option<(String, String)>,
    /// Why downloads are off; empty when they are on.
    pub blockers: Vec<Blocker>,
    /// The download's file name.
    pub file_name: AttrValue,
    /// A short message after an action.
    pub notice: Option<String>,
    /// Download pressed.
    pub on_download: Callback<()>,
    /// Copy pressed.
    pub on_copy: Callback<()>,
    /// Clear all pressed.
    pub on_clear: Callback<()>,
    /// SHA-256 (hex) of exactly what Download saves, when the preview shows it.
    pub sha256: Option<String>,
    /// Download SP metadata pressed.
    pub on_download_sp: Callback<()>,
    /// Why the SP metadata cannot be downloaded; empty when it can.
    pub sp_blockers: Vec<Blocker>,
    /// Whether the key is wiped after a download.
    pub wipe: bool,
    /// The wipe option changed.
    pub on_wipe: Callback<bool>,
}

/// The result of the builder.
#[component]
pub fn ResultView(props: &ResultProps) -> Html {
    let blocked = !props.blockers.is_empty();
    let status = if blocked {
        "Not ready yet.".to_owned()
    } else if props.will_sign {
        match &props.preview {
            Some(p) if p.signed && props.up_to_date => {
                "Signed (RSA-SHA256) and checked by samlmeta's own verifier.".to_owned()
            }
            _ => "Signing when you stop typing…".to_owned(),
        }
    } else {
        "Unsigned: no private key was added, so the metadata carries no signature. Add the IdP \
         Private Key in step 1 to sign it."
            .to_owned()
    };
    let download = {
        let cb = props.on_download.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let copy = {
        let cb = props.on_copy.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let clear = {
        let cb = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let download_sp = {
        let cb = props.on_download_sp.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_wipe = {
        let cb = props.on_wipe.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
            {
                cb.emit(input.checked());
            }
        })
    };
    let state = match &props.preview {
        Some(p) if p.signed => "signed",
        Some(_) => "unsigned",
        None => "none",
    };
    html! {
        <div class="result">
            <p class="result-status" data-state={state} aria-live="polite">{status}</p>
            if let Some((subject, fingerprint)) = &props.certificate {
                <p class="hint">
                    {"Certificate: "}<span class="cert-subject">{subject.clone()}</span>
                    {", SHA-256 "}<code class="fingerprint">{fingerprint.clone()}</code>
                </p>
            }
            <div class="actions">
                <button type="button" class="primary" disabled={blocked} onclick={download}
                    aria-describedby="download-blockers">{"Download IdP metadata"}</button>
                <button type="button" disabled={blocked} onclick={copy}
                    aria-describedby="download-blockers">{"Copy"}</button>
                <button type="button" disabled={!props.sp_blockers.is_empty()} onclick={download_sp}
                    aria-describedby="sp-blockers">{"Download SP metadata"}</button>
                <button type="button" class="danger" onclick={clear}>{"Clear all"}</button>
            </div>
            <p class="hint">{format!("Saved as {}. SP metadata is saved as sp-metadata.xml: unsigned, or signed with the SP's own key (step 2), never with the IdP's.", props.file_name)}</p>
            <div class="field checkbox">
                <input type="checkbox" id="wipe-after-download" checked={props.wipe} onchange={on_wipe} />
                <label for="wipe-after-download">{"Wipe the private key from this page after downloading"}</label>
            </div>
            <ul id="sp-blockers" class="visually-hidden">
                { for props.sp_blockers.iter().map(|b| html! { <li>{b.to_string()}</li> }) }
            </ul>
            <ul id="download-blockers" class="findings blockers" aria-live="polite">
                { for props.blockers.iter().map(|b| match b.target() {
                    Some(id) => html! {
                        <li class="message error">
                            <button type="button" class="link-button blocker-link" data-target={id}
                                onclick={Callback::from(move |_: MouseEvent| crate::browser::focus_element(id))}>
                                {b.to_string()}
                            </button>
                        </li>
                    },
                    None => html! { <li class="message error">{b.to_string()}</li> },
                }) }
            </ul>
            if let Some(notice) = &props.notice {
                <p class="notice" role="status">{notice.clone()}</p>
            }
            if let Some(sha256) = &props.sha256 {
                <details class="check-our-work" open=true>
                    <summary>{"Check our work"}</summary>
                    <p>{"SHA-256 of the file Download saves: "}<code class="download-sha256">{sha256.clone()}</code></p>
                    <p>{"Check it, its signature and the certificate yourself:"}</p>
                    <pre class="commands"><code>{format!(
                        "sha256sum {name}\n\
                         xmlsec1 --verify --id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor \\\n    --trusted-pem cert.pem {name}\n\
                         openssl x509 -in cert.pem -noout -fingerprint -sha256",
                        name = props.file_name
                    )}</code></pre>
                    if let Some((_, fingerprint)) = &props.certificate {
                        <p>{"The last command must print "}<code>{format!("SHA256 Fingerprint={fingerprint}")}</code>{" for the cert.pem you trust."}</p>
                    }
                </details>
            }
            <pre class="xml-preview" tabindex="0" role="region" aria-label="Metadata preview" data-state={state}>
                <code>
                    if let Some(p) = &props.preview {
                        {highlighted(&p.xml)}
                    } else {
                        <span class="x-placeholder">{"The metadata appears here once the certificate and the IdP Entity ID are in."}</span>
                    }
                </code>
            </pre>
        </div>
    }
}
