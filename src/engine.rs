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
//! The engine worker is started, and sent its round trip, before the page's first render
//! ([`crate::browser::start_page`]): it instantiates on the other core while the page waits for
//! its answer.
//!
//! The engine worker is the page's **key worker**: it lives as long as the page and holds every
//! private key in a [`KeyRing`]; the page holds ids and public keys only. Work that Cancel must
//! stop (key generation, large checks) runs in task workers of their own, since a busy wasm
//! worker can only be stopped by `terminate()`.
//!
//! Protocol, page → worker: first the `WebAssembly.Module` (consumed by the boot script), then
//! requests.
//! - A `Uint8Array`: the worker runs the core's self-test and answers with
//!   `{ ok: true, value: <SHA-256 fingerprint of the bytes> }` or `{ ok: false, value: <why> }`.
//! - `{ kind: "keys", request: Uint8Array }` ([`crate::keyring::KeyRequest`], its buffer
//!   transferred and zero-filled once read): the key worker answers `{ kind: "keys", answer:
//!   Uint8Array }` ([`crate::keyring::KeyAnswer`]); a generated pair's `private.pem` comes as a
//!   `Blob` beside it (`file`), which the page only turns into a download link.
//! - `{ kind: "port" }` with a `MessagePort`: the key worker's end of a channel to a key
//!   generation task worker; the pair arrives there and the key worker answers the page with
//!   [`crate::keyring::KeyAnswer::Generated`], public parts only.
//! - To a task worker, `{ kind: "keygen", token, ... }` with the channel's other port: it makes a
//!   key pair ([`crate::keygen`]) and posts it, the key's buffer transferred, to the port. Cancel
//!   terminates the task worker.
//! - `{ kind: "check", request: Uint8Array }` ([`crate::wire::CheckRequest`]): a check of a large
//!   input, in a worker of its own ([`start_check`]); the answer is `{ kind: "check", outcome:
//!   Uint8Array }` ([`crate::check::Outcome`]), its buffer transferred. Cancel drops the
//!   [`TaskWorker`], which terminates it; a worker that dies (a trap in the core) reports an error
//!   and the page stays.

use crate::keyring::{KeyAnswer, KeyRequest, KeyRing};
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent, MessagePort, Url, Worker,
    WorkerOptions,
};
use yew::Callback;

/// What the key ring answered, with the secret file beside it when one was asked for.
pub type KeysAnswer = (KeyAnswer, Option<Blob>);

const KEYS: &str = "keys";

/// `request` as the message to the key worker, its buffer to transfer.
fn keys_message(request: &KeyRequest) -> (JsValue, js_sys::Array) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"kind".into(), &KEYS.into());
    let bytes = Uint8Array::from(crate::wire::encode_secret(request).as_slice());
    let _ = Reflect::set(&message, &"request".into(), &bytes);
    let transfer = js_sys::Array::of1(&bytes.buffer());
    (message.into(), transfer)
}

/// The bytes of the `Uint8Array` in `data[name]`, copied into wasm; the JavaScript copy is
/// zero-filled.
fn take_bytes(data: &JsValue, name: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let array = Reflect::get(data, &name.into())
        .ok()?
        .dyn_into::<Uint8Array>()
        .ok()?;
    let bytes = zeroize::Zeroizing::new(array.to_vec());
    array.fill(0, 0, array.length());
    Some(bytes)
}

/// A secret file's text as a `Blob` of PEM.
///
/// # Errors
/// A sentence when the browser refuses.
pub fn pem_blob(pem: &str) -> Result<Blob, String> {
    let bytes = Uint8Array::from(pem.as_bytes());
    let parts = js_sys::Array::of1(&bytes);
    let props = BlobPropertyBag::new();
    props.set_type(crate::browser::PEM_TYPE);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &props);
    bytes.fill(0, 0, bytes.length());
    blob.map_err(|e| describe(&e))
}

/// The key worker's answer to the page: the ring's answer, and the secret file as a `Blob`.
fn keys_reply(answer: &KeyAnswer, file: Option<&str>) -> (JsValue, js_sys::Array) {
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"kind".into(), &KEYS.into());
    let bytes = Uint8Array::from(crate::wire::encode(answer).as_slice());
    let _ = Reflect::set(&reply, &"answer".into(), &bytes);
    if let Some(blob) = file.and_then(|pem| pem_blob(pem).ok()) {
        let _ = Reflect::set(&reply, &"file".into(), &blob);
    }
    (reply.into(), js_sys::Array::of1(&bytes.buffer()))
}

/// The key ring's answer in a message from the key worker, when `data` is one.
fn read_keys_reply(data: &JsValue) -> Option<Option<KeysAnswer>> {
    if !is_kind(data, KEYS) {
        return None;
    }
    let answer = Reflect::get(data, &"answer".into())
        .ok()
        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
        .and_then(|b| crate::wire::decode::<KeyAnswer>(&b.to_vec()));
    let file = Reflect::get(data, &"file".into())
        .ok()
        .and_then(|f| f.dyn_into::<Blob>().ok());
    Some(answer.map(|a| (a, file)))
}

thread_local! {
    /// The key worker's keys.
    static RING: RefCell<KeyRing> = RefCell::new(KeyRing::new());
}

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
        if let Some(request) = check_request(&data) {
            let (reply, transfer) = check_reply(&request);
            let _ = reply_to.post_message_with_transfer(&reply, &transfer);
            return;
        }
        if is_kind(&data, KEYS) {
            let request = take_bytes(&data, "request")
                .and_then(|bytes| crate::wire::decode::<KeyRequest>(&bytes));
            if let Some(request) = request {
                let (answer, file) = RING.with(|ring| ring.borrow_mut().answer(request));
                let (reply, transfer) = keys_reply(&answer, file.as_deref().map(String::as_str));
                let _ = reply_to.post_message_with_transfer(&reply, &transfer);
            }
            return;
        }
        let port = event.ports().get(0).dyn_into::<MessagePort>().ok();
        if is_kind(&data, "port")
            && let Some(port) = port
        {
            receive_pairs(&port, reply_to.clone());
            return;
        }
        if let Some((token, request)) = crate::keygen::from_message(&data) {
            // A task worker: the pair goes to the key worker's port, never to the page.
            let Some(port) = port else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let made = crate::keygen::generate(&request).await;
                let (reply, transfer) = crate::keygen::answer_message(token, made);
                let _ = match transfer {
                    Some(transfer) => port.post_message_with_transferable(&reply, &transfer),
                    None => port.post_message(&reply),
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

/// In the key worker: the pairs a task worker sends over `port` go into the ring; the page gets
/// their public parts.
fn receive_pairs(port: &MessagePort, page: DedicatedWorkerGlobalScope) {
    let on_pair = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some((token, made)) = crate::keygen::read_answer(&event.data()) else {
            return;
        };
        let (result, engine) = match made {
            Ok(made) => (
                Ok(Box::new(RING.with(|ring| {
                    ring.borrow_mut().add_pair(made.pair, made.encrypted)
                }))),
                made.engine,
            ),
            Err(why) => (Err(why), ""),
        };
        let answer = KeyAnswer::Generated {
            token,
            result,
            engine: engine.to_owned(),
        };
        let (reply, transfer) = keys_reply(&answer, None);
        let _ = page.post_message_with_transfer(&reply, &transfer);
    });
    port.set_onmessage(Some(on_pair.as_ref().unchecked_ref()));
    // One channel per Generate; the handler lives as long as the worker.
    on_pair.forget();
}

const CHECK: &str = "check";

fn is_kind(data: &JsValue, kind: &str) -> bool {
    Reflect::get(data, &"kind".into())
        .ok()
        .and_then(|k| k.as_string())
        .is_some_and(|k| k == kind)
}

/// A check request, when `data` is one (and its bytes read as one).
fn check_request(data: &JsValue) -> Option<Result<crate::wire::CheckRequest, ()>> {
    if !is_kind(data, CHECK) {
        return None;
    }
    let bytes = Reflect::get(data, &"request".into())
        .ok()
        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
        .map(|b| b.to_vec());
    Some(bytes.and_then(|b| crate::wire::decode(&b)).ok_or(()))
}

/// The worker's answer to a check request: the core's check, as bytes, their buffer transferred.
fn check_reply(request: &Result<crate::wire::CheckRequest, ()>) -> (JsValue, js_sys::Array) {
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"kind".into(), &CHECK.into());
    let transfer = js_sys::Array::new();
    match request {
        Ok(r) => {
            let state = crate::check::CheckState {
                trusted: r.trusted.clone(),
                fingerprint: r.fingerprint.clone(),
                ..crate::check::CheckState::default()
            };
            let outcome = crate::check::run_input(
                r.source.clone(),
                &r.bytes,
                &state,
                r.builder_cert.as_ref(),
                &r.values,
                r.now,
            );
            let bytes = Uint8Array::from(crate::wire::encode(&outcome).as_slice());
            transfer.push(&bytes.buffer());
            let _ = Reflect::set(&reply, &"outcome".into(), &bytes);
        }
        Err(()) => {
            let _ = Reflect::set(
                &reply,
                &"error".into(),
                &"the worker could not read the request".into(),
            );
        }
    }
    (reply.into(), transfer)
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
    relay: Rc<RefCell<Relay>>,
    /// Settles with the round trip's verdict (see [`EngineWorker::answered_within`]).
    answered: js_sys::Promise,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// Where the worker's answers go: the page's callbacks once [`EngineWorker::connect`]ed; until
/// then the round trip's verdict is kept.
#[derive(Default)]
struct Relay {
    on_answer: Option<Callback<Result<(), String>>>,
    on_keys: Option<Callback<KeysAnswer>>,
    /// The verdict, until the page takes it ([`EngineWorker::take_verdict`]) or connects.
    verdict: Option<Result<(), String>>,
    /// Resolves [`EngineWorker::answered`] (once).
    resolve: Option<js_sys::Function>,
}

impl Relay {
    /// Passes the round trip's verdict (or a later error) on; no borrow is held while the
    /// page's callback runs.
    fn answer(relay: &RefCell<Self>, verdict: Result<(), String>) {
        let (resolve, on_answer) = {
            let mut relay = relay.borrow_mut();
            (relay.resolve.take(), relay.on_answer.clone())
        };
        if let Some(resolve) = resolve {
            crate::browser::mark("worker-answered");
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
        match on_answer {
            Some(on_answer) => on_answer.emit(verdict),
            None => relay.borrow_mut().verdict = Some(verdict),
        }
    }
}

impl EngineWorker {
    /// Sends `request` to the key ring; the answer arrives through the `on_keys` given to
    /// [`EngineWorker::connect`].
    ///
    /// # Errors
    /// A sentence when the browser refuses the message.
    pub fn send_keys(&self, request: &KeyRequest) -> Result<(), String> {
        let (message, transfer) = keys_message(request);
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| describe(&e))
    }

    /// Starts a key generation task worker whose pair goes straight to this key worker, over a
    /// `MessageChannel`; the answer arrives through `on_keys`. `on_failed` hears when the task
    /// worker dies.
    ///
    /// # Errors
    /// A sentence when no task worker or channel could be made.
    pub fn generate(
        &self,
        token: u64,
        request: &crate::keygen::Request,
        on_failed: Callback<String>,
    ) -> Result<TaskWorker, String> {
        let channel = web_sys::MessageChannel::new().map_err(|e| describe(&e))?;
        let task = spawn("samlmeta-keygen")?;
        let port = Object::new();
        let _ = Reflect::set(&port, &"kind".into(), &"port".into());
        self.worker
            .post_message_with_transfer(&port, &js_sys::Array::of1(&channel.port1()))
            .map_err(|e| describe(&e))?;
        task.post_message_with_transfer(
            &crate::keygen::to_message(token, request),
            &js_sys::Array::of1(&channel.port2()),
        )
        .map_err(|e| describe(&e))?;
        let on_error = error_handler(Callback::from(move |failed: Result<(), String>| {
            if let Err(why) = failed {
                on_failed.emit(why);
            }
        }));
        task.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|_: MessageEvent| {});
        Ok(TaskWorker {
            worker: task,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Waits until the round trip has answered, or `ms` milliseconds at most.
    pub async fn answered_within(&self, ms: i32) {
        let answered = self.answered.clone();
        let timeout = js_sys::Promise::new(&mut |resolve, _| {
            let set = web_sys::window()
                .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
            if !matches!(set, Some(Ok(_))) {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let race = js_sys::Promise::race(&js_sys::Array::of2(&answered, &timeout));
        let _ = wasm_bindgen_futures::JsFuture::from(race).await;
    }

    /// The round trip's verdict, if it has come and was not taken yet; once taken, it is not
    /// passed to the callbacks of [`EngineWorker::connect`].
    #[must_use]
    pub fn take_verdict(&self) -> Option<Result<(), String>> {
        self.relay.borrow_mut().verdict.take()
    }

    /// From now on the round trip's verdict (if it has not come or was not taken yet), any later
    /// error and every answer of the key ring go to these callbacks.
    pub fn connect(&self, on_answer: Callback<Result<(), String>>, on_keys: Callback<KeysAnswer>) {
        let pending = {
            let mut relay = self.relay.borrow_mut();
            relay.on_answer = Some(on_answer.clone());
            relay.on_keys = Some(on_keys);
            relay.verdict.take()
        };
        if let Some(verdict) = pending {
            on_answer.emit(verdict);
        }
    }
}

impl Drop for EngineWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts the background worker and sends its round trip at once: the worker must compute the same SHA-256 fingerprint of a probe as the
/// page does. Its verdict is kept until the page [`EngineWorker::take_verdict`]s it or
/// [`EngineWorker::connect`]s callbacks, so the page can start it before its first render.
///
/// # Errors
/// A sentence saying why no worker could be started (no boot script on this page, or the
/// browser refused the `blob:` worker).
pub fn start_worker() -> Result<EngineWorker, String> {
    let worker = spawn("samlmeta-engine")?;

    let probe = format!("samlmeta {} worker round trip", samlmeta::VERSION);
    let expected = samlmeta::digest::Fingerprint::sha256(probe.as_bytes()).to_string();

    let relay = Rc::new(RefCell::new(Relay::default()));
    let answered = js_sys::Promise::new(&mut |resolve, _| {
        relay.borrow_mut().resolve = Some(resolve);
    });
    let to = Rc::clone(&relay);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if let Some(answer) = read_keys_reply(&data) {
            let on_keys = to.borrow().on_keys.clone();
            if let Some((KeyAnswer::Held { count }, _)) = &answer {
                // What the key worker holds, for the tests (docs/keys.md).
                crate::browser::set_root_data("key-worker-holds", &count.to_string());
            }
            match (answer, on_keys) {
                (Some(answer), Some(on_keys)) => on_keys.emit(answer),
                (None, _) => Relay::answer(
                    &to,
                    Err("the key worker sent an answer the page does not understand".to_owned()),
                ),
                (Some(_), None) => {}
            }
            return;
        }
        let ok = Reflect::get(&data, &"ok".into())
            .ok()
            .and_then(|v| v.as_bool());
        let value = Reflect::get(&data, &"value".into())
            .ok()
            .and_then(|v| v.as_string());
        Relay::answer(
            &to,
            match (ok, value) {
                (Some(true), Some(v)) if v == expected => Ok(()),
                (Some(true), Some(v)) => Err(format!(
                    "it computed a different digest ({v}) than the page ({expected})"
                )),
                (Some(false), Some(why)) => Err(why),
                _ => Err("it sent an answer the page does not understand".to_owned()),
            },
        );
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let to = Rc::clone(&relay);
    let on_error = error_handler(Callback::from(move |failed: Result<(), String>| {
        Relay::answer(&to, failed);
    }));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker
        .post_message(&Uint8Array::from(probe.as_bytes()))
        .map_err(|e| describe(&e))?;

    Ok(EngineWorker {
        worker,
        relay,
        answered,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// A task (a check, a key pair) running in a worker of its own; dropping it (Cancel, or a newer
/// task) terminates the worker and nothing is answered.
pub struct TaskWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for TaskWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts a worker that checks `request` and answers once, through `on_done`: the core's check,
/// or why there is none (the worker died, or its answer could not be read).
///
/// # Errors
/// A sentence saying why no worker could be started: the caller then checks on the page.
pub fn start_check(
    request: &crate::wire::CheckRequest,
    on_done: Callback<Result<crate::check::Outcome, String>>,
) -> Result<TaskWorker, String> {
    let worker = spawn("samlmeta-check")?;
    let done = on_done.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if !is_kind(&data, CHECK) {
            return;
        }
        let outcome = Reflect::get(&data, &"outcome".into())
            .ok()
            .and_then(|b| b.dyn_into::<Uint8Array>().ok())
            .and_then(|b| crate::wire::decode(&b.to_vec()));
        done.emit(outcome.ok_or_else(|| {
            Reflect::get(&data, &"error".into())
                .ok()
                .and_then(|e| e.as_string())
                .unwrap_or_else(|| "its answer could not be read".to_owned())
        }));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = error_handler(on_done);
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let message = Object::new();
    let _ = Reflect::set(&message, &"kind".into(), &CHECK.into());
    let bytes = Uint8Array::from(crate::wire::encode(request).as_slice());
    let _ = Reflect::set(&message, &"request".into(), &bytes);
    let transfer = js_sys::Array::of1(&bytes.buffer());
    worker
        .post_message_with_transfer(&message, &transfer)
        .map_err(|e| describe(&e))?;
    Ok(TaskWorker {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// An `onerror` handler that reports the worker's error message.
fn error_handler<T: 'static>(
    report: Callback<Result<T, String>>,
) -> Closure<dyn FnMut(web_sys::Event)> {
    Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message = event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(web_sys::ErrorEvent::message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "the browser refused to run it".to_owned());
        report.emit(Err(message));
    })
}

/// A worker running this page's own boot script (see the module's notes), handed the compiled
/// module.
fn spawn(name: &str) -> Result<Worker, String> {
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
    options.set_name(name);
    let worker = Worker::new_with_options(&url, &options);
    // The worker holds its own reference to the blob from here on.
    let _ = Url::revoke_object_url(&url);
    let worker = worker.map_err(|e| describe(&e))?;

    worker
        .post_message(&wasm_bindgen::module())
        .map_err(|e| describe(&e))?;
    Ok(worker)
}

/// A JavaScript exception as a sentence.
pub(crate) fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
