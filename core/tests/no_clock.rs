//! The library has no clock and no I/O: the same run for the same scenario and seed,
//! natively and in WebAssembly. Its sources (`core/src/**/*.rs`, except the `ringlab`
//! binary under `core/src/bin/`) must not name the clock or the file system; the
//! benchmark's timing and memory readings live in the binary.

use std::path::{Path, PathBuf};

/// What the library must not mention, each with why.
const FORBIDDEN: &[(&str, &str)] = &[
    ("std::time", "the clock"),
    ("Instant", "the clock"),
    ("SystemTime", "the clock"),
    ("std::fs", "the file system"),
    ("/proc", "the running system"),
];

/// Where `word` stands in `line` as a whole token (so `Instantiated` is not `Instant`).
fn mentions(line: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let edge = |c: Option<char>, w: char| !(w.is_ascii_alphanumeric() && c.is_some_and(is_word));
        edge(before, word.chars().next().unwrap()) && edge(after, word.chars().next_back().unwrap())
    })
}

fn rust_files(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path == skip {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, skip, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each mention in `text` of something the library must not use, as `line: word (why)`.
fn violations(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (word, why) in FORBIDDEN {
            if mentions(line, word) {
                found.push(format!("{}: {word} ({why})", n + 1));
            }
        }
    }
    found
}

#[test]
fn the_library_names_no_clock_and_no_file_system() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src.join("bin"), &mut files);
    assert!(files.iter().any(|f| f.ends_with("sim.rs")), "the library's sources are found: {files:?}");
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        bad.extend(violations(&text).into_iter().map(|v| format!("{}:{v}", file.display())));
    }
    assert!(
        bad.is_empty(),
        "the library reads no clock and does no I/O; move these into core/src/bin/:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_looks_for() {
    assert_eq!(violations("use std::time::Instant;").len(), 2);
    assert_eq!(violations("let t = Instant::now();"), ["1: Instant (the clock)"]);
    assert_eq!(violations("SystemTime::now()").len(), 1);
    assert_eq!(
        violations("\nstd::fs::read_to_string(\"/proc/self/status\")"),
        ["2: std::fs (the file system)", "2: /proc (the running system)"]
    );
    // Words that only contain a forbidden one are not mentions of it.
    assert!(violations("Instantiated for serde_json; an InstantView; std::timeline").is_empty());
    // The binary, which may, is where the timing lives.
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/ringlab/measure.rs");
    assert!(!violations(&std::fs::read_to_string(bin).unwrap()).is_empty());
}
