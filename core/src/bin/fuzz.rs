//! `fuzz`: feeds generated inputs (mutated share links, scripts, scenario files) through
//! decoding, validation and a bounded run, and reports panics, unbalanced ledgers and the
//! slowest input (see `core/src/fuzz.rs` for what it generates and checks).
//!
//! ```sh
//! cargo run -p ringlab-core --profile fuzz --bin fuzz -- [--count N] [--seed S] [--max-events E] [--threads T]
//! ```
//!
//! The `fuzz` profile (the root `Cargo.toml`) is the release build with panics that
//! unwind, so each one is caught and reported with its input, and with overflow checks and
//! debug assertions on. Exits with status 1 if anything panicked or a ledger failed.

#[path = "../fuzz.rs"]
mod fuzz;

use fuzz::{Corpus, Input, Summary};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: fuzz [--count N] [--seed S] [--max-events E] [--threads T]
  --count N       inputs to generate and check (default 1000000)
  --seed S        the run's seed: input i of seed S is the same everywhere (default 1)
  --max-events E  most events (or script steps) each run may take (default 20000)
  --threads T     worker threads (default: the machine's parallelism)";

struct Options {
    count: u64,
    seed: u64,
    max_events: u64,
    threads: u64,
}

fn options() -> Result<Options, String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let mut o = Options { count: 1_000_000, seed: 1, max_events: 20_000, threads };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = |args: &mut dyn Iterator<Item = String>| -> Result<u64, String> {
            let v = args.next().ok_or(format!("{flag} needs a value"))?;
            v.replace('_', "").parse().map_err(|_| format!("{flag}: `{v}` is not a whole number"))
        };
        match flag.as_str() {
            "--count" => o.count = value(&mut args)?,
            "--seed" => o.seed = value(&mut args)?,
            "--max-events" => o.max_events = value(&mut args)?,
            "--threads" => o.threads = value(&mut args)?.max(1),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One worker's share: inputs `first, first + step, …` below `count`.
struct Share {
    summary: Summary,
    /// The slowest inputs, slowest first.
    slowest: Vec<(Duration, Input)>,
    busy: Duration,
}

/// How many of the slowest inputs are kept and timed again at the end (on a loaded
/// machine one slow reading can be another process's doing).
const SLOWEST: usize = 32;

fn keep_slowest(list: &mut Vec<(Duration, Input)>, took: Duration, input: &Input) {
    if list.len() < SLOWEST || took > list[list.len() - 1].0 {
        list.push((took, input.clone()));
        list.sort_by_key(|e| std::cmp::Reverse(e.0));
        list.truncate(SLOWEST);
    }
}

/// The least of three timings of `input`.
fn retime(input: &Input, max_events: u64) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            fuzz::check(input, max_events);
            started.elapsed()
        })
        .min()
        .expect("three timings")
}

fn work(corpus: &Corpus, o: &Options, first: u64, step: u64) -> Share {
    fuzz::quiet_panics();
    let mut share = Share { summary: Summary::default(), slowest: Vec::new(), busy: Duration::ZERO };
    let mut i = first;
    while i < o.count {
        let input = corpus.generate(o.seed, i);
        let started = Instant::now();
        let outcome = fuzz::check(&input, o.max_events);
        let took = started.elapsed();
        share.busy += took;
        share.summary.add(&input, &outcome);
        keep_slowest(&mut share.slowest, took, &input);
        i += step;
    }
    share
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let corpus = Corpus::new();
    let shares: Vec<Share> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..o.threads)
            .map(|t| {
                scope.spawn({
                    let (corpus, o) = (&corpus, &o);
                    move || work(corpus, o, t, o.threads)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a worker finishes")).collect()
    });
    let mut summary = Summary::default();
    let mut slowest = Vec::new();
    let mut busy = Duration::ZERO;
    for share in shares {
        summary.merge(share.summary);
        busy += share.busy;
        for (took, input) in share.slowest {
            keep_slowest(&mut slowest, took, &input);
        }
    }
    let wall = started.elapsed();
    println!(
        "fuzz: seed {}, {} inputs, at most {} events per run, {} threads",
        o.seed, o.count, o.max_events, o.threads
    );
    print!("{}", summary.report());
    let mean = busy.as_secs_f64() / summary.total().max(1) as f64;
    println!("time: {:.1} s wall, {:.1} µs per input on average", wall.as_secs_f64(), mean * 1e6);
    // The slowest inputs timed again, alone: the least of three runs each.
    let mut retimed: Vec<(Duration, Duration, Input)> =
        slowest.into_iter().map(|(first, input)| (retime(&input, o.max_events), first, input)).collect();
    retimed.sort_by_key(|e| std::cmp::Reverse(e.0));
    if let Some((t, first, input)) = retimed.first() {
        println!(
            "slowest input: {:.2} ms (least of 3 runs; {:.2} ms in the run), {}: {}",
            t.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3,
            input.kind.name(),
            fuzz::shorten(&input.text, 4000)
        );
    }
    if summary.panic_count > 0 || summary.ledger_count > 0 {
        std::process::exit(1);
    }
}
