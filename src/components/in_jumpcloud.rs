//! "In JumpCloud": the connector's steps in the guide's order with the page's values, a copy
//! button for each value pasted, and a tick on each step whose value is there and valid. The
//! steps are [`crate::guide`]'s.

use crate::guide::GuideStep;
use yew::prelude::*;

/// Properties of [`InJumpCloud`].
#[derive(Properties, PartialEq)]
pub struct InJumpCloudProps {
    /// The steps.
    pub steps: Vec<GuideStep>,
    /// A copy button pressed: (what, the text).
    pub on_copy: Callback<(&'static str, String)>,
}

/// The guided list.
#[component]
pub fn InJumpCloud(props: &InJumpCloudProps) -> Html {
    html! {
        <section class="in-jumpcloud" aria-labelledby="in-jumpcloud-title">
            <h3 id="in-jumpcloud-title">{"In JumpCloud"}</h3>
            <p class="hint">{"The Keeper connector in JumpCloud, field by field, with this page's values; then the Keeper side. A step is ticked once its value is there and valid."}</p>
            <ol class="guided">
                { for props.steps.iter().map(|s| {
                    let done = s.done.map(|d| d.to_string());
                    let mark = match s.done {
                        Some(true) => html! { <span class="tick done" aria-hidden="true">{"\u{2713}"}</span> },
                        Some(false) => html! { <span class="tick" aria-hidden="true">{"\u{25cb}"}</span> },
                        None => html! { <span class="tick" aria-hidden="true"></span> },
                    };
                    let state = match s.done {
                        Some(true) => "Done: ",
                        Some(false) => "To do: ",
                        None => "",
                    };
                    html! {
                        <li data-step={s.id} data-done={done}>
                            {mark}
                            <div class="guided-text">
                                <span class="visually-hidden">{state}</span>
                                <span>{s.text.clone()}</span>
                                if let Some(p) = &s.pasted {
                                    <div class="guided-value">
                                        if p.value.is_empty() {
                                            <span class="hint">{format!("{} is not filled in yet.", p.label)}</span>
                                        } else {
                                            <code class="guided-copy-value">{p.value.clone()}</code>
                                        }
                                        <button type="button" class="small" disabled={p.value.is_empty()}
                                            onclick={{
                                                let (on_copy, what, value) = (props.on_copy.clone(), p.label, p.value.clone());
                                                Callback::from(move |_: MouseEvent| on_copy.emit((what, value.clone())))
                                            }}>{p.button}</button>
                                    </div>
                                }
                            </div>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
