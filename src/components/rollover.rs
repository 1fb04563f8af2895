//! The rollover checklist: the core's plan ([`samlmeta::connector::rollover`]) as three steps with
//! their dates, the two certificates, and what is wrong with the pair. Shown by the Check view's
//! rollover helper and by the builder whenever a second signing certificate is loaded.

use crate::components::FindingList;
use samlmeta::Certificate;
use samlmeta::connector::rollover::RolloverPlan;
use yew::prelude::*;

/// Properties of [`RolloverChecklist`].
#[derive(Properties, PartialEq)]
pub struct RolloverChecklistProps {
    /// The plan.
    pub plan: RolloverPlan,
    /// Makes the heading's id unique on the page ("check", "build").
    pub id: AttrValue,
}

fn cert_row(role: &str, place: &str, cert: &Certificate) -> Html {
    html! {
        <tr data-sha256={cert.sha256_fingerprint().to_string()}>
            <th scope="row">{role}</th>
            <td>{place}</td>
            <td>{cert.subject()}</td>
            <td>{format!("{} to {}", cert.not_before().date(), cert.not_after().date())}</td>
            <td><code class="fingerprint">{cert.sha256_fingerprint().to_string()}</code></td>
        </tr>
    }
}

/// The rollover checklist.
#[component]
pub fn RolloverChecklist(props: &RolloverChecklistProps) -> Html {
    let plan = &props.plan;
    let title = format!("{}-rollover-title", props.id);
    html! {
        <section class="rollover-plan" aria-labelledby={title.clone()}
            data-current-sha256={plan.current.sha256_fingerprint().to_string()}
            data-new-sha256={plan.new.sha256_fingerprint().to_string()}>
            <h3 id={title}>{"Rollover checklist"}</h3>
            <table class="check-values">
                <caption>{"The two signing certificates"}</caption>
                <thead><tr><th scope="col">{"Certificate"}</th><th scope="col">{"In the metadata"}</th><th scope="col">{"Subject"}</th><th scope="col">{"Valid"}</th><th scope="col">{"SHA-256"}</th></tr></thead>
                <tbody>
                    { cert_row("In use now", "first", &plan.current) }
                    { cert_row("New", "second", &plan.new) }
                </tbody>
            </table>
            if !plan.findings.is_empty() {
                <FindingList findings={plan.findings.clone()} />
            }
            <ol class="rollover-steps">
                { for plan.steps.iter().map(|s| {
                    let from = s.from.date();
                    let by = s.by.map(samlmeta::UnixTime::date);
                    let when = match &by {
                        Some(by) => format!("From {from}, by {by}"),
                        None => format!("From {from}"),
                    };
                    html! {
                        <li data-step={s.step.as_str()} data-from={from.clone()} data-by={by.clone().unwrap_or_default()}>
                            <strong>{s.step.title()}</strong>
                            {" "}<span class="rollover-when">{format!("({when})")}</span>
                            <p>{s.what.clone()}</p>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
