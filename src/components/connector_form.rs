//! Step 2: the values the JumpCloud connector asks for, each with its findings.

use crate::components::field::{FindingList, TextField};
use crate::state::Edit;
use samlmeta::Finding;
use samlmeta::connector::{ConnectorValues, Field, KEEPER_REGIONS, NAMEID_FORMATS, Preset};
use samlmeta::model::{Binding, JUMPCLOUD_SSO_BASE};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`ConnectorForm`].
#[derive(Properties, PartialEq)]
pub struct ConnectorFormProps {
    /// The values.
    pub values: ConnectorValues,
    /// Findings by field.
    pub findings: Vec<(Field, Finding)>,
    /// Keeper SSO Connect Cloud: the region's host.
    pub keeper_region: AttrValue,
    /// Keeper SSO Connect Cloud: the SSO ID typed.
    pub keeper_sso_id: AttrValue,
    /// A value changed.
    pub on_edit: Callback<Edit>,
}

/// The connector values.
#[component]
pub fn ConnectorForm(props: &ConnectorFormProps) -> Html {
    let v = &props.values;
    // "Required" is shown by the label; "this is empty" waits in step 3's list until then.
    let of = |field: Field| -> Vec<Finding> {
        props
            .findings
            .iter()
            .filter(|(f, finding)| *f == field && !finding.code.ends_with("-empty"))
            .map(|(_, finding)| finding.clone())
            .collect()
    };
    let edit = |make: fn(String) -> Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |value: String| on_edit.emit(make(value)))
    };
    let checkbox = |make: fn(bool) -> Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_edit.emit(make(input.checked()));
            }
        })
    };
    let on_format = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                on_edit.emit(Edit::NameIdFormat(select.value()));
            }
        })
    };
    let on_preset = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                && let Some(preset) = Preset::from_id(&select.value())
            {
                on_edit.emit(Edit::Preset(preset));
            }
        })
    };
    let on_region = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                on_edit.emit(Edit::KeeperRegion(select.value()));
            }
        })
    };
    let preset_help = match v.preset {
        Preset::KeeperOnPrem => {
            "Keeper SSO Connect on-prem: copy SP Entity ID and ACS URL from SSO Connect's Service Provider section, or drop its exported metadata above."
        }
        Preset::KeeperCloud => {
            "Keeper SSO Connect Cloud: pick your region and type the SSO ID (the number at the end of Keeper's SP Entity ID); SP Entity ID and ACS URL follow. Check them against Keeper's Export Metadata, or drop that file above. In Keeper, import this metadata with IDP Type GENERIC."
        }
        Preset::Generic => {
            "Any SAML identity provider: give its full SSO URL below; the IdP URL field is not used."
        }
    };
    let suffix = v.idp_url_suffix.trim().trim_matches('/');
    let use_sso_url = v.sso_url.is_some();
    let bindings = of(Field::Bindings);
    html! {
        <div class="fields">
            <div class="field">
                <label for="preset">{"Preset"}</label>
                <select id="preset" onchange={on_preset} aria-describedby="preset-help">
                    { for Preset::ALL.iter().map(|p| html! {
                        <option value={p.id()} selected={v.preset == *p}>{p.label()}</option>
                    }) }
                </select>
                <p class="hint" id="preset-help">{preset_help}</p>
            </div>
            if v.preset == Preset::KeeperCloud {
                <div class="field">
                    <label for="keeper-region">{"Keeper region"}</label>
                    <select id="keeper-region" onchange={on_region}>
                        { for KEEPER_REGIONS.iter().map(|(name, host)| html! {
                            <option value={*host} selected={props.keeper_region == *host}>{*name}</option>
                        }) }
                    </select>
                </div>
                <TextField id="keeper-sso-id" label="Keeper SSO ID" value={props.keeper_sso_id.clone()}
                    placeholder="459561502469"
                    hint="The digits at the end of Keeper's SP Entity ID (Admin Console: SSO Connect Cloud provisioning, View)."
                    on_input={edit(Edit::KeeperSsoId)} />
            }
            <TextField id="idp-entity-id" label="IdP Entity ID" required=true
                value={v.idp_entity_id.clone()} findings={of(Field::IdpEntityId)}
                placeholder="KeeperSSO"
                hint="Case-sensitive. It must be exactly the Entity ID your service provider expects (for Keeper SSO Connect, the Entity ID on its configuration page)."
                on_input={edit(Edit::IdpEntityId)} />
            <TextField id="sp-entity-id" label="SP Entity ID"
                value={v.sp_entity_id.clone()} findings={of(Field::SpEntityId)}
                hint="From your service provider (Keeper: SP Entity ID). It goes into the JumpCloud connector; the IdP metadata does not carry it."
                on_input={edit(Edit::SpEntityId)} />
            <TextField id="acs-url" label="ACS URL"
                value={v.acs_url.clone()} findings={of(Field::AcsUrl)}
                placeholder="https://"
                hint="From your service provider (Keeper: Assertion Consumer Service endpoint). It goes into the JumpCloud connector too."
                on_input={edit(Edit::AcsUrl)} />
            <TextField id="idp-url" label="IdP URL" required={!use_sso_url}
                value={v.idp_url_suffix.clone()} findings={of(Field::IdpUrlSuffix)}
                placeholder="keepersecurity"
                hint="The end of the connector's SSO address, as typed in JumpCloud's IdP URL field."
                on_input={edit(Edit::IdpUrlSuffix)}>
                <p class="derived" aria-live="polite">
                    {"SSO URL: "}
                    <output for="idp-url" class="sso-url">
                        if use_sso_url {
                            {v.sso_url()}
                        } else {
                            {format!("{JUMPCLOUD_SSO_BASE}{}", if suffix.is_empty() { "…" } else { suffix })}
                        }
                    </output>
                </p>
            </TextField>
            <div class="field checkbox">
                <input type="checkbox" id="use-sso-url" checked={use_sso_url}
                    onchange={checkbox(Edit::UseSsoUrl)} />
                <label for="use-sso-url">{"Use another SSO URL (an IdP other than JumpCloud)"}</label>
            </div>
            if use_sso_url {
                <TextField id="sso-url" label="SSO URL" required=true
                    value={v.sso_url.clone().unwrap_or_default()} findings={of(Field::SsoUrl)}
                    placeholder="https://idp.example.com/saml2/sso"
                    on_input={edit(Edit::SsoUrl)} />
            }
            <TextField id="display-label" label="Display Label"
                value={v.display_label.clone()} findings={of(Field::DisplayLabel)}
                placeholder="Keeper Security"
                hint="The name users see; written into the metadata as its display name."
                on_input={edit(Edit::DisplayLabel)} />
            <div class="field">
                <label for="nameid-format">{"NameID format"}</label>
                <select id="nameid-format" onchange={on_format}>
                    { for NAMEID_FORMATS.iter().map(|(urn, name)| html! {
                        <option value={*urn} selected={v.name_id_format == *urn}>{*name}</option>
                    }) }
                </select>
                <FindingList findings={of(Field::NameIdFormat)} />
            </div>
            <fieldset class="field bindings">
                <legend>{"SSO bindings"}</legend>
                { for [(Binding::HttpRedirect, "HTTP-Redirect", "binding-redirect"), (Binding::HttpPost, "HTTP-POST", "binding-post")]
                    .into_iter().map(|(binding, name, id)| {
                    let on_edit = props.on_edit.clone();
                    let onchange = Callback::from(move |e: Event| {
                        if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                            on_edit.emit(Edit::Binding(binding, input.checked()));
                        }
                    });
                    html! {
                        <span class="checkbox">
                            <input type="checkbox" id={id} checked={v.bindings.contains(&binding)} {onchange} />
                            <label for={id}>{name}</label>
                        </span>
                    }
                }) }
                <FindingList findings={bindings} />
            </fieldset>
        </div>
    }
}
