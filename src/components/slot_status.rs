//! What a file input holds: the file's name, what was found in it, a Remove button, or why the
//! file could not be used; and why a file dropped on it replaced nothing. One component for every
//! file input of the page.

use crate::state::SlotView;
use yew::prelude::*;

/// Properties of [`SlotStatus`].
#[derive(Properties, PartialEq)]
pub struct SlotStatusProps {
    /// What the input holds.
    pub view: SlotView,
    /// What Remove removes, for its accessible name ("the certificate").
    pub what: AttrValue,
    /// Remove pressed.
    pub on_remove: Callback<()>,
}

/// The status line of a file input.
#[component]
pub fn SlotStatus(props: &SlotStatusProps) -> Html {
    let remove = {
        let cb = props.on_remove.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let view = &props.view;
    html! {
        <>
            if let Some(name) = &view.file_name {
                <p class="slot-file">
                    <span class="file-name">{name.clone()}</span>
                    if let Some(summary) = &view.summary {
                        {": "}<span class="slot-summary">{summary.clone()}</span>
                    }
                    <button type="button" class="link-button" onclick={remove}
                        aria-label={format!("Remove {}", props.what)}>{"Remove"}</button>
                </p>
            }
            if let Some(error) = &view.error {
                <p class="message error" role="alert">{error.clone()}</p>
            }
            if let Some(why) = &view.not_replaced {
                <p class="message error" role="alert" data-not-replaced="true">{why.clone()}</p>
            }
        </>
    }
}
