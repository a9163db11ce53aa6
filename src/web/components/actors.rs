//! The three actors around the ring: the submitter, the device with its in-flight
//! requests, and the reaper with the events it took last.

use super::FrameProps;
use crate::model::format::format_ns;
use yew::prelude::*;

/// In-flight requests drawn as dots; above this they are counted.
const MAX_DOTS: u32 = 48;

#[component]
pub fn Actors(props: &FrameProps) -> Html {
    let f = &props.frame;
    let v = &f.view;
    // The clock, ahead of the frame between events (the frame's own time without one).
    let now_ns = use_context::<crate::model::Clock>().map_or(v.now_ns, |c| c.now_ns);
    let phase = v.phase.clone().unwrap_or_else(|| "done".into());
    let dots = v.in_flight.min(MAX_DOTS);
    let reaper_state = if v.reaper.blocked {
        "blocked in the kernel until a completion arrives".to_string()
    } else {
        match v.reaper.next_wake_ns {
            Some(at) => format!("sleeping; wakes in {}", format_ns(at.saturating_sub(now_ns))),
            None => "idle".to_string(),
        }
    };
    html! {
        <div class="actors">
            <section class="actor actor--submitter" aria-label="Submitter">
                <h3>{ "Submitter" }</h3>
                <p>{ "phase " }<strong>{ phase }</strong></p>
                <p class="muted">{ format!("{} submitted", v.counters.submitted) }</p>
            </section>
            <span class="actor-arrow" aria-hidden="true">{ "→" }</span>
            <section class="actor actor--device" aria-label="Device">
                <h3>{ "Device" }</h3>
                <p>{ "in flight " }<strong>{ v.in_flight }</strong></p>
                <div class="inflight" aria-hidden="true">
                    { for (0..dots).map(|i| html! { <span key={i} class="inflight__dot" /> }) }
                    if v.in_flight > MAX_DOTS { <span class="muted">{ format!("+{}", v.in_flight - MAX_DOTS) }</span> }
                </div>
            </section>
            <span class="actor-arrow" aria-hidden="true">{ "→ ring →" }</span>
            <section class="actor actor--reaper" aria-label="Reaper">
                <h3>{ "Reaper " }<code>{ v.reaper.policy }</code></h3>
                <p class="muted">{ reaper_state }</p>
                <ul class="reaped" aria-label="Last events reaped">
                    { for f.reaped.iter().map(|(index, data)| html! {
                        <li key={*index} class="reaped__token">{ format!("#{data}") }</li>
                    }) }
                </ul>
            </section>
        </div>
    }
}
