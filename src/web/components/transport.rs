//! Play/pause, step, step back, reset, and the speed on a logarithmic scale whose label
//! ties it to simulated time.

use crate::model::format::{speed_label, MAX_SPEED, MIN_SPEED};
use crate::model::Action;
use crate::web::components::timeline::input_value;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct TransportProps {
    pub playing: bool,
    pub speed: i32,
    pub at_start: bool,
    pub on_action: Callback<Action>,
}

#[component]
pub fn Transport(props: &TransportProps) -> Html {
    let emit = |a: Action| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(a.clone()))
    };
    let on_speed = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(k) = input_value(&e).and_then(|s| s.parse::<i32>().ok()) {
                cb.emit(Action::SetSpeed(k));
            }
        })
    };
    // "×2" and " · 1 s on screen = …": a phone shows the factor alone.
    let label = speed_label(props.speed);
    let (factor, detail) = label.split_at(label.find(" · ").unwrap_or(label.len()));
    html! {
        <div class="transport-controls">
            <div class="transport" role="group" aria-label="Playback">
                <button type="button" class="btn btn--primary" data-testid="play" onclick={emit(Action::TogglePlay)}
                        aria-pressed={props.playing.to_string()} title="Play / pause (Space)">
                    { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button type="button" class="btn" data-testid="step-back" onclick={emit(Action::StepBack)}
                        disabled={props.at_start} title="Step back one event (←)">{ "◀ Back" }</button>
                <button type="button" class="btn" data-testid="step" onclick={emit(Action::Step)}
                        title="Step one event (→)">{ "Step ▶" }</button>
                <button type="button" class="btn" data-testid="reset" onclick={emit(Action::Reset)}
                        title="Back to the start">{ "↺ Reset" }</button>
            </div>
            <label class="speed">
                <span>{ "Speed " }<span class="muted">{ "(log scale; keys - and +)" }</span></span>
                <input type="range" min={MIN_SPEED.to_string()} max={MAX_SPEED.to_string()} step="1"
                       value={props.speed.to_string()} oninput={on_speed} data-testid="speed"
                       aria-valuetext={speed_label(props.speed)} />
                <output data-testid="speed-label">
                    <span class="speed__factor">{ factor }</span><span class="speed__detail">{ detail }</span>
                </output>
            </label>
        </div>
    }
}
