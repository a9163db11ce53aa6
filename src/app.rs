//! The main screen: the actors, the ring with its pointers and flag, the overflow list
//! with the timer, the timeline scrubber, charts, counters, the event log and the
//! controls. [`Playground`] owns the one reducer ([`AppState`]) and the animation-frame
//! loop that dispatches `Tick`; every component draws a slice of the reducer's frame.

use crate::browser;
use crate::components::actors::Actors;
use crate::components::charts::Charts;
use crate::components::compare::CompareView;
use crate::components::controls::Controls;
use crate::components::counters::Counters;
use crate::components::event_log::EventLog;
use crate::components::lesson::LessonPanel;
use crate::components::link_banner::LinkBanner;
use crate::components::mail_notes::MailNotes;
use crate::components::overflow::Overflow;
use crate::components::ring::Ring;
use crate::components::share::ShareBar;
use crate::components::shortcuts::Shortcuts;
use crate::components::timeline::Scrubber;
use crate::components::transport::{Transport, TransportProps};
use crate::format::format_ns;
use crate::state::{decode_link, Action, AppState, Clock};
use ringlab_core::link::Decoded;
use ringlab_core::view::ViewModel;
use ringlab_core::{Scenario, Sim};
use std::rc::Rc;
use yew::prelude::*;


pub use crate::format::format_ns as format_time;

/// What the first screen needs from a scenario: its title and the core's view of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub title: String,
    pub view: ViewModel,
    pub scenario: Scenario,
}

/// Parses `toml` and builds the simulation's initial view; the error is for the user.
/// (Tests only: the app itself has no TOML parser, see [`load_default`].)
#[cfg(test)]
pub fn load(toml: &str) -> Result<Loaded, String> {
    let scenario = Scenario::from_toml_str(toml).map_err(|e| format!("the scenario does not parse: {e}"))?;
    load_scenario(scenario)
}

/// Builds the simulation's initial view of `scenario`; the error is for the user.
pub fn load_scenario(scenario: Scenario) -> Result<Loaded, String> {
    let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
    Ok(Loaded { title: scenario.title.clone(), view: sim.view(), scenario })
}

/// The default scenario ([`crate::DEFAULT_SCENARIO`], embedded by the core as JSON at build
/// time), loaded.
pub fn load_default() -> Result<Loaded, String> {
    let scenario = ringlab_core::Scenario::from_json_str(ringlab_core::lessons::DEFAULT_SCENARIO_JSON)
        .map_err(|e| format!("the scenario does not parse: {e}"))?;
    load_scenario(scenario)
}

#[component]
pub fn App() -> Html {
    let loaded = use_memo((), |_| load_default());
    // The share link in the address, read once; later links arrive by `hashchange`.
    let link = use_memo((), |_| Rc::new(decode_link(&browser::location_hash())));
    match &*loaded {
        Ok(_) => html! { <Playground link={(*link).clone()} /> },
        Err(message) => html! {
            <div class="app">
                <Header />
                <main class="layout">
                    <section class="stage stage--error" role="alert">
                        <h2>{ "The default scenario could not be loaded" }</h2>
                        <p>{ message }</p>
                    </section>
                </main>
            </div>
        },
    }
}

#[component]
fn Header() -> Html {
    html! {
        <header class="app-header" data-testid="app-header">
            <h1 class="app-header__title">{ "ringlab" }</h1>
            <p class="app-header__tagline">
                { "A playground for async-I/O completion rings: watch completions fill the ring, \
                   spill over, and wait for the reaper." }
            </p>
        </header>
    }
}

/// What the picture shows, in one paragraph (a component: it never changes, so the
/// frames skip it).
#[component]
fn Explainer() -> Html {
    html! {
        <p class="explainer">
            { "The device completes requests into the " }<strong>{ "ring" }</strong>
            { " at the " }<span class="tail-text">{ "tail" }</span>{ "; the reaper takes them at the " }
            <span class="head-text">{ "head" }</span>{ ". When the ring is full, completions wait on the " }
            <strong>{ "overflow list" }</strong>{ " until something — a later completion, a syscall, the timer or the flag — brings them back." }
        </p>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct PlaygroundProps {
    /// The share link the page opened with (decoded; an empty link is the default scenario).
    pub link: Rc<Decoded>,
}

#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let link = props.link.clone();
    // `_eq`: a tick that moves only the hidden clock (between readout turns) draws nothing.
    let state = use_reducer_eq(move || AppState::from_link(&link));
    // One callback for the component's life (the dispatcher never changes), so that the
    // components taking it keep equal props and skip rendering when nothing else changed.
    let on_action: Callback<Action> = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| dispatcher.dispatch(a)))).clone()
    };
    // While playing, and after playback stopped by itself until every readout has caught up.
    use_frame_loop(state.playing || !state.settled(), &on_action);
    use_keyboard(&on_action);
    use_link_sync(&state, &on_action);

    let frame = state.frame.clone();
    // The clock and the counters, charts, scrubber and log: at most READOUT_MS behind
    // while playing (state::READOUT_MS).
    let readouts = &state.readouts;
    let clock = state.shown;
    let v = &frame.view;
    let ring = &v.ring;
    let transport = TransportProps {
        playing: state.playing,
        speed: state.speed,
        at_start: v.events == 0,
        on_action: on_action.clone(),
    };
    let mask_note = |raw: u32, slot: u32| {
        if raw == slot {
            format!("{raw}")
        } else {
            format!("{raw} → slot {slot}")
        }
    };
    let (present, embed) = (state.present, state.embed);
    let bare = present || embed;
    let caption = frame
        .lesson
        .as_ref()
        .and_then(|l| l.narration.as_ref().map(|(_, t)| t.clone()))
        .or_else(|| frame.log.last().map(|l| l.text.clone()));
    let lesson_next = {
        let cb = on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::LessonNext))
    };
    html! {
        <div class={classes!("app", present.then_some("app--present"), embed.then_some("app--embed"), state.fast.then_some("app--fast"))}
             data-testid="app" data-present={present.to_string()} data-embed={embed.to_string()}>
        if !embed {
            <Header />
        }
        <LinkBanner problems={state.link_problems.clone()} on_action={on_action.clone()} />
        if !bare {
            <ShareBar state={state.clone()} on_action={on_action.clone()} lesson_name={state.lesson_name.clone()}
                      present={present} compare={state.compare.clone()} />
        }
        <ContextProvider<Clock> context={clock}>
        <main class="layout">
            <section class="stage" aria-labelledby="scenario-title">
                <div class="stage__head">
                    <h2 id="scenario-title" class="stage__title" data-testid="scenario-title">{ &state.base.title }</h2>
                    <p class="stage__clock">
                        <span class="muted">{ "simulated time " }</span>
                        <strong data-testid="sim-time" data-value={clock.now_ns.to_string()}>{ format_ns(clock.now_ns) }</strong>
                        <span class="muted">{ format!(" · event {} · ", clock.events) }</span>
                        <span class={classes!("state-pill", state.playing.then_some("state-pill--on"))}>
                            { if state.playing { "playing" } else { "paused" } }
                        </span>
                    </p>
                </div>
                if !state.note.is_empty() {
                    <p class="link-note" data-testid="link-note">{ &state.note }</p>
                }
                if bare {
                    <div class="stage__transport">
                        <Transport ..transport.clone() />
                        if frame.lesson.is_some() {
                            <button type="button" class="btn" data-testid="lesson-next" onclick={lesson_next}>
                                { frame.lesson.as_ref().map_or("Next", |l| l.next_label()) }
                            </button>
                        }
                    </div>
                }
                if present {
                    if let Some(text) = caption {
                        <p class="caption" data-testid="caption" aria-live="polite">{ text }</p>
                    }
                }
                if let (Some(lesson), false) = (&frame.lesson, bare) {
                    <LessonPanel lesson={lesson.clone()} playing={state.playing} on_action={on_action.clone()} />
                }
                if !bare {
                    <Explainer />
                }
                <Actors frame={frame.clone()} />
                <div class="stage__core">
                    <figure class="ring-figure">
                        <Ring ring={ring.clone()} flag={v.flag} motion={Some(frame.clone())} />
                        <figcaption>
                            <p class="pointers">
                                <span class="pointer pointer--head" data-testid="head-pointer" data-value={ring.head.to_string()}
                                      data-slot={ring.head_slot.to_string()}>
                                    { "head " }<strong>{ mask_note(ring.head, ring.head_slot) }</strong>
                                </span>
                                <span class="pointer pointer--tail" data-testid="tail-pointer" data-value={ring.tail.to_string()}
                                      data-slot={ring.tail_slot.to_string()}>
                                    { "tail " }<strong>{ mask_note(ring.tail, ring.tail_slot) }</strong>
                                </span>
                                <span class="pointer">{ format!("{} slots, capacity {}", ring.entries, ring.capacity) }</span>
                            </p>
                            <p class="capacity-rule" data-testid="capacity-rule">{ ring.capacity_rule }</p>
                            if ring.entries as usize > ring.slots.len() {
                                <p class="muted small">{ format!("{} slots drawn as {} arcs; shading counts occupied slots exactly.", ring.entries, ring.slots.len()) }</p>
                            }
                        </figcaption>
                    </figure>
                    <div class="stage__side">
                        <Overflow frame={frame.clone()} />
                        if !bare {
                            <MailNotes scenario={state.scenario.clone()} />
                        }
                    </div>
                </div>
                <Scrubber frame={readouts.scrubber.clone()} now_ns={clock.now_ns} on_action={on_action.clone()} />
                <CompareView comparison={state.comparison.clone()} />
                if !bare {
                    <Charts frame={readouts.charts.clone()} />
                }
            </section>
            if !bare {
                <Controls values={state.controls.clone()} error={state.error.clone()} transport={transport}
                          on_action={on_action.clone()} />
            }
            if !embed {
                <section class="panel panel--counters">
                    <Counters frame={readouts.counters.clone()} />
                </section>
            }
            if !bare {
                <section class="panel panel--log">
                    <EventLog frame={readouts.log.clone()} />
                </section>
            }
        </main>
        </ContextProvider<Clock>>
        <p class="run-hash" title="Run hash: the same link gives the same hash on every machine, so a class can check that everyone sees the same run">
            <span class="muted">{ "run " }</span>
            <code data-testid="run-hash" data-value={frame.run_hash.clone()}>{ &frame.run_hash }</code>
        </p>
        if state.blank {
            <div class="blank" data-testid="blank" aria-label="Screen blanked: press b to bring it back" />
        }
        if state.shortcuts_open {
            <Shortcuts on_action={on_action.clone()} />
        }
        </div>
    }
}

/// Keeps the address's fragment in step with the state (debounced, and only while
/// paused, so playing never floods the history), and opens a link pasted into the
/// address bar (`hashchange`).
#[hook]
fn use_link_sync(state: &UseReducerHandle<AppState>, on_action: &Callback<Action>) {
    // While playing the link is written once (it says "playing"); while paused, on every change.
    let link = if state.playing { None } else { Some(state.link()) };
    use_effect_with(link, move |link| {
        #[cfg(target_arch = "wasm32")]
        let timeout = link.clone().map(|link| {
            gloo_timers::callback::Timeout::new(300, move || {
                if browser::location_hash().trim_start_matches('#') != link {
                    browser::replace_fragment(&link);
                }
            })
        });
        #[cfg(not(target_arch = "wasm32"))]
        let _ = link;
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(timeout);
        }
    });
    let on_action = on_action.clone();
    use_effect_with((), move |_| {
        #[cfg(target_arch = "wasm32")]
        let listener = browser::on_hashchange(move |hash| on_action.emit(Action::OpenLink(Rc::new(decode_link(&hash)))));
        #[cfg(not(target_arch = "wasm32"))]
        let _ = on_action;
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(listener);
        }
    });
}

/// While `running`, dispatches `Tick(wall ms)` on every animation frame.
#[hook]
fn use_frame_loop(running: bool, on_action: &Callback<Action>) {
    let on_action = on_action.clone();
    use_effect_with(running, move |running| {
        #[cfg(target_arch = "wasm32")]
        let handle = running.then(|| frame_loop::start(on_action));
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (running, on_action);
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(handle);
        }
    });
}

#[hook]
fn use_keyboard(on_action: &Callback<Action>) {
    let on_action = on_action.clone();
    use_effect_with((), move |_| {
        #[cfg(target_arch = "wasm32")]
        let listener = crate::keys::listen(on_action);
        #[cfg(not(target_arch = "wasm32"))]
        let _ = on_action;
        move || {
            #[cfg(target_arch = "wasm32")]
            drop(listener);
        }
    });
}

#[cfg(target_arch = "wasm32")]
mod frame_loop {
    //! An owned requestAnimationFrame loop: dropping the [`Loop`] stops it.
    use crate::state::Action;
    use gloo_render::{request_animation_frame, AnimationFrame};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use yew::Callback;

    pub struct Loop {
        running: Rc<Cell<bool>>,
        _next: Rc<RefCell<Option<AnimationFrame>>>,
    }

    impl Drop for Loop {
        fn drop(&mut self) {
            self.running.set(false);
        }
    }

    pub fn start(on_action: Callback<Action>) -> Loop {
        let running = Rc::new(Cell::new(true));
        let next = Rc::new(RefCell::new(None));
        schedule(on_action, running.clone(), next.clone(), None);
        Loop { running, _next: next }
    }

    fn schedule(on_action: Callback<Action>, running: Rc<Cell<bool>>, slot: Rc<RefCell<Option<AnimationFrame>>>, last: Option<f64>) {
        let slot2 = slot.clone();
        let frame = request_animation_frame(move |ts| {
            if !running.get() {
                return;
            }
            let dt = last.map_or(16.0, |l| ts - l);
            on_action.emit(Action::Tick(dt));
            if running.get() {
                schedule(on_action, running, slot2, Some(ts));
            }
        });
        // Replacing the handle drops the previous (already fired) frame.
        if let Ok(mut s) = slot.try_borrow_mut() {
            *s = Some(frame);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_SCENARIO;

    #[test]
    fn the_default_scenario_loads() {
        assert_eq!(load_default(), load(DEFAULT_SCENARIO));
        let loaded = load(DEFAULT_SCENARIO).expect("the default scenario loads");
        assert!(!loaded.title.is_empty());
        assert_eq!(loaded.view.ring.slots.len() as u32, loaded.view.ring.entries);
    }

    #[test]
    fn a_broken_scenario_is_an_error_not_a_panic() {
        assert!(load("this is = = not toml").is_err());
    }
}
