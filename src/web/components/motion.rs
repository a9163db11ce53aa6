//! Movement: short-lived "flying tokens" drawn over the ring, one per event that moved
//! between the previous frame and this one — from the device into a ring slot or onto
//! the overflow list, from the list into the ring on a flush (labelled with its trigger),
//! and out of the ring to the reaper.
//!
//! Cheap by construction: the reducer keeps the newest few typed trace events in
//! the frame ([`crate::model::Recent`]); [`plan`] turns the new ones into at most [`MAX_TOKENS`] moves
//! (more than that in one frame, e.g. at high speed, and the view just jumps). Slot
//! positions come from the ring geometry in [`super::ring`]; the device, the list and the
//! reaper are fixed anchor points set in CSS (`--anchor-*` on `.ring-box`, per layout), so
//! nothing reads the layout. Each token is a small `<svg>` at the ring's centre, moved
//! by a CSS animation of `transform` and `opacity` only, which the browser's compositor
//! runs off the main thread; under `prefers-reduced-motion: reduce` no token is made at all
//! (the view jumps). At a lesson's pause point or its end ([`settled`]) no token flies:
//! those in flight are dropped, so what is drawn is the state the narration talks about.
//!
//! Test hook: each token is an `<svg data-testid="flying-token">` with `data-kind`
//! (`to_ring`, `to_list`, `flush`, `reaped`), `data-user-data`, and on a flush `data-trigger`.

use super::ring::{polar, segment_of, slot_mid_angle, R_IN, R_OUT};
use crate::model::{ById, Frame};
use ringlab_core::trace::{FlushTrigger, TraceKind};
use ringlab_core::view::RingView;
use std::collections::VecDeque;
use yew::prelude::*;

/// Most tokens started in one frame; with more moves than this the view jumps.
pub const MAX_TOKENS: usize = 8;
/// Tokens drawn for one flush (the label gives the full count).
pub const FLUSH_TOKENS: usize = 4;
/// Most tokens alive at once: moves that would exceed it are not animated (the view
/// jumps), which keeps the repaint of the ring cheap while events come thick and fast.
pub const MAX_ALIVE: usize = 10;
/// Flight time of one token, and the stagger between tokens started together.
pub const FLY_MS: f64 = 550.0;
pub const STAGGER_MS: f64 = 60.0;
/// A token's own box, in the ring's user units, centred on the event (the stylesheet
/// sizes and places it over the ring's centre; its label may overflow it).
const TOKEN_VIEW_BOX: &str = "-24 -24 48 48";
/// Slack when deciding that a token has landed (its last frames are fully faded).
const LANDED_MS: f64 = 50.0;

/// Where a token starts or ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Device,
    List,
    Reaper,
    /// A segment of the drawn ring (a slot, or an arc on rings above 64 slots).
    Slot(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveKind {
    ToRing,
    ToList,
    Flush(FlushTrigger),
    Reaped,
}

impl MoveKind {
    fn name(self) -> &'static str {
        match self {
            MoveKind::ToRing => "to_ring",
            MoveKind::ToList => "to_list",
            MoveKind::Flush(_) => "flush",
            MoveKind::Reaped => "reaped",
        }
    }
}

/// One event travelling from one anchor to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    /// Stable key: the trace index of the event, times 8, plus the token's place in a flush.
    pub key: u64,
    pub kind: MoveKind,
    pub user_data: u64,
    pub from: Anchor,
    pub to: Anchor,
    /// On the first token of a flush: how many moved and why.
    pub label: Option<String>,
}

/// The moves between frame `prev` and frame `cur`: empty when the run went back, jumped,
/// or moved more than [`MAX_TOKENS`] events.
pub fn plan(prev: &Frame, cur: &Frame) -> Vec<Move> {
    let (p, c) = (&prev.recent, &cur.recent);
    if c.total <= p.total || cur.view.events < prev.view.events || prev.view.ring.entries != cur.view.ring.entries {
        return Vec::new();
    }
    let new = (c.total - p.total) as usize;
    if new > c.events.len() {
        return Vec::new(); // more happened than the frame kept: jump
    }
    let first_index = c.total - new as u64;
    let ring = &cur.view.ring;
    let entries = ring.entries.max(1);
    let prev_list = &prev.view.overflow_list;
    // The list as it changes through the new events: the previous list, then pushes.
    let mut popped = 0usize;
    let mut pushed: Vec<u64> = Vec::new();
    // Where events were placed during these events (user data → segment).
    let mut placed: Vec<(u64, u32)> = Vec::new();
    let mut moves = Vec::new();
    for (i, kind) in c.events[c.events.len() - new..].iter().enumerate() {
        let key = (first_index + i as u64) * 8;
        match *kind {
            TraceKind::ToRing { user_data, tail } => {
                let seg = segment_of(ring, tail % entries);
                placed.push((user_data, seg));
                moves.push(Move {
                    key,
                    kind: MoveKind::ToRing,
                    user_data,
                    from: Anchor::Device,
                    to: Anchor::Slot(seg),
                    label: None,
                });
            }
            TraceKind::ToList { user_data, .. } => {
                pushed.push(user_data);
                moves.push(Move {
                    key,
                    kind: MoveKind::ToList,
                    user_data,
                    from: Anchor::Device,
                    to: Anchor::List,
                    label: None,
                });
            }
            TraceKind::Flushed { moved, trigger, .. } => {
                let label = format!("{moved} by {}", trigger.name());
                for j in 0..moved as usize {
                    let at = popped + j;
                    let data = if at < prev_list.len() {
                        prev_list.get(at).copied()
                    } else {
                        pushed.get(at - prev_list.len()).copied()
                    };
                    let Some(user_data) = data else { break };
                    let seg = find(ring, user_data).unwrap_or_else(|| segment_of(ring, ring.tail_slot));
                    placed.push((user_data, seg));
                    if j < FLUSH_TOKENS {
                        moves.push(Move {
                            key: key + j as u64,
                            kind: MoveKind::Flush(trigger),
                            user_data,
                            from: Anchor::List,
                            to: Anchor::Slot(seg),
                            label: (j == 0).then(|| label.clone()),
                        });
                    }
                }
                popped += moved as usize;
            }
            TraceKind::Reaped { user_data, .. } => {
                let prev_ring = &prev.view.ring;
                let seg = placed
                    .iter()
                    .rev()
                    .find(|(d, _)| *d == user_data)
                    .map(|(_, s)| *s)
                    .or_else(|| find(prev_ring, user_data))
                    .unwrap_or_else(|| segment_of(prev_ring, prev_ring.head_slot));
                moves.push(Move {
                    key,
                    kind: MoveKind::Reaped,
                    user_data,
                    from: Anchor::Slot(seg),
                    to: Anchor::Reaper,
                    label: None,
                });
            }
            _ => {}
        }
        if moves.len() > MAX_TOKENS {
            return Vec::new();
        }
    }
    moves
}

/// Whether `frame` is a lesson's pause point or its end: the view holds still there.
pub fn settled(frame: &Frame) -> bool {
    frame.lesson.as_ref().is_some_and(|l| l.at_pause)
}

/// The segment holding `user_data` (only rings drawn slot by slot know their occupants).
fn find(ring: &RingView, user_data: u64) -> Option<u32> {
    ring.slots.iter().position(|s| s.user_data == Some(user_data)).map(|i| i as u32)
}

/// The CSS of an anchor's coordinates: numbers in the ring's user units (the stylesheet
/// turns them into a share of the ring's width).
fn coords(a: Anchor, n: u32) -> (String, String) {
    match a {
        Anchor::Device => ("var(--anchor-device-x)".into(), "var(--anchor-device-y)".into()),
        Anchor::List => ("var(--anchor-list-x)".into(), "var(--anchor-list-y)".into()),
        Anchor::Reaper => ("var(--anchor-reaper-x)".into(), "var(--anchor-reaper-y)".into()),
        Anchor::Slot(seg) => {
            let (x, y) = polar((R_IN + R_OUT) / 2.0, slot_mid_angle(seg, n));
            (format!("{x:.1}"), format!("{y:.1}"))
        }
    }
}

/// A token in flight: its move, the drawn ring's segment count, when it started.
#[derive(Clone, Debug, PartialEq)]
struct Flight {
    mv: Move,
    n: u32,
    delay_ms: f64,
    born_ms: f64,
}

impl Flight {
    fn ends_at(&self) -> f64 {
        self.born_ms + self.delay_ms + FLY_MS
    }
}

/// What the layer remembers between renders.
#[derive(Default)]
struct Layer {
    prev: Option<ById<Frame>>,
    alive: VecDeque<Flight>,
}

impl Layer {
    fn update(&mut self, frame: &ById<Frame>, now_ms: f64) {
        // The animation's clock starts with the frame, a little before this render's
        // `now`; tokens in their last fading 50 ms count as landed.
        self.alive.retain(|f| f.ends_at() > now_ms + LANDED_MS);
        if self.prev.as_ref() == Some(frame) {
            return;
        }
        let prev = self.prev.replace(frame.clone());
        let Some(prev) = prev else { return };
        if frame.recent.total <= prev.recent.total || settled(frame) {
            self.alive.clear(); // went back or restarted: jump
            return;
        }
        let moves = plan(&prev, frame);
        if moves.is_empty() || self.alive.len() + moves.len() > MAX_ALIVE || reduced_motion() {
            return;
        }
        let n = frame.view.ring.slots.len().max(1) as u32;
        for (i, mv) in moves.into_iter().enumerate() {
            self.alive.push_back(Flight { mv, n, delay_ms: i as f64 * STAGGER_MS, born_ms: now_ms });
        }
    }
}

/// The layer of flying tokens, over the ring's `<svg>` (in its `.ring-box`).
#[derive(Properties, PartialEq, Clone)]
pub struct MotionProps {
    pub frame: ById<Frame>,
}

#[component]
pub fn Motion(props: &MotionProps) -> Html {
    let layer = use_mut_ref(Layer::default);
    let redraw = use_force_update();
    layer.borrow_mut().update(&props.frame, now_ms());
    // When the last token lands, draw again so that it leaves the DOM.
    let on_end = Callback::from(move |_: AnimationEvent| redraw.force_update());
    let layer = layer.borrow();
    html! {
        <div class="motion" aria-hidden="true" onanimationend={on_end}>
            { for layer.alive.iter().map(render_flight) }
        </div>
    }
}

fn render_flight(f: &Flight) -> Html {
    let mv = &f.mv;
    let (fx, fy) = coords(mv.from, f.n);
    let (tx, ty) = coords(mv.to, f.n);
    let style = format!(
        "--fx: {fx}; --fy: {fy}; --tx: {tx}; --ty: {ty}; animation-delay: {:.0}ms; animation-duration: {FLY_MS:.0}ms",
        f.delay_ms
    );
    let trigger = match mv.kind {
        MoveKind::Flush(t) => Some(t.name()),
        _ => None,
    };
    html! {
        <svg key={mv.key} class={classes!("fly", format!("fly--{}", mv.kind.name()))} style={style} viewBox={TOKEN_VIEW_BOX}
             data-testid="flying-token" data-kind={mv.kind.name()} data-user-data={mv.user_data.to_string()}
             data-trigger={trigger}>
            <circle r="10" />
            <text class="fly__data" text-anchor="middle" dominant-baseline="central">{ mv.user_data }</text>
            if let Some(label) = &mv.label {
                <text class="fly__label" y="-16" text-anchor="middle">{ format!("↩ {label}") }</text>
            }
        </svg>
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        type MediaQuery;
        #[wasm_bindgen(js_name = matchMedia, catch)]
        fn match_media(query: &str) -> Result<MediaQuery, JsValue>;
        #[wasm_bindgen(method, getter)]
        fn matches(this: &MediaQuery) -> bool;
    }

    pub fn reduced_motion() -> bool {
        match_media("(prefers-reduced-motion: reduce)").map(|m| m.matches()).unwrap_or(false)
    }

    pub fn now_ms() -> f64 {
        js_sys::Date::now()
    }
}

#[cfg(target_arch = "wasm32")]
use js::{now_ms, reduced_motion};

#[cfg(not(target_arch = "wasm32"))]
fn reduced_motion() -> bool {
    false
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, AppModel};

    fn open(fragment: &str) -> AppModel {
        AppModel::from_link(&crate::model::decode_link(fragment))
    }

    /// Steps until a step produces a move of `kind`; returns the moves of that step.
    fn step_until(mut s: AppModel, want: fn(&MoveKind) -> bool) -> (AppModel, Vec<Move>) {
        for _ in 0..2_000 {
            let before = s.screen.frame.clone();
            s.update(Action::Step);
            let moves = plan(&before, &s.screen.frame);
            if moves.iter().any(|m| want(&m.kind)) {
                return (s, moves);
            }
        }
        panic!("no such move in 2000 steps");
    }

    #[test]
    fn a_completion_flies_from_the_device_to_the_slot_at_the_tail() {
        let s = open("v=1&model=proposal&paused=1");
        let (s, moves) = step_until(s, |k| *k == MoveKind::ToRing);
        let m = moves.iter().find(|m| m.kind == MoveKind::ToRing).unwrap();
        assert_eq!(m.from, Anchor::Device);
        let Anchor::Slot(seg) = m.to else { panic!("{m:?}") };
        assert_eq!(
            s.screen.frame.view.ring.slots[seg as usize].user_data,
            Some(m.user_data),
            "lands where the ring holds it"
        );
    }

    #[test]
    fn spills_flushes_and_reaps_all_move() {
        let s = open("v=1&lesson=stuck&paused=1");
        let (s, moves) = step_until(s, |k| *k == MoveKind::ToList);
        assert!(moves.iter().any(|m| m.from == Anchor::Device && m.to == Anchor::List));
        let (s, moves) = step_until(s, |k| matches!(k, MoveKind::Flush(_)));
        let flush: Vec<_> = moves.iter().filter(|m| matches!(m.kind, MoveKind::Flush(_))).collect();
        assert!(flush.len() <= FLUSH_TOKENS);
        assert!(
            flush[0].from == Anchor::List && flush[0].label.as_deref().is_some_and(|l| l.contains(" by ")),
            "{flush:?}"
        );
        assert!(flush[1..].iter().all(|m| m.label.is_none()));
        let (_, moves) = step_until(s, |k| *k == MoveKind::Reaped);
        assert!(moves.iter().any(|m| m.kind == MoveKind::Reaped && m.to == Anchor::Reaper));
    }

    #[test]
    fn going_back_or_jumping_moves_nothing() {
        let s = open("v=1&model=proposal&paused=1");
        let s = (0..20).fold(s, |mut s, _| {
            s.update(Action::Step);
            s
        });
        let mut back = s.clone();
        back.update(Action::StepBack);
        assert!(plan(&s.screen.frame, &back.screen.frame).is_empty());
        let mut far = s.clone();
        far.update(Action::Seek(s.screen.frame.view.end_ns));
        assert!(plan(&s.screen.frame, &far.screen.frame).is_empty(), "a long jump is not animated");
        let none = plan(&s.screen.frame, &s.screen.frame);
        assert!(none.is_empty());
    }

    #[test]
    fn a_lesson_pause_point_is_drawn_settled() {
        let mut s = open("v=1&lesson=stuck&paused=1");
        let mut layer = Layer::default();
        layer.update(&s.screen.frame, 0.0);
        let (_, moves) = step_until(s.clone(), |k| *k == MoveKind::ToRing);
        assert!(!moves.is_empty(), "between pause points, events fly");
        s.update(Action::LessonNext);
        assert!(settled(&s.screen.frame), "the first pause point");
        let mut before = s.clone();
        before.update(Action::StepBack);
        assert!(!plan(&before.screen.frame, &s.screen.frame).is_empty(), "the last event moved a token");
        layer.update(&before.screen.frame, 0.0);
        layer.update(&s.screen.frame, 1.0);
        assert!(layer.alive.is_empty(), "nothing in flight on the pause point");
        s.update(Action::Step);
        assert!(!settled(&s.screen.frame), "one event on, the view moves again");
    }

    #[test]
    fn never_more_than_a_handful_per_frame() {
        let mut s = open("v=1&lesson=stuck&paused=1");
        for _ in 0..400 {
            let before = s.screen.frame.clone();
            s.update(Action::Step);
            assert!(plan(&before, &s.screen.frame).len() <= MAX_TOKENS);
        }
    }
}
