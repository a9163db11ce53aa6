//! The ring with its caption: the head and tail pointers (raw and as slots), the size
//! and capacity, and the rule that sets the capacity.

use super::ring::Ring;
use super::FrameProps;
use yew::prelude::*;

/// A pointer's raw value, and its slot when the two differ (io_uring's free-running
/// counters, masked).
fn mask_note(raw: u32, slot: u32) -> String {
    if raw == slot {
        format!("{raw}")
    } else {
        format!("{raw} → slot {slot}")
    }
}

#[component]
pub fn RingFigure(props: &FrameProps) -> Html {
    let frame = &props.frame;
    let v = &frame.view;
    let ring = &v.ring;
    html! {
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
    }
}
