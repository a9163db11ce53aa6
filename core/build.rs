//! Converts the built-in scenarios (`scenarios/default.toml`, `scenarios/lessons/*.toml`)
//! to JSON at build time, so that the crate can embed them without a TOML parser: the
//! browser build leaves out the `toml` feature (and the `toml` crate, a large part of the
//! wasm bundle) and reads these JSON strings with `serde_json`, which links anyway.
//! `lessons::tests` checks that each JSON string gives the same `Scenario` as its TOML.

use std::fmt::Write;
use std::path::Path;

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
}
