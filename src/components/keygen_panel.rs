//! Step 1's "Generate a key pair": the panel that makes private.pem and cert.pem in the page, its
//! progress with Cancel, and the downloads of the pair made.

use crate::state::{KeygenEdit, KeygenForm, MAX_YEARS, PairFile};
use gloo_timers::callback::Interval;
use samlmeta::pki::generate::KeySize;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the panel shows of a generated pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairView {
    /// Key size in bits.
    pub bits: u32,
    /// The certificate's subject.
    pub subject: String,
    /// Its last day of validity.
    pub valid_until: String,
    /// Whether an encrypted copy was made.
    pub encrypted: bool,
    /// "WebCrypto" or "WebAssembly", and where it ran.
    pub made_by: String,
    /// Whether the key and the certificate have been downloaded.
    pub saved: (bool, bool),
}

/// Properties of [`KeygenPanel`].
#[derive(Properties, PartialEq)]
pub struct KeygenPanelProps {
    /// The panel's values and progress.
    pub form: KeygenForm,
    /// The common name shown (typed, or from the IdP Entity ID).
    pub common_name: AttrValue,
    /// The pair made, if step 1 holds it.
    pub pair: Option<PairView>,
    /// The passphrase input (read at Generate, then emptied; never kept in the state).
    pub passphrase: NodeRef,
    /// A value changed.
    pub on_edit: Callback<KeygenEdit>,
    /// "Generate".
    pub on_generate: Callback<()>,
    /// "Cancel".
    pub on_cancel: Callback<()>,
    /// A download of the pair.
    pub on_download: Callback<PairFile>,
}

/// The panel and the pair's downloads.
#[component]
pub fn KeygenPanel(props: &KeygenPanelProps) -> Html {
    let form = &props.form;
    let elapsed = use_state(|| 0_u32);
    {
        // While generating: the elapsed time, in tenths of a second.
        let elapsed = elapsed.clone();
        let token = form.running.as_ref().map(|r| r.token);
        use_effect_with(token, move |token| {
            elapsed.set(0);
            let ticker = token.map(|_| {
                let start = js_sys::Date::now();
                Interval::new(100, move || {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    elapsed.set(((js_sys::Date::now() - start) / 100.0) as u32);
                })
            });
            move || drop(ticker)
        });
    }
    let text = |make: fn(String) -> KeygenEdit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_edit.emit(make(input.value()));
            }
        })
    };
    let on_size = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let size = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|s| s.value().parse().ok())
                .and_then(KeySize::from_bits);
            if let Some(size) = size {
                on_edit.emit(KeygenEdit::Size(size));
            }
        })
    };
    let toggle = {
        let on_edit = props.on_edit.clone();
        let open = form.open;
        Callback::from(move |_: MouseEvent| on_edit.emit(KeygenEdit::Open(!open)))
    };
    let generate = props.on_generate.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let download = |file: PairFile| props.on_download.reform(move |_: MouseEvent| file);
    let running = form.running.is_some();

    html! {
        <div class="keygen">
            <button type="button" class="secondary" aria-expanded={form.open.to_string()}
                aria-controls="keygen-panel" onclick={toggle}>{"Generate a key pair"}</button>
            if form.open {
                <div class="keygen-panel" id="keygen-panel" role="group" aria-label="Generate a key pair">
                    <p class="hint">{"No private.pem and cert.pem yet? Make them here: an RSA key and a self-signed certificate (SHA-256, keyUsage digitalSignature), made in this page and never sent anywhere."}</p>
                    <div class="fields">
                        <div class="field">
                            <label for="keygen-size">{"Key size"}</label>
                            <select id="keygen-size" onchange={on_size} disabled={running}>
                                { for KeySize::ALL.iter().map(|size| html! {
                                    <option value={size.bits().to_string()} selected={form.size == *size}>
                                        {format!("{} bits{}", size.bits(), if *size == KeySize::default() { " (default)" } else { "" })}
                                    </option>
                                }) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="keygen-cn">{"Common name"}</label>
                            <input type="text" id="keygen-cn" value={props.common_name.clone()} disabled={running}
                                oninput={text(KeygenEdit::CommonName)} aria-describedby="keygen-cn-hint" />
                            <p class="hint" id="keygen-cn-hint">{"The certificate's subject (CN), at most 64 characters: the IdP Entity ID's host name unless you change it."}</p>
                        </div>
                        <div class="field">
                            <label for="keygen-years">{"Valid for (years)"}</label>
                            <input type="number" id="keygen-years" min="1" max={MAX_YEARS.to_string()} step="1"
                                value={form.years.clone()} disabled={running} oninput={text(KeygenEdit::Years)} />
                        </div>
                        <div class="field">
                            <label for="keygen-org">{"Certificate organization (O)"}</label>
                            <input type="text" id="keygen-org" value={form.organization.clone()} disabled={running}
                                oninput={text(KeygenEdit::Organization)} placeholder="optional" />
                        </div>
                        <div class="field">
                            <label for="keygen-passphrase">{"Passphrase for a stored copy"}</label>
                            <input type="password" id="keygen-passphrase" ref={props.passphrase.clone()}
                                autocomplete="new-password" disabled={running} aria-describedby="keygen-passphrase-hint" />
                            <p class="hint" id="keygen-passphrase-hint">{"Optional: also offers private-encrypted.pem, an encrypted copy to keep. JumpCloud's upload takes the unencrypted private.pem."}</p>
                        </div>
                    </div>
                    if let Some(run) = &form.running {
                        <div class="keygen-progress" role="status">
                            <progress aria-label="Generating the key pair"></progress>
                            <span class="elapsed">{format!("Generating an RSA {}-bit key… {}.{} s", run.bits, *elapsed / 10, *elapsed % 10)}</span>
                            <button type="button" onclick={cancel}>{"Cancel"}</button>
                        </div>
                    } else {
                        <button type="button" class="primary" onclick={generate}>{"Generate"}</button>
                    }
                    if let Some(why) = &form.error {
                        <p class="message error" role="alert" data-keygen="error">{why.clone()}</p>
                    }
                </div>
            }
            if let Some(pair) = &props.pair {
                <div class="keygen-result" data-keygen="generated">
                    <p class="message warning" role="status">
                        {format!("A new key pair is loaded in step 1: RSA {} bits, {}, valid until {} (made with {}). ", pair.bits, pair.subject, pair.valid_until, pair.made_by)}
                        {"The key exists only in this page and in the files you save: download both now. JumpCloud needs private.pem and cert.pem uploaded together (a new certificate clears the key JumpCloud stored); the service provider gets the certificate inside the metadata."}
                    </p>
                    <div class="inline">
                        <button type="button" class="primary" onclick={download(PairFile::Key)}>{"Download private.pem"}</button>
                        <button type="button" onclick={download(PairFile::Certificate)}>{"Download cert.pem"}</button>
                        if pair.encrypted {
                            <button type="button" onclick={download(PairFile::EncryptedKey)}>{"Download private-encrypted.pem"}</button>
                        }
                    </div>
                    <p class="hint">{match pair.saved {
                        (true, true) => "Both files saved.",
                        (true, false) => "The key is saved; cert.pem is not yet.",
                        (false, true) => "cert.pem is saved; the key is not yet.",
                        (false, false) => "Neither file is saved yet.",
                    }}</p>
                </div>
            }
        </div>
    }
}
