//! Browser tests: mount the app in headless Chromium and read the DOM.
//!
//! Run by `scripts/test.sh` (or, with the runner set up as there,
//! `cargo test -p ringlab --target wasm32-unknown-unknown --test web`). Each test binary
//! starts its own browser, so keep them few; the geometry and the core are tested natively.
#![cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]

use ringlab::app::{load, App};
use ringlab::components::ring::{Ring, RingProps};
use ringlab::DEFAULT_SCENARIO;
use ringlab_core::view::{RingView, SlotView};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

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
    let expected = load(DEFAULT_SCENARIO).expect("the default scenario loads");
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let header = root.query_selector("[data-testid=app-header] h1").unwrap().expect("a header");
    assert_eq!(header.text_content().unwrap(), "ringlab");
    let title = root.query_selector("[data-testid=scenario-title]").unwrap().expect("a title");
    assert_eq!(title.text_content().unwrap(), expected.title);

    assert_eq!(count(&root, "[data-testid=ring]"), 1);
    assert_eq!(count(&root, "[data-testid=ring-slot]"), expected.view.ring.entries);
    let full = expected.view.ring.slots.iter().filter(|s| s.user_data.is_some()).count() as u32;
    assert_eq!(count(&root, "[data-testid=ring-slot][data-state=full]"), full);
    assert_eq!(count(&root, "aside[data-testid=controls] h2"), 4);

    handle.destroy();
}

#[wasm_bindgen_test]
async fn occupied_slots_show_their_user_data() {
    // 8 slots, events 40, 41, 42 in slots 6, 7, 0 (the ring wrapped).
    let slots = (0..8u32)
        .map(|index| SlotView {
            index,
            user_data: match index {
                6 => Some(40),
                7 => Some(41),
                0 => Some(42),
                _ => None,
            },
        })
        .collect();
    let ring = RingView {
        entries: 8,
        capacity: 7,
        head: 6,
        tail: 1,
        head_slot: 6,
        tail_slot: 1,
        len: 3,
        slots,
        capacity_rule: "test",
    };
    let root = fresh_root();
    let handle = yew::Renderer::<Ring>::with_root_and_props(root.clone(), RingProps { ring }).render();
    yew::scheduler::flush().await;

    assert_eq!(count(&root, "[data-testid=ring-slot]"), 8);
    assert_eq!(count(&root, "[data-testid=ring-slot][data-state=full]"), 3);
    for (index, data) in [(6, "40"), (7, "41"), (0, "42")] {
        let slot = root
            .query_selector(&format!("[data-testid=ring-slot][data-index=\"{index}\"]"))
            .unwrap()
            .expect("the slot");
        assert_eq!(slot.get_attribute("data-state").as_deref(), Some("full"));
        assert!(slot.parent_element().unwrap().text_content().unwrap().contains(data));
    }
    let head = root.query_selector("[data-testid=ring-head]").unwrap().expect("a head marker");
    assert_eq!(head.get_attribute("data-slot").as_deref(), Some("6"));
    let tail = root.query_selector("[data-testid=ring-tail]").unwrap().expect("a tail marker");
    assert_eq!(tail.get_attribute("data-slot").as_deref(), Some("1"));
    assert!(root.text_content().unwrap().contains("3 / 7"));

    handle.destroy();
}
