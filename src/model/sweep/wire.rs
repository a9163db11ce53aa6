//! What the main thread and a sweep worker say to each other, as plain text (no serde
//! types in the main bundle): a [`Request`] names the sweep by its link ([`worker_link`]:
//! the base scenario's share-link keys, spelled out rather than by lesson name so that the
//! worker carries no lessons, and the `sweep_*` keys) and a batch of cells by their table
//! index; the worker answers each cell with a [`Reply`] (a line each, a batch's lines in
//! one message). [`Runner`] is the worker's side,
//! plain Rust so that native tests check it against the CLI's table.

use ringlab_core::link;
use ringlab_core::sweep::{run_cell, SweepSpec};
use ringlab_core::{lessons, Scenario};
use std::rc::Rc;

/// A batch of cells to run: `generation` tells the sweep's runs apart (a reply of an
/// older one is ignored), `link` is the sweep's link fragment (without `#`).
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub generation: u32,
    pub cells: Vec<usize>,
    pub link: String,
}

impl Request {
    /// `GENERATION\nI,J,K\nLINK`.
    pub fn encode(&self) -> String {
        let cells: Vec<String> = self.cells.iter().map(usize::to_string).collect();
        format!("{}\n{}\n{}", self.generation, cells.join(","), self.link)
    }

    pub fn decode(text: &str) -> Result<Request, String> {
        let mut lines = text.splitn(3, '\n');
        let generation = lines.next().and_then(|g| g.parse().ok()).ok_or("sweep request: no generation")?;
        let cells = lines
            .next()
            .ok_or("sweep request: no cells")?
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| c.parse().map_err(|_| format!("sweep request: cell `{c}` is not an index")))
            .collect::<Result<_, _>>()?;
        let link = lines.next().unwrap_or_default().to_string();
        Ok(Request { generation, cells, link })
    }
}

/// One finished cell: its metric value and run hash, or why it could not run.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub generation: u32,
    pub index: usize,
    pub outcome: Result<(f64, Rc<str>), String>,
}

impl Reply {
    /// `GENERATION INDEX VALUE RUN_HASH`, or `GENERATION INDEX ! MESSAGE`, on one line. The value is
    /// written as the CLI's table writes it (Rust's shortest exact form), so it reads back
    /// to the same bits.
    pub fn encode(&self) -> String {
        match &self.outcome {
            Ok((value, hash)) => format!("{} {} {value} {hash}", self.generation, self.index),
            // One line: a worker sends a batch's replies as one message, a line each.
            Err(message) => format!("{} {} ! {}", self.generation, self.index, message.replace('\n', " ")),
        }
    }

    pub fn decode(text: &str) -> Option<Reply> {
        let mut parts = text.splitn(4, ' ');
        let generation = parts.next()?.parse().ok()?;
        let index = parts.next()?.parse().ok()?;
        let (third, fourth) = (parts.next()?, parts.next().unwrap_or_default());
        let outcome = if third == "!" {
            Err(fourth.to_string())
        } else {
            Ok((ringlab_core::decimal::parse_f64(third)?, Rc::from(fourth)))
        };
        Some(Reply { generation, index, outcome })
    }
}

/// A sweep to run: its base scenario and the sweep, or why the link names none.
pub type Job = Result<(Scenario, SweepSpec), String>;

/// The link a worker is told: `base`'s keys against the default scenario (no lesson
/// names) and the sweep's keys.
pub fn worker_link(base: &Scenario, spec: &SweepSpec) -> String {
    let mut state = link::LinkState::new(base.clone());
    state.sweep = Some(spec.clone());
    link::encode_short(&state, &lessons::default_scenario(), &|_| None)
}

/// The base scenario and the sweep a worker's link describes; the error says why it is
/// not one.
pub fn job_of_link(fragment: &str) -> Job {
    let decoded = link::decode(fragment, &lessons::default_scenario(), &|_| None);
    let spec = decoded.state.sweep.ok_or("the sweep's link has no sweep_x")?;
    Ok((decoded.state.scenario, spec))
}

/// The worker's side: runs each requested cell of the sweep its link names (decoded once
/// per link) and answers each with a reply's text.
#[derive(Default)]
pub struct Runner {
    /// The last link, decoded.
    job: Option<(String, Job)>,
}

impl Runner {
    /// The replies' texts to a request's text, in the request's order (none for a request
    /// that does not read).
    pub fn run(&mut self, request: &str) -> Vec<String> {
        let request = match Request::decode(request) {
            Ok(r) => r,
            Err(_) => return Vec::new(),
        };
        if self.job.as_ref().is_none_or(|(link, _)| *link != request.link) {
            self.job = Some((request.link.clone(), job_of_link(&request.link)));
        }
        let job = &self.job.as_ref().expect("decoded above").1;
        request
            .cells
            .iter()
            .map(|&index| {
                let outcome = job.as_ref().map_err(Clone::clone).and_then(|(base, spec)| {
                    if index >= spec.cell_count() {
                        return Err(format!("no cell {index} in the sweep"));
                    }
                    let (m, ix, iy) = spec.cell_at(index);
                    run_cell(base, spec, m, ix, iy).map(|c| (c.value, Rc::from(c.run_hash)))
                });
                Reply { generation: request.generation, index, outcome }.encode()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlab_core::sweep::Table;

    const LINK: &str = "sweep_x=ring_entries:4:64:5:log&sweep_y=submit_rate:50000:400000:3&sweep_models=proposal,aio";

    #[test]
    fn a_request_reads_back() {
        let r = Request { generation: 7, cells: vec![0, 5, 11], link: LINK.into() };
        assert_eq!(Request::decode(&r.encode()), Ok(r));
        assert!(Request::decode("x\n1\n").is_err());
        assert!(Request::decode("1\n1,z\n").unwrap_err().contains("`z`"));
    }

    #[test]
    fn a_reply_reads_back_to_the_same_bits() {
        for value in [0.1 + 0.2, 1e-7, 0.925, 12345.0, f64::MIN_POSITIVE] {
            let r = Reply { generation: 3, index: 9, outcome: Ok((value, Rc::from("0d98819c"))) };
            let back = Reply::decode(&r.encode()).expect("reads back");
            assert_eq!(back.outcome.as_ref().unwrap().0.to_bits(), value.to_bits());
            assert_eq!(back, r);
        }
        let failed = Reply { generation: 1, index: 2, outcome: Err("ring_entries = 3 under aio: too small".into()) };
        assert_eq!(Reply::decode(&failed.encode()), Some(failed));
        let two_lines = Reply { generation: 1, index: 2, outcome: Err("first\nsecond".into()) };
        assert_eq!(two_lines.encode().lines().count(), 1, "a batch's replies are a line each");
        assert_eq!(Reply::decode("garbage"), None);
    }

    /// The worker's cells, run in any order and batch, are the CLI's table.
    #[test]
    fn the_runner_gives_the_table_of_the_cli() {
        let (base, spec) = job_of_link(LINK).expect("a sweep link");
        let table = Table::run(&base, &spec).expect("the sweep runs");
        let mut runner = Runner::default();
        let order: Vec<usize> = (0..spec.cell_count()).rev().collect();
        let mut replies = Vec::new();
        for batch in order.chunks(4) {
            let request = Request { generation: 2, cells: batch.to_vec(), link: LINK.into() };
            replies.extend(runner.run(&request.encode()).iter().map(|t| Reply::decode(t).expect("a reply")));
        }
        assert_eq!(replies.len(), spec.cell_count());
        for reply in replies {
            let cell = &table.cells[reply.index];
            let (value, hash) = reply.outcome.expect("every cell runs");
            assert_eq!((format!("{value}"), &*hash), (format!("{}", cell.value), cell.run_hash.as_str()));
        }
    }

    /// A lesson's scenario reaches the worker key by key (no lesson name) and runs the same
    /// cells as the lesson itself.
    #[test]
    fn a_lessons_sweep_reaches_the_worker_whole() {
        let base = lessons::lesson("ring-size-sweep").expect("the sizing lesson");
        let query = base.lesson.as_ref().and_then(|l| l.sweep.clone()).expect("its sweep");
        let mut spec = SweepSpec::from_link_query(&query, base.model.kind(), base.seed).unwrap().unwrap();
        spec.x = ringlab_core::sweep::Axis::parse("ring_entries=8:20:4").unwrap();
        spec.y = ringlab_core::sweep::Axis::parse("seed=1:2:2").unwrap();
        let link = worker_link(&base, &spec);
        assert!(!link.contains("lesson="), "{link}");
        let (decoded, decoded_spec) = job_of_link(&link).expect("a sweep link");
        assert_eq!(decoded_spec, spec);
        let want = Table::run(&base, &spec).expect("the lesson's sweep runs").to_csv();
        assert_eq!(Table::run(&decoded, &spec).expect("the worker's runs").to_csv(), want);
    }

    #[test]
    fn a_bad_link_or_index_is_an_error_per_cell() {
        let mut runner = Runner::default();
        let replies = runner.run(&Request { generation: 1, cells: vec![0], link: "seed=3".into() }.encode());
        assert!(Reply::decode(&replies[0]).unwrap().outcome.unwrap_err().contains("sweep_x"));
        let replies = runner.run(&Request { generation: 1, cells: vec![999], link: LINK.into() }.encode());
        assert!(Reply::decode(&replies[0]).unwrap().outcome.unwrap_err().contains("no cell 999"));
    }
}
