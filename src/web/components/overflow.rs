//! The overflow list as a queue of event cards (oldest first), the flag that mirrors it
//! next to the tail, the flush that moves cards back into the ring, and the timer.

use super::FrameProps;
use crate::model::caps::{full_ring_text, timer_absent_text, Caps};
use crate::model::format::format_ns;
use crate::model::narrate::trigger_text;
use ringlab_core::Family;
use yew::prelude::*;

/// Cards drawn; the rest are counted.
const MAX_CARDS: usize = 40;

#[component]
pub fn Overflow(props: &FrameProps) -> Html {
    let v = &props.frame.view;
    let list = &v.overflow_list;
    let flag = match v.flag {
        Some(on) => html! {
            <p class={classes!("flag", on.then_some("flag--on"))} data-testid="overflow-flag"
               data-on={on.to_string()} data-exists="true">
                <span class="flag__glyph" aria-hidden="true">{ "⚑" }</span>
                { if on { "flag next to the tail: set — events wait on the list" } else { "flag next to the tail: clear" } }
            </p>
        },
        None => html! {
            <p class="flag flag--absent" data-testid="overflow-flag" data-on="false" data-exists="false">
                { "this model has no flag next to the tail" }
            </p>
        },
    };
    let flush = props.frame.last_flush.map(|f| {
        html! {
            // Not a live region: while playing, flushes come many a second (the live summary
            // counts them, model::live); paused, the event log reads the step out.
            <p key={f.index} class="flush-note">
                { format!("↩ {} moved into the ring by {}", if f.moved == 1 { "1 event".into() } else { format!("{} events", f.moved) }, trigger_text(f.trigger)) }
            </p>
        }
    });
    let body = if !v.has_overflow_list {
        // The intro under the stage says more (full_ring_intro); presenter mode shows only this.
        let instead = match v.model.family() {
            Family::IoUring => "a completion that finds the ring full is dropped",
            Family::Aio | Family::Proposal => "io_submit refuses with EAGAIN first",
        };
        html! { <p class="muted">{ format!("No overflow list in this model, nothing ever waits here: {instead}.") }</p> }
    } else if list.is_empty() {
        html! { <p class="muted overflow-empty">{ "empty — every completion fits in the ring" }</p> }
    } else {
        html! {}
    };
    let more = list.len().saturating_sub(MAX_CARDS);
    html! {
        <section class="overflow" aria-labelledby="overflow-heading">
            <h3 id="overflow-heading">
                { "Overflow list " }
                <span class="badge" data-testid="overflow-length">{ list.len() }</span>
            </h3>
            { flag }
            { for flush }
            <ol class="overflow-list" data-testid="overflow-list" data-length={list.len().to_string()}
                aria-label="Completions waiting on the overflow list, oldest first">
                { for list.iter().take(MAX_CARDS).enumerate().map(|(i, data)| html! {
                    <li key={*data} class={classes!("overflow-item", (i == 0).then_some("overflow-item--next"))}
                        data-testid="overflow-item" data-user-data={data.to_string()}>
                        <span class="overflow-item__label">{ "#" }</span>{ data }
                    </li>
                }) }
                if more > 0 {
                    <li class="overflow-more">{ format!("+{more} more") }</li>
                }
            </ol>
            { body }
            <Timer frame={props.frame.clone()} />
        </section>
    }
}

/// The flush timer: a countdown while armed.
#[component]
pub fn Timer(props: &FrameProps) -> Html {
    let v = &props.frame.view;
    // The clock, ahead of the frame between events (the frame's own time without one).
    let now_ns = use_context::<crate::model::Clock>().map_or(v.now_ns, |c| c.now_ns);
    if !v.has_timer {
        let caps = Caps::of(v.model);
        return html! {
            <p class="timer timer--absent" data-testid="timer" data-armed="false" data-off={caps.timer.to_string()}>
                { timer_absent_text(&caps) }
            </p>
        };
    }
    let period = props.frame.timer_period_ns.max(1);
    match v.timer_deadline_ns {
        Some(deadline) => {
            let left = deadline.saturating_sub(now_ns);
            let pct = (left as f64 / period as f64 * 100.0).clamp(0.0, 100.0);
            html! {
                <div class="timer timer--armed" data-testid="timer" data-armed="true" data-deadline={deadline.to_string()}>
                    <span>{ "Timer armed: fires in " }<strong>{ format_ns(left) }</strong></span>
                    <span class="timer__bar" aria-hidden="true"><span style={format!("width: {pct:.1}%")} /></span>
                </div>
            }
        }
        None => html! {
            <p class="timer" data-testid="timer" data-armed="false">
                { format!("Timer idle (period {}): it arms when the list becomes non-empty", format_ns(period)) }
            </p>
        },
    }
}

/// In place of the overflow list's introduction, for a model that has no list: the ring,
/// and what the model does when it is full.
pub fn full_ring_intro(model: ringlab_core::ModelKind) -> Html {
    html! {
        <p class="explainer" data-testid="ring-full-intro">
            { "The device completes requests into the ring at the tail; the reaper takes them at the head. " }
            { full_ring_text(model).unwrap_or_default() }
        </p>
    }
}
