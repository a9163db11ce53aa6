//! The event log: one plain-language line per trace event, newest first, in a polite
//! live region.

use super::FrameProps;
use crate::model::format::format_ns;
use yew::prelude::*;

#[component]
pub fn EventLog(props: &FrameProps) -> Html {
    let log = &props.frame.log;
    html! {
        <section class="event-log" aria-labelledby="log-heading">
            <h3 id="log-heading">{ "Event log" }<span class="muted">{ " newest first" }</span></h3>
            <ol class="log" data-testid="event-log" aria-live="polite" aria-relevant="additions">
                { for log.iter().rev().map(|line| html! {
                    <li key={line.index} class={classes!("log__line", format!("log__line--{}", line.tone))}
                        data-testid="log-line">
                        <time class="log__time">{ format_ns(line.at) }</time>
                        <span>{ &line.text }</span>
                    </li>
                }) }
                if log.is_empty() {
                    <li class="log__line log__line--empty muted">{ "Nothing has happened yet: press Play or Step." }</li>
                }
            </ol>
        </section>
    }
}
