//! Settings without keys: export the connector values as a JSON file or a link, import them back.

use crate::components::field::on_file_chosen;
use crate::state::SlotView;
use web_sys::File;
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
    let import = on_file_chosen(props.on_import.clone());
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
