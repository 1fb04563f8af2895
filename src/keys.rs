//! Where the page's key ring runs: in the key worker ([`crate::engine::EngineWorker`]) when one
//! started, else on the page itself (the fallback: the page says so in its footer). Either way
//! the page sends [`KeyRequest`]s and hears [`KeyAnswer`]s through the same callback, so the rest
//! of the page does not know which.
//!
//! The page's own ring counts what it did ([`crate::keyring::Operations`]) on the root element:
//! `data-page-signed` and `data-page-unlocked` stay `0` while the key worker holds the keys,
//! which is what the end-to-end tests assert.

use crate::engine::{EngineWorker, KeysAnswer, TaskWorker};
use crate::keyring::{KeyRequest, KeyRing, PairPublic};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// The page's link to its key ring; cheap to clone.
#[derive(Clone)]
pub struct KeyLink(Rc<Inner>);

struct Inner {
    worker: RefCell<Option<EngineWorker>>,
    page: Rc<RefCell<KeyRing>>,
    next_seq: Cell<u64>,
    on_keys: Callback<KeysAnswer>,
}

impl PartialEq for KeyLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl KeyLink {
    /// A link whose answers go to `on_keys`; the ring is on the page until
    /// [`KeyLink::use_worker`].
    #[must_use]
    pub fn new(on_keys: Callback<KeysAnswer>) -> Self {
        publish(crate::keyring::Operations::default());
        Self(Rc::new(Inner {
            worker: RefCell::new(None),
            page: Rc::new(RefCell::new(KeyRing::new())),
            next_seq: Cell::new(0),
            on_keys,
        }))
    }

    /// The callback the ring's answers go to.
    #[must_use]
    pub fn answers(&self) -> Callback<KeysAnswer> {
        self.0.on_keys.clone()
    }

    /// From now on the key worker holds the keys.
    pub fn use_worker(&self, worker: EngineWorker) {
        *self.0.worker.borrow_mut() = Some(worker);
    }

    /// The key worker stopped: it is dropped (terminated), and from now on the page's own ring
    /// holds the keys. Answers `true` when there was a worker.
    pub fn lose_worker(&self) -> bool {
        let worker = self.0.worker.borrow_mut().take();
        let had = worker.is_some();
        // Dropped on the next turn: this may run inside one of the worker's own handlers.
        wasm_bindgen_futures::spawn_local(async move { drop(worker) });
        had
    }

    /// Whether the keys are in the key worker.
    #[must_use]
    pub fn in_worker(&self) -> bool {
        self.0.worker.borrow().is_some()
    }

    /// A fresh number for a request's answer.
    #[must_use]
    pub fn next_seq(&self) -> u64 {
        let seq = self.0.next_seq.get() + 1;
        self.0.next_seq.set(seq);
        seq
    }

    /// Sends `request` to the ring; the answer comes through the link's callback (on the page:
    /// on the next turn of the event loop, as a worker's would).
    pub fn send(&self, request: KeyRequest) {
        let sent = self
            .0
            .worker
            .borrow()
            .as_ref()
            .map(|worker| worker.send_keys(&request));
        match sent {
            Some(Ok(())) => {}
            Some(Err(why)) => {
                web_sys::console::error_1(
                    &format!("the key worker refused a request: {why}").into(),
                );
            }
            None => {
                let page = Rc::clone(&self.0.page);
                let on_keys = self.0.on_keys.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let (answer, file) = page.borrow_mut().answer(request);
                    publish(page.borrow().operations());
                    let blob = file.and_then(|pem| crate::engine::pem_blob(&pem).ok());
                    on_keys.emit((answer, blob));
                });
            }
        }
    }

    /// Starts a key generation task worker whose pair goes straight to the key worker; `None`
    /// when the keys are on the page (the caller then makes the pair here and calls
    /// [`KeyLink::add_pair`]).
    ///
    /// # Errors
    /// A sentence when no task worker could be started.
    pub fn generate(
        &self,
        token: u64,
        request: &crate::keygen::Request,
        on_failed: Callback<String>,
    ) -> Option<Result<TaskWorker, String>> {
        self.0
            .worker
            .borrow()
            .as_ref()
            .map(|worker| worker.generate(token, request, on_failed))
    }

    /// Puts a pair made on the page into the page's ring (only when there is no key worker).
    #[must_use]
    pub fn add_pair(&self, made: crate::keygen::Made) -> PairPublic {
        self.0.page.borrow_mut().add_pair(made.pair, made.encrypted)
    }
}

/// The page ring's counts on the root element.
fn publish(operations: crate::keyring::Operations) {
    crate::browser::set_root_data("page-signed", &operations.signed.to_string());
    crate::browser::set_root_data("page-unlocked", &operations.unlocked.to_string());
}
