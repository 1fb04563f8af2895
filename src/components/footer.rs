//! The footer: the version, and whether the engine on this page works.

use crate::state::{EngineStatus, WorkerStatus};
use yew::prelude::*;

/// Properties of [`Footer`].
#[derive(Properties, PartialEq)]
pub struct FooterProps {
    /// The page's self-test.
    pub engine: EngineStatus,
    /// The background worker's round trip.
    pub worker: WorkerStatus,
}

/// The page footer.
#[component]
pub fn Footer(props: &FooterProps) -> Html {
    let (engine_state, engine_text) = match &props.engine {
        EngineStatus::Starting => ("starting", "Self-test running…".to_owned()),
        EngineStatus::Ready => ("ready", "Self-test passed".to_owned()),
        EngineStatus::Broken(why) => ("broken", why.clone()),
    };
    let (worker_state, worker_text) = match &props.worker {
        WorkerStatus::Starting => ("starting", "Background worker starting…".to_owned()),
        WorkerStatus::Ready => ("ready", "Background worker ready".to_owned()),
        WorkerStatus::Unavailable(why) => (
            "unavailable",
            format!("Background worker unavailable ({why}); everything runs on the page instead"),
        ),
    };
    // Where private keys are held: in the worker unless it is unavailable.
    let (keys_state, keys_text) = match &props.worker {
        WorkerStatus::Unavailable(_) => ("page", "Private keys are held on this page"),
        _ => ("worker", "Private keys are held by the background worker"),
    };
    html! {
        <footer class="page-footer">
            <p class="version">{format!("samlmeta {}", samlmeta::VERSION)}</p>
            <ul class="status" aria-live="polite">
                <li class={classes!("status-item", engine_state)} data-engine={engine_state}>
                    {engine_text}
                </li>
                <li class={classes!("status-item", worker_state)} data-worker={worker_state}>
                    {worker_text}
                </li>
                <li class={classes!("status-item", keys_state)} data-keys={keys_state}>
                    {keys_text}
                </li>
            </ul>
        </footer>
    }
}
