//! Step 2's advanced values: validUntil and cacheDuration, single logout, a second signing
//! certificate for a key rollover, an encryption certificate, organization and contact.

use crate::components::SlotStatus;
use crate::components::field::{TextField, field_findings, on_file_chosen};
use crate::state::{Edit, Slot, SlotView};
use samlmeta::Finding;
use samlmeta::connector::{ConnectorValues, Field};
use web_sys::File;
use yew::prelude::*;

/// Properties of [`Advanced`].
#[derive(Properties, PartialEq)]
pub struct AdvancedProps {
    /// The values.
    pub values: ConnectorValues,
    /// Findings by field.
    pub findings: Vec<(Field, Finding)>,
    /// The signing certificate's expiry and days left, for the validUntil hint.
    pub cert_expiry: Option<(String, i64)>,
    /// The rollover certificate input.
    pub rollover: SlotView,
    /// The encryption certificate input.
    pub encryption: SlotView,
    /// A value changed.
    pub on_edit: Callback<Edit>,
    /// A certificate file was chosen.
    pub on_cert: Callback<(Slot, File)>,
    /// A certificate was removed.
    pub on_remove: Callback<Slot>,
}

/// The advanced section.
#[component]
pub fn Advanced(props: &AdvancedProps) -> Html {
    let v = &props.values;
    let of = |field: Field| field_findings(&props.findings, field);
    let edit = |field: Field| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |value: String| on_edit.emit(Edit::Text(field, value)))
    };
    let cert_input = |which: Slot,
                      id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      view: &SlotView| {
        let on_cert = props.on_cert.clone();
        let onchange = on_file_chosen(Callback::from(move |file| on_cert.emit((which, file))));
        let on_remove = props.on_remove.clone();
        let remove = Callback::from(move |()| on_remove.emit(which));
        html! {
            <div class="field">
                <label for={id}>{label}</label>
                <input type="file" id={id} class="file-input" accept=".pem,.crt,.cer,.der" {onchange} />
                <p class="hint">{hint}</p>
                <SlotStatus view={view.clone()} what={format!("the {}", label.to_lowercase())} on_remove={remove} />
            </div>
        }
    };
    let valid_hint = match &props.cert_expiry {
        Some((date, days)) => format!(
            "Writes validUntil this many days from today. The certificate expires on {date} ({days} days from now): stay below that."
        ),
        None => "Writes validUntil this many days from today; leave empty for none.".to_owned(),
    };
    html! {
        <details class="advanced">
            <summary>{"Advanced: validity, logout, rollover, encryption, organization"}</summary>
            <div class="fields">
                <TextField id="valid-days" label={Field::ValidDays.label()} value={v.valid_days.clone()}
                    findings={of(Field::ValidDays)} placeholder="365" hint={valid_hint}
                    on_input={edit(Field::ValidDays)} />
                <TextField id="cache-duration" label={Field::CacheDuration.label()} value={v.cache_duration.clone()}
                    findings={of(Field::CacheDuration)} placeholder="P7D"
                    hint="cacheDuration: how long an SP may cache the metadata, as P7D (7 days) or PT12H (12 hours)."
                    on_input={edit(Field::CacheDuration)} />
                <TextField id="slo-url" label={Field::SloUrl.label()} value={v.slo_url.clone()}
                    findings={of(Field::SloUrl)} placeholder="https://"
                    on_input={edit(Field::SloUrl)} />
                { cert_input(Slot::Rollover, "rollover-certificate", "Second signing certificate",
                    "For a key rollover: the metadata lists both signing certificates, so SPs accept signatures from the old and the new key.",
                    &props.rollover) }
                { cert_input(Slot::Encryption, "encryption-certificate", "Encryption certificate",
                    "A certificate SPs encrypt assertions to (KeyDescriptor use=\"encryption\").",
                    &props.encryption) }
                <TextField id="org-name" label={Field::OrgName.label()} value={v.org_name.clone()}
                    findings={of(Field::OrgName)} on_input={edit(Field::OrgName)} />
                <TextField id="org-url" label={Field::OrgUrl.label()} value={v.org_url.clone()}
                    findings={of(Field::OrgUrl)} placeholder="https://" on_input={edit(Field::OrgUrl)} />
                <TextField id="contact-name" label={Field::ContactName.label()} value={v.contact_name.clone()}
                    on_input={edit(Field::ContactName)} />
                <TextField id="contact-email" label={Field::ContactEmail.label()} value={v.contact_email.clone()}
                    findings={of(Field::ContactEmail)} placeholder="it@example.com"
                    on_input={edit(Field::ContactEmail)} />
            </div>
        </details>
    }
}
