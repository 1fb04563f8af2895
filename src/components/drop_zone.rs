//! A file slot of step 1: a labelled file input, a drop target and a paste target.
//!
//! The label ("IdP Certificate", "IdP Private Key") is the file input's accessible name; the
//! whole zone takes dropped files; the small paste area takes PEM text pasted into it without
//! ever holding it (the paste is intercepted and its text turned into bytes at once).

use crate::components::SlotStatus;
use crate::components::field::on_file_chosen;
use crate::state::{Slot, SlotView};
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DragEvent, File};
use yew::prelude::*;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Which slot.
    pub slot: Slot,
    /// A sentence on what belongs here.
    pub hint: AttrValue,
    /// What the slot holds.
    pub view: SlotView,
    /// A file was chosen or dropped.
    pub on_file: Callback<(Slot, File)>,
    /// PEM text was pasted.
    pub on_paste: Callback<(Slot, String)>,
    /// Remove was pressed.
    pub on_remove: Callback<Slot>,
}

/// One file slot.
#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let slot = props.slot;
    let (id, what) = match slot {
        Slot::Key => ("idp-private-key", "the private key"),
        _ => ("idp-certificate", "the certificate"),
    };

    let on_change = {
        let on_file = props.on_file.clone();
        on_file_chosen(Callback::from(move |file| on_file.emit((slot, file))))
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|files| files.get(0))
            {
                on_file.emit((slot, file));
            }
        })
    };
    let on_paste = {
        let on_paste = props.on_paste.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            let Some(e) = e.dyn_ref::<ClipboardEvent>() else {
                return;
            };
            if let Some(text) = e
                .clipboard_data()
                .and_then(|dt| dt.get_data("text/plain").ok())
                .filter(|t| !t.trim().is_empty())
            {
                on_paste.emit((slot, text));
            }
        })
    };
    // Only pastes are taken: anything typed is cleared at once, so no key text sits in the page.
    let clear_typing = Callback::from(|e: InputEvent| {
        if let Some(area) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            area.set_value("");
        }
    });
    let on_remove = {
        let on_remove = props.on_remove.clone();
        Callback::from(move |()| on_remove.emit(slot))
    };

    let view = &props.view;
    let state = if view.error.is_some() {
        "error"
    } else if view.file_name.is_some() {
        "loaded"
    } else {
        "empty"
    };
    let hint_id = format!("{id}-hint");
    let status_id = format!("{id}-status");
    html! {
        <div class={classes!("drop-zone", state, dragging.then_some("dragging"))}
            data-slot={id} ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <label class="drop-label" for={id}>{slot.label()}</label>
            <p class="hint" id={hint_id.clone()}>{props.hint.clone()}</p>
            <div class="drop-actions">
                <input type="file" id={id} class="file-input"
                    aria-describedby={format!("{hint_id} {status_id}")}
                    accept=".pem,.crt,.cer,.der,.key,.p12,.pfx,.txt" onchange={on_change} />
                <textarea class="paste-target" rows="1"
                    aria-label={format!("Paste PEM text for {what}")}
                    placeholder="…or paste PEM text here (Ctrl+V)" value=""
                    onpaste={on_paste} oninput={clear_typing} />
            </div>
            <div id={status_id} class="slot-status" aria-live="polite">
                <SlotStatus view={view.clone()} what={what} on_remove={on_remove} />
            </div>
        </div>
    }
}
