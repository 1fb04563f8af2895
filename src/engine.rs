//! The engine: the core crate running on the page, and the same WebAssembly module running in
//! a background worker.
//!
//! The worker is started from a `blob:` URL made of the page's own boot script (the inline
//! `<script id="samlmeta-boot">` that `scripts/postbuild.mjs` writes: the wasm-bindgen glue and a
//! loader), so it works from `file://` and under a CSP with `worker-src blob:`, and is handed the
//! page's already compiled `WebAssembly.Module`: no second download, no second copy of the code
//! in the page. It is a classic worker: from `file://` Chromium refuses module workers even from
//! `blob:` URLs.
//!
//! Protocol, page → worker: first the `WebAssembly.Module` (consumed by the boot script), then
//! requests.
//! - A `Uint8Array`: the worker runs the core's self-test and answers with
//!   `{ ok: true, value: <SHA-256 fingerprint of the bytes> }` or `{ ok: false, value: <why> }`.
//! - `{ kind: "keygen", token, ... }`: the worker makes a key pair ([`crate::keygen`]) and answers
//!   `{ kind: "keygen", token, ok, ... }`, the key's buffer transferred, not copied. Cancel
//!   terminates the worker (a busy wasm worker can only be stopped that way) and starts a new one.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent, Url, Worker, WorkerOptions,
};
use yew::Callback;

/// The id of the inline module script that boots the page; its text is also the worker's.
pub const BOOT_SCRIPT_ID: &str = "samlmeta-boot";

/// True when this module runs inside a dedicated worker rather than on the page.
#[must_use]
pub fn is_worker() -> bool {
    js_sys::global().is_instance_of::<DedicatedWorkerGlobalScope>()
}

/// Inside the worker: answer the page's requests until the page terminates the worker.
pub fn serve_worker() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if let Some((token, request)) = crate::keygen::from_message(&data) {
            let reply_to = reply_to.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let made = crate::keygen::generate(&request).await;
                let (reply, transfer) = crate::keygen::answer_message(token, made);
                let _ = match transfer {
                    Some(transfer) => reply_to.post_message_with_transfer(&reply, &transfer),
                    None => reply_to.post_message(&reply),
                };
            });
            return;
        }
        let reply = answer(&data);
        // A failed postMessage means the page is gone; there is nobody left to tell.
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

fn answer(request: &JsValue) -> JsValue {
    let result = match request.dyn_ref::<Uint8Array>() {
        None => Err("the request was not a byte array".to_owned()),
        Some(bytes) => samlmeta::self_test()
            .map(|()| samlmeta::digest::Fingerprint::sha256(&bytes.to_vec()).to_string())
            .map_err(|e| e.to_string()),
    };
    let (ok, value) = match result {
        Ok(v) => (true, v),
        Err(v) => (false, v),
    };
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"ok".into(), &ok.into());
    let _ = Reflect::set(&reply, &"value".into(), &value.into());
    reply.into()
}

/// The page's handle on the background worker; dropping it terminates the worker.
pub struct EngineWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl EngineWorker {
    /// Asks the worker for a key pair; the answer arrives through `start_worker`'s `on_keygen`.
    ///
    /// # Errors
    /// A sentence when the browser refuses the message.
    pub fn generate(&self, token: u64, request: &crate::keygen::Request) -> Result<(), String> {
        self.worker
            .post_message(&crate::keygen::to_message(token, request))
            .map_err(|e| describe(&e))
    }
}

impl Drop for EngineWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts the background worker and checks it with one round trip: the worker must compute the
/// same SHA-256 fingerprint of a probe as the page does. `on_answer` gets the verdict;
/// `on_keygen` each key pair the worker makes (see [`EngineWorker::generate`]).
///
/// # Errors
/// A sentence saying why no worker could be started (no boot script on this page, or the
/// browser refused the `blob:` worker).
pub fn start_worker(
    on_answer: Callback<Result<(), String>>,
    on_keygen: Callback<(u64, Result<crate::keygen::Made, String>)>,
) -> Result<EngineWorker, String> {
    let source = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(BOOT_SCRIPT_ID))
        .and_then(|el| el.text_content())
        .ok_or_else(|| "this page has no boot script to start a worker from".to_owned())?;

    let parts = js_sys::Array::of1(&JsValue::from_str(&source));
    let props = BlobPropertyBag::new();
    props.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &props).map_err(|e| describe(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let options = WorkerOptions::new();
    options.set_name("samlmeta-engine");
    let worker = Worker::new_with_options(&url, &options);
    // The worker holds its own reference to the blob from here on.
    let _ = Url::revoke_object_url(&url);
    let worker = worker.map_err(|e| describe(&e))?;

    let probe = format!("samlmeta {} worker round trip", samlmeta::VERSION);
    let expected = samlmeta::digest::Fingerprint::sha256(probe.as_bytes()).to_string();

    let answered = on_answer.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if let Some(answer) = crate::keygen::read_answer(&data) {
            on_keygen.emit(answer);
            return;
        }
        let ok = Reflect::get(&data, &"ok".into())
            .ok()
            .and_then(|v| v.as_bool());
        let value = Reflect::get(&data, &"value".into())
            .ok()
            .and_then(|v| v.as_string());
        answered.emit(match (ok, value) {
            (Some(true), Some(v)) if v == expected => Ok(()),
            (Some(true), Some(v)) => Err(format!(
                "it computed a different digest ({v}) than the page ({expected})"
            )),
            (Some(false), Some(why)) => Err(why),
            _ => Err("it sent an answer the page does not understand".to_owned()),
        });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message = event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(web_sys::ErrorEvent::message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "the browser refused to run it".to_owned());
        on_answer.emit(Err(message));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    worker
        .post_message(&wasm_bindgen::module())
        .map_err(|e| describe(&e))?;
    worker
        .post_message(&Uint8Array::from(probe.as_bytes()))
        .map_err(|e| describe(&e))?;

    Ok(EngineWorker {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// A JavaScript exception as a sentence.
pub(crate) fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
