//! One numbered step of the builder.

use yew::prelude::*;

/// Properties of [`Step`].
#[derive(Properties, PartialEq)]
pub struct StepProps {
    /// 1 to 4.
    pub number: u8,
    /// Another class beside `step` (the layout places some steps by it).
    #[prop_or_default]
    pub class: Option<AttrValue>,
    /// The step's heading.
    pub title: AttrValue,
    /// One sentence on what the step is for.
    pub summary: AttrValue,
    /// The step's content.
    #[prop_or_default]
    pub children: Html,
}

/// A numbered section of the builder, labelled by its heading.
#[component]
pub fn Step(props: &StepProps) -> Html {
    let heading_id = format!("step-{}-title", props.number);
    html! {
        <section class={classes!("step", props.class.clone())} aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id} class="step-title">
                <span class="step-number">{props.number}</span>
                {props.title.clone()}
            </h2>
            <p class="step-summary">{props.summary.clone()}</p>
            {props.children.clone()}
        </section>
    }
}
