//! Converts the built-in scenarios (`scenarios/default.toml`, `scenarios/lessons/*.toml`)
//! to JSON at build time, so that the crate can embed them without a TOML parser: the
//! browser build leaves out the `toml` feature (and the `toml` crate, a large part of the
//! wasm bundle) and reads these JSON strings with `serde_json`, which links anyway.
//! `lessons::tests` checks that each JSON string gives the same `Scenario` as its TOML.
//!
//! It also reads the built-in traces (`scenarios/traces/NAME.lat.log`, fio latency logs)
//! with the core's own trace parser and writes each in the compact form the core embeds
//! (`trace_file::parse::encode`), with the first comment line of its job file `NAME.fio`.

use std::fmt::Write;
use std::path::Path;

// The trace parser and the compact form: plain std, shared with the library.
#[allow(dead_code)]
#[path = "src/trace_file/parse.rs"]
mod parse;

fn to_json(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::to_string(&value).expect("TOML values serialize to JSON")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    println!("cargo::rerun-if-changed={}", root.join("default.toml").display());
    println!("cargo::rerun-if-changed={}", root.join("lessons").display());
    let mut out = String::new();
    writeln!(out, "/// `scenarios/default.toml` as JSON.").unwrap();
    writeln!(out, "pub const DEFAULT_SCENARIO_JSON: &str = {:?};", to_json(&root.join("default.toml"))).unwrap();
    let mut lessons: Vec<_> = std::fs::read_dir(root.join("lessons"))
        .expect("scenarios/lessons/")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    lessons.sort();
    writeln!(out, "/// Each `scenarios/lessons/NAME.toml` as JSON, by NAME.").unwrap();
    writeln!(out, "pub const LESSONS_JSON: [(&str, &str); {}] = [", lessons.len()).unwrap();
    for path in &lessons {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name");
        writeln!(out, "    ({name:?}, {:?}),", to_json(path)).unwrap();
    }
    writeln!(out, "];").unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("scenarios_json.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
    traces(&root.join("traces"));
}

/// `traces.rs`: `BUILTIN_DATA`, each `NAME.lat.log` as (name, about, file, compact bytes).
fn traces(dir: &Path) {
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-changed=src/trace_file/parse.rs");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let mut logs: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios/traces/")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".lat.log")))
        .collect();
    logs.sort();
    let mut out = String::new();
    writeln!(out, "/// Each `scenarios/traces/NAME.lat.log`: (NAME, what its job did, the file, compact form).")
        .unwrap();
    writeln!(out, "const BUILTIN_DATA: [(&str, &str, &str, &[u8]); {}] = [", logs.len()).unwrap();
    for path in &logs {
        println!("cargo::rerun-if-changed={}", path.display());
        let file = path.file_name().and_then(|s| s.to_str()).expect("a UTF-8 file name");
        let name = file.trim_end_matches(".lat.log");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let records = parse::parse(&text).unwrap_or_else(|e| panic!("{}", e.in_file(&path.display().to_string())));
        let bin = Path::new(&out_dir).join(format!("{name}.trace"));
        std::fs::write(&bin, parse::encode(&records)).expect("OUT_DIR is writable");
        let job = dir.join(format!("{name}.fio"));
        println!("cargo::rerun-if-changed={}", job.display());
        let job_text = std::fs::read_to_string(&job).unwrap_or_else(|e| panic!("{}: {e}", job.display()));
        let about = job_text.lines().find_map(|l| l.strip_prefix("; ")).unwrap_or_default();
        writeln!(out, "    ({name:?}, {about:?}, {file:?}, include_bytes!({:?})),", bin.display().to_string()).unwrap();
    }
    writeln!(out, "];").unwrap();
    let names: Vec<&str> = logs.iter().filter_map(|p| p.file_name()?.to_str()?.strip_suffix(".lat.log")).collect();
    writeln!(out, "/// The built-in traces' names, comma-separated (for messages).").unwrap();
    writeln!(out, "pub const BUILTIN_NAMES: &str = {:?};", names.join(", ")).unwrap();
    std::fs::write(Path::new(&out_dir).join("traces.rs"), out).expect("OUT_DIR is writable");
}
