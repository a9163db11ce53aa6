//! Browser tests: mount the app in headless Chromium and read the DOM.
//!
//! Run by `scripts/test.sh` (or, with the runner set up as there,
//! `cargo test -p ringlab --target wasm32-unknown-unknown --test web`). Each test binary
//! starts its own browser, so keep them few; the geometry and the core are tested natively.
#![cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]

use ringlab::web::app::App;
use ringlab::web::components::ring::{Ring, RingProps};
use ringlab::DEFAULT_SCENARIO;
use ringlab_core::view::ViewModel;
use ringlab_core::{Scenario, Sim};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// The default scenario as the core sees it, optionally run to `t` nanoseconds.
fn default_sim(t: u64) -> (Scenario, ViewModel) {
    let scenario = Scenario::from_toml_str(DEFAULT_SCENARIO).expect("the default scenario parses");
    let mut sim = Sim::new(&scenario).expect("the default scenario is valid");
    sim.run_until(t);
    let view = sim.view();
    (scenario, view)
}

/// A fresh element in the page's body to mount a component into.
fn fresh_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn the_app_draws_the_default_scenario() {
    let (scenario, view) = default_sim(0);
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let header = root.query_selector("[data-testid=app-header] h1").unwrap().expect("a header");
    assert_eq!(header.text_content().unwrap(), "ringlab");
    let title = root.query_selector("[data-testid=scenario-title]").unwrap().expect("a title");
    assert_eq!(title.text_content().unwrap(), scenario.title);

    assert_eq!(count(&root, "[data-testid=ring]"), 1);
    assert_eq!(count(&root, "[data-testid=ring-slot]"), view.ring.slots.len() as u32);
    assert_eq!(count(&root, "[data-testid=controls]"), 1);

    handle.destroy();
}

#[wasm_bindgen_test]
async fn occupied_slots_show_their_user_data() {
    // Run the default scenario into its burst, so that the ring holds events.
    let (_, view) = default_sim(150_000);
    let ring = view.ring;
    let held: Vec<_> = ring.slots.iter().filter_map(|s| s.user_data.map(|d| (s.index, d))).collect();
    assert!(!held.is_empty(), "the burst puts events in the ring by 150 µs");

    let root = fresh_root();
    let props = yew::props!(RingProps { ring: ring.clone() });
    let handle = yew::Renderer::<Ring>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;

    assert_eq!(count(&root, "[data-testid=ring-slot]"), ring.slots.len() as u32);
    assert_eq!(count(&root, "[data-testid=ring-slot][data-state=full]"), held.len() as u32);
    for (index, data) in held {
        let slot = root
            .query_selector(&format!("[data-testid=ring-slot][data-index=\"{index}\"]"))
            .unwrap()
            .expect("the slot");
        assert_eq!(slot.get_attribute("data-state").as_deref(), Some("full"));
        let drawn = slot.parent_element().unwrap().text_content().unwrap();
        assert!(drawn.contains(&data.to_string()), "slot {index} shows {data}: {drawn:?}");
    }
    let head = root.query_selector("[data-testid=ring-head]").unwrap().expect("a head marker");
    assert_eq!(head.get_attribute("data-slot"), Some(ring.head_slot.to_string()));
    let tail = root.query_selector("[data-testid=ring-tail]").unwrap().expect("a tail marker");
    assert_eq!(tail.get_attribute("data-slot"), Some(ring.tail_slot.to_string()));

    handle.destroy();
}

/// Issue 16: the sweep `core/tests/data/sweep-small.csv` holds (written by `ringlab sweep`,
/// see core/tests/sweep.rs), computed here in wasm: the same table, bit for bit.
#[wasm_bindgen_test]
fn a_sweep_in_wasm_gives_the_clis_table_bit_for_bit() {
    use ringlab_core::sweep::{Axis, Metric, SweepSpec, Table};
    let axis = |text: &str| Axis::parse(text).expect("a valid axis");
    let spec = SweepSpec {
        x: axis("ring_entries=4:32:4:log"),
        y: axis("submit_rate=30000:200000:3:log"),
        metric: Metric::OverflowShare,
        models: vec![ringlab_core::ModelKind::Proposal, ringlab_core::ModelKind::IoUring],
        threshold: None,
    };
    let table = Table::run(&ringlab_core::lessons::default_scenario(), &spec).expect("the sweep runs");
    assert_eq!(table.to_csv(), include_str!("../core/tests/data/sweep-small.csv"));
}
