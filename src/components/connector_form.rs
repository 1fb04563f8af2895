//! Step 2: the values the JumpCloud connector asks for, each with its findings.

use crate::components::field::{FindingList, TextField, field_findings};
use crate::state::Edit;
use samlmeta::Finding;
use samlmeta::connector::{ConnectorValues, Field, KEEPER_REGIONS, NAMEID_FORMATS, Preset};
use samlmeta::metadata::{Binding, JUMPCLOUD_SSO_BASE};
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
    /// A value changed.
    pub on_edit: Callback<Edit>,
}

/// The connector values.
#[component]
pub fn ConnectorForm(props: &ConnectorFormProps) -> Html {
    let v = &props.values;
    let of = |field: Field| field_findings(&props.findings, field);
    // A text input for `field`: label and value from the core's field table.
    let text = |field: Field,
                id: &'static str,
                placeholder: &'static str,
                hint: Option<&'static str>| {
        let on_edit = props.on_edit.clone();
        html! {
            <TextField id={id} label={field.label()} value={field.text(v).unwrap_or_default()}
                findings={of(field)} placeholder={(!placeholder.is_empty()).then_some(placeholder)}
                hint={hint.map(AttrValue::from)}
                on_input={Callback::from(move |value: String| on_edit.emit(Edit::Text(field, value)))} />
        }
    };
    let select = |field: Field| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                on_edit.emit(Edit::Text(field, select.value()));
            }
        })
    };
    let on_use_sso_url = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_edit.emit(Edit::UseSsoUrl(input.checked()));
            }
        })
    };
    let preset_help = match v.preset {
        Preset::KeeperOnPrem => {
            "Keeper SSO Connect on-prem: type the SSO Connect server and SP Entity ID and ACS URL follow, or drop SSO Connect's exported metadata above."
        }
        Preset::KeeperCloud => {
            "Keeper SSO Connect Cloud: pick your region and type the SSO ID (the number at the end of Keeper's SP Entity ID); SP Entity ID and ACS URL follow. Or drop Keeper's Export Metadata above. In Keeper, import this metadata with IDP Type GENERIC."
        }
        Preset::Generic => {
            "Any SAML identity provider: give its full SSO URL below; the IdP URL field is not used."
        }
    };
    let suffix = v.idp_url_suffix.trim().trim_matches('/');
    let use_sso_url = v.sso_url.is_some();
    html! {
        <div class="fields">
            <div class="field">
                <label for="preset">{Field::Preset.label()}</label>
                <select id="preset" onchange={select(Field::Preset)} aria-describedby="preset-help">
                    { for Preset::ALL.iter().map(|p| html! {
                        <option value={p.id()} selected={v.preset == *p}>{p.label()}</option>
                    }) }
                </select>
                <p class="hint" id="preset-help">{preset_help}</p>
            </div>
            if v.preset == Preset::KeeperCloud {
                <div class="field">
                    <label for="keeper-region">{Field::KeeperRegion.label()}</label>
                    <select id="keeper-region" onchange={select(Field::KeeperRegion)}>
                        { for KEEPER_REGIONS.iter().map(|(name, host)| html! {
                            <option value={*host} selected={v.keeper_region == *host}>{*name}</option>
                        }) }
                    </select>
                </div>
                { text(Field::KeeperSsoId, "keeper-sso-id", "459561502469",
                    Some("The digits at the end of Keeper's SP Entity ID (Admin Console: SSO Connect Cloud provisioning, View).")) }
            }
            if v.preset == Preset::KeeperOnPrem {
                { text(Field::SsoConnectServer, "sso-connect-server", "sso.example.com:8443",
                    Some("The host name of your Keeper SSO Connect server, with :port if it is not 443 (a pasted URL is fine).")) }
            }
            <TextField id="idp-entity-id" label={Field::IdpEntityId.label()} required=true
                value={v.idp_entity_id.clone()} findings={of(Field::IdpEntityId)}
                placeholder="KeeperSSO"
                hint="Case-sensitive. It must be exactly the Entity ID your service provider expects (for Keeper SSO Connect, the Entity ID on its configuration page)."
                on_input={{ let on_edit = props.on_edit.clone(); Callback::from(move |s| on_edit.emit(Edit::Text(Field::IdpEntityId, s))) }} />
            { text(Field::SpEntityId, "sp-entity-id", "",
                Some("From your service provider (Keeper: SP Entity ID). It goes into the JumpCloud connector; the IdP metadata does not carry it.")) }
            { text(Field::AcsUrl, "acs-url", "https://",
                Some("From your service provider (Keeper: Assertion Consumer Service endpoint). It goes into the JumpCloud connector too.")) }
            <TextField id="idp-url" label={Field::IdpUrlSuffix.label()} required={!use_sso_url}
                value={v.idp_url_suffix.clone()} findings={of(Field::IdpUrlSuffix)}
                placeholder="keepersecurity"
                hint="The end of the connector's SSO address, as typed in JumpCloud's IdP URL field."
                on_input={{ let on_edit = props.on_edit.clone(); Callback::from(move |s| on_edit.emit(Edit::Text(Field::IdpUrlSuffix, s))) }}>
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
                    onchange={on_use_sso_url} />
                <label for="use-sso-url">{"Use another SSO URL (an IdP other than JumpCloud)"}</label>
            </div>
            if use_sso_url {
                <TextField id="sso-url" label={Field::SsoUrl.label()} required=true
                    value={v.sso_url.clone().unwrap_or_default()} findings={of(Field::SsoUrl)}
                    placeholder="https://idp.example.com/saml2/sso"
                    on_input={{ let on_edit = props.on_edit.clone(); Callback::from(move |s| on_edit.emit(Edit::Text(Field::SsoUrl, s))) }} />
            }
            { text(Field::DisplayLabel, "display-label", "Keeper Security",
                Some("The name users see; written into the metadata as its display name.")) }
            <div class="field">
                <label for="nameid-format">{Field::NameIdFormat.label()}</label>
                <select id="nameid-format" onchange={select(Field::NameIdFormat)}>
                    { for NAMEID_FORMATS.iter().map(|(urn, name)| html! {
                        <option value={*urn} selected={v.name_id_formats.first().is_some_and(|f| f == urn)}>{*name}</option>
                    }) }
                </select>
                <FindingList findings={of(Field::NameIdFormat)} />
            </div>
            <fieldset class="field bindings" aria-describedby="bindings-hint">
                <legend>{Field::Bindings.label()}</legend>
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
                <p class="hint" id="bindings-hint">{"HTTP-POST is what JumpCloud's connector exports. Tick HTTP-Redirect only together with \u{201c}Declare Redirect Endpoint\u{201d} in the JumpCloud connector."}</p>
                <FindingList findings={of(Field::Bindings)} />
            </fieldset>
        </div>
    }
}
