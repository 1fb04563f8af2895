//! "Check a login or metadata": a captured Response, a request or any metadata, pasted or
//! dropped, checked by the core against the builder's values and certificate (or a trusted
//! certificate or fingerprint given here). Nothing is uploaded: the check runs in this page.

use crate::browser;
use crate::check::{
    self, CheckAction, CheckState, LoadIntoBuilder, LoadRollover, NewSource, Outcome, TrustUsed,
    TrustedCert,
};
use crate::components::RolloverChecklist;
use crate::components::field::{on_file_chosen, on_file_dropped};
use samlmeta::Certificate;
use samlmeta::Severity;
use samlmeta::connector::ConnectorValues;
use samlmeta::message::{
    AssertionValues, Checked, DocumentMap, MetadataCheck, Problem, RequestCheck, ResponseCheck,
    Value,
};
use samlmeta::time::UnixTime;
use std::rc::Rc;
use web_sys::{DragEvent, File, HtmlTextAreaElement, InputEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Properties of [`CheckView`].
#[derive(Properties, PartialEq)]
pub struct CheckViewProps {
    /// The builder's signing certificate, if one is loaded.
    pub builder_cert: Option<Certificate>,
    /// The builder's connector values.
    pub values: ConnectorValues,
    /// The time to check validity at.
    pub now: UnixTime,
    /// "Load into builder" pressed (and confirmed, where it replaces typed values).
    pub on_load: Callback<LoadIntoBuilder>,
    /// Whether the builder holds a certificate ("Load into builder" replaces it).
    pub builder_has_certificate: bool,
    /// Whether the builder holds a key pair made there and not yet saved.
    pub builder_pair_unsaved: bool,
    /// "Load rollover into builder" pressed (and confirmed).
    pub on_rollover: Callback<LoadRollover>,
    /// The builder is shown instead: the view stays, hidden, so that nothing given here is lost.
    pub hidden: bool,
}

/// Inputs larger than this are checked in a background worker, with Cancel: parsing and
/// verifying them takes long enough to freeze the page.
pub const LARGE_INPUT_BYTES: usize = 1_000_000;

/// Reads `file` (a message to check when `message`, else a certificate), then dispatches what
/// `ok` or `failed` make of it.
fn read_then(
    dispatcher: UseReducerDispatcher<CheckState>,
    file: File,
    message: bool,
    ok: fn(String, Vec<u8>) -> CheckAction,
    failed: fn(String, String) -> CheckAction,
) {
    let name = file.name();
    spawn_local(async move {
        let read = if message {
            browser::read_message_file(file).await
        } else {
            browser::read_file(file).await
        };
        dispatcher.dispatch(match read {
            Ok(bytes) => ok(name, bytes.to_vec()),
            Err(message) => failed(name, message),
        });
    });
}

/// A large input's check in the background worker.
#[derive(Debug, Clone, PartialEq)]
enum Background {
    /// Nothing large to check.
    Idle,
    /// Running: what and how many bytes.
    Running(String, usize),
    /// Cancelled before it finished.
    Cancelled,
    /// Done: the check, and why it ran on the page when no worker could start.
    Done(Rc<Outcome>, Option<String>),
    /// The worker stopped without an answer.
    Failed(String),
}

/// "4.9 MB" (rounded down; integers only: float formatting would add 15 KB of wasm).
fn megabytes(bytes: usize) -> String {
    format!("{}.{} MB", bytes / 1_000_000, bytes / 100_000 % 10)
}

/// The Check view.
#[component]
pub fn CheckView(props: &CheckViewProps) -> Html {
    let state = use_reducer(CheckState::default);
    let large = state
        .input()
        .is_some_and(|(_, bytes)| bytes.len() > LARGE_INPUT_BYTES);
    let outcome = {
        let state = state.clone();
        use_memo(
            (
                state.revision,
                props.builder_cert.clone(),
                props.values.clone(),
                props.now,
                props.hidden || large,
            ),
            // Hidden, nothing is checked: typing in the builder does not rerun a check no one
            // sees. Large inputs are checked in the background (below).
            move |(_, cert, values, now, skip)| {
                (!skip)
                    .then(|| check::run(&state, cert.as_ref(), values, *now))
                    .flatten()
                    .map(Rc::new)
            },
        )
    };
    let background = use_state(|| Background::Idle);
    let check_worker = use_mut_ref(|| None::<crate::engine::TaskWorker>);
    {
        let (state, background, check_worker) =
            (state.clone(), background.clone(), check_worker.clone());
        let now = props.now;
        use_effect_with(
            (
                state.revision,
                props.builder_cert.clone(),
                props.values.clone(),
                props.hidden || !large,
            ),
            move |(_, cert, values, skip)| {
                // A newer input, or none: the check running stops.
                check_worker.borrow_mut().take();
                match state.input().filter(|_| !*skip) {
                    None => background.set(Background::Idle),
                    Some((source, bytes)) => {
                        let request = crate::wire::CheckRequest {
                            source: source.clone(),
                            bytes: bytes.to_vec(),
                            trusted: state.trusted.clone(),
                            fingerprint: state.fingerprint.clone(),
                            builder_cert: cert.clone(),
                            values: values.clone(),
                            now,
                        };
                        let done = {
                            let background = background.clone();
                            Callback::from(move |answer: Result<Outcome, String>| {
                                background.set(match answer {
                                    Ok(outcome) => Background::Done(Rc::new(outcome), None),
                                    Err(why) => Background::Failed(why),
                                });
                            })
                        };
                        match crate::engine::start_check(&request, done) {
                            Ok(worker) => {
                                *check_worker.borrow_mut() = Some(worker);
                                background.set(Background::Running(source, bytes.len()));
                            }
                            // No worker here: the page checks it, and says so.
                            Err(why) => {
                                let outcome =
                                    check::run(&state, cert.as_ref(), values, now).map(Rc::new);
                                background.set(match outcome {
                                    Some(o) => Background::Done(o, Some(why)),
                                    None => Background::Idle,
                                });
                            }
                        }
                    }
                }
                move || drop(check_worker.borrow_mut().take())
            },
        );
    }
    let on_cancel = {
        let (background, check_worker) = (background.clone(), check_worker.clone());
        Callback::from(move |_: MouseEvent| {
            check_worker.borrow_mut().take();
            background.set(Background::Cancelled);
        })
    };
    let on_again = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(CheckAction::Recheck))
    };

    let on_file = {
        let dispatcher = state.dispatcher();
        Callback::from(move |file: File| {
            read_then(
                dispatcher.clone(),
                file,
                true,
                |name, bytes| CheckAction::File { name, bytes },
                |name, message| CheckAction::FileFailed { name, message },
            );
        })
    };
    let on_trusted = {
        let dispatcher = state.dispatcher();
        Callback::from(move |file: File| {
            read_then(
                dispatcher.clone(),
                file,
                false,
                |name, bytes| CheckAction::TrustedFile { name, bytes },
                |name, message| CheckAction::TrustedFailed { name, message },
            );
        })
    };
    let on_new_cert = {
        let dispatcher = state.dispatcher();
        Callback::from(move |file: File| {
            read_then(
                dispatcher.clone(),
                file,
                false,
                |name, bytes| CheckAction::NewCertFile { name, bytes },
                |name, message| CheckAction::NewCertFailed { name, message },
            );
        })
    };
    let on_remove_new = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(CheckAction::RemoveNewCert))
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = on_file_dropped(on_file.clone());
    let on_text = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                dispatcher.dispatch(CheckAction::Text(area.value()));
            }
        })
    };
    let on_fingerprint = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatcher.dispatch(CheckAction::Fingerprint(input.value()));
            }
        })
    };
    let on_remove_trusted = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(CheckAction::RemoveTrusted))
    };
    let on_clear = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(CheckAction::Clear))
    };

    let shown: Option<Rc<Outcome>> = if large {
        match &*background {
            Background::Done(outcome, _) => Some(Rc::clone(outcome)),
            _ => None,
        }
    } else {
        outcome.as_ref().clone()
    };
    let fingerprint_error = state.fingerprint().and_then(Result::err);
    let checking = match &state.subject {
        Some(check::Subject::File { name, .. }) => Some(format!("Checking the file {name}.")),
        _ => None,
    };
    let values = &props.values;
    let held_against = [
        ("IdP Entity ID", values.idp_entity_id.trim().to_owned()),
        ("SP Entity ID", values.sp_entity_id.trim().to_owned()),
        ("ACS URL", values.acs_url.trim().to_owned()),
    ];
    let held_text = held_against
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, v)| format!("{label} {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let any_value = !held_text.is_empty();

    html! {
        <main class="check-view" id="check" hidden={props.hidden}>
            <section class="step" aria-labelledby="check-title">
                <h2 id="check-title">{"Check a login or metadata"}</h2>
                <p class="step-summary">{"Paste or drop a captured login (the SAMLResponse of a failed Keeper login), a request, or any SAML metadata. It is decoded and checked in this page; nothing is uploaded."}</p>
                <div class="check-inputs">
                    <div class="drop-zone" data-slot="check-file" ondragover={on_drag_over} ondrop={on_drop}>
                        <label class="drop-label" for="check-file">{"File to check"}</label>
                        <p class="hint" id="check-file-hint">{"Drop a file here or choose it: XML, or a text file holding the base64, a form body or the whole URL."}</p>
                        <input type="file" id="check-file" class="file-input" aria-describedby="check-file-hint"
                            onchange={on_file_chosen(on_file)} />
                        if let Some(text) = checking {
                            <p class="message info" role="status">{text}</p>
                        }
                        if let Some((name, message)) = &state.file_error {
                            <p class="message error" role="alert">{format!("{name}: {message}")}</p>
                        }
                    </div>
                    <div class="field">
                        <label for="check-text">{"Text to check"}</label>
                        <textarea id="check-text" rows="6" spellcheck="false" autocomplete="off"
                            aria-describedby="check-text-hint" value={state.text.clone()} oninput={on_text} />
                        <p class="hint" id="check-text-hint">{"The XML, the SAMLResponse or SAMLRequest value (base64, URL-encoded or DEFLATE), the whole form body, or the whole URL."}</p>
                    </div>
                </div>
                <h3>{"Whose signature to accept"}</h3>
                <div class="check-trust">
                    <div class="field">
                        <label for="check-trusted-cert">{"Trusted certificate"}</label>
                        <input type="file" id="check-trusted-cert" class="file-input"
                            accept=".pem,.crt,.cer,.der" onchange={on_file_chosen(on_trusted)} />
                        { cert_file_status(state.trusted.as_ref(), state.trusted_error.as_ref(),
                            on_remove_trusted, "Remove the trusted certificate") }
                    </div>
                    <div class="field">
                        <label for="check-fingerprint">{"Trusted SHA-256 fingerprint"}</label>
                        <input type="text" id="check-fingerprint" spellcheck="false" autocomplete="off"
                            aria-describedby="check-fingerprint-error" value={state.fingerprint.clone()} oninput={on_fingerprint} />
                        <p id="check-fingerprint-error" class="message error" role="alert" hidden={fingerprint_error.is_none()}>
                            {fingerprint_error.map(|e| format!("Not used: {e}")).unwrap_or_default()}
                        </p>
                    </div>
                </div>
                if let Some(cert) = &props.builder_cert {
                    <p class="hint" data-trust-source="builder">{format!("Without a trusted certificate or fingerprint here, the builder's certificate is trusted: {}.", cert.subject())}</p>
                } else {
                    <p class="hint" data-trust-source="none">{"No certificate is loaded in the builder: give a trusted certificate or fingerprint to know who signed."}</p>
                }
                if any_value {
                    <p class="hint" data-held-against="builder">
                        {format!("Held against the builder's values: {} ({}).", held_text, values.preset.label())}
                    </p>
                } else {
                    <p class="hint" data-held-against="none">{"The builder has no connector values yet, so only the signature and the dates are checked."}</p>
                }
                if state.subject.is_some() || state.trusted.is_some() || !state.fingerprint.is_empty() {
                    <button type="button" onclick={on_clear}>{"Clear the check"}</button>
                }
            </section>
            if large && !props.hidden {
                { background_view(&background, on_cancel, on_again) }
            }
            if let Some(outcome) = shown.as_deref() {
                { outcome_view(outcome, state.revision, html! {
                    <>
                        { load_button(outcome, props) }
                        { rollover_helper(outcome, &state, props, on_new_cert, on_remove_new) }
                    </>
                }) }
            }
        </main>
    }
}

/// "Load into builder", for IdP metadata: its values and first certificate fill the builder,
/// after a confirmation where they replace typed values or a certificate.
fn load_button(outcome: &Outcome, props: &CheckViewProps) -> Html {
    let Some(load) = LoadIntoBuilder::from_outcome(outcome, &props.values) else {
        return html! {};
    };
    let mut replaces = load.replaces(&props.values);
    if props.builder_has_certificate && load.certificate_pem.is_some() {
        replaces.push("the certificate");
    }
    let on_load = props.on_load.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        let question = format!(
            "Loading this metadata replaces the builder's {}. Replace them?",
            replaces.join(", ")
        );
        if replaces.is_empty() || browser::confirm(&question) {
            on_load.emit(load.clone());
        }
    });
    html! {
        <div class="check-load">
            <button type="button" class="primary" {onclick}>{"Load into builder"}</button>
            <p class="hint">{"Fills the builder's IdP Entity ID and IdP URL from this metadata and loads its first signing certificate (the builder asks before it replaces values you typed)."}</p>
        </div>
    }
}

/// A large input's check: running (with Cancel), cancelled, failed, or where it ran.
fn background_view(
    background: &Background,
    on_cancel: Callback<MouseEvent>,
    on_again: Callback<MouseEvent>,
) -> Html {
    match background {
        Background::Idle => html! {},
        Background::Running(source, bytes) => html! {
            <div class="check-progress" role="status" data-check="running">
                <progress aria-label="Checking"></progress>
                <p>{format!("Checking {source} ({}) in a background worker: the page stays usable.", megabytes(*bytes))}</p>
                <button type="button" onclick={on_cancel}>{"Cancel"}</button>
            </div>
        },
        Background::Cancelled => html! {
            <div class="check-progress" role="status" data-check="cancelled">
                <p class="message info">{"Cancelled: this input was not checked."}</p>
                <button type="button" onclick={on_again}>{"Check again"}</button>
            </div>
        },
        Background::Failed(why) => html! {
            <div class="check-progress" data-check="failed">
                <p class="message error" role="alert">{format!("The background check stopped without an answer ({why}). Nothing was checked; try again, or check it with: samlmeta check <file>")}</p>
                <button type="button" onclick={on_again}>{"Check again"}</button>
            </div>
        },
        Background::Done(_, on_page) => match on_page {
            Some(why) => html! {
                <p class="message warning" data-check="on-page">{format!("No background worker could start here ({why}), so this input was checked on the page, which paused it meanwhile.")}</p>
            },
            None => {
                html! { <p class="hint" data-check="worker">{"Checked in a background worker."}</p> }
            }
        },
    }
}

/// The rollover helper, for IdP metadata with a signing certificate: a new certificate (the
/// "New certificate" file, else the builder's when it is not the metadata's) gives the plan,
/// and "Load rollover into builder" puts the certificate in use now first and the new one second.
fn rollover_helper(
    outcome: &Outcome,
    state: &CheckState,
    props: &CheckViewProps,
    on_new_cert: Callback<File>,
    on_remove_new: Callback<MouseEvent>,
) -> Html {
    if LoadIntoBuilder::from_outcome(outcome, &props.values).is_none()
        || outcome.idp_certificates.is_empty()
    {
        return html! {};
    }
    let load = LoadRollover::from_outcome(
        outcome,
        state,
        props.builder_cert.as_ref(),
        &props.values,
        props.now,
    );
    let source = match load.as_ref().map(|l| l.source) {
        Some(NewSource::Builder) => html! {
            <p class="hint" data-new-source="builder">{"Without a file here, the new certificate is the builder's (made or loaded in step 1)."}</p>
        },
        Some(NewSource::File) => html! {},
        None => html! {
            <p class="hint" data-new-source="none">{"Give the new certificate (cert.pem of the new key pair), or make a key pair in the builder's step 1 first: the helper then uses it."}</p>
        },
    };
    let button = load.as_ref().map(|load| {
        let on_rollover = props.on_rollover.clone();
        let blocked = props.builder_pair_unsaved;
        let mut replaces = load.prefill_replaces(&props.values);
        if props.builder_has_certificate {
            replaces.push("the certificate");
        }
        let plan_load = load.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let question = format!(
                "Loading the rollover replaces the builder's {}. Replace them?",
                replaces.join(", ")
            );
            if replaces.is_empty() || browser::confirm(&question) {
                on_rollover.emit(plan_load.clone());
            }
        });
        html! {
            <div class="check-load">
                <button type="button" class="primary" disabled={blocked} aria-describedby="rollover-load-hint" {onclick}>{"Load rollover into builder"}</button>
                if blocked {
                    <p class="message warning" id="rollover-load-hint">{"Save the key pair made in the builder first (Download private.pem and Download cert.pem in step 1): JumpCloud needs both in step 2, and loading the rollover takes them out of the builder."}</p>
                } else {
                    <p class="hint" id="rollover-load-hint">{"Fills the builder's values from this metadata, gives it this metadata's certificate as IdP Certificate and the new one as Second signing certificate. The metadata is signed only with the current certificate's private key: a different key in the builder is taken out."}</p>
                }
            </div>
        }
    });
    html! {
        <section class="rollover-helper" aria-labelledby="rollover-helper-title">
            <h3 id="rollover-helper-title">{"Rollover helper"}</h3>
            <p class="hint">{"Moving this IdP to a new signing key and certificate? The metadata to publish first lists the certificate in use now first and the new one second (many service providers read only the first)."}</p>
            <div class="field">
                <label for="rollover-new-cert">{"New certificate"}</label>
                <input type="file" id="rollover-new-cert" class="file-input"
                    accept=".pem,.crt,.cer,.der" onchange={on_file_chosen(on_new_cert)} />
                { cert_file_status(state.new_cert.as_ref(), state.new_cert_error.as_ref(),
                    on_remove_new, "Remove the new certificate") }
            </div>
            {source}
            if let Some(load) = &load {
                <RolloverChecklist plan={load.plan.clone()} id="check" />
            }
            { button.unwrap_or_default() }
        </section>
    }
}

/// What a certificate file input holds ("Trusted certificate", "New certificate"): the file and
/// its subject with a Remove button and the file's note, and why the last file chosen could not
/// be used.
fn cert_file_status(
    cert: Option<&TrustedCert>,
    error: Option<&(String, String)>,
    on_remove: Callback<MouseEvent>,
    remove_label: &'static str,
) -> Html {
    html! {
        <>
            if let Some(t) = cert {
                <p class="slot-ok">
                    {format!("{}: {}", t.file_name, t.cert.subject())}
                    {" "}<button type="button" class="link-button" onclick={on_remove}
                        aria-label={remove_label}>{"Remove"}</button>
                </p>
                if let Some(note) = &t.note {
                    <p class="message warning">{note.clone()}</p>
                }
            }
            if let Some((name, message)) = error {
                <p class="message error" role="alert">{format!("{name}: {message}")}</p>
            }
        </>
    }
}

/// The result of a check.
fn outcome_view(outcome: &Outcome, revision: u64, load: Html) -> Html {
    let trust = match &outcome.trust {
        TrustUsed::File {
            file_name, sha256, ..
        } => format!("the trusted certificate {file_name} (SHA-256 {sha256})"),
        TrustUsed::Fingerprint(fp) => format!("the trusted fingerprint {fp}"),
        TrustUsed::Builder { sha256, .. } => {
            format!("the builder's certificate (SHA-256 {sha256})")
        }
        TrustUsed::Embedded => "only the certificate inside the document".to_owned(),
    };
    let encoding = outcome
        .encoding
        .map(|e| format!(", read as {e}"))
        .unwrap_or_default();
    html! {
        <section class="step check-result" aria-labelledby="check-result-title" aria-live="polite"
            data-revision={revision.to_string()}>
            <h2 id="check-result-title">{"Result"}</h2>
            <p class="hint">{format!("Checked {}{encoding}, trusting {trust}.", outcome.source)}</p>
            { match &outcome.result {
                Err(why) => html! {
                    <p class="message error verdict" role="alert" data-verdict="unreadable">{why.clone()}</p>
                },
                Ok(checked) => checked_view(checked),
            } }
            {load}
        </section>
    }
}

fn checked_view(checked: &Checked) -> Html {
    let problems = checked.problems();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let what = match checked {
        Checked::Response(r) if r.is_response => "SAML Response",
        Checked::Response(_) => "SAML Assertion",
        Checked::Request(r) => r.kind.as_str(),
        Checked::Metadata(_) => "metadata",
    };
    let headline = match (errors, problems.len()) {
        (0, 0) => format!("This {what} has no problem."),
        (0, n) => format!("This {what} has no error, and {n} warning{}.", plural(n)),
        (e, _) => format!("This {what} has {e} error{}.", plural(e)),
    };
    let verdict = checked.verdict();
    html! {
        <>
            <p class={classes!("verdict", "message", if errors > 0 { "error" } else if problems.is_empty() { "ok" } else { "warning" })}
                data-verdict={verdict.code()} data-kind={kind_code(checked)}>
                <strong>{headline}</strong>{" "}{format!("Signature: {verdict}.")}
            </p>
            if !problems.is_empty() {
                <h3>{"Problems"}</h3>
                <ul class="check-problems">
                    { for problems.iter().map(problem_view) }
                </ul>
            }
            { match checked {
                Checked::Response(r) => response_view(r),
                Checked::Request(r) => request_view(r),
                Checked::Metadata(m) => metadata_view(m),
            } }
            { map_view(checked.map()) }
        </>
    }
}

fn kind_code(checked: &Checked) -> &'static str {
    match checked {
        Checked::Response(_) => "response",
        Checked::Request(_) => "request",
        Checked::Metadata(_) => "metadata",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn problem_view(p: &Problem) -> Html {
    let severity = match p.severity {
        Severity::Error => "error",
        _ => "warning",
    };
    html! {
        <li class={classes!("message", severity)} data-code={p.code.as_str()} data-severity={severity}
            data-refusal={p.refusal}>
            {p.message.clone()}
        </li>
    }
}

/// A signed/not signed mark.
fn signed_mark(signed: bool) -> Html {
    html! {
        <span class={classes!("mark", if signed { "signed" } else { "unsigned" })}>
            { if signed { "signed" } else { "NOT signed" } }
        </span>
    }
}

/// One row of a values table.
fn value_row(label: &str, value: Option<&Value>) -> Html {
    match value {
        None => html! {},
        Some(v) => html! {
            <tr data-signed={v.signed.to_string()} data-value={label.to_owned()}>
                <th scope="row">{label.to_owned()}</th>
                <td><code>{v.value.clone()}</code></td>
                <td>{signed_mark(v.signed)}</td>
            </tr>
        },
    }
}

fn values_table(caption: String, rows: Html) -> Html {
    html! {
        <table class="check-values">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{"Value"}</th><th scope="col">{"Read"}</th><th scope="col">{"Signed"}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn response_view(r: &ResponseCheck) -> Html {
    let v = &r.response;
    html! {
        <>
            <h3>{"Values"}</h3>
            <p class="hint">{"Values marked NOT signed are not covered by a good signature: anyone could have changed them, and no check relies on them."}</p>
            if r.is_response {
                { values_table("The Response".to_owned(), html! {
                    <>
                        { value_row("Issuer", v.issuer.as_ref()) }
                        { value_row("Destination", v.destination.as_ref()) }
                        { value_row("Status", v.status.as_ref()) }
                        { value_row("Status message", v.status_message.as_ref()) }
                        { value_row("InResponseTo", v.in_response_to.as_ref()) }
                    </>
                }) }
            }
            { for r.assertions.iter().map(assertion_view) }
        </>
    }
}

fn assertion_view(a: &AssertionValues) -> Html {
    let caption = format!(
        "Assertion {}{}",
        a.id.as_deref().unwrap_or("without ID"),
        if a.encrypted {
            " (encrypted: its values cannot be read without the SP's key)"
        } else {
            ""
        }
    );
    html! {
        { values_table(caption, html! {
            <>
                { value_row("Issuer", a.issuer.as_ref()) }
                { value_row("NameID", a.name_id.as_ref()) }
                { value_row("NameID Format", a.name_id_format.as_ref()) }
                { for a.audiences.iter().map(|aud| value_row("Audience", Some(aud))) }
                { value_row("Recipient", a.recipient.as_ref()) }
                { value_row("NotBefore", a.not_before.as_ref()) }
                { value_row("NotOnOrAfter", a.not_on_or_after.as_ref()) }
                { value_row("Subject NotOnOrAfter", a.confirmation_not_on_or_after.as_ref()) }
                { for a.attributes.iter().map(|at| html! {
                    <tr data-signed={at.signed.to_string()} data-value={format!("attribute {}", at.name)}>
                        <th scope="row">{format!("Attribute {}", at.name)}</th>
                        <td><code>{at.values.join(", ")}</code></td>
                        <td>{signed_mark(at.signed)}</td>
                    </tr>
                }) }
            </>
        }) }
    }
}

fn request_view(r: &RequestCheck) -> Html {
    html! {
        <>
            <h3>{"Values"}</h3>
            { values_table(format!("The {}{}", r.kind.as_str(), r.id.as_ref().map(|id| format!(" {id}")).unwrap_or_default()), html! {
                <>
                    { value_row("Issuer", r.issuer.as_ref()) }
                    { value_row("Destination", r.destination.as_ref()) }
                    { value_row("AssertionConsumerServiceURL", r.acs_url.as_ref()) }
                    { value_row("NameID", r.name_id.as_ref()) }
                    { value_row("Status", r.status.as_ref()) }
                </>
            }) }
            if let Some(alg) = &r.redirect_signature {
                <p class="hint">{format!("Signed in the URL (HTTP-Redirect binding, {alg}); that signature is checked by the IdP against the query string and is not verified here.")}</p>
            }
        </>
    }
}

/// The entities listed in full; an aggregate's others are counted.
pub const ENTITIES_SHOWN: usize = 100;

fn metadata_view(m: &MetadataCheck) -> Html {
    let more = m.entities.len().saturating_sub(ENTITIES_SHOWN);
    html! {
        <>
            <h3>{"Entities"}</h3>
            if let Some(until) = &m.valid_until {
                <p class="hint">{format!("Valid until {until}.")}</p>
            }
            { for m.entities.iter().take(ENTITIES_SHOWN).map(|e| html! {
                <div class="check-entity" data-entity-id={e.entity_id.clone()}>
                    <p><strong>{e.entity_id.clone()}</strong>{format!(" ({})", e.roles.join(", "))}</p>
                    if !e.endpoints.is_empty() {
                        <table class="check-values">
                            <caption>{"Endpoints"}</caption>
                            <thead><tr><th scope="col">{"Endpoint"}</th><th scope="col">{"Binding"}</th><th scope="col">{"Location"}</th></tr></thead>
                            <tbody>
                                { for e.endpoints.iter().map(|p| html! {
                                    <tr data-endpoint={p.kind.clone()}>
                                        <th scope="row">{p.kind.clone()}</th>
                                        <td><code>{p.binding.rsplit(':').next().unwrap_or_default().to_owned()}</code></td>
                                        <td><code>{p.location.clone()}</code></td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                    if !e.certificates.is_empty() {
                        <table class="check-values">
                            <caption>{"Certificates"}</caption>
                            <thead><tr><th scope="col">{"Use"}</th><th scope="col">{"Subject"}</th><th scope="col">{"SHA-256"}</th><th scope="col">{"Expires"}</th></tr></thead>
                            <tbody>
                                { for e.certificates.iter().map(|c| html! {
                                    <tr data-sha256={c.sha256.to_string()}>
                                        <th scope="row">{c.usage.clone().unwrap_or_else(|| "signing and encryption".to_owned())}</th>
                                        <td>{c.subject.clone()}</td>
                                        <td><code class="fingerprint">{c.sha256.to_string()}</code></td>
                                        <td data-days-left={c.days_left.to_string()}>{expiry(c.not_after, c.days_left)}</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                    if !e.name_id_formats.is_empty() {
                        <p class="hint">{format!("NameID formats: {}", e.name_id_formats.join(", "))}</p>
                    }
                </div>
            }) }
            if more > 0 {
                <p class="hint" data-entities-left-out={more.to_string()}>{format!("{more} more entities are not listed (the first {ENTITIES_SHOWN} of {} are); the problems above cover them all.", m.entities.len())}</p>
            }
        </>
    }
}

fn expiry(not_after: UnixTime, days_left: i64) -> String {
    let date = not_after.date();
    match days_left {
        d if d < 0 => format!("{date} (expired {} days ago)", -d),
        0 => format!("{date} (today)"),
        d => format!("{date} (in {d} days)"),
    }
}

/// The document map: every element near the top, marked signed or not.
fn map_view(map: &DocumentMap) -> Html {
    html! {
        <>
            <h3>{"What the signature covers"}</h3>
            <ol class="doc-map" aria-label="Document map">
                { for map.entries.iter().map(|e| html! {
                    <li data-signed={e.signed.to_string()} data-element={e.name.clone()}
                        data-depth={e.depth.to_string()}>
                        <code>{format!("<{}>", e.name)}</code>
                        { e.id.as_ref().map(|id| format!(" ID {id}")).unwrap_or_default() }
                        {format!(" (line {}) ", e.line)}
                        {signed_mark(e.signed)}
                    </li>
                }) }
            </ol>
            if map.left_out > 0 {
                <p class="hint">{format!("{} more elements are not listed.", map.left_out)}</p>
            }
        </>
    }
}
