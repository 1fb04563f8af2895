//! The page header: what this is, and the promise that nothing leaves the page.

use yew::prelude::*;

/// The page header.
#[component]
pub fn Header() -> Html {
    html! {
        <header class="page-header">
            <h1 class="title">
                {"samlmeta"}
            </h1>
            <p class="tagline">
                {"Build and sign SAML 2.0 metadata for your identity provider, right here in this browser tab."}
            </p>
            <p class="promise">
                {"Your private key never leaves this device: this page sends nothing to any server, \
                  stores nothing, and works offline."}
            </p>
        </header>
    }
}
