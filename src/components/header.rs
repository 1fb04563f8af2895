//! The page header: what this is, the promise that nothing leaves the page, and the two views.

use crate::check::View;
use yew::prelude::*;

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The view shown.
    pub view: View,
    /// A view link was followed.
    pub on_view: Callback<View>,
}

/// The page header.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    // Links (they open in a new tab too), followed here without touching the address: the
    // fragment's values are read once, at load.
    let link = |view: View, href: &'static str, text: &'static str| {
        let on_view = props.on_view.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            if !(e.ctrl_key() || e.meta_key() || e.shift_key()) {
                e.prevent_default();
                on_view.emit(view);
            }
        });
        let current = (props.view == view).then_some("page");
        html! { <a href={href} aria-current={current} {onclick}>{text}</a> }
    };
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
            <nav class="views" aria-label="Views">
                { link(View::Build, "#", "Build metadata") }
                { link(View::Check, "#check", "Check a login or metadata") }
            </nav>
        </header>
    }
}
