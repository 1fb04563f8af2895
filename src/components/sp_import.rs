//! Step 2's optional input: the service provider's own metadata, which fills SP Entity ID and ACS
//! URL and gives the SP's certificate for the SP metadata download.

use crate::components::SlotStatus;
use crate::components::field::{on_file_chosen, on_file_dropped};
use crate::state::SlotView;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

/// Properties of [`SpImport`].
#[derive(Properties, PartialEq)]
pub struct SpImportProps {
    /// What was read.
    pub view: SlotView,
    /// A file was chosen or dropped.
    pub on_file: Callback<File>,
    /// Remove pressed.
    pub on_remove: Callback<()>,
    /// What the SP key input shows.
    pub key_view: SlotView,
    /// The SP's key file was chosen, with the passphrase typed (if any).
    pub on_key: Callback<(File, Option<String>)>,
    /// Remove the SP key pressed.
    pub on_remove_key: Callback<()>,
}

/// The SP metadata input.
#[component]
pub fn SpImport(props: &SpImportProps) -> Html {
    let on_change = on_file_chosen(props.on_file.clone());
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = on_file_dropped(props.on_file.clone());

    let passphrase = use_node_ref();
    let on_key_change = {
        let cb = props.on_key.clone();
        let passphrase = passphrase.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                let typed = passphrase.cast::<HtmlInputElement>().map(|p| {
                    let value = p.value();
                    p.set_value("");
                    value
                });
                if let Some(file) = input.files().and_then(|f| f.get(0)) {
                    cb.emit((file, typed.filter(|p| !p.is_empty())));
                }
                input.set_value("");
            }
        })
    };

    let view = &props.view;
    let key_view = &props.key_view;
    html! {
        <div class={classes!("drop-zone", "sp-zone", view.error.is_some().then_some("error"))}
            data-slot="sp-metadata" ondragover={on_drag_over} ondrop={on_drop}>
            <label class="drop-label" for="sp-metadata">{"SP metadata"}</label>
            <p class="hint" id="sp-metadata-hint">{"Optional: drop the service provider's metadata (Keeper: Export Metadata) to fill SP Entity ID and ACS URL."}</p>
            <input type="file" id="sp-metadata" class="file-input" accept=".xml,text/xml,application/xml"
                aria-describedby="sp-metadata-hint" onchange={on_change} />
            <div class="slot-status" aria-live="polite">
                <SlotStatus view={view.clone()} what="the SP metadata" on_remove={props.on_remove.clone()} />
            </div>
            <details class="sp-signing">
                <summary>{"Sign the SP metadata with the SP's own key"}</summary>
                <p class="hint">{"Optional, and only for SPs whose metadata you publish yourself. The IdP's key is never used for this."}</p>
                <div class="field">
                    <label for="sp-key-passphrase">{"SP key passphrase (if it is encrypted)"}</label>
                    <input type="password" id="sp-key-passphrase" ref={passphrase} autocomplete="off" />
                </div>
                <div class="field">
                    <label for="sp-private-key">{"SP private key"}</label>
                    <input type="file" id="sp-private-key" class="file-input"
                        accept=".pem,.key,.der,.p12,.pfx" onchange={on_key_change} />
                    <SlotStatus view={key_view.clone()} what="the SP private key" on_remove={props.on_remove_key.clone()} />
                </div>
            </details>
        </div>
    }
}
