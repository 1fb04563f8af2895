//! Settings without keys: export the connector values as a JSON file or a link, import them back.

use crate::state::SlotView;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

/// Properties of [`Settings`].
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// "Export settings" pressed.
    pub on_export: Callback<()>,
    /// "Copy link" pressed.
    pub on_copy_link: Callback<()>,
    /// A settings file was chosen.
    pub on_import: Callback<File>,
    /// The last import, if it failed.
    pub import: SlotView,
}

/// Export and import of the connector values.
#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let export = {
        let cb = props.on_export.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let link = {
        let cb = props.on_copy_link.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let import = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Some(file) = input.files().and_then(|f| f.get(0)) {
                    cb.emit(file);
                }
                input.set_value("");
            }
        })
    };
    html! {
        <section class="settings" aria-labelledby="settings-title">
            <h3 id="settings-title">{"Save the values for next time"}</h3>
            <p class="hint">{"The connector values only, never a key or a passphrase: next year's certificate rotation starts from this year's values."}</p>
            <div class="actions">
                <button type="button" class="small" onclick={export}>{"Export settings"}</button>
                <button type="button" class="small" onclick={link}>{"Copy link with these values"}</button>
            </div>
            <div class="field">
                <label for="import-settings">{"Import settings"}</label>
                <input type="file" id="import-settings" class="file-input" accept=".json,application/json" onchange={import} />
                if let Some(error) = &props.import.error {
                    <p class="message error" role="alert">{error.clone()}</p>
                }
            </div>
        </section>
    }
}
