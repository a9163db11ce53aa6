//! A sample of the fuzz run (`core/src/fuzz.rs`; the full run is the `fuzz` binary): 10^4
//! generated inputs, seeded, through decoding, validation and a bounded run. Nothing may
//! panic and every ledger must balance.

#[path = "../src/fuzz.rs"]
mod fuzz;

use fuzz::{Corpus, Kind, Summary};

#[test]
fn ten_thousand_generated_inputs_neither_panic_nor_unbalance_the_ledger() {
    fuzz::quiet_panics();
    let corpus = Corpus::new();
    let mut summary = Summary::default();
    // In two halves, as the binary's threads split the run.
    for half in 0..2 {
        let mut part = Summary::default();
        for i in (half * 5_000)..(half + 1) * 5_000 {
            let input = corpus.generate(13, i);
            let outcome = fuzz::check(&input, 20_000);
            part.add(&input, &outcome);
        }
        summary.merge(part);
    }
    let report = summary.report();
    println!("{report}");
    assert_eq!((summary.panic_count, summary.ledger_count), (0, 0), "{report}");
    for kind in Kind::ALL {
        let (n, valid) = (summary.inputs[kind as usize], summary.valid[kind as usize]);
        assert!(n > 1_000 && valid > n / 20 && valid < n, "{}: {valid} of {n} valid\n{report}", kind.name());
    }
}

#[test]
fn inputs_are_the_same_for_the_same_seed_and_index() {
    let corpus = Corpus::new();
    for i in [0, 1, 999, 123_456] {
        assert_eq!(corpus.generate(5, i).text, corpus.generate(5, i).text);
    }
    assert_ne!(corpus.generate(5, 1).text, corpus.generate(6, 1).text);
}

/// What the fuzz run found, kept fixed: each input decodes, validates and runs bounded
/// without a panic.
#[test]
fn the_fuzz_findings_stay_fixed() {
    fuzz::quiet_panics();
    let findings = [
        // A scripted run at the end of simulated time: the time series scheduled its next
        // sample past u64::MAX ns (an overflow panic in debug builds, a wrap in release).
        (
            Kind::Script,
            r#"{"model": {"kind": "proposal"}, "steps": [{"op": "advance", "ns": 18446744073709551615},
                {"op": "submit", "n": 20, "kind": "nop"}, {"op": "advance", "ns": 5}, {"op": "getevents"}]}"#,
        ),
        // A submit rate so low that the next submission is due after the end of simulated
        // time: `now + period` overflowed (a panic in debug; in release the sum wrapped
        // into the past and the second phase submitted forever at one instant, so the
        // clock never moved).
        (Kind::Link, "#v=1&p1.submit_rate=1e-300&t=9000000"),
        (Kind::Link, "#v=1&p0.submit_rate=1e-300&p1.submit_rate=1e-300&t=100000000000"),
        // Issue 13's heavy links: decoded (with a problem naming the fields, or as a valid
        // scenario), never a panic or a hang in decode; their runs stay bounded.
        (
            Kind::Link,
            "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&p0.queue_depth=1048576\
             &t=100000000000&paused=1",
        ),
        (
            Kind::Link,
            "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&events=18446744073709551615&paused=1",
        ),
        // Issue 13's 1 ns timer script: 10^12 timer fires, in bulk.
        (
            Kind::Script,
            r#"{"model": {"kind": "proposal", "ring_entries": 8, "max_requests": 32, "timer_ns": 1},
                "steps": [{"op":"submit","n":16,"kind":"nop"}, {"op": "advance", "ns": 1000000000000}]}"#,
        ),
        // A script that skipped validation, submitting 2^32 − 1 requests in one step.
        (Kind::Script, r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "submit", "n": 4294967295, "kind": "nop"}]}"#),
    ];
    for (kind, text) in findings {
        let input = fuzz::Input { kind, text: text.to_string() };
        let outcome = fuzz::check(&input, 20_000);
        assert_eq!((&outcome.panic, &outcome.ledger), (&None, &None), "{text}");
    }
}

#[test]
fn the_heavy_links_decode_without_a_panic() {
    use ringlab_core::{lessons, link};
    let default = lessons::default_scenario();
    for fragment in [
        "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&p0.queue_depth=1048576\
         &t=100000000000&paused=1",
        "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&events=18446744073709551615&paused=1",
    ] {
        let d = link::decode(fragment, &default, &lessons::lesson);
        // Either outcome is fine: a problem naming the fields (the scenario's ceiling on
        // work), or a valid scenario. Whatever it is, it is valid.
        assert!(d.state.scenario.validate().is_ok(), "{fragment}: {:?}", d.problems);
        if let Some(p) = d.problems.first() {
            assert!(!p.message.is_empty(), "{fragment}: {p:?}");
        }
    }
}
