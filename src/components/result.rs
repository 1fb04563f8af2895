//! Step 3: the preview, Download, Copy and Clear all, and why downloads are off when they are.

use crate::highlight::highlighted;
use crate::state::Preview;
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
    pub blockers: Vec<String>,
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
                <button type="button" class="danger" onclick={clear}>{"Clear all"}</button>
            </div>
            <p class="hint">{format!("Saved as {}", props.file_name)}</p>
            <ul id="download-blockers" class="findings blockers" aria-live="polite">
                { for props.blockers.iter().map(|b| html! { <li class="message error">{b.clone()}</li> }) }
            </ul>
            if let Some(notice) = &props.notice {
                <p class="notice" role="status">{notice.clone()}</p>
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
