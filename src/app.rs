//! The page: header, the four builder steps, footer; and the effects that connect them to the
//! browser (reading files, timers, downloads, the clipboard). The state and its rules are in
//! [`crate::state`]; this file only wires events to actions.

use crate::browser;
use crate::check::View;
use crate::components::{
    Advanced, CardAction, CertCard, CheckView, Checklist, ConnectorForm, DropZone, FindingList,
    Footer, Header, InJumpCloud, KeygenPanel, PairView, ResultView, RolloverChecklist, Settings,
    SpImport, Step,
};
use crate::engine::{self, EngineWorker, KeysAnswer, TaskWorker};
use crate::keygen;
use crate::keyring::{KeyAnswer, KeyRequest, PairPublic, ReadFile, SecretFile};
use crate::keys::KeyLink;
use crate::state::{
    Action, Document, EngineStatus, KeyRef, MadePair, PairFile, Pending, Running, Slot, SlotView,
    State,
};
use gloo_timers::callback::{Interval, Timeout};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{File, HtmlInputElement};
use yew::platform::spawn_local;
use yew::prelude::*;
use zeroize::Zeroizing;

/// How long the input must be idle before the metadata is signed.
pub const SIGN_AFTER_IDLE_MS: u32 = 300;
/// How long the input must be idle before the preview is redrawn.
pub const PREVIEW_AFTER_IDLE_MS: u32 = 120;

/// A callback that turns its argument into an action and dispatches it.
fn dispatch_with<T: 'static>(
    state: &UseReducerHandle<State>,
    make: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(make(value)))
}

/// Reads `file` as bytes copied into wasm (the browser's copy zero-filled), then calls `done`
/// with its name and the bytes, or why it could not be read.
fn read_file_then(
    file: File,
    done: impl FnOnce(String, Result<Zeroizing<Vec<u8>>, String>) + 'static,
) {
    let file_name = file.name();
    spawn_local(async move {
        let read = browser::read_file(file).await;
        done(file_name, read);
    });
}

/// Connects the key worker's answers to the page and makes it the page's key ring. When it
/// stops, the page's own ring takes over (the keys it held are gone: the state says so).
fn connect_worker(worker: EngineWorker, link: &KeyLink, dispatcher: &UseReducerDispatcher<State>) {
    let answered = dispatcher.clone();
    let lost = link.clone();
    worker.connect(
        Callback::from(move |verdict: Result<(), String>| {
            if verdict.is_err() {
                lost.lose_worker();
            }
            answered.dispatch(Action::WorkerAnswered(verdict));
        }),
        link.answers(),
    );
    link.use_worker(worker);
}

/// What the page does with the answer to a request, by its `seq`.
enum Waiter {
    /// The idle effect's signature of a revision.
    Preview(u64),
    /// Download or Copy of the IdP metadata, waiting for its signature.
    Deliver(Delivery, u64),
    /// "Download SP metadata", waiting for its signature.
    Sp,
    /// A generated pair's secret file.
    Secret(PairFile),
}

/// The requests waiting for the key ring's answer.
type Waiters = Rc<RefCell<Vec<(u64, Waiter)>>>;

/// Sends `request` to the ring, and remembers what to do with its answer.
fn ask(link: &KeyLink, waiters: &Waiters, waiter: Waiter, request: impl FnOnce(u64) -> KeyRequest) {
    let seq = link.next_seq();
    waiters.borrow_mut().push((seq, waiter));
    link.send(request(seq));
}

/// The key ring's answer, turned into actions (and downloads).
fn on_key_answer(
    (answer, file): KeysAnswer,
    state: &UseReducerHandle<State>,
    waiters: &Waiters,
    keygen_task: &Rc<RefCell<Option<TaskWorker>>>,
) {
    let dispatcher = state.dispatcher();
    let waiter = |seq: u64| {
        let mut waiters = waiters.borrow_mut();
        let index = waiters.iter().position(|(s, _)| *s == seq)?;
        Some(waiters.remove(index).1)
    };
    match answer {
        KeyAnswer::Read { seq, outcome } => dispatcher.dispatch(Action::KeyRead { seq, outcome }),
        KeyAnswer::Held { count } => dispatcher.dispatch(Action::KeysHeld(count)),
        KeyAnswer::Generated {
            token,
            result,
            engine,
        } => {
            // Made in the task worker, held by the key worker (a pair made on the page does not
            // come this way).
            drop(keygen_task.borrow_mut().take());
            dispatcher.dispatch(generated_action(
                token,
                result,
                &format!("{engine} in a background worker"),
            ));
        }
        KeyAnswer::Signed { seq, result } => {
            let result = result.map(Rc::<str>::from);
            match waiter(seq) {
                Some(Waiter::Preview(revision)) => {
                    dispatcher.dispatch(Action::Signed(revision, result));
                }
                Some(Waiter::Deliver(how, revision)) => {
                    dispatcher.dispatch(Action::Signed(revision, result.clone()));
                    match result {
                        Ok(xml) => send_out(state, how, xml, "Signed"),
                        Err(why) => dispatcher.dispatch(Action::Notice(Some(why))),
                    }
                }
                Some(Waiter::Sp) => dispatcher.dispatch(Action::Notice(Some(match result {
                    Ok(xml) => save_sp(&xml, "Signed (with the SP's own key)"),
                    Err(why) => why,
                }))),
                Some(Waiter::Secret(_)) | None => {}
            }
        }
        KeyAnswer::SecretFile { seq, result } => {
            let Some(Waiter::Secret(pair_file)) = waiter(seq) else {
                return;
            };
            let saved = result.and_then(|()| {
                file.ok_or_else(|| "The key worker sent no file.".to_owned())
                    .and_then(|blob| browser::download_blob(pair_file.file_name(), &blob))
            });
            dispatcher.dispatch(match saved {
                Ok(()) => Action::SavedPairFile(pair_file),
                Err(why) => Action::Notice(Some(why)),
            });
        }
    }
}

/// Saves the SP metadata; the notice to show.
fn save_sp(xml: &str, what: &str) -> String {
    match browser::download("sp-metadata.xml", xml) {
        Ok(()) => format!(
            "{what} SP metadata saved as sp-metadata.xml (SHA-256 {}).",
            samlmeta::digest::lower_hex(&samlmeta::digest::sha256(xml.as_bytes()))
        ),
        Err(why) => why,
    }
}

/// A file (or pasted text) for `slot`: to the key ring when the slot can hold a key, else to
/// the reducer.
fn route_load(
    link: &KeyLink,
    dispatcher: &UseReducerDispatcher<State>,
    slot: Slot,
    file_name: String,
    bytes: Zeroizing<Vec<u8>>,
    passphrase: Option<Zeroizing<String>>,
) {
    let Some((need, lockable)) = State::key_route(slot) else {
        dispatcher.dispatch(Action::Load {
            slot,
            file_name,
            bytes,
            passphrase,
        });
        return;
    };
    let seq = link.next_seq();
    dispatcher.dispatch(Action::Reading(Pending {
        seq,
        slot,
        file_name,
        unlock: false,
    }));
    link.send(KeyRequest::Read {
        seq,
        file: ReadFile {
            bytes,
            passphrase,
            need,
            lockable,
        },
    });
}

/// The background worker as the page started it before its first render
/// ([`crate::browser::start_page`]), handed to [`App`] once.
#[derive(Clone, Default)]
pub struct Started(Rc<RefCell<Option<Result<EngineWorker, String>>>>);

impl Started {
    /// What [`engine::start_worker`] gave.
    #[must_use]
    pub fn new(worker: Result<EngineWorker, String>) -> Self {
        Self(Rc::new(RefCell::new(Some(worker))))
    }

    fn take(&self) -> Option<Result<EngineWorker, String>> {
        self.0.borrow_mut().take()
    }
}

impl PartialEq for Started {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The page's properties: none but the worker started before the first render (without it, the
/// page starts one itself after its first render).
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The worker [`crate::browser::start_page`] started.
    #[prop_or_default]
    pub started: Started,
}

/// The self-test, before the first render: the core's known answers, and random numbers for the
/// document ID that signing needs.
fn self_test(document_id: &str) -> Result<(), String> {
    samlmeta::self_test().map_err(|e| e.to_string())?;
    if document_id.is_empty() {
        return Err(
            "This browser gives no random numbers, which signing needs. Use an \
            up-to-date Chrome, Edge or Firefox."
                .to_owned(),
        );
    }
    Ok(())
}

/// A finished generation as an action.
fn generated_action(token: u64, made: Result<Box<PairPublic>, String>, made_by: &str) -> Action {
    Action::Generated {
        token,
        result: made.map(|pair| {
            let pair = *pair;
            Box::new(MadePair {
                key: KeyRef {
                    id: pair.id,
                    public: Rc::new(pair.public),
                },
                certificate: pair.certificate,
                encrypted: pair.encrypted,
                made_by: made_by.to_owned(),
            })
        }),
    }
}

/// The whole page.
#[component]
pub fn App(props: &AppProps) -> Html {
    // The worker started before this render, taken once; its verdict, if it has come, goes
    // straight into the first state, as does the self-test's: the first render shows the page
    // ready.
    let started = use_mut_ref(|| props.started.take());
    let state = use_reducer(|| {
        let mut state = State::new(
            samlmeta::dsig::new_document_id().unwrap_or_default(),
            browser::now(),
        );
        state = state.apply(Action::SelfTestFinished(self_test(
            &state.output.document_id,
        )));
        browser::mark("self-tested");
        let verdict = match &*started.borrow() {
            Some(Ok(worker)) => worker.take_verdict(),
            Some(Err(why)) => Some(Err(why.clone())),
            None => None,
        };
        if let Some(verdict) = verdict {
            state = state.apply(Action::WorkerAnswered(verdict));
        }
        state
    });

    // The key ring's answers need the state as it is when they come, not as it was when the
    // link was made.
    let current = use_mut_ref(|| state.clone());
    *current.borrow_mut() = state.clone();
    let waiters: Waiters = use_mut_ref(Vec::new);
    let keygen_task: Rc<RefCell<Option<TaskWorker>>> = use_mut_ref(|| None);
    let link = use_mut_ref(|| {
        let current = current.clone();
        let waiters = waiters.clone();
        let keygen_task = keygen_task.clone();
        KeyLink::new(Callback::from(move |answer: KeysAnswer| {
            let state = current.borrow().clone();
            on_key_answer(answer, &state, &waiters, &keygen_task);
        }))
    })
    .borrow()
    .clone();
    let next_token = use_mut_ref(|| 0_u64);

    // Start-up: the link's values, the worker's answers, the clock.
    {
        let dispatcher = state.dispatcher();
        let link = link.clone();
        use_effect_with((), move |()| {
            browser::mark("rendered");
            // Values from the link, once, at load. Keys are never taken from a URL.
            let fragment = browser::fragment();
            if !fragment.trim_start_matches('#').is_empty() {
                dispatcher.dispatch(Action::Prefill(
                    Box::new(samlmeta::connector::prefill_from_fragment(
                        &fragment,
                        &samlmeta::connector::ConnectorValues::default(),
                    )),
                    "the link".to_owned(),
                ));
            }
            browser::mark("fragment");
            match started.borrow_mut().take() {
                Some(Ok(worker)) => connect_worker(worker, &link, &dispatcher),
                // Already in the first state; the keys stay on the page.
                Some(Err(_)) => {}
                None => match engine::start_worker() {
                    Ok(worker) => connect_worker(worker, &link, &dispatcher),
                    Err(why) => dispatcher.dispatch(Action::WorkerAnswered(Err(why))),
                },
            }
            let ticking = dispatcher.clone();
            let clock = Interval::new(60_000, move || {
                ticking.dispatch(Action::Now(browser::now()));
            });
            move || {
                link.lose_worker();
                drop(clock);
            }
        });
    }

    // Redraw the preview, then sign, once the input has been idle. The key ring signs, and its
    // answer comes back as an action.
    {
        let revision = state.output.revision;
        let will_sign = state.will_sign();
        let state = state.clone();
        let link = link.clone();
        let waiters = waiters.clone();
        use_effect_with((revision, will_sign), move |_| {
            let preview = {
                let d = state.dispatcher();
                Timeout::new(PREVIEW_AFTER_IDLE_MS, move || {
                    d.dispatch(Action::RefreshPreview)
                })
            };
            let sign = will_sign.then(|| {
                Timeout::new(SIGN_AFTER_IDLE_MS, move || {
                    if state.current_signature().is_none()
                        && state.blockers(&state.checks()).is_empty()
                    {
                        match state.sign_job() {
                            Ok(job) => ask(&link, &waiters, Waiter::Preview(revision), |seq| {
                                KeyRequest::Sign { seq, job }
                            }),
                            Err(why) => state
                                .dispatcher()
                                .dispatch(Action::Signed(revision, Err(why))),
                        }
                    }
                })
            });
            move || {
                drop(preview);
                drop(sign);
            }
        });
    }

    // The key ring keeps only the keys the state names: after every change of them (remove,
    // replace, Clear all, wipe after download) and after every answer that carried one.
    {
        let live = state.live_keys();
        let seen = state.keys.seen;
        let link = link.clone();
        use_effect_with((live, seen), move |(live, seen)| {
            if *seen > 0 {
                link.send(KeyRequest::Retain {
                    live: live.clone(),
                    seen: *seen,
                });
            }
        });
    }

    // Embedded with #embed=1: tell the parent frame how tall the page is, after every render.
    {
        let embed = state.options.embed;
        let last_height = use_mut_ref(|| 0_i32);
        use_effect(move || {
            if embed {
                browser::post_height(&mut last_height.borrow_mut());
            }
        });
    }

    // Every file input: read the file, then load it (or say why it could not be read).
    let load_file = {
        let dispatcher = state.dispatcher();
        let link = link.clone();
        move |slot: Slot, file: File, passphrase: Option<Zeroizing<String>>| {
            let dispatcher = dispatcher.clone();
            let link = link.clone();
            read_file_then(file, move |file_name, read| match read {
                Ok(bytes) => route_load(&link, &dispatcher, slot, file_name, bytes, passphrase),
                Err(message) => dispatcher.dispatch(Action::ReadFailed {
                    slot,
                    file_name,
                    message,
                }),
            });
        }
    };
    let on_file = {
        let load_file = load_file.clone();
        Callback::from(move |(slot, file): (Slot, File)| load_file(slot, file, None))
    };
    let on_sp_key = Callback::from(move |(file, passphrase): (File, Option<String>)| {
        load_file(Slot::SpKey, file, passphrase.map(Zeroizing::new));
    });
    let on_paste = {
        let dispatcher = state.dispatcher();
        let link = link.clone();
        Callback::from(move |(slot, text): (Slot, String)| {
            let bytes = Zeroizing::new(text.into_bytes());
            route_load(
                &link,
                &dispatcher,
                slot,
                "pasted text".to_owned(),
                bytes,
                None,
            );
        })
    };
    let on_remove = dispatch_with(&state, Action::Remove);
    let on_sp_file = {
        let on_file = on_file.clone();
        Callback::from(move |file| on_file.emit((Slot::SpMetadata, file)))
    };
    let on_sp_remove = dispatch_with(&state, |()| Action::Remove(Slot::SpMetadata));
    let on_sp_key_remove = dispatch_with(&state, |()| Action::Remove(Slot::SpKey));
    let passphrase_input = use_node_ref();
    // No <form>: a sandboxed frame without allow-forms never fires "submit" (see docs/embed.md).
    let unlock = {
        let dispatcher = state.dispatcher();
        let input = passphrase_input.clone();
        let locked = state.idp.locked.clone();
        let link = link.clone();
        Callback::from(move |()| {
            let (Some(input), Some(locked)) = (input.cast::<HtmlInputElement>(), &locked) else {
                return;
            };
            if locked.unlocking {
                return;
            }
            let passphrase = Zeroizing::new(input.value());
            input.set_value("");
            let Some((need, _)) = State::key_route(locked.slot) else {
                return;
            };
            let seq = link.next_seq();
            dispatcher.dispatch(Action::Reading(Pending {
                seq,
                slot: locked.slot,
                file_name: locked.file_name.clone(),
                unlock: true,
            }));
            link.send(KeyRequest::Unlock {
                seq,
                id: locked.id,
                passphrase,
                need,
            });
        })
    };
    let on_unlock_click = {
        let unlock = unlock.clone();
        Callback::from(move |_: MouseEvent| unlock.emit(()))
    };
    let on_unlock_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            unlock.emit(());
        }
    });
    let on_edit = dispatch_with(&state, Action::Edit);
    let on_wipe = dispatch_with(&state, Action::WipeAfterDownload);
    let on_download = {
        let state = state.clone();
        let (link, waiters) = (link.clone(), waiters.clone());
        Callback::from(move |()| deliver(&state, &link, &waiters, Delivery::Download))
    };
    let on_copy = {
        let state = state.clone();
        let (link, waiters) = (link.clone(), waiters.clone());
        Callback::from(move |()| deliver(&state, &link, &waiters, Delivery::Copy))
    };
    let keygen_passphrase = use_node_ref();
    let on_clear = {
        let dispatcher = state.dispatcher();
        let inputs = [passphrase_input.clone(), keygen_passphrase.clone()];
        let unsaved = state.idp.generated.as_ref().is_some_and(|g| g.unsaved());
        Callback::from(move |()| {
            if unsaved && !browser::confirm(UNSAVED_PAIR) {
                return;
            }
            for input in inputs.iter().filter_map(NodeRef::cast::<HtmlInputElement>) {
                input.set_value("");
            }
            dispatcher.dispatch(Action::ClearAll);
        })
    };
    let on_download_sp = {
        let state = state.clone();
        let (link, waiters) = (link.clone(), waiters.clone());
        Callback::from(move |()| {
            let notice = match state.sp_document() {
                Ok(Document::Ready(xml)) => save_sp(&xml, "Unsigned"),
                Ok(Document::Sign(job)) => {
                    return ask(&link, &waiters, Waiter::Sp, |seq| KeyRequest::Sign {
                        seq,
                        job,
                    });
                }
                Err(why) => joined(&why),
            };
            state.dispatcher().dispatch(Action::Notice(Some(notice)));
        })
    };
    let settings_error = use_state(SlotView::default);
    let on_export = {
        let state = state.clone();
        Callback::from(move |()| {
            let json = state.values.settings_json();
            let name = state.values.file_name("samlmeta-settings.json");
            let notice = match browser::download_bytes(&name, json.as_bytes(), "application/json") {
                Ok(()) => format!("Settings saved as {name} (no key, no passphrase)."),
                Err(why) => why,
            };
            state.dispatcher().dispatch(Action::Notice(Some(notice)));
        })
    };
    let on_copy_link = {
        let state = state.clone();
        Callback::from(move |()| {
            let link = format!("{}#{}", browser::page_address(), state.values.to_fragment());
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                let notice = match browser::copy(&link).await {
                    Ok(()) => {
                        "A link that fills in these values was copied (it holds no key).".to_owned()
                    }
                    Err(why) => why,
                };
                dispatcher.dispatch(Action::Notice(Some(notice)));
            });
        })
    };
    let on_import = {
        let dispatcher = state.dispatcher();
        let settings_error = settings_error.clone();
        Callback::from(move |file: File| {
            let dispatcher = dispatcher.clone();
            let settings_error = settings_error.clone();
            read_file_then(file, move |file_name, read| {
                let read = read.and_then(|bytes| {
                    samlmeta::connector::read_settings(
                        &bytes,
                        &samlmeta::connector::ConnectorValues::default(),
                    )
                    .map_err(|e| e.to_string())
                });
                match read {
                    Ok(prefill) => {
                        settings_error.set(SlotView::default());
                        dispatcher.dispatch(Action::Prefill(
                            Box::new(prefill),
                            format!("the settings file {file_name}"),
                        ));
                    }
                    Err(message) => settings_error.set(SlotView::failed(file_name, message)),
                }
            });
        })
    };
    let on_card = {
        let state = state.clone();
        Callback::from(move |action: CardAction| {
            let Some(cert) = state.signing_certificate().cloned() else {
                return;
            };
            let dispatcher = state.dispatcher();
            let (text, what) = match action {
                CardAction::CopySsoUrl => (state.values.sso_url(), "The SSO URL was copied."),
                CardAction::CopyEntityId => (
                    state.values.idp_entity_id.clone(),
                    "The IdP Entity ID was copied.",
                ),
                CardAction::CopyPem => (cert.to_pem(), "The certificate (PEM) was copied."),
                CardAction::CopyBase64 => (
                    cert.base64(),
                    "The certificate (one-line base64) was copied.",
                ),
                CardAction::DownloadDer => {
                    let name = state.values.file_name("idp-certificate.cer");
                    let notice =
                        match browser::download_bytes(&name, cert.der(), "application/pkix-cert") {
                            Ok(()) => format!("The certificate was saved as {name} (DER)."),
                            Err(why) => why,
                        };
                    dispatcher.dispatch(Action::Notice(Some(notice)));
                    return;
                }
            };
            spawn_local(async move {
                let notice = match browser::copy(&text).await {
                    Ok(()) => what.to_owned(),
                    Err(why) => why,
                };
                dispatcher.dispatch(Action::Notice(Some(notice)));
            });
        })
    };

    // "Generate a key pair": in the worker when it answers, else on this page.
    let on_keygen_edit = dispatch_with(&state, Action::Keygen);
    let on_generate = {
        let state = state.clone();
        let link = link.clone();
        let keygen_task = keygen_task.clone();
        let next_token = next_token.clone();
        let passphrase_input = keygen_passphrase.clone();
        Callback::from(move |()| {
            let dispatcher = state.dispatcher();
            let (size, certificate) = match state.keygen_request() {
                Ok(request) => request,
                Err(why) => return dispatcher.dispatch(Action::GenerateRefused(why)),
            };
            let passphrase = passphrase_input
                .cast::<HtmlInputElement>()
                .map(|input| {
                    let text = Zeroizing::new(input.value());
                    input.set_value("");
                    text
                })
                .filter(|p| !p.is_empty());
            let webcrypto = keygen::webcrypto_available();
            if !webcrypto && !cfg!(feature = "wasm-keygen") {
                return dispatcher
                    .dispatch(Action::GenerateRefused(keygen::NO_WEBCRYPTO.to_owned()));
            }
            let request = keygen::Request {
                size,
                certificate,
                passphrase,
                // Decided here, where tests and benchmarks can take WebCrypto away.
                webcrypto,
            };
            let token = {
                let mut next = next_token.borrow_mut();
                *next += 1;
                *next
            };
            dispatcher.dispatch(Action::GenerateStarted(Running {
                token,
                bits: size.bits(),
            }));
            // In a task worker whose pair goes straight to the key worker; Cancel terminates it.
            let failed = dispatcher.clone();
            let on_failed = Callback::from(move |why: String| {
                failed.dispatch(Action::Generated {
                    token,
                    result: Err(format!(
                        "The background worker stopped before the key pair was made ({why}). \
                         Press Generate again."
                    )),
                });
            });
            match link.generate(token, &request, on_failed) {
                Some(Ok(task)) => *keygen_task.borrow_mut() = Some(task),
                Some(Err(why)) => dispatcher.dispatch(Action::Generated {
                    token,
                    result: Err(format!(
                        "No background worker could make the key pair ({why})."
                    )),
                }),
                None => {
                    // No key worker: on this page. Let the progress render first; WebCrypto runs
                    // on the browser's own thread, only the certificate is made on this one.
                    let link = link.clone();
                    Timeout::new(50, move || {
                        spawn_local(async move {
                            let made = keygen::generate(&request).await.map(|made| {
                                let engine = made.engine;
                                (link.add_pair(made), engine)
                            });
                            let (made, engine) = match made {
                                Ok((pair, engine)) => (Ok(Box::new(pair)), engine),
                                Err(why) => (Err(why), ""),
                            };
                            dispatcher.dispatch(generated_action(
                                token,
                                made,
                                &format!("{engine} in this page"),
                            ));
                        });
                    })
                    .forget();
                }
            }
        })
    };
    let on_cancel_generate = {
        let dispatcher = state.dispatcher();
        let keygen_task = keygen_task.clone();
        Callback::from(move |()| {
            dispatcher.dispatch(Action::CancelGenerate);
            // A busy worker stops only when terminated.
            drop(keygen_task.borrow_mut().take());
        })
    };
    let on_pair_download = {
        let state = state.clone();
        let (link, waiters) = (link.clone(), waiters.clone());
        Callback::from(move |file: PairFile| {
            let Some(generated) = &state.idp.generated else {
                return;
            };
            let id = generated.made.key.id;
            // The key's files come from the key ring as a Blob; the page never reads them.
            let secret = match file {
                PairFile::Key => SecretFile::Key,
                PairFile::EncryptedKey if generated.made.encrypted => SecretFile::EncryptedKey,
                PairFile::EncryptedKey => return,
                PairFile::Certificate => {
                    let saved = browser::download_bytes(
                        file.file_name(),
                        generated.made.certificate.to_pem().as_bytes(),
                        browser::PEM_TYPE,
                    );
                    return state.dispatcher().dispatch(match saved {
                        Ok(()) => Action::SavedPairFile(file),
                        Err(why) => Action::Notice(Some(why)),
                    });
                }
            };
            ask(&link, &waiters, Waiter::Secret(file), |seq| {
                KeyRequest::SecretFile {
                    seq,
                    id,
                    file: secret,
                }
            });
        })
    };
    // Leaving the page with a generated pair not saved: the browser asks first.
    {
        let unsaved = state.idp.generated.as_ref().is_some_and(|g| g.unsaved());
        use_effect_with(unsaved, move |unsaved| {
            let guard = unsaved.then(browser::ask_before_leaving);
            move || drop(guard)
        });
    }
    let pair_view = state.idp.generated.as_ref().map(|g| {
        let cert = &g.made.certificate;
        PairView {
            bits: g.made.key.public().bits(),
            subject: cert.subject(),
            valid_until: cert.not_after().date(),
            encrypted: g.made.encrypted,
            made_by: g.made.made_by.clone(),
            saved: (g.key_saved, g.cert_saved),
        }
    });

    // "Load into builder" in the Check view: the metadata's values, then its certificate, through
    // the same paths as a link and a certificate file; then the builder is shown.
    let on_load_into_builder = {
        let dispatcher = state.dispatcher();
        let link = link.clone();
        Callback::from(move |load: crate::check::LoadIntoBuilder| {
            dispatcher.dispatch(Action::Prefill(
                Box::new(load.prefill),
                "the IdP metadata".to_owned(),
            ));
            if let Some(pem) = load.certificate_pem {
                route_load(
                    &link,
                    &dispatcher,
                    Slot::Certificate,
                    "the IdP metadata".to_owned(),
                    Zeroizing::new(pem.into_bytes()),
                    None,
                );
            }
            dispatcher.dispatch(Action::ShowView(View::Build));
        })
    };

    // "Load rollover into builder": the values as above, then the certificate in use now first
    // and the new one second, the rollover checklist in step 4.
    let on_load_rollover = {
        let dispatcher = state.dispatcher();
        Callback::from(move |load: crate::check::LoadRollover| {
            dispatcher.dispatch(Action::Prefill(
                Box::new(load.prefill),
                "the IdP metadata".to_owned(),
            ));
            dispatcher.dispatch(Action::LoadRollover(Box::new(load.plan)));
            dispatcher.dispatch(Action::ShowView(View::Build));
        })
    };

    // What this render shows, each computed once.
    let checks = state.checks();
    let blockers = state.blockers(&checks);
    let signing_cert = state.signing_certificate();
    let cert_expiry =
        signing_cert.map(|c| (c.not_after().date(), state.now.days_until(c.not_after())));
    let certificate = signing_cert.map(|c| (c.subject(), c.sha256_fingerprint().to_string()));
    let card_cert = signing_cert.cloned();
    let preview = &state.output.preview;
    let up_to_date = preview
        .as_ref()
        .is_some_and(|p| p.revision == state.output.revision);
    // The SHA-256 of exactly what Download saves: the preview, once it is current and signed
    // (or, without a key, unsigned).
    let sha256 = preview
        .as_ref()
        .filter(|p| up_to_date && p.signed == state.will_sign() && blockers.is_empty())
        .map(|p| samlmeta::digest::lower_hex(&samlmeta::digest::sha256(p.xml.as_bytes())));
    let sp_blockers = state.sp_blockers();
    let guide_steps = crate::guide::steps(
        &state.values,
        &checks.values,
        &crate::guide::Inputs {
            key_file: state
                .idp
                .key
                .as_ref()
                .and(state.idp.key_view.file_name.clone()),
            cert_file: (!state.idp.certificates.is_empty())
                .then(|| state.idp.cert_view.file_name.clone())
                .flatten(),
            pair_unsaved: state.idp.generated.as_ref().is_some_and(|g| g.unsaved()),
            metadata_file: state.values.idp_metadata_file_name(),
            metadata_ready: blockers.is_empty(),
        },
    );
    // A copy button of the guided list: the value, and a notice saying which.
    let on_copy_value = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(what, text): (&'static str, String)| {
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let notice = match browser::copy(&text).await {
                    Ok(()) => format!("The {what} was copied."),
                    Err(why) => why,
                };
                dispatcher.dispatch(Action::Notice(Some(notice)));
            });
        })
    };
    let notices = &state.notices;

    html! {
        <>
            <Header view={state.options.view} on_view={dispatch_with(&state, Action::ShowView)} />
            if let EngineStatus::Broken(why) = &state.engine.page {
                <p class="message error banner" role="alert">{why.clone()}</p>
            }
            if state.options.check_opened || state.options.view == View::Check {
                <CheckView hidden={state.options.view != View::Check} builder_cert={state.signing_certificate().cloned()}
                    values={state.values.clone()} now={state.now} on_load={on_load_into_builder}
                    builder_has_certificate={!state.idp.certificates.is_empty()}
                    builder_pair_unsaved={state.idp.generated.as_ref().is_some_and(|g| g.unsaved())}
                    on_rollover={on_load_rollover} />
            }
            <main class="steps" hidden={state.options.view != View::Build}>
                <Step number={1} title="Certificate and key"
                    summary="Add your identity provider's certificate (cert.pem) and, to sign the metadata, its private key (private.pem). Both are read here, in this page's memory; nothing is uploaded.">
                    <div class="slots">
                        <DropZone slot={Slot::Certificate} view={state.idp.cert_view.clone()}
                            hint="Drop cert.pem here or choose it (PEM or DER; a .p12/.pfx or a PEM holding key and certificate fills both)."
                            on_file={on_file.clone()} on_paste={on_paste.clone()} on_remove={on_remove.clone()} />
                        <DropZone slot={Slot::Key} view={state.idp.key_view.clone()}
                            hint="Optional: drop private.pem here or choose it. Without it the metadata is unsigned."
                            on_file={on_file.clone()} on_paste={on_paste} on_remove={on_remove.clone()} />
                    </div>
                    <KeygenPanel form={state.keygen.clone()} common_name={state.keygen_common_name()}
                        pair={pair_view} passphrase={keygen_passphrase} on_edit={on_keygen_edit}
                        on_generate={on_generate} on_cancel={on_cancel_generate} on_download={on_pair_download} />
                    if let Some(locked) = &state.idp.locked {
                        <div class="passphrase">
                            <label for="passphrase">{"Private key passphrase"}</label>
                            <div class="inline">
                                <input type="password" id="passphrase" ref={passphrase_input}
                                    autocomplete="off" aria-describedby="passphrase-error"
                                    onkeydown={on_unlock_key} />
                                <button type="button" onclick={on_unlock_click} disabled={locked.unlocking}>
                                    {if locked.unlocking { "Unlocking…" } else { "Unlock" }}
                                </button>
                            </div>
                            <p class="hint">{format!("{} is encrypted; the passphrase is used here and then forgotten.", locked.file_name)}</p>
                            <p id="passphrase-error" class="message error" role="alert" hidden={locked.error.is_none()}>
                                {locked.error.clone().unwrap_or_default()}
                            </p>
                        </div>
                    }
                    if state.idp.key.is_some() {
                        <p class="key-loaded" data-key="loaded">{if link.in_worker() {
                            "Private key loaded (held by this page's background worker, apart from the page; Clear all wipes it)."
                        } else {
                            "Private key loaded (kept only in this page's memory; Clear all wipes it)."
                        }}</p>
                    }
                    <FindingList findings={checks.key} />
                </Step>
                <Step number={2} title="Connector values"
                    summary="The values of your JumpCloud SAML connector and your service provider. Entity IDs are case-sensitive.">
                    if notices.filled_from.is_some() || !notices.link_notes.is_empty() {
                        <div class="link-notes" role="status">
                            if let Some(source) = &notices.filled_from {
                                <p class="message info">{format!("Some values were filled in from {source}. Check them before you download.")}</p>
                            }
                            { for notices.link_notes.iter().map(|n| html! { <p class="message warning" data-note="link">{n.clone()}</p> }) }
                        </div>
                    }
                    <SpImport view={state.sp.metadata_view.clone()} on_file={on_sp_file} on_remove={on_sp_remove}
                        key_view={state.sp.key_view.clone()} on_key={on_sp_key} on_remove_key={on_sp_key_remove} />
                    <ConnectorForm values={state.values.clone()} findings={checks.values.clone()} on_edit={on_edit.clone()} />
                    <Advanced values={state.values.clone()} findings={checks.values}
                        cert_expiry={cert_expiry} rollover={state.idp.rollover.view.clone()}
                        encryption={state.idp.encryption.view.clone()} on_edit={on_edit}
                        on_cert={on_file} on_remove={on_remove} />
                </Step>
                <Step number={3} title="Metadata" class="result-step"
                    summary="Preview the IdP metadata, then download or copy it for your service provider.">
                    <ResultView preview={preview.clone()} up_to_date={up_to_date}
                        will_sign={state.will_sign()} certificate={certificate} blockers={blockers}
                        file_name={state.values.idp_metadata_file_name()} notice={notices.notice.clone()}
                        on_download={on_download} on_copy={on_copy} on_clear={on_clear}
                        sha256={sha256} on_download_sp={on_download_sp} sp_blockers={sp_blockers}
                        wipe={state.options.wipe_after_download} on_wipe={on_wipe} />
                </Step>
                <Step number={4} title="Set up the connector"
                    summary="What goes where in JumpCloud and in Keeper (or your service provider), the certificate's details, and the settings to reuse.">
                    if let Some(plan) = state.rollover_plan() {
                        <RolloverChecklist plan={plan} id="build" />
                    }
                    if let Some(cert) = card_cert {
                        <CertCard cert={cert} now={state.now} sso_url={state.values.sso_url()}
                            entity_id={state.values.idp_entity_id.clone()} on_action={on_card} />
                    }
                    if let Some(steps) = guide_steps {
                        <InJumpCloud steps={steps} on_copy={on_copy_value} />
                    } else {
                        <Checklist entity_id={state.values.idp_entity_id.clone()} />
                    }
                    <Settings on_export={on_export} on_copy_link={on_copy_link} on_import={on_import}
                        import={(*settings_error).clone()} />
                </Step>
            </main>
            <Footer engine={state.engine.page.clone()} worker={state.engine.worker.clone()} />
        </>
    }
}

/// What "Clear all" asks while a generated pair is not saved.
const UNSAVED_PAIR: &str = "The key pair made in this page has not been saved. Clear all wipes \
    it, and it cannot be made again. Clear anyway?";

/// What Download asks when "wipe after download" would wipe a generated pair not yet saved.
const UNSAVED_PAIR_WIPE: &str = "The key pair made in this page has not been saved, and the key \
    is wiped after this download, as you asked. Download and wipe it anyway?";

/// The reasons as one sentence after another.
fn joined(blockers: &[crate::state::Blocker]) -> String {
    blockers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone, Copy)]
enum Delivery {
    Download,
    Copy,
}

/// Download or copy the metadata: signed first by the key ring (as the idle effect signs) if
/// the current input is not signed yet.
fn deliver(state: &UseReducerHandle<State>, link: &KeyLink, waiters: &Waiters, how: Delivery) {
    let dispatcher = state.dispatcher();
    let wipes_unsaved_pair = matches!(how, Delivery::Download)
        && state.options.wipe_after_download
        && state.idp.generated.as_ref().is_some_and(|g| g.unsaved());
    if wipes_unsaved_pair && !browser::confirm(UNSAVED_PAIR_WIPE) {
        return;
    }
    match state.document() {
        Ok(Document::Ready(xml)) => {
            let what = if state.will_sign() {
                "Signed"
            } else {
                "Unsigned"
            };
            send_out(state, how, xml, what);
        }
        Ok(Document::Sign(job)) => {
            let revision = state.output.revision;
            ask(link, waiters, Waiter::Deliver(how, revision), |seq| {
                KeyRequest::Sign { seq, job }
            });
        }
        Err(blockers) => dispatcher.dispatch(Action::Notice(Some(joined(&blockers)))),
    }
}

/// Saves or copies `xml`, `what` ("Signed", "Unsigned") IdP metadata.
fn send_out(state: &UseReducerHandle<State>, how: Delivery, xml: Rc<str>, what: &'static str) {
    let dispatcher = state.dispatcher();
    match how {
        Delivery::Download => {
            let name = state.values.idp_metadata_file_name();
            match browser::download(&name, &xml) {
                Ok(()) => dispatcher.dispatch(Action::Downloaded(format!(
                    "{what} IdP metadata saved as {name}."
                ))),
                Err(why) => dispatcher.dispatch(Action::Notice(Some(why))),
            }
        }
        Delivery::Copy => {
            spawn_local(async move {
                let notice = match browser::copy(&xml).await {
                    Ok(()) => format!("{what} IdP metadata copied to the clipboard."),
                    Err(why) => why,
                };
                dispatcher.dispatch(Action::Notice(Some(notice)));
            });
        }
    }
}
