//! The few direct DOM calls the page makes outside its components.

use crate::{App, ROOT_ID};
use wasm_bindgen::JsCast;

/// Renders the app into the element with id [`ROOT_ID`], replacing its "loading" text.
pub fn render_app() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID));
    match root {
        Some(root) => {
            root.set_text_content(None);
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// The text of the banner shown if the impossible happens and the code panics.
pub const PANIC_MESSAGE: &str = "Something went wrong inside samlmeta and this page has stopped \
    working. Close this tab and open the page again. Nothing you entered was sent anywhere.";

/// Makes a panic visible: with `panic = "abort"` the page cannot render again after one, so a
/// banner (built with plain DOM calls, not Yew) tells the user to reopen the page.
pub fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        show_panic_banner();
    }));
}

fn show_panic_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(PANIC_MESSAGE));
    if let Some(el) = banner.dyn_ref::<web_sys::HtmlElement>() {
        let _ = body.insert_before(el, body.first_child().as_ref());
    }
}
