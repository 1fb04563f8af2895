//! A labelled text input with its hint and its findings.

use samlmeta::{Finding, Severity};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A file input's `onchange`: emits the chosen file, then empties the input, so it holds nothing
/// and the same file can be chosen again.
pub fn on_file_chosen(on_file: Callback<web_sys::File>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                on_file.emit(file);
            }
            input.set_value("");
        }
    })
}

/// A drop zone's `ondrop`: emits the first file dropped (the browser's own handling, opening
/// the file, is stopped).
pub fn on_file_dropped(on_file: Callback<web_sys::File>) -> Callback<web_sys::DragEvent> {
    Callback::from(move |e: web_sys::DragEvent| {
        e.prevent_default();
        if let Some(file) = e
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            on_file.emit(file);
        }
    })
}

/// The findings shown under `field`'s input. "This is empty" is not among them: the label says
/// "required", and step 3's list says what is missing when it matters.
#[must_use]
pub fn field_findings(
    findings: &[(samlmeta::connector::Field, Finding)],
    field: samlmeta::connector::Field,
) -> Vec<Finding> {
    findings
        .iter()
        .filter(|(f, finding)| *f == field && !finding.code.is_empty_value())
        .map(|(_, finding)| finding.clone())
        .collect()
}

/// Properties of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The input's id.
    pub id: AttrValue,
    /// The label, exactly as the connector names the field.
    pub label: AttrValue,
    /// The value.
    pub value: AttrValue,
    /// A sentence on where the value comes from.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Findings about this field.
    #[prop_or_default]
    pub findings: Vec<Finding>,
    /// Whether the field must be filled.
    #[prop_or_default]
    pub required: bool,
    /// Placeholder text.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Something shown under the input (the full SSO URL, live).
    #[prop_or_default]
    pub children: Html,
    /// The new value on every keystroke.
    pub on_input: Callback<String>,
}

/// A labelled text input.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let on_input = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_input.emit(input.value());
            }
        })
    };
    let hint_id = format!("{}-hint", props.id);
    let findings_id = format!("{}-findings", props.id);
    let invalid = props.findings.iter().any(|f| f.severity == Severity::Error);
    html! {
        <div class="field">
            <div class="label-row">
                <label for={props.id.clone()}>{props.label.clone()}</label>
                if props.required { <span class="required">{"required"}</span> }
            </div>
            <input type="text" id={props.id.clone()} value={props.value.clone()}
                required={props.required}
                spellcheck="false" autocomplete="off" autocapitalize="off"
                placeholder={props.placeholder.clone()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={format!("{hint_id} {findings_id}")}
                oninput={on_input} />
            if let Some(hint) = &props.hint {
                <p class="hint" id={hint_id}>{hint.clone()}</p>
            }
            {props.children.clone()}
            <FindingList id={findings_id} findings={props.findings.clone()} />
        </div>
    }
}

/// Properties of [`FindingList`].
#[derive(Properties, PartialEq)]
pub struct FindingListProps {
    /// The list's id (for `aria-describedby`).
    #[prop_or_default]
    pub id: Option<String>,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// Findings as messages, each marked with its severity.
#[component]
pub fn FindingList(props: &FindingListProps) -> Html {
    html! {
        <ul class="findings" id={props.id.clone()} aria-live="polite">
            { for props.findings.iter().map(|f| {
                let class = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                let word = match f.severity {
                    Severity::Error => "Error: ",
                    Severity::Warning => "Warning: ",
                    Severity::Info => "Note: ",
                };
                html! {
                    <li class={classes!("message", class)} data-code={f.code.as_str()}>
                        <span class="severity">{word}</span>{f.message.clone()}
                    </li>
                }
            }) }
        </ul>
    }
}
