//! The few direct DOM calls the page makes outside its components.

use crate::app::{AppProps, Started};
use crate::{App, ROOT_ID};
use wasm_bindgen::JsCast;

/// How long the page waits for the background worker's round trip before its first render, at
/// most. The worker instantiates on the other core meanwhile; rendering once it has answered
/// shows the page ready in one render, where the self-test's and the worker's results each used
/// to cause another, queued behind the first layout.
pub const WORKER_WAIT_MS: i32 = 200;

/// Starts the page: the background worker's round trip first, then the app, once the worker
/// has answered or after [`WORKER_WAIT_MS`].
pub fn start_page() {
    let worker = crate::engine::start_worker();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(worker) = &worker {
            worker.answered_within(WORKER_WAIT_MS).await;
        }
        render_app(Started::new(worker));
    });
}

/// Renders the app into the element with id [`ROOT_ID`], replacing its "loading" text.
fn render_app(started: Started) {
    let props = AppProps { started };
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID));
    match root {
        Some(root) => {
            root.set_text_content(None);
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<App>::with_props(props).render();
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

/// The browser's clock, for expiry findings (the core never reads a clock).
#[must_use]
pub fn now() -> samlmeta::UnixTime {
    // Milliseconds since 1970 as f64; whole seconds fit an i64 for any real date.
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (js_sys::Date::now() / 1000.0).floor() as i64;
    samlmeta::UnixTime::from_seconds(seconds)
}

/// Reads a file the user chose or dropped as bytes copied into wasm memory, then zero-fills the
/// browser's copy. Files over the core's input limit are refused without being read.
///
/// # Errors
/// A sentence for the slot: too large, or the browser could not read it.
pub async fn read_file(file: web_sys::File) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    read_file_up_to(file, samlmeta::pki::input::MAX_INPUT_BYTES, |bytes| {
        samlmeta::ReadError::Input(samlmeta::pki::input::InputError::TooLarge { bytes }).to_string()
    })
    .await
}

/// [`read_file`] for a message or metadata to check: up to the core's message limit
/// ([`samlmeta::message::MAX_MESSAGE_BYTES`]), with its message beyond.
///
/// # Errors
/// A sentence: too large, or the browser could not read it.
pub async fn read_message_file(file: web_sys::File) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    read_file_up_to(file, samlmeta::message::MAX_MESSAGE_BYTES, |bytes| {
        samlmeta::message::DecodeError::TooLarge { bytes }.to_string()
    })
    .await
}

async fn read_file_up_to(
    file: web_sys::File,
    max: usize,
    too_large: impl FnOnce(usize) -> String,
) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    let size = file.size();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bytes = size as usize;
    #[allow(clippy::cast_precision_loss)] // limits far below 2^52
    if size > max as f64 {
        return Err(too_large(bytes));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| {
            "The browser could not read this file. Choose it again, or paste its text.".to_owned()
        })?;
    let array = js_sys::Uint8Array::new(&buffer);
    let copy = zeroize::Zeroizing::new(array.to_vec());
    array.fill(0, 0, array.length());
    Ok(copy)
}

/// Offers `text` as a download named `file_name` (a `blob:` URL and a temporary link; no request
/// leaves the page).
///
/// # Errors
/// A sentence when the browser refuses.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    download_bytes(file_name, text.as_bytes(), "application/samlmetadata+xml")
}

/// Offers `bytes` as a download named `file_name`, with media type `mime`.
///
/// # Errors
/// A sentence when the browser refuses.
pub fn download_bytes(file_name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props)
        .map_err(|_| REFUSED.to_owned())?;
    download_blob(file_name, &blob)
}

/// The media type of PEM downloads.
pub const PEM_TYPE: &str = "application/x-pem-file";

const REFUSED: &str = "The browser refused the download. Use Copy instead.";

/// Offers `blob` as a download named `file_name` (the key worker's `private.pem` comes this way:
/// the page never reads it).
///
/// # Errors
/// A sentence when the browser refuses.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let fail = |_| REFUSED.to_owned();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "No document to download from.".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_class_name("visually-hidden");
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
        link.click();
        let _ = body.remove_child(&link);
    }
    // The download has its own reference to the blob by now; release ours on the next turn.
    let release = url.clone();
    gloo_timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&release);
    })
    .forget();
    Ok(())
}

/// Copies `text` to the clipboard.
///
/// # Errors
/// A sentence when the browser refuses (no permission, not a secure context).
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or_else(|| "No clipboard here. Use Download instead.".to_owned())?;
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| {
            "The browser did not allow copying. Select the preview and copy it, or use Download."
                .to_owned()
        })
}

/// The page URL's fragment (`#...`), or an empty string.
#[must_use]
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Tells the parent frame the page's height (`{ type: "samlmeta:height", height }`), when it
/// changed since `last`. Only for embedding (`#embed=1`); the height is all it says.
pub fn post_height(last: &mut i32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let height = window
        .document()
        .and_then(|d| d.document_element())
        .map_or(0, |e| e.scroll_height());
    if height == *last {
        return;
    }
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    *last = height;
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"samlmeta:height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    let _ = parent.post_message(&message, "*");
}

/// The page's address without its fragment, for a prefilled link.
#[must_use]
pub fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Asks the user `question` (OK / Cancel); true for OK. A browser that shows no dialogs answers
/// false, so nothing is wiped without an answer.
#[must_use]
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// While the returned guard lives, leaving or reloading the page makes the browser ask first.
pub struct LeaveGuard {
    _handler: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for LeaveGuard {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.set_onbeforeunload(None);
        }
    }
}

/// Makes the browser ask before the page is left (a `beforeunload` handler), until the guard
/// is dropped.
#[must_use]
pub fn ask_before_leaving() -> Option<LeaveGuard> {
    let window = web_sys::window()?;
    let handler = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        |event: web_sys::Event| {
            event.prevent_default();
            // Older browsers ask only when returnValue is set.
            let _ = js_sys::Reflect::set(&event, &"returnValue".into(), &"".into());
        },
    );
    window.set_onbeforeunload(Some(handler.as_ref().unchecked_ref()));
    Some(LeaveGuard { _handler: handler })
}

/// Moves the focus to the element `id` (opening the `<details>` it is in, so that it can take
/// the focus), scrolled into view.
pub fn focus_element(id: &str) {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let mut parent = element.parent_element();
    while let Some(p) = parent {
        if p.tag_name().eq_ignore_ascii_case("details") {
            let _ = p.set_attribute("open", "");
        }
        parent = p.parent_element();
    }
    if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
}

/// Sets `data-<name>` on the page's root element: how tests and benchmarks read what the page
/// did (see `docs/keys.md`).
pub fn set_root_data(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(&format!("data-{name}"), value);
    }
}

/// Sets the performance mark `samlmeta:<name>` (start-up phases, read by
/// `tests/bench/startup.mjs`); nothing where the browser has no User Timing.
pub fn mark(name: &str) {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into());
    let Ok(performance) = performance else {
        return;
    };
    if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into())
        .and_then(wasm_bindgen::JsCast::dyn_into::<js_sys::Function>)
    {
        let _ = mark.call1(&performance, &format!("samlmeta:{name}").into());
    }
}
