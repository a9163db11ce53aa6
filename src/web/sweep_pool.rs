//! The sweep's Web Workers: [`SweepWorker`] (gloo-worker's actor, registered by the
//! `sweep_worker` binary) runs cells with the core; [`SweepPool`] spawns one per core
//! (`navigator.hardwareConcurrency`, 1 to [`MAX_WORKERS`]; a page address with
//! `?workers=N` forces N, for the benchmarks), deals them the cells in small batches
//! ([`IN_FLIGHT`] per worker, so that a worker never waits for the main thread, the heatmap
//! fills in batch by batch, and a cancel waits for at most those batches; a worker answers a
//! batch in one message, a line per cell), and hands the replies over at most every
//! [`HAND_OVER_MS`], in a timer's task between two frames (not in an animation frame, where
//! it would lengthen the frame the main view is drawing), so that a sweep costs the main
//! view one update in a few frames. While the page animates (the main view playing or
//! seeking), the page's threads get room for their frames: no new batch goes to the last
//! worker ([`dealt_workers`]), and the others take one batch at a time and rest as long as
//! it took before the next ([`in_flight_most`]: half their time), so that the page's frames
//! do not queue behind the workers on a two-core machine. Once the page is still, every
//! worker takes batches again, without rests. Dropping the pool is cancel: the workers are told
//! to close and their replies go nowhere.
//!
//! Messages are plain text ([`crate::model::sweep::wire`]) in a JSON codec (serde_json is
//! in both bundles already; gloo-worker's default bincode is not linked). Natively there
//! are no workers: [`SweepPool::start`] returns `None`.

use crate::model::sweep::wire::Reply;
use crate::model::sweep::Sweep;

/// Most workers a sweep spawns.
pub const MAX_WORKERS: usize = 8;
/// Batches dealt ahead to each worker.
pub const IN_FLIGHT: usize = 3;
/// The least time between two hand-overs of replies to the view (a redraw of the heatmap),
/// in milliseconds.
pub const HAND_OVER_MS: f64 = 100.0;
/// The worker's script, emitted by trunk beside the app (index.html), relative to the page.
pub const WORKER_SCRIPT: &str = "./sweep_worker.js";

/// Cells per batch: about a dozen batches per worker, 1 to 16 cells each.
pub fn batch_size(total: usize, workers: usize) -> usize {
    (total / (workers.max(1) * 12)).clamp(1, 16)
}

/// How many workers: `forced` (a `?workers=N` page address) or the cores, 1 to
/// [`MAX_WORKERS`], and no more than there are batches.
pub fn worker_count(cores: Option<usize>, forced: Option<usize>, total: usize) -> usize {
    let wanted = forced.or(cores).unwrap_or(1).clamp(1, MAX_WORKERS);
    let batches = total.div_ceil(batch_size(total, wanted)).max(1);
    wanted.min(batches)
}

/// Batches in flight per worker: [`IN_FLIGHT`], or one while the page animates (the worker
/// then rests between batches).
pub fn in_flight_most(page_animating: bool) -> usize {
    if page_animating {
        1
    } else {
        IN_FLIGHT
    }
}

/// How many of `workers` get new batches: all of them, or while the page animates all but
/// one (at least one), so that the page keeps a core for its frames.
pub fn dealt_workers(workers: usize, page_animating: bool) -> usize {
    if page_animating {
        workers.saturating_sub(1).max(1)
    } else {
        workers
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::{register, SweepPool, SweepWorker};

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{batch_size, dealt_workers, in_flight_most, worker_count, HAND_OVER_MS, IN_FLIGHT, WORKER_SCRIPT};
    use crate::model::sweep::wire::{Reply, Request, Runner};
    use gloo_worker::{Codec, HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::{Rc, Weak};
    use wasm_bindgen::JsValue;

    /// Worker messages as JSON text (gloo-worker's envelopes around our plain strings).
    pub struct TextCodec;

    impl Codec for TextCodec {
        fn encode<I: serde::Serialize>(input: I) -> JsValue {
            JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default())
        }

        fn decode<O: for<'de> serde::Deserialize<'de>>(input: JsValue) -> O {
            serde_json::from_slice(input.as_string().unwrap_or_default().as_bytes()).expect("a sweep worker message")
        }
    }

    /// Runs the cells each request names; answers the batch in one message.
    pub struct SweepWorker {
        runner: Runner,
    }

    impl Worker for SweepWorker {
        type Message = ();
        type Input = String;
        type Output = String;

        fn create(_scope: &WorkerScope<Self>) -> Self {
            SweepWorker { runner: Runner::default() }
        }

        fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

        /// One message per batch, a reply per line: the main thread handles one message
        /// per batch, not per cell (cells take well under a millisecond).
        fn received(&mut self, scope: &WorkerScope<Self>, request: String, id: HandlerId) {
            scope.respond(id, self.runner.run(&request).join("\n"));
        }
    }

    /// The worker binary's whole job.
    pub fn register() {
        SweepWorker::registrar().encoding::<TextCodec>().register();
    }

    /// The workers of one sweep run (one generation).
    pub struct SweepPool {
        inner: Rc<RefCell<Inner>>,
    }

    struct Inner {
        generation: u32,
        link: String,
        total: usize,
        batch: usize,
        /// The next cell to deal.
        next: usize,
        bridges: Vec<WorkerBridge<SweepWorker>>,
        /// Per worker: the size of each batch in flight.
        in_flight: Vec<VecDeque<usize>>,
        /// Whether the page animates (one core is then left to it).
        page_animating: bool,
        /// Per worker: when its last batch was dealt (`Date.now()`, ms), and the timer that
        /// ends its rest while the page animates.
        dealt_at: Vec<f64>,
        rests: Vec<Option<gloo_timers::callback::Timeout>>,
        /// Replies not yet handed over, and whether a hand-over is due (its timer; the last
        /// one's handle stays here until the next is set: it has run by then, so dropping it
        /// cancels nothing).
        inbox: Vec<Reply>,
        hand_over_due: bool,
        timer: Option<gloo_timers::callback::Timeout>,
        /// When the last replies were handed over (`Date.now()`, ms).
        handed_at: f64,
        on_cells: Rc<dyn Fn(Vec<Reply>)>,
    }

    impl SweepPool {
        /// Spawns the workers and deals the first batches; `on_cells` gets the replies, once
        /// per animation frame. `None` if no worker could be made.
        pub fn start(
            generation: u32,
            link: String,
            total: usize,
            page_animating: bool,
            on_cells: impl Fn(Vec<Reply>) + 'static,
        ) -> Option<SweepPool> {
            let window = web_sys::window()?;
            let cores = Some(window.navigator().hardware_concurrency() as usize).filter(|&n| n > 0);
            let forced = forced_workers(&window);
            let workers = worker_count(cores, forced, total);
            let inner = Rc::new(RefCell::new(Inner {
                generation,
                link,
                total,
                batch: batch_size(total, workers),
                next: 0,
                bridges: Vec::new(),
                in_flight: vec![VecDeque::new(); workers],
                page_animating,
                dealt_at: vec![0.0; workers],
                rests: (0..workers).map(|_| None).collect(),
                inbox: Vec::new(),
                hand_over_due: false,
                timer: None,
                handed_at: f64::NEG_INFINITY,
                on_cells: Rc::new(on_cells),
            }));
            for i in 0..workers {
                let weak = Rc::downgrade(&inner);
                let bridge = SweepWorker::spawner()
                    .encoding::<TextCodec>()
                    .callback(move |text: String| receive(&weak, i, &text))
                    .spawn(WORKER_SCRIPT);
                inner.borrow_mut().bridges.push(bridge);
            }
            inner.borrow_mut().fill_up();
            Some(SweepPool { inner })
        }

        /// Tells the pool whether the page animates: while it does, the last worker gets no
        /// new batch; once it stops, that worker is dealt its batches again.
        pub fn set_page_animating(&self, on: bool) {
            let mut s = self.inner.borrow_mut();
            if s.page_animating != on {
                s.page_animating = on;
                s.fill_up();
            }
        }

        /// The sweep run these workers serve.
        pub fn generation(&self) -> u32 {
            self.inner.borrow().generation
        }

        /// How many workers run the cells.
        pub fn workers(&self) -> usize {
            self.inner.borrow().bridges.len()
        }
    }

    impl Inner {
        /// Deals every worker that may have batches as many as it may have in flight.
        fn fill_up(&mut self) {
            let most = in_flight_most(self.page_animating);
            for _ in 0..IN_FLIGHT {
                (0..self.bridges.len()).for_each(|i| {
                    if self.in_flight[i].len() < most {
                        self.deal(i)
                    }
                });
            }
        }

        /// Sends worker `i` the next batch, if any cell is left and the worker is one of
        /// those dealt to now.
        fn deal(&mut self, i: usize) {
            let end = (self.next + self.batch).min(self.total);
            if self.next >= end || i >= dealt_workers(self.bridges.len(), self.page_animating) {
                return;
            }
            let cells: Vec<usize> = (self.next..end).collect();
            self.next = end;
            self.in_flight[i].push_back(cells.len());
            self.dealt_at[i] = js_sys::Date::now();
            let request = Request { generation: self.generation, cells, link: self.link.clone() };
            self.bridges[i].send(request.encode());
        }
    }

    /// A batch's replies from worker `i` (a line per cell): kept for the next hand-over;
    /// the worker gets its next batch.
    fn receive(weak: &Weak<RefCell<Inner>>, i: usize, text: &str) {
        let Some(inner) = weak.upgrade() else { return };
        let mut s = inner.borrow_mut();
        s.inbox.extend(text.lines().filter_map(Reply::decode));
        if s.in_flight[i].pop_front().is_some() {
            if s.page_animating {
                // One batch at a time: the worker rests as long as the batch took (at most
                // half a second), then takes the next unless the page's stillness dealt it one.
                let rest = (js_sys::Date::now() - s.dealt_at[i]).clamp(0.0, 500.0);
                let weak = weak.clone();
                s.rests[i] = Some(gloo_timers::callback::Timeout::new(rest as u32, move || {
                    if let Some(inner) = weak.upgrade() {
                        let mut s = inner.borrow_mut();
                        if s.in_flight[i].is_empty() {
                            s.deal(i);
                        }
                    }
                }));
            } else {
                s.deal(i);
            }
        }
        let last = s.next >= s.total && s.in_flight.iter().all(VecDeque::is_empty);
        if !s.hand_over_due || last {
            s.hand_over_due = true;
            // The last cells at once; others HAND_OVER_MS after the last hand-over.
            let wait = if last { 0.0 } else { s.handed_at + HAND_OVER_MS - js_sys::Date::now() };
            let weak = weak.clone();
            s.timer = Some(gloo_timers::callback::Timeout::new(wait.clamp(0.0, HAND_OVER_MS) as u32, move || {
                hand_over(&weak)
            }));
        }
    }

    /// The replies so far, to the view (outside the borrow, so that the view may drop the
    /// pool).
    fn hand_over(weak: &Weak<RefCell<Inner>>) {
        let Some(inner) = weak.upgrade() else { return };
        let (replies, on_cells) = {
            let mut s = inner.borrow_mut();
            s.handed_at = js_sys::Date::now();
            s.hand_over_due = false;
            (std::mem::take(&mut s.inbox), s.on_cells.clone())
        };
        drop(inner);
        if !replies.is_empty() {
            on_cells(replies);
        }
    }

    /// `?workers=N` in the page's address.
    fn forced_workers(window: &web_sys::Window) -> Option<usize> {
        let search = window.location().search().ok()?;
        search
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("workers="))
            .and_then(|n| n.parse().ok())
    }
}

/// Keeps the workers in step with the sweep view: workers for the run shown while it
/// runs (new ones when it is a new run), none otherwise (cancel, done, closed); and tells
/// them whether the page animates.
pub fn follow(
    pool: &mut Option<SweepPool>,
    sweep: Option<&Sweep>,
    page_animating: bool,
    on_cells: impl Fn(Vec<Reply>) + 'static,
) {
    match sweep.filter(|s| s.running()) {
        None => *pool = None,
        Some(s) if pool.as_ref().is_some_and(|p| p.generation() == s.generation) => {
            if let Some(p) = pool {
                p.set_page_animating(page_animating);
            }
        }
        Some(s) => {
            *pool = None;
            *pool = SweepPool::start(s.generation, s.worker_link(), s.progress().1, page_animating, on_cells);
        }
    }
}

/// Natively there are no workers (the native tests run cells with `wire::Runner`).
#[cfg(not(target_arch = "wasm32"))]
pub struct SweepPool;

#[cfg(not(target_arch = "wasm32"))]
impl SweepPool {
    pub fn start(
        _generation: u32,
        _link: String,
        _total: usize,
        _page_animating: bool,
        _on_cells: impl Fn(Vec<Reply>) + 'static,
    ) -> Option<Self> {
        None
    }

    pub fn generation(&self) -> u32 {
        0
    }

    pub fn set_page_animating(&self, _on: bool) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_worker_per_core_within_bounds() {
        assert_eq!(worker_count(Some(2), None, 576), 2);
        assert_eq!(worker_count(Some(64), None, 576), MAX_WORKERS);
        assert_eq!(worker_count(None, None, 576), 1);
        assert_eq!(worker_count(Some(2), Some(1), 576), 1, "?workers=1 forces one");
        assert_eq!(worker_count(Some(8), None, 3), 3, "no more workers than batches");
    }

    #[test]
    fn an_animating_page_keeps_a_core() {
        assert_eq!(dealt_workers(2, false), 2, "a still page: every worker");
        assert_eq!(dealt_workers(2, true), 1, "playing on two cores: one worker, one core for the page");
        assert_eq!(dealt_workers(8, true), 7);
        assert_eq!(dealt_workers(1, true), 1, "one core: the sweep still runs");
        assert_eq!(in_flight_most(false), IN_FLIGHT);
        assert_eq!(in_flight_most(true), 1, "playing: a batch at a time, with a rest after each");
    }

    #[test]
    fn batches_are_small() {
        assert_eq!(batch_size(576, 2), 16);
        assert_eq!(batch_size(100, 2), 4);
        assert_eq!(batch_size(4, 8), 1);
    }
}
