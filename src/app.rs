//! The page: header, the three builder steps, footer.

use crate::components::{Footer, Header, Step};
use crate::engine;
use crate::state::{Action, State};
use yew::prelude::*;

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |()| {
            dispatcher.dispatch(Action::SelfTestFinished(
                samlmeta::self_test().map_err(|e| e.to_string()),
            ));
            let answered = dispatcher.clone();
            let worker = engine::start_worker(Callback::from(move |verdict| {
                answered.dispatch(Action::WorkerAnswered(verdict));
            }));
            let worker = match worker {
                Ok(worker) => Some(worker),
                Err(why) => {
                    dispatcher.dispatch(Action::WorkerAnswered(Err(why)));
                    None
                }
            };
            move || drop(worker)
        });
    }

    html! {
        <>
            <Header />
            <main class="steps">
                <Step number={1} title="IdP certificate and key"
                    summary="Add your identity provider's certificate (cert.pem) and, to sign the metadata, its private key (private.pem)." />
                <Step number={2} title="Connector values"
                    summary="Enter the values your identity provider's connector and your service provider use: entity IDs, ACS URL, IdP URL and display label." />
                <Step number={3} title="Metadata"
                    summary="Preview the metadata, then download or copy it for your service provider." />
            </main>
            <Footer engine={state.engine.clone()} worker={state.worker.clone()} />
        </>
    }
}
