//! The first screen: the header, the ring of the default scenario as the core computes
//! it, and the frame of the controls (not wired yet, and labelled so).

use ringlab_core::view::ViewModel;
use ringlab_core::{Scenario, Sim};
use yew::prelude::*;

use crate::components::ring::Ring;
use crate::DEFAULT_SCENARIO;

/// What the first screen needs from a scenario: its title and the core's view of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub title: String,
    pub view: ViewModel,
}

/// Parses `toml` and builds the simulation's initial view; the error is for the user.
pub fn load(toml: &str) -> Result<Loaded, String> {
    let scenario = Scenario::from_toml_str(toml).map_err(|e| format!("the scenario does not parse: {e}"))?;
    let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
    Ok(Loaded { title: scenario.title.clone(), view: sim.view() })
}

#[component]
pub fn App() -> Html {
    let loaded = use_memo((), |_| load(DEFAULT_SCENARIO));

    let stage = match &*loaded {
        Ok(loaded) => stage(loaded),
        Err(message) => html! {
            <section class="stage stage--error" role="alert">
                <h2>{ "The default scenario could not be loaded" }</h2>
                <p>{ message }</p>
            </section>
        },
    };

    html! {
        <div class="app">
            <header class="app-header" data-testid="app-header">
                <h1 class="app-header__title">{ "ringlab" }</h1>
                <p class="app-header__tagline">
                    { "A playground for async-I/O completion rings: watch completions fill the ring, \
                       spill over, and wait for the reaper." }
                </p>
            </header>
            <main class="layout">
                { stage }
                { controls((*loaded).as_ref().ok().map(|l| &l.view)) }
            </main>
        </div>
    }
}

fn stage(loaded: &Loaded) -> Html {
    let view = &loaded.view;
    let ring = &view.ring;
    let overflow = if view.overflow_list.is_empty() {
        html! { <span class="muted">{ "empty" }</span> }
    } else {
        html! {
            <ol class="overflow-list">
                { for view.overflow_list.iter().map(|data| html! { <li>{ data }</li> }) }
            </ol>
        }
    };
    html! {
        <section class="stage" aria-labelledby="scenario-title">
            <h2 id="scenario-title" class="stage__title" data-testid="scenario-title">{ &loaded.title }</h2>
            <dl class="facts">
                <div><dt>{ "model" }</dt><dd><code>{ view.model }</code></dd></div>
                <div><dt>{ "slots" }</dt><dd>{ ring.entries }</dd></div>
                <div><dt>{ "capacity" }</dt><dd>{ ring.capacity }</dd></div>
                <div><dt>{ "in flight" }</dt><dd>{ view.in_flight }</dd></div>
                <div><dt>{ "time" }</dt><dd>{ format_ns(view.now_ns) }</dd></div>
            </dl>
            <figure class="ring-figure">
                <Ring ring={ring.clone()} />
                <figcaption>{ ring.capacity_rule }</figcaption>
            </figure>
            <div class="overflow">
                <h3>{ "Overflow list" }</h3>
                { overflow }
            </div>
        </section>
    }
}

/// The controls' frame. Each section says honestly that it is not wired yet.
fn controls(view: Option<&ViewModel>) -> Html {
    let soon = || html! { <span class="soon">{ "coming soon" }</span> };
    let model = view.map_or("—", |v| v.model);
    let entries = view.map_or(String::new(), |v| v.ring.entries.to_string());
    html! {
        <aside class="controls" aria-label="Controls" data-testid="controls">
            <section>
                <h2>{ "Model" }{ soon() }</h2>
                <label>{ "Kind" }
                    <select disabled=true><option>{ model }</option></select>
                </label>
                <label>{ "Ring entries" }
                    <input type="number" value={entries} disabled=true />
                </label>
            </section>
            <section>
                <h2>{ "Workload" }{ soon() }</h2>
                <label>{ "Submit rate" }
                    <input type="range" disabled=true />
                </label>
            </section>
            <section>
                <h2>{ "Reaper" }{ soon() }</h2>
                <label>{ "Policy" }
                    <select disabled=true><option>{ "as in the scenario" }</option></select>
                </label>
            </section>
            <section>
                <h2>{ "Transport" }{ soon() }</h2>
                <div class="transport">
                    <button type="button" disabled=true>{ "Play" }</button>
                    <button type="button" disabled=true>{ "Step" }</button>
                    <button type="button" disabled=true>{ "Reset" }</button>
                </div>
            </section>
        </aside>
    }
}

/// Simulated time for people: `0 µs`, `1.250 ms`.
pub fn format_ns(ns: u64) -> String {
    if ns < 1_000_000 {
        format!("{} µs", ns / 1_000)
    } else {
        format!("{:.3} ms", ns as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_loads() {
        let loaded = load(DEFAULT_SCENARIO).expect("the default scenario loads");
        assert!(!loaded.title.is_empty());
        assert_eq!(loaded.view.ring.slots.len() as u32, loaded.view.ring.entries);
    }

    #[test]
    fn a_broken_scenario_is_an_error_not_a_panic() {
        assert!(load("this is = = not toml").is_err());
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(format_ns(0), "0 µs");
        assert_eq!(format_ns(400_000), "400 µs");
        assert_eq!(format_ns(1_250_000), "1.250 ms");
    }
}
