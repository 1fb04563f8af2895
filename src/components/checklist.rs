//! What to check in any other service provider besides the metadata (the Keeper presets have
//! [`crate::components::InJumpCloud`] instead).

use yew::prelude::*;

/// Properties of [`Checklist`].
#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    /// The IdP Entity ID entered.
    pub entity_id: AttrValue,
}

/// The checklist for any SP.
#[component]
pub fn Checklist(props: &ChecklistProps) -> Html {
    let id = if props.entity_id.is_empty() {
        "the IdP Entity ID".to_owned()
    } else {
        format!("\u{201c}{}\u{201d}", props.entity_id)
    };
    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h3 id="checklist-title">{"Before you import it into your service provider"}</h3>
            <ol>
                <li>{format!("The service provider must expect exactly {id} as the IdP's entity ID.")}</li>
                <li>{"Have the identity provider sign its SAML responses or assertions with the key whose certificate is in this metadata."}</li>
                <li>{"Import the metadata again after every certificate rotation."}</li>
            </ol>
        </section>
    }
}
