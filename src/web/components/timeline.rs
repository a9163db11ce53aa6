//! The scrubber: a range input over the scenario's simulated time, on a track that is a
//! small chart of ring occupancy and list length with markers where the ring filled,
//! the list flushed, or an event was dropped.

use crate::model::format::format_ns;
use crate::model::{Action, ById, Frame, MarkerKind};
use crate::web::components::charts::points;
use crate::web::components::FrameProps;
use yew::prelude::*;

const W: f64 = 600.0;
const H: f64 = 40.0;

#[derive(Properties, PartialEq, Clone)]
pub struct ScrubberProps {
    pub frame: ById<Frame>,
    /// The clock (ahead of the frame between events): the thumb's position.
    pub now_ns: u64,
    pub on_action: Callback<Action>,
}

#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let v = &props.frame.view;
    let now_ns = props.now_ns;
    let end = v.end_ns.max(1);
    let on_input = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = input_value(&e).and_then(|s| ringlab_core::decimal::parse_f64(&s)) {
                cb.emit(Action::Seek(t.max(0.0) as u64));
            }
        })
    };
    let step = (end / 1000).max(1);
    html! {
        <div class="scrubber">
            <label for="scrubber" class="scrubber__label">
                { "Timeline " }
                <span class="muted">{ format!("{} of {}", format_ns(now_ns), format_ns(v.end_ns)) }</span>
            </label>
            <div class="scrubber__track">
                <ScrubberTrack frame={props.frame.clone()} />
                <input id="scrubber" type="range" min="0" max={end.to_string()} step={step.to_string()}
                       value={now_ns.min(end).to_string()} data-testid="scrubber" oninput={on_input}
                       aria-valuetext={format_ns(now_ns)} />
            </div>
            <p class="scrubber__legend muted">
                <span class="key key--ring" />{ "ring occupancy " }
                <span class="key key--list" />{ "list length " }
                <span class="key key--full" />{ "ring full " }
                <span class="key key--flush" />{ "flush " }
                <span class="key key--drop" />{ "drop" }
            </p>
        </div>
    }
}

/// The scrubber's track: drawn again only when the frame changes (an event), not on
/// every tick of the clock.
#[component]
fn ScrubberTrack(props: &FrameProps) -> Html {
    let f = &props.frame;
    let v = &f.view;
    let end = v.end_ns.max(1);
    let xs: Vec<f64> = f.samples.iter().map(|p| p.at as f64).collect();
    let ring: Vec<f64> = f.samples.iter().map(|p| p.ring_len as f64).collect();
    let list: Vec<f64> = f.samples.iter().map(|p| p.list_len as f64).collect();
    let y_max =
        f.samples.iter().map(|p| p.ring_len.max(p.list_len)).max().unwrap_or(1).max(v.ring.capacity).max(1) as f64;
    let area = |ys: &[f64]| {
        let line = points(&xs, ys, end as f64, y_max, W, H);
        let last_x = xs.last().map_or(0.0, |x| (x / end as f64).min(1.0) * W);
        format!("0,{H} {line} {last_x:.1},{H}")
    };
    html! {
                <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" aria-hidden="true">
                    <polygon class="scrubber__ring" points={area(&ring)} />
                    <polygon class="scrubber__list" points={area(&list)} />
                    { for f.markers.iter().map(|(at, kind)| {
                        let x = (*at as f64 / end as f64).min(1.0) * W;
                        let class = match kind { MarkerKind::Full => "marker--full", MarkerKind::Flush => "marker--flush", MarkerKind::Drop => "marker--drop" };
                        html! { <line class={classes!("marker", class)} x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1="0" y2={H.to_string()} /> }
                    }) }
                </svg>
    }
}

/// The value of the input or select an event came from.
pub fn input_value(e: &Event) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let target = e.target()?;
        if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
            return Some(if input.type_() == "checkbox" { input.checked().to_string() } else { input.value() });
        }
        if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
            return Some(select.value());
        }
        None
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}
