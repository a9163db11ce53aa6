//! Benchmark entry points for `scripts/bench.sh` (issue 7), called from the page through
//! trunk's `window.wasmBindings` by `e2e/bench/*.mjs`. They are not part of the UI.
//!
//! - [`bench_core`] / [`bench_bare`]: the core's heavy stochastic scenario, and the bare
//!   ring push/pop loop, in WebAssembly; the same set-up as `ringlab bench` natively.
//! - [`bench_fast_forward`]: the app's own path for a jump: a [`Timeline`] (with its
//!   snapshots and the default trace and series) advanced to N completions, then one
//!   [`Frame`] built and drawn by the app's components.
//! - [`bench_wasm_memory_bytes`]: the size of the wasm linear memory.
//!
//! Timing uses the page's `performance.now()`; the figures are returned to JavaScript.
//! Browser-only (web-sys is a wasm32 dependency), so native builds skip this module.
#![cfg(target_arch = "wasm32")]

use crate::model::{ById, Frame};
use crate::web::components::actors::Actors;
use crate::web::components::charts::Charts;
use crate::web::components::counters::Counters;
use crate::web::components::event_log::EventLog;
use crate::web::components::overflow::Overflow;
use crate::web::components::ring::Ring;
use ringlab_core::bench::{bare_ring_loop, heavy_model, heavy_scenario};
use ringlab_core::{ModelKind, Scenario, Sim, Timeline};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The heavy scenario of `model` with the ring sizes `ringlab bench` uses, so that the
/// native and wasm figures measure the same work.
pub fn bench_scenario(model: &str) -> Option<Scenario> {
    ModelKind::from_name(model).map(heavy_model).map(heavy_scenario)
}

/// Simulated completions per second of `model`'s heavy scenario over `completions`
/// completions, trace off (as natively). Negative: unknown model.
#[wasm_bindgen]
pub fn bench_core(model: &str, completions: u32) -> f64 {
    let Some(scenario) = bench_scenario(model) else { return -1.0 };
    let Ok(mut sim) = Sim::new(&scenario) else { return -1.0 };
    sim.set_trace_capacity(0);
    let target = u64::from(completions);
    let start = performance_now();
    while sim.kernel().counters().completed < target {
        if sim.step().is_none() {
            break;
        }
    }
    let secs = (performance_now() - start) / 1e3;
    sim.kernel().counters().completed as f64 / secs.max(1e-6)
}

/// Ring push/pop operations per second of the bare loop over `count` completions.
#[wasm_bindgen]
pub fn bench_bare(count: u32) -> f64 {
    let start = performance_now();
    std::hint::black_box(bare_ring_loop(std::hint::black_box(u64::from(count))));
    let secs = (performance_now() - start) / 1e3;
    f64::from(count) / secs.max(1e-6)
}

/// Fast-forwards the app's [`Timeline`] over the heavy proposal scenario (the default
/// scenario's model, with a workload that never stops) to `completions` completions,
/// builds the reducer's [`Frame`] and mounts the app's drawing components with it on the
/// element `#bench-root` (created if missing). Returns
/// `[simulate ms, frame ms, mount ms, completions, events, snapshots-bounded trace len]`;
/// the caller waits for the next animation frame to count the paint.
#[wasm_bindgen]
pub fn bench_fast_forward(completions: u32) -> Vec<f64> {
    let scenario = bench_scenario("proposal").expect("proposal exists");
    let sim = Sim::new(&scenario).expect("the heavy scenario is valid");
    let mut timeline = Timeline::new(sim);
    let target = u64::from(completions);
    let t0 = performance_now();
    while timeline.sim().kernel().counters().completed < target {
        // The reducer's own call, in chunks so the completion count is checked often.
        if timeline.advance_to(u64::MAX, 4_096) == 0 {
            break;
        }
    }
    let t1 = performance_now();
    let frame = ById(Rc::new(Frame::build(timeline.sim())));
    let t2 = performance_now();
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.get_element_by_id("bench-root").unwrap_or_else(|| {
        let el = document.create_element("div").expect("a div");
        el.set_id("bench-root");
        document.body().expect("a body").append_child(&el).expect("appended");
        el
    });
    root.set_inner_html("");
    yew::Renderer::<BenchView>::with_root_and_props(root, BenchViewProps { frame: frame.clone() }).render();
    let t3 = performance_now();
    let sim = timeline.sim();
    vec![
        t1 - t0,
        t2 - t1,
        t3 - t2,
        sim.kernel().counters().completed as f64,
        sim.events() as f64,
        sim.trace().len() as f64,
    ]
}

/// Bytes of wasm linear memory (it only grows: its peak).
#[wasm_bindgen]
pub fn bench_wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size::<0>() * 65_536) as f64
}

#[derive(Properties, PartialEq)]
struct BenchViewProps {
    frame: ById<Frame>,
}

/// The main view's drawing components, without the controls: what a jump redraws.
#[component]
fn BenchView(props: &BenchViewProps) -> Html {
    let frame = props.frame.clone();
    let v = &frame.view;
    html! {
        <div class="stage" data-testid="bench-view" data-completed={v.counters.completed.to_string()}>
            <Actors frame={frame.clone()} />
            <Ring ring={v.ring.clone()} flag={v.flag} />
            <Overflow frame={frame.clone()} />
            <Charts frame={frame.clone()} />
            <Counters frame={frame.clone()} />
            <EventLog frame={frame.clone()} />
        </div>
    }
}
