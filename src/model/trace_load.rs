//! Loading a recorded trace in the page (`ringlab_core::trace_file`): the file's text,
//! which the shell reads from a file picker or a drop (it never leaves the machine), is
//! parsed a slice per animation frame ([`SLICE_BYTES`]), so a fio log of 10^6 requests
//! loads with a progress bar and the page stays responsive; nothing is used until the
//! whole file has been read. The run then replays the trace with the current model,
//! reaper and seed (`trace_file::scenario_with_trace`, as the CLI's `run --trace` does).
//!
//! A scenario file that bundles its trace (JSON, from the loader's download) is read at
//! once and opened as it is. A built-in trace can be chosen by name. A link carries only
//! a built-in trace (by name): for one loaded from a file the loader says so and offers
//! the scenario file ([`bundle`]).

use super::AppModel;
use ringlab_core::trace_file::{self, Parser, TraceData};
use ringlab_core::Scenario;
use std::rc::Rc;

/// Bytes of a trace file parsed per animation frame (about 10,000 fio log lines).
pub const SLICE_BYTES: usize = 256 * 1024;

/// A file being read.
#[derive(Clone, Debug)]
pub(super) struct TraceJob {
    name: String,
    text: Rc<str>,
    /// Bytes parsed so far.
    at: usize,
    parser: Parser,
}

/// What the trace loader shows besides the trace the run replays.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TraceStatus {
    /// A file being read: its name and the share read (0 to 1).
    pub loading: Option<(String, f64)>,
    /// Why the last file could not be used: `NAME: line N: what is wrong`.
    pub error: Option<String>,
}

/// The trace the run replays, as the loader shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedTrace {
    pub name: String,
    pub requests: usize,
    /// Built in: a link carries it by name.
    pub builtin: bool,
}

/// The trace `scenario`'s first trace phase replays, if any.
pub fn loaded(scenario: &Scenario) -> Option<LoadedTrace> {
    let phase = scenario.workload.phases.iter().find(|p| !p.trace.is_empty())?;
    let data = phase.trace_requests()?;
    Some(LoadedTrace { name: phase.trace.clone(), requests: data.len(), builtin: phase.trace_data.is_none() })
}

/// What the loader says about links for `trace`: `None` when a link carries it.
pub fn link_note(trace: &LoadedTrace) -> Option<String> {
    (!trace.builtin).then(|| {
        format!(
            "A link cannot carry this trace ({} requests from a file; a link names only built-in traces): \
             download the scenario with it, which this page and the CLI open.",
            trace.requests
        )
    })
}

/// The scenario file that bundles `scenario`'s traces: a file name and its JSON.
pub fn bundle(scenario: &Scenario) -> (String, String) {
    let name = loaded(scenario).map_or("trace".to_string(), |t| t.name);
    let stem = name.split('.').next().filter(|s| !s.is_empty()).unwrap_or("trace");
    (format!("ringlab-{stem}.json"), scenario.to_json_string())
}

impl AppModel {
    /// A file's text arrived: a scenario file with its trace opens at once; a trace file
    /// is parsed in slices, the first now.
    pub(super) fn load_trace(&mut self, name: String, text: Result<Rc<str>, String>) {
        self.screen.trace = TraceStatus::default();
        self.trace_job = None;
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                self.screen.trace.error = Some(format!("{name}: {e}"));
                return;
            }
        };
        if text.trim_start().starts_with('{') {
            match Scenario::from_json_str(&text) {
                Ok(scenario) => self.open_scenario(scenario, None),
                Err(e) => self.screen.trace.error = Some(format!("{name}: {e}")),
            }
            return;
        }
        self.screen.playing = false;
        self.trace_job = Some(TraceJob { name, text, at: 0, parser: Parser::new() });
        self.trace_slice();
    }

    /// Parses the next slice of the file being read; after the last, replays it.
    pub(super) fn trace_slice(&mut self) {
        let Some(job) = self.trace_job.as_mut() else { return };
        let text = &*job.text;
        let mut end = (job.at + SLICE_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let fed = job.parser.feed(&text[job.at..end]);
        job.at = end;
        let name = job.name.clone();
        if let Err(e) = fed {
            self.trace_job = None;
            self.screen.trace = TraceStatus { loading: None, error: Some(e.in_file(&name)) };
            return;
        }
        if end < text.len() {
            let fraction = end as f64 / text.len() as f64;
            self.screen.trace.loading = Some((name, fraction));
            return;
        }
        let job = self.trace_job.take().expect("a trace being read");
        self.screen.trace = TraceStatus::default();
        match job.parser.finish() {
            Ok(records) => self.replay_trace(&name, Some(TraceData::from_records(&records))),
            Err(e) => self.screen.trace.error = Some(e.in_file(&name)),
        }
    }

    /// Replays a trace (`data`: a file's; `None`: the built-in trace `name`) with the
    /// current model, reaper and seed.
    pub(super) fn replay_trace(&mut self, name: &str, data: Option<TraceData>) {
        let scenario = trace_file::scenario_with_trace(&self.screen.scenario, name, data);
        match scenario.validate().and_then(|()| scenario.check_work()) {
            Ok(()) => self.open_scenario(scenario, None),
            Err(e) => self.screen.trace.error = Some(format!("{name}: {e}")),
        }
    }

    /// Whether a trace file is being read.
    pub fn loading_trace(&self) -> bool {
        self.trace_job.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Action;
    use ringlab_core::{lessons, Sim};

    const QD32: &str = include_str!("../../scenarios/traces/randread-qd32.lat.log");

    fn app() -> AppModel {
        AppModel::new(lessons::default_scenario()).unwrap()
    }

    fn load(app: &mut AppModel, name: &str, text: &str) {
        app.update(Action::LoadTrace { name: name.into(), text: Ok(text.into()) });
    }

    /// The counters at the end of the run, as the CLI prints them.
    fn summary_at_end(scenario: &Scenario) -> String {
        let mut sim = Sim::new(scenario).unwrap();
        sim.run_until(sim.end_ns());
        serde_json::to_string(&ringlab_core::bench::Summary::of(&sim)).unwrap()
    }

    #[test]
    fn a_small_file_loads_at_once_and_replays_with_the_current_model() {
        let mut app = app();
        load(&mut app, "randread-qd32.lat.log", QD32);
        assert!(!app.loading_trace());
        assert_eq!(app.screen.trace, TraceStatus::default());
        let loaded = loaded(&app.screen.scenario).unwrap();
        let requests = QD32.lines().count();
        assert_eq!(loaded, LoadedTrace { name: "randread-qd32.lat.log".into(), requests, builtin: false });
        assert_eq!(app.screen.scenario.model, lessons::default_scenario().model);
        // The same run as the CLI's `run --trace FILE`.
        let cli = trace_file::scenario_with_trace(
            &lessons::default_scenario(),
            "randread-qd32.lat.log",
            Some(trace_file::parse_text(QD32).unwrap()),
        );
        assert_eq!(*app.screen.scenario, cli);
        assert_eq!(summary_at_end(&app.screen.scenario), summary_at_end(&cli));
        let note = link_note(&loaded).unwrap();
        assert!(
            note.starts_with(&format!("A link cannot carry this trace ({requests} requests from a file")),
            "{note}"
        );
    }

    #[test]
    fn a_large_file_loads_in_slices_with_progress() {
        // 10^5 requests: several slices.
        let line = "5, 123456, 0, 4096, 0\n";
        let text: String = (0..100_000).map(|i| line.replacen('5', &(5 + i / 1000).to_string(), 1)).collect();
        let mut app = app();
        load(&mut app, "big.lat.log", &text);
        assert!(app.loading_trace() && app.wants_frames());
        let mut fractions = Vec::new();
        while app.loading_trace() {
            let (name, fraction) = app.screen.trace.loading.clone().expect("progress while loading");
            assert_eq!(name, "big.lat.log");
            fractions.push(fraction);
            app.update(Action::Tick(16.0));
        }
        assert!(fractions.len() >= text.len() / SLICE_BYTES, "{} slices", fractions.len());
        assert!(fractions.windows(2).all(|w| w[0] < w[1] && w[1] < 1.0));
        assert_eq!(app.screen.trace.loading, None);
        assert_eq!(loaded(&app.screen.scenario).map(|t| t.requests), Some(100_000));
    }

    #[test]
    fn a_bad_file_says_where_and_changes_nothing() {
        let mut app = app();
        let before = app.screen.scenario.clone();
        let mut text = QD32.to_string();
        text.push_str("23, 94822, 5, 4096, 0\n");
        load(&mut app, "bad.lat.log", &text);
        assert_eq!(
            app.screen.trace.error.as_deref(),
            Some(format!(
                "bad.lat.log: line {}: column 3 (direction): `5` is not 0 (read), 1 (write) or 2 (trim)",
                QD32.lines().count() + 1
            ))
            .as_deref()
        );
        assert!(app.screen.scenario == before, "nothing half-loaded");
        // A bad line in a later slice: the same, after the slices before it.
        let big: String = "1, 10, 0, 4096, 0\n".repeat(40_000) + "1, 10, 0\n";
        load(&mut app, "big.lat.log", &big);
        while app.loading_trace() {
            app.update(Action::Tick(16.0));
        }
        assert_eq!(
            app.screen.trace.error.as_deref(),
            Some("big.lat.log: line 40001: 3 columns where this fio log's lines have 5")
        );
        assert!(app.screen.scenario == before);
        load(&mut app, "empty.csv", "submit_ns,complete_ns\n");
        assert_eq!(app.screen.trace.error.as_deref(), Some("empty.csv: the file holds no requests: only a header"));
        // A file the browser could not read.
        app.update(Action::LoadTrace { name: "gone.log".into(), text: Err("the browser could not read it".into()) });
        assert_eq!(app.screen.trace.error.as_deref(), Some("gone.log: the browser could not read it"));
        assert!(app.screen.scenario == before);
    }

    #[test]
    fn compare_mode_replays_the_trace_under_each_model() {
        let mut app = app();
        load(&mut app, "randread-qd32.lat.log", QD32);
        app.update(Action::SetCompare(vec!["proposal".into(), "io_uring".into(), "aio".into()]));
        app.update(Action::Seek(app.end_ns()));
        while app.wants_frames() {
            app.update(Action::Tick(16.0));
        }
        let lanes = &app.screen.comparison.lanes;
        assert_eq!(lanes.len(), 3);
        for lane in lanes {
            assert_eq!((lane.view.now_ns, lane.view.end_ns), (app.end_ns(), app.end_ns()), "{}", lane.model);
            assert!(lane.view.counters.submitted > 0, "{}: the trace's requests were submitted", lane.model);
        }
    }

    #[test]
    fn the_bundle_opens_the_same_run_and_a_built_in_trace_needs_no_bundle() {
        let mut app = app();
        load(&mut app, "randread-qd32.lat.log", QD32);
        let (file, json) = bundle(&app.screen.scenario);
        assert_eq!(file, "ringlab-randread-qd32.json");
        let mut other = self::app();
        load(&mut other, &file, &json);
        assert_eq!(other.screen.trace.error, None);
        assert_eq!(*other.screen.scenario, *app.screen.scenario);
        app.update(Action::ChooseTrace("bursty".into()));
        let loaded = loaded(&app.screen.scenario).unwrap();
        let requests = include_str!("../../scenarios/traces/bursty.lat.log").lines().count();
        assert_eq!(loaded, LoadedTrace { name: "bursty".into(), requests, builtin: true });
        assert_eq!(link_note(&loaded), None);
        assert!(app.link().contains("p0.trace=bursty"), "{}", app.link());
    }
}
