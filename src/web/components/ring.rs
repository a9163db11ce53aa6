//! The completion ring as an SVG: one annular sector per slot, clockwise from the top,
//! with the `head` pointer outside the ring and the `tail` pointer inside it.
//!
//! [`render`] is a pure function of the core's [`RingView`]; the geometry helpers below
//! it are plain functions with native unit tests.
//!
//! Rings of more than 64 slots arrive from the core as 64 arcs (`ring_view(64)`), each
//! with an exact count of occupied slots.
//!
//! Stable test hooks: the `<svg>` carries `data-testid="ring"`, each slot (or arc)
//! `data-testid="ring-slot"`, `data-index` and `data-state="empty|full"` (arcs also
//! `partial`); the pointers `ring-head` / `ring-tail` carry `data-slot`.

use super::motion::Motion;
use crate::model::{ById, Frame};
use ringlab_core::view::{RingView, SlotView};
use yew::prelude::*;

/// The square viewBox of the ring, centred on the origin (330 units across).
const VIEW_BOX: &str = "-165 -165 330 330";
/// Outer and inner radius of the slots.
pub const R_OUT: f64 = 125.0;
pub const R_IN: f64 = 80.0;
/// Above this many slots the per-slot labels would overlap, so they are left out.
pub const MAX_LABELLED_SLOTS: u32 = 64;

#[derive(Properties, PartialEq, Clone, Debug)]
pub struct RingProps {
    pub ring: RingView,
    /// The flag next to the tail: `None` where the model has none.
    #[prop_or_default]
    pub flag: Option<bool>,
    /// The frame, to draw the events moving since the previous one (the main ring only).
    #[prop_or_default]
    pub motion: Option<ById<Frame>>,
}

/// The ring as a component, for use inside `html!`; with `motion`, in a box with the
/// flying tokens over it.
#[component]
pub fn Ring(props: &RingProps) -> Html {
    let ring = render(&props.ring, props.flag);
    match props.motion.clone() {
        Some(frame) => html! {
            <div class="ring-box">
                { ring }
                <Motion {frame} />
            </div>
        },
        None => ring,
    }
}

/// Draws `ring` as an SVG; on rings of more than 64 slots each segment is an arc.
pub fn render(ring: &RingView, flag: Option<bool>) -> Html {
    let n = ring.slots.len().max(1) as u32;
    let labelled = n <= MAX_LABELLED_SLOTS && ring.entries == n;
    let head_seg = segment_of(ring, ring.head_slot);
    let tail_seg = segment_of(ring, ring.tail_slot);
    let label = format!(
        "Completion ring: {} slots, {} of {} events held, head at slot {}, tail at slot {}",
        ring.entries, ring.len, ring.capacity, ring.head_slot, ring.tail_slot
    );
    html! {
        <svg class="ring" data-testid="ring" viewBox={VIEW_BOX} role="img" aria-label={label}
             data-entries={ring.entries.to_string()} data-len={ring.len.to_string()}
             data-head-slot={ring.head_slot.to_string()} data-tail-slot={ring.tail_slot.to_string()}>
            <g class="ring__slots">
                { for ring.slots.iter().enumerate().map(|(i, slot)| html! {
                    <Slot key={slot.index} slot={slot.clone()} seg={i as u32} {n} {labelled} />
                }) }
            </g>
            <g class="ring__tokens">
                { for ring.slots.iter().enumerate().filter_map(|(i, slot)| token(slot, i as u32, n)) }
            </g>
            { marker("head", head_seg, n, R_OUT + 2.0, R_OUT + 12.0, R_OUT + 22.0, ring.head_slot) }
            { marker("tail", tail_seg, n, R_IN - 2.0, R_IN - 10.0, R_IN - 20.0, ring.tail_slot) }
            { flag_mark(flag, tail_seg, n) }
            <text class="ring__count" x="0" y="-4" text-anchor="middle" dominant-baseline="central">
                { format!("{} / {}", ring.len, ring.capacity) }
            </text>
            <text class="ring__count-label" x="0" y="16" text-anchor="middle" dominant-baseline="central">
                { "events" }
            </text>
        </svg>
    }
}

/// The segment (0..n) that holds `slot`.
pub fn segment_of(ring: &RingView, slot: u32) -> u32 {
    ring.slots.partition_point(|s| s.index + s.slots.max(1) <= slot).min(ring.slots.len().saturating_sub(1)) as u32
}

/// The event held in a single slot, drawn as a token keyed by its user data so that a
/// new occupant mounts afresh and plays the arrival animation.
fn token(slot: &SlotView, seg: u32, n: u32) -> Option<Html> {
    let data = slot.user_data?;
    let (x, y) = polar(R_IN + 7.0, slot_mid_angle(seg, n));
    Some(html! {
        <circle key={data} class="ring__token" cx={fmt(x)} cy={fmt(y)} r="2.5" />
    })
}

fn flag_mark(flag: Option<bool>, tail_seg: u32, n: u32) -> Html {
    let Some(on) = flag else { return html! {} };
    let angle = slot_mid_angle(tail_seg, n) + 360.0 / n as f64 * 0.5 + 6.0;
    let (x, y) = polar(R_IN - 26.0, angle);
    let label = if on { "flag set: events wait on the overflow list" } else { "flag clear" };
    html! {
        <g class={classes!("ring__flag", on.then_some("ring__flag--on"))}
           transform={format!("translate({} {})", fmt(x), fmt(y))}>
            <title>{ label }</title>
            <line x1="-4" y1="7" x2="-4" y2="-8" />
            <path d="M-4 -8 L7 -4.5 L-4 -1 Z" />
        </g>
    }
}

#[derive(Properties, PartialEq, Clone, Debug)]
struct SlotProps {
    slot: SlotView,
    /// Its segment of the drawn ring, and how many segments there are.
    seg: u32,
    n: u32,
    labelled: bool,
}

/// One slot (or arc): a component, so that a frame redraws only the slots that changed.
#[component]
fn Slot(props: &SlotProps) -> Html {
    render_slot(&props.slot, props.seg, props.n, props.labelled)
}

fn render_slot(slot: &SlotView, seg: u32, n: u32, labelled: bool) -> Html {
    let size = slot.slots.max(1);
    let full = slot.occupied >= size;
    let state = if slot.occupied == 0 {
        "empty"
    } else if full {
        "full"
    } else {
        "partial"
    };
    let class = classes!("ring__slot", format!("ring__slot--{state}"));
    let mid = slot_mid_angle(seg, n);
    let tooltip = match (slot.user_data, size) {
        (Some(data), 1) => format!("slot {}: user data {}", slot.index, data),
        (None, 1) => format!("slot {}: empty", slot.index),
        _ => format!("slots {}–{}: {} of {} hold an event", slot.index, slot.index + size - 1, slot.occupied, size),
    };
    let style =
        (state == "partial").then(|| format!("fill-opacity: {:.2}", 0.25 + 0.75 * slot.occupied as f64 / size as f64));
    let index_label = (labelled && n <= 32).then(|| {
        let (x, y) = polar(R_OUT - 9.0, mid);
        html! {
            <text class="ring__index" x={fmt(x)} y={fmt(y)} text-anchor="middle" dominant-baseline="central">
                { slot.index }
            </text>
        }
    });
    let data_label = match (labelled, slot.user_data) {
        (true, Some(data)) => {
            let (x, y) = polar((R_OUT + R_IN) / 2.0 - 4.0, mid);
            html! {
                <text class="ring__data" x={fmt(x)} y={fmt(y)} text-anchor="middle" dominant-baseline="central"
                      font-size={data_font_size(n)}>
                    { data }
                </text>
            }
        }
        _ => html! {},
    };
    html! {
        <g>
            <path class={class} d={slot_path(seg, n)} data-testid="ring-slot" style={style}
                  data-index={slot.index.to_string()} data-slots={size.to_string()}
                  data-occupied={slot.occupied.to_string()} data-state={state}>
                <title>{ tooltip }</title>
            </path>
            { for index_label }
            { data_label }
        </g>
    }
}

/// A pointer at `slot`: a triangle from radius `from` to `to` (its tip at `from`), and
/// its name at radius `text_r`.
fn marker(name: &'static str, seg: u32, n: u32, from: f64, to: f64, text_r: f64, slot: u32) -> Html {
    let angle = slot_mid_angle(seg % n, n);
    let (tip_x, tip_y) = polar(from, angle);
    let (b1x, b1y) = polar(to, angle - 4.0);
    let (b2x, b2y) = polar(to, angle + 4.0);
    let (tx, ty) = polar(text_r, angle);
    let points = format!("{},{} {},{} {},{}", fmt(tip_x), fmt(tip_y), fmt(b1x), fmt(b1y), fmt(b2x), fmt(b2y));
    html! {
        <g class={classes!("ring__marker", format!("ring__marker--{name}"))}
           data-testid={format!("ring-{name}")} data-slot={slot.to_string()}>
            <polygon points={points} />
            <text x={fmt(tx)} y={fmt(ty)} text-anchor="middle" dominant-baseline="central">{ name }</text>
        </g>
    }
}

/// Font size of the user data in a slot: smaller as the slots get narrower.
pub fn data_font_size(n: u32) -> &'static str {
    match n {
        0..=12 => "13",
        13..=24 => "10",
        25..=40 => "8",
        _ => "6",
    }
}

/// Gap between neighbouring slots, in degrees.
pub fn slot_gap(n: u32) -> f64 {
    (360.0 / n.max(1) as f64 * 0.15).min(2.0)
}

/// Start and end angle of slot `index` of `n`, in degrees clockwise from the top.
pub fn slot_angles(index: u32, n: u32) -> (f64, f64) {
    let n = n.max(1);
    let step = 360.0 / n as f64;
    let gap = slot_gap(n);
    (index as f64 * step + gap / 2.0, (index + 1) as f64 * step - gap / 2.0)
}

/// Angle of the middle of slot `index` of `n`.
pub fn slot_mid_angle(index: u32, n: u32) -> f64 {
    let (a, b) = slot_angles(index, n);
    (a + b) / 2.0
}

/// The point at radius `r` and `angle` degrees clockwise from the top (SVG's y grows down).
pub fn polar(r: f64, angle: f64) -> (f64, f64) {
    // (libm's bits without its reduction of huge arguments, which angles never need)
    let (sin, cos) = ringlab_core::trig::sin_cos(angle.to_radians());
    (r * sin, -r * cos)
}

/// The SVG path of slot `index` of `n`: an annular sector between `R_IN` and `R_OUT`.
pub fn slot_path(index: u32, n: u32) -> String {
    let (a0, a1) = slot_angles(index, n);
    let large = if a1 - a0 > 180.0 { 1 } else { 0 };
    let (ox0, oy0) = polar(R_OUT, a0);
    let (ox1, oy1) = polar(R_OUT, a1);
    let (ix1, iy1) = polar(R_IN, a1);
    let (ix0, iy0) = polar(R_IN, a0);
    format!(
        "M{} {} A{R_OUT} {R_OUT} 0 {large} 1 {} {} L{} {} A{R_IN} {R_IN} 0 {large} 0 {} {} Z",
        fmt(ox0),
        fmt(oy0),
        fmt(ox1),
        fmt(oy1),
        fmt(ix1),
        fmt(iy1),
        fmt(ix0),
        fmt(iy0)
    )
}

/// Two decimals are plenty for a 330-unit viewBox; `-0.00` is written as `0.00`.
fn fmt(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" {
        "0.00".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_zero_starts_at_the_top_and_slots_go_clockwise() {
        let (x, y) = polar(R_OUT, slot_mid_angle(0, 8));
        assert!(x > 0.0 && y < 0.0, "slot 0 sits just right of the top: {x},{y}");
        let (x, _) = polar(R_OUT, slot_mid_angle(2, 8));
        assert!(x > 100.0, "slot 2 of 8 is on the right: {x}");
        let (_, y) = polar(R_OUT, slot_mid_angle(4, 8));
        assert!(y > 100.0, "slot 4 of 8 is at the bottom: {y}");
    }

    #[test]
    fn slots_do_not_overlap_and_cover_the_circle() {
        for n in [1, 2, 8, 32, 256] {
            for i in 0..n {
                let (a0, a1) = slot_angles(i, n);
                assert!(a0 < a1, "n={n} i={i}");
                if i + 1 < n {
                    let (b0, _) = slot_angles(i + 1, n);
                    assert!(a1 < b0, "gap between {i} and {} of {n}", i + 1);
                }
            }
            let (first, _) = slot_angles(0, n);
            let (_, last) = slot_angles(n - 1, n);
            assert!((last - first - (360.0 - slot_gap(n))).abs() < 1e-9);
        }
    }

    #[test]
    fn narrow_slots_get_smaller_text() {
        assert_eq!(data_font_size(8), "13");
        assert_eq!(data_font_size(64), "6");
    }

    #[test]
    fn a_single_slot_uses_the_large_arc() {
        assert!(slot_path(0, 1).contains(" 0 1 1 "));
        assert!(slot_path(0, 8).contains(" 0 0 1 "));
    }

    #[test]
    fn coordinates_are_short_and_never_negative_zero() {
        let d = slot_path(0, 4);
        assert!(!d.contains("-0.00"), "{d}");
        assert!(d.starts_with("M"), "{d}");
        assert_eq!(fmt(-0.001), "0.00");
        assert_eq!(fmt(1.0 / 3.0), "0.33");
    }
}
