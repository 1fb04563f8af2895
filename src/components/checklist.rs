//! What to check in Keeper SSO Connect and JumpCloud besides the metadata.

use yew::prelude::*;

/// Properties of [`Checklist`].
#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    /// The IdP Entity ID entered.
    pub entity_id: AttrValue,
    /// The preset in use.
    pub preset: samlmeta::connector::Preset,
}

/// The Keeper SSO Connect checklist.
#[component]
pub fn Checklist(props: &ChecklistProps) -> Html {
    let id = if props.entity_id.is_empty() {
        "the IdP Entity ID".to_owned()
    } else {
        format!("\u{201c}{}\u{201d}", props.entity_id)
    };
    let cloud = props.preset == samlmeta::connector::Preset::KeeperCloud;
    if props.preset == samlmeta::connector::Preset::Generic {
        return html! {
            <section class="checklist" aria-labelledby="checklist-title">
                <h3 id="checklist-title">{"Before you import it into your service provider"}</h3>
                <ol>
                    <li>{format!("The service provider must expect exactly {id} as the IdP's entity ID.")}</li>
                    <li>{"Have the identity provider sign its SAML responses or assertions with the key whose certificate is in this metadata."}</li>
                    <li>{"Import the metadata again after every certificate rotation."}</li>
                </ol>
            </section>
        };
    }
    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h3 id="checklist-title">{if cloud { "Before you import it into Keeper SSO Connect Cloud" } else { "Before you import it into Keeper SSO Connect" }}</h3>
            <ol>
                if cloud {
                    <li>{"In Keeper's Admin Console, set the IDP Type to GENERIC, then upload this metadata."}</li>
                }
                <li>{format!("The Entity ID in Keeper SSO Connect must be exactly {id}: same letters, same case, no spaces.")}</li>
                <li>{"In JumpCloud, have the connector sign the SAML Response: Keeper SSO Connect expects a signed response."}</li>
                <li>{"Map the user attributes First, Last and Email, spelled exactly like that."}</li>
                <li>{"Import the metadata again after every certificate rotation. To rotate without an outage, publish metadata with both the old and the new signing certificate first (samlmeta idp --signing-cert new.pem), switch JumpCloud to the new key, then publish metadata with the new one only."}</li>
            </ol>
        </section>
    }
}
