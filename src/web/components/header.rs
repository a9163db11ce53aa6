//! The page's furniture: the header (with the keyboard-shortcuts button), the one
//! paragraph that says what the picture shows, and the stage's head (the title, the
//! simulated clock and the run hash).

use crate::model::format::format_ns;
use crate::model::{Action, Clock, Screen};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct HeaderProps {
    /// Where the "Keyboard shortcuts" button sends its action (none: no button).
    #[prop_or_default]
    pub on_action: Option<Callback<Action>>,
}

pub fn header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header" data-testid="app-header">
            <h1 class="app-header__title">{ "ringlab" }</h1>
            <p class="app-header__tagline">
                { "A playground for async-I/O completion rings: watch completions fill the ring, \
                   spill over, and wait for the reaper." }
            </p>
            if let Some(cb) = &props.on_action {
                <button type="button" class="btn app-header__keys" data-testid="shortcuts-open" aria-haspopup="dialog"
                        onclick={cb.reform(|_| Action::ToggleShortcuts)} title="Keyboard shortcuts (?)">
                    <span aria-hidden="true">{ "?" }</span><span class="app-header__keys-text">{ " Keyboard shortcuts" }</span>
                </button>
            }
        </header>
    }
}

/// What the picture shows, in one paragraph (a plain function, not a component: a
/// component's lifecycle code cost more bundle than rebuilding one paragraph per frame).
pub fn explainer() -> Html {
    html! {
        <p class="explainer">
            { "The device completes requests into the " }<strong>{ "ring" }</strong>
            { " at the " }<span class="tail-text">{ "tail" }</span>{ "; the reaper takes them at the " }
            <span class="head-text">{ "head" }</span>{ ". When the ring is full, completions wait on the " }
            <strong>{ "overflow list" }</strong>{ " until something — a later completion, a syscall, the timer or the flag — brings them back." }
        </p>
    }
}

/// The scenario's title, the simulated clock with whether it is playing, and the run
/// hash (in the flow of the page, so that it never covers anything).
pub fn stage_head(s: &Screen, clock: Clock) -> Html {
    let hash = &s.frame.run_hash;
    html! {
        <div class="stage__head">
            <h2 id="scenario-title" class="stage__title" data-testid="scenario-title">{ &s.base.title }</h2>
            <p class="stage__clock">
                <span class="muted">{ "simulated time " }</span>
                <strong data-testid="sim-time" data-value={clock.now_ns.to_string()}>{ format_ns(clock.now_ns) }</strong>
                <span class="muted">{ format!(" · event {} · ", clock.events) }</span>
                <span class={classes!("state-pill", s.playing.then_some("state-pill--on"))}>
                    { if s.playing { "playing" } else { "paused" } }
                </span>
                <span class="run-hash" title="Run hash: the same link gives the same hash on every machine, so a class can check that everyone sees the same run">
                    <span class="muted">{ "run " }</span>
                    <code data-testid="run-hash" data-value={hash.clone()}>{ hash }</code>
                </span>
            </p>
        </div>
    }
}
