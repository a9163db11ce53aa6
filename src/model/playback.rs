//! Playing in wall time: each animation frame advances the run by the frame's wall time
//! times the speed, stopping at the lesson's next pause point, and never spends more than
//! a frame's budget on simulation.

use super::format::sim_ns_per_second;
use super::{AppModel, DEFAULT_SPEED};
use ringlab_core::lessons::Stop;

/// Most events processed in one animation frame, so that a frame never stalls.
pub const MAX_EVENTS_PER_FRAME: u64 = 4_000;
/// Wall-clock milliseconds one animation frame may spend advancing the simulation (the
/// main run and the compared runs together); the rest of the frame is for drawing.
pub const FRAME_BUDGET_MS: f64 = 2.0;
/// Events advanced between two looks at the wall clock.
const EVENT_CHUNK: u64 = 128;
/// Milliseconds of wall time per scripted step at speed ×1.
pub const SCRIPT_STEP_MS: f64 = 700.0;
/// The longest animation frame counted (a tab coming back from the background).
const MAX_FRAME_MS: f64 = 250.0;

/// A monotonic wall clock in milliseconds (`performance.now()` in the browser), only to
/// bound the work of one frame; the simulation itself never reads it.
#[cfg(target_arch = "wasm32")]
pub(super) fn wall_clock_ms() -> f64 {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }
    performance_now()
}

#[cfg(not(target_arch = "wasm32"))]
pub(super) fn wall_clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

impl AppModel {
    /// Plays on by `wall_ms` of wall time at the current speed, stopping exactly at the
    /// lesson's next stop (its event count, then its clock); returns whether it stopped
    /// there.
    pub(super) fn play_for(&mut self, wall_ms: f64) -> bool {
        let wall_ms = wall_ms.clamp(0.0, MAX_FRAME_MS);
        let pos = self.position();
        let stop = self.lesson_plan.next(pos);
        if pos.scripted {
            self.play_steps(wall_ms, stop.map(|s| s.events))
        } else {
            self.play_time(pos.now_ns, wall_ms, stop)
        }
    }

    /// A scripted run: one step at a time, so that each step can be seen.
    fn play_steps(&mut self, wall_ms: f64, stop: Option<u64>) -> bool {
        let per_step = SCRIPT_STEP_MS * sim_ns_per_second(DEFAULT_SPEED) / sim_ns_per_second(self.screen.speed);
        self.carry_ms += wall_ms;
        while self.carry_ms >= per_step {
            self.carry_ms -= per_step;
            if self.timeline.step().is_none() {
                break;
            }
            if stop.is_some_and(|s| self.timeline.sim().events() >= s) {
                self.carry_ms = 0.0;
                return true;
            }
        }
        false
    }

    /// A stochastic run: simulated time moves by the wall time times the speed, and
    /// never past the stop's event (other events may share its instant).
    fn play_time(&mut self, now: u64, wall_ms: f64, stop: Option<Stop>) -> bool {
        let advance = (wall_ms / 1e3 * sim_ns_per_second(self.screen.speed)) as u64;
        let mut target = now.saturating_add(advance.max(1)).min(self.end_ns());
        if let Some(stop) = stop {
            target = target.min(stop.at_ns);
        }
        let until_stop = |m: &AppModel| stop.map_or(u64::MAX, |s| s.events.saturating_sub(m.timeline.sim().events()));
        // Bounded work per frame: at most MAX_EVENTS_PER_FRAME events, and no more than
        // this run's share of FRAME_BUDGET_MS (the compared runs follow it to the same
        // instant and cost about as much each).
        let budget = FRAME_BUDGET_MS / (1 + self.lanes.len()) as f64;
        let started = wall_clock_ms();
        let mut done = 0;
        loop {
            let chunk = EVENT_CHUNK.min(MAX_EVENTS_PER_FRAME - done).min(until_stop(self));
            if chunk == 0 {
                // On the stop's event: the clock moves on to the stop only if no event is
                // due before it there.
                let sim = self.timeline.sim();
                if sim.next_event_at().is_none_or(|at| at > target) && sim.now() < target {
                    self.timeline.advance_to(target, 1);
                }
                break;
            }
            let n = self.timeline.advance_to(target, chunk);
            done += n;
            if n < chunk || done >= MAX_EVENTS_PER_FRAME || wall_clock_ms() - started >= budget {
                break;
            }
        }
        let pos = self.timeline.sim();
        stop.is_some_and(|s| (pos.events(), pos.now()) >= (s.events, s.at_ns))
    }
}
