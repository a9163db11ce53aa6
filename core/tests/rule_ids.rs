//! Every rule id the repository cites (`B4b`, `U3.6`, `TV-K3` …) is defined in
//! `docs/kernel-rules.md`, the repository's own copy of the rules. A citation of an id the
//! file does not define fails here, with the file and line of each such citation.
//!
//! What counts as an id (both for citations and for definitions), checked by `extracts_ids`:
//!
//! * `TV-` + capital letters + digits + an optional lower-case letter: `TV-K3b`, `TV-U4`.
//! * `A` + digit 0–4 + `.` + digits, optional sub-letter: `A0.7`, `A3.5b`. A bare `A<n>` is
//!   not read as an id (the aio rules are always cited with their number after the dot).
//! * `B` + one or two digits, then optionally `.` + digits (`B5.1`) or `.` + a roman numeral
//!   (`B8.ii`), then an optional sub-letter: `B4`, `B4a`, `B11`.
//! * `U` + one digit, then optionally `.` + digits and a sub-letter: `U1`, `U3.6`, `U4.2a`.
//!   `U16`, `U32`, `U64`, `U128` never match (two or more digits), and [`NOT_IDS`] drops `U8`.
//! * `L` + digit + `.` + digits: `L1.3`. A bare `L<n>` is an SVG path command (`L7 -4.5`).
//!
//! A token must stand alone: the characters either side must not be letters, digits or `_`
//! (so `0xA1`, `u32`, `#A1B2C3` are not ids). `TV-A3` is one id, not also `A3`.
//!
//! What defines an id in `docs/kernel-rules.md`: a line that starts (after optional spaces)
//! with a heading (`### B4 — …`), with bold (`**B4** …`) or with a list item in bold
//! (`- **B4a** …`), the id being the first word. Sub-ids are defined explicitly that way
//! inside their parent's entry; nothing is derived.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folders scanned for citations, from the repository's root.
const SCANNED_DIRS: &[&str] = &["core", "src", "probe", "tests", "scenarios", "e2e", "docs"];
/// Single files scanned for citations, from the repository's root.
const SCANNED_FILES: &[&str] = &["README.md"];
/// Folders skipped anywhere below the scanned ones: build output and installed packages.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "dist"];
/// The file types that can cite a rule: sources, scenarios and scripts, tests, docs.
const EXTENSIONS: &[&str] = &["rs", "toml", "json", "mjs", "md"];
/// Where the ids are defined.
const RULES: &str = "docs/kernel-rules.md";
/// Tokens of an id's shape that are not ids: integer type names written in upper case.
const NOT_IDS: &[&str] = &["U8", "U16", "U32", "U64", "U128"];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn digits(s: &[u8], mut j: usize) -> usize {
    while j < s.len() && s[j].is_ascii_digit() {
        j += 1;
    }
    j
}

fn boundary(s: &[u8], j: usize) -> bool {
    j >= s.len() || !is_word(s[j])
}

/// The end of the id-shaped token starting at `i`, if there is one (shape only; see [`accept`]).
fn token_at(s: &[u8], i: usize) -> Option<usize> {
    if s[i..].starts_with(b"TV-") {
        let mut j = i + 3;
        let letters = j;
        while j < s.len() && s[j].is_ascii_uppercase() {
            j += 1;
        }
        let number = j;
        j = digits(s, j);
        if j == letters || j == number {
            return None;
        }
        if j < s.len() && s[j].is_ascii_lowercase() && boundary(s, j + 1) {
            j += 1;
        }
        return boundary(s, j).then_some(j);
    }
    if !matches!(s[i], b'A' | b'B' | b'U' | b'L') {
        return None;
    }
    let mut j = digits(s, i + 1);
    if j == i + 1 {
        return None;
    }
    if j + 1 < s.len() && s[j] == b'.' {
        if s[j + 1].is_ascii_digit() {
            j = digits(s, j + 1);
        } else if s[i] == b'B' {
            // A roman-numbered item: B8.i, B8.ii, B8.iii.
            let mut k = j + 1;
            while k < s.len() && matches!(s[k], b'i' | b'v' | b'x') {
                k += 1;
            }
            if k > j + 1 && boundary(s, k) {
                j = k;
            }
        }
    }
    if j < s.len() && s[j].is_ascii_lowercase() && boundary(s, j + 1) {
        j += 1;
    }
    boundary(s, j).then_some(j)
}

/// Whether an id-shaped token is an id (the per-letter rules at the top of this file).
fn accept(token: &str) -> bool {
    if token.starts_with("TV-") {
        return true;
    }
    if NOT_IDS.contains(&token) {
        return false;
    }
    let b = token.as_bytes();
    let major_end = digits(b, 1);
    let major = &token[1..major_end];
    let has_dot_number = b.get(major_end) == Some(&b'.') && b.get(major_end + 1).is_some_and(u8::is_ascii_digit);
    match b[0] {
        b'A' => major.len() == 1 && major.as_bytes()[0] <= b'4' && has_dot_number,
        b'B' => major.len() <= 2,
        b'U' => major.len() == 1,
        b'L' => major.len() == 1 && has_dot_number,
        _ => false,
    }
}

/// Every id cited in `text`, with its byte offset.
fn ids_in(text: &str) -> Vec<(usize, &str)> {
    let s = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if i > 0 && is_word(s[i - 1]) {
            i += 1;
            continue;
        }
        match token_at(s, i) {
            Some(end) => {
                if accept(&text[i..end]) {
                    out.push((i, &text[i..end]));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The ids a rules file defines, each with its line (1-based). An id defined twice is an error.
fn definitions(rules: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut defined = BTreeMap::new();
    for (n, line) in rules.lines().enumerate() {
        let line = line.trim_start();
        let rest = if line.starts_with('#') {
            let rest = line.trim_start_matches('#');
            match rest.strip_prefix(' ') {
                Some(r) => r,
                None => continue,
            }
        } else if let Some(r) = line.strip_prefix("**").or_else(|| line.strip_prefix("- **")) {
            r
        } else {
            continue;
        };
        if let Some((0, id)) = ids_in(rest).first().copied() {
            if let Some(first) = defined.insert(id.to_string(), n + 1) {
                return Err(format!("{RULES}: {id} is defined on line {first} and again on line {}", n + 1));
            }
        }
    }
    Ok(defined)
}

/// Every id cited in `text`, as (line, id).
fn citations(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        out.extend(ids_in(line).into_iter().map(|(_, id)| (n + 1, id)));
    }
    out
}

/// "path:line: id" for each citation in `files` that `defined` lacks.
fn undefined(defined: &BTreeMap<String, usize>, files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        for (line, id) in citations(text) {
            if !defined.contains_key(id) {
                out.push(format!("{path}:{line}: {id}"));
            }
        }
    }
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                walk(&path, out);
            }
        } else if path.extension().is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref())) {
            out.push(path);
        }
    }
}

/// (path from the root, text) of every scanned file, the rules file included (its own
/// cross-references must resolve too).
fn scanned_files() -> Vec<(String, String)> {
    let root = root();
    let mut paths = Vec::new();
    for dir in SCANNED_DIRS {
        walk(&root.join(dir), &mut paths);
    }
    paths.extend(SCANNED_FILES.iter().map(|f| root.join(f)));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, text)
        })
        .collect()
}

fn rules() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(root().join(RULES)).unwrap_or_else(|e| panic!("{RULES}: {e}"));
    definitions(&text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_cited_rule_id_is_defined_in_docs_kernel_rules_md() {
    let defined = rules();
    let files = scanned_files();
    assert!(files.len() >= 50, "the walk found only {} files under {SCANNED_DIRS:?}", files.len());
    let cited: usize = files.iter().map(|(_, t)| citations(t).len()).sum();
    assert!(cited >= 100, "only {cited} citations found: is the extractor broken?");
    let missing = undefined(&defined, &files);
    assert!(
        missing.is_empty(),
        "{} citation(s) of rule ids that {RULES} does not define (add an entry there, or fix the id):\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_rules_file_defines_every_model_and_vector() {
    let defined = rules();
    assert!(defined.len() >= 100, "{RULES} defines only {} ids: {:?}", defined.len(), defined.keys());
    // One id from each group, and the sub-ids the code cites by letter or numeral.
    for id in [
        "A0.7", "A3.5", "A3.5b", "B1", "B4", "B4a", "B4b", "B4c", "B5.1", "B5.5", "B8.ii", "B11", "U1", "U3.6",
        "U4.2a", "U6.5", "L1.3", "L1.8", "TV-A1", "TV-K3b", "TV-U14",
    ] {
        assert!(defined.contains_key(id), "{RULES} does not define {id}");
    }
}

#[test]
fn extracts_ids() {
    let text = "B4b and U3.6, TV-K3b/TV-A3/A8 (B5.1–B5.4); u32 U32 U64 U8 0xA1 #A1B2C3 L7 -4.5 A4 \
                L1.6 A3.5b B8.ii B8.is B4. (U1) A0.7) B11 B123 AB1 TV-K";
    let ids: Vec<&str> = ids_in(text).into_iter().map(|(_, id)| id).collect();
    assert_eq!(
        ids,
        ["B4b", "U3.6", "TV-K3b", "TV-A3", "B5.1", "B5.4", "L1.6", "A3.5b", "B8.ii", "B8", "B4", "U1", "A0.7", "B11"]
    );
}

#[test]
fn parses_definitions_and_reports_undefined_citations() {
    let rules = "# Rules\n\n## B — the proposal\n\n### B4 — drain triggers\n\n- **B4a** on a completion\n\
                 **B5** — drain. Cites B4b, which is not defined.\n## U1 — sizes\n**U1.2** — entries.\nSee B4.\n";
    let defined = definitions(rules).unwrap();
    assert_eq!(defined.keys().collect::<Vec<_>>(), ["B4", "B4a", "B5", "U1", "U1.2"]);
    assert_eq!(defined["B4a"], 7);
    // The vector's id is built so that this file does not cite it.
    let files = vec![
        ("core/x.rs".to_string(), concat!("// B4a, U1.2\nlet a: U32 = 0; // B4c and TV-", "K9\n").to_string()),
        (RULES.to_string(), rules.to_string()),
    ];
    assert_eq!(
        undefined(&defined, &files),
        ["core/x.rs:2: B4c", concat!("core/x.rs:2: TV-", "K9"), "docs/kernel-rules.md:8: B4b"]
    );
    assert!(definitions("### B4 — a\n**B4** — again\n").unwrap_err().contains("again on line 2"));
}
