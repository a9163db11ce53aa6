//! The event log: one plain-language line per trace event, newest first. A polite live
//! region only while paused (a step's line is read out); while playing it would gain
//! lines every frame, so a summary speaks instead (`live-summary`, model::live).

use crate::model::format::format_ns;
use crate::model::{ById, Frame};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct EventLogProps {
    pub frame: ById<Frame>,
    /// A live region (paused), or not (playing).
    #[prop_or(true)]
    pub live: bool,
}

#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let log = &props.frame.log;
    let live = props.live.then_some("polite");
    html! {
        <section class="event-log" aria-labelledby="log-heading">
            <h3 id="log-heading">{ "Event log" }<span class="muted">{ " newest first" }</span></h3>
            <ol class="log" data-testid="event-log" aria-live={live} aria-relevant={props.live.then_some("additions")}
                tabindex="0" aria-labelledby="log-heading">
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
