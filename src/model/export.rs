//! Exports: the trace as CSV and as JSON, and file names for the downloads. Pure, so
//! the formats are tested natively; the browser only turns the text into a download.

use ringlab_core::trace::{TraceEvent, TraceKind};

/// The CSV header: one column per field any event can have.
pub const CSV_HEADER: &str = "at_ns,kind,user_data,tail,list_len,moved,trigger,syscall,call,deadline_ns";

fn kind_name(kind: &TraceKind) -> &'static str {
    match kind {
        TraceKind::Submitted { .. } => "submitted",
        TraceKind::ToRing { .. } => "to_ring",
        TraceKind::ToList { .. } => "to_list",
        TraceKind::Flushed { .. } => "flushed",
        TraceKind::Reaped { .. } => "reaped",
        TraceKind::Syscall { .. } => "syscall",
        TraceKind::SyscallSkipped => "syscall_skipped",
        TraceKind::TimerArmed { .. } => "timer_armed",
        TraceKind::TimerFired { .. } => "timer_fired",
        TraceKind::FlagSet => "flag_set",
        TraceKind::FlagCleared => "flag_cleared",
        TraceKind::Dropped { .. } => "dropped",
        TraceKind::Eagain => "eagain",
        TraceKind::Ebusy => "ebusy",
        TraceKind::Ebadr => "ebadr",
    }
}

/// One CSV row (no newline). Every value is a number or a fixed word, so nothing needs quoting.
pub fn csv_row(e: &TraceEvent) -> String {
    let mut cols: [String; 10] = Default::default();
    cols[0] = e.at.to_string();
    cols[1] = kind_name(&e.kind).to_string();
    match e.kind {
        TraceKind::Submitted { user_data } | TraceKind::Dropped { user_data } => cols[2] = user_data.to_string(),
        TraceKind::ToRing { user_data, tail } => {
            cols[2] = user_data.to_string();
            cols[3] = tail.to_string();
        }
        TraceKind::ToList { user_data, list_len } => {
            cols[2] = user_data.to_string();
            cols[4] = list_len.to_string();
        }
        TraceKind::Flushed { moved, trigger, list_len } => {
            cols[4] = list_len.to_string();
            cols[5] = moved.to_string();
            cols[6] = trigger.name().to_string();
        }
        TraceKind::Reaped { user_data, syscall } => {
            cols[2] = user_data.to_string();
            cols[7] = syscall.to_string();
        }
        TraceKind::Syscall { call } => {
            cols[8] = match call {
                ringlab_core::trace::SyscallKind::Submit => "submit",
                ringlab_core::trace::SyscallKind::GetEvents => "getevents",
            }
            .to_string()
        }
        TraceKind::TimerArmed { deadline } => cols[9] = deadline.to_string(),
        TraceKind::TimerFired { moved } => cols[5] = moved.to_string(),
        _ => {}
    }
    cols.join(",")
}

/// The trace as CSV, header first, oldest event first.
pub fn trace_csv<'a>(events: impl IntoIterator<Item = &'a TraceEvent>) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for e in events {
        out.push_str(&csv_row(e));
        out.push('\n');
    }
    out
}

/// An event's fields after `at` and `kind`, as JSON texts, in the order the core declares them.
fn json_fields(kind: &TraceKind) -> Vec<(&'static str, String)> {
    let quoted = |name: &str| format!("\"{name}\"");
    match *kind {
        TraceKind::Submitted { user_data } | TraceKind::Dropped { user_data } => {
            vec![("user_data", user_data.to_string())]
        }
        TraceKind::ToRing { user_data, tail } => vec![("user_data", user_data.to_string()), ("tail", tail.to_string())],
        TraceKind::ToList { user_data, list_len } => {
            vec![("user_data", user_data.to_string()), ("list_len", list_len.to_string())]
        }
        TraceKind::Flushed { moved, trigger, list_len } => {
            vec![("moved", moved.to_string()), ("trigger", quoted(trigger.name())), ("list_len", list_len.to_string())]
        }
        TraceKind::Reaped { user_data, syscall } => {
            vec![("user_data", user_data.to_string()), ("syscall", syscall.to_string())]
        }
        TraceKind::Syscall { call } => vec![(
            "call",
            quoted(match call {
                ringlab_core::trace::SyscallKind::Submit => "submit",
                ringlab_core::trace::SyscallKind::GetEvents => "get_events",
            }),
        )],
        TraceKind::TimerArmed { deadline } => vec![("deadline", deadline.to_string())],
        TraceKind::TimerFired { moved } => vec![("moved", moved.to_string())],
        _ => Vec::new(),
    }
}

/// The trace as a JSON array of the core's typed events (`{"at":…,"kind":"to_ring",…}`),
/// laid out as serde_json's `to_string_pretty` lays out the derived `Serialize` (written
/// by hand: serde's serializer stays out of the browser bundle).
pub fn trace_json<'a>(events: impl IntoIterator<Item = &'a TraceEvent>) -> String {
    let mut out = String::from("[");
    for (i, e) in events.into_iter().enumerate() {
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        out.push_str(&format!("\n    \"at\": {},\n    \"kind\": \"{}\"", e.at, kind_name(&e.kind)));
        for (key, value) in json_fields(&e.kind) {
            out.push_str(&format!(",\n    \"{key}\": {value}"));
        }
        out.push_str("\n  }");
    }
    out.push_str(if out.len() > 1 { "\n]" } else { "]" });
    out
}

/// A file name for an export: `ringlab-<model>-<hash>.<ext>`, safe on every system.
pub fn file_name(model: &str, run_hash: &str, ext: &str) -> String {
    let clean =
        |s: &str| s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect::<String>();
    format!("ringlab-{}-{}.{}", clean(model), clean(run_hash), clean(ext))
}

/// The link as a QR code, in SVG (drawn by the `qrcode` crate), or `None` if the text
/// is too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// Colours for an exported ring, so that the file draws the same outside the page.
const SVG_STYLE: &str = "<style>text{font-family:system-ui,sans-serif}.ring__slot{stroke-width:1.5}\
.ring__slot--empty{fill:#eef1f4;stroke:#aab4bf}.ring__slot--full,.ring__slot--partial{fill:#2563eb;stroke:#1e40af}\
.ring__index{font-size:8px;fill:#57606a}.ring__data{font-size:13px;font-weight:700;fill:#fff}\
.ring__count{font-size:22px;font-weight:600;fill:#1b1f24}.ring__count-label{font-size:10px;fill:#57606a}\
.ring__marker text{font-size:10px;font-weight:700}.ring__marker--head polygon,.ring__marker--head text{fill:#b45309}\
.ring__marker--tail polygon,.ring__marker--tail text{fill:#047857}.ring__flag line{stroke:#57606a}\
.ring__flag path{fill:#aab4bf}.ring__flag--on path{fill:#c2410c}.ring__token{display:none}</style>";

/// The ring's `<svg>` markup as a standalone SVG file: the namespace and its colours.
pub fn standalone_svg(markup: &str) -> String {
    let mut svg = markup.trim().to_string();
    if !svg.contains("xmlns=") {
        svg = svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
    }
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, SVG_STYLE);
    }
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")
}

/// A `data:` URL for an SVG document, so that it is shown as an image, never as markup.
pub fn svg_data_url(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml;charset=utf-8,");
    for c in svg.chars() {
        match c {
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlab_core::trace::FlushTrigger;

    fn events() -> Vec<TraceEvent> {
        vec![
            TraceEvent { at: 0, kind: TraceKind::Submitted { user_data: 7 } },
            TraceEvent { at: 10, kind: TraceKind::ToRing { user_data: 7, tail: 3 } },
            TraceEvent { at: 20, kind: TraceKind::Flushed { moved: 2, trigger: FlushTrigger::Timer, list_len: 0 } },
            TraceEvent { at: 30, kind: TraceKind::SyscallSkipped },
        ]
    }

    #[test]
    fn csv_has_one_row_per_event_with_a_fixed_column_count() {
        let csv = trace_csv(&events());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[1], "0,submitted,7,,,,,,,");
        assert_eq!(lines[2], "10,to_ring,7,3,,,,,,");
        assert_eq!(lines[3], "20,flushed,,,0,2,timer,,,");
        for l in &lines {
            assert_eq!(l.split(',').count(), 10, "{l}");
        }
    }

    #[test]
    fn json_is_the_typed_trace() {
        let json = trace_json(&events());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[1]["kind"], "to_ring");
        assert_eq!(v[1]["tail"], 3);
        assert_eq!(v[2]["trigger"], "timer");
        assert_eq!(trace_json(&[]), "[]");
    }

    #[test]
    fn json_is_laid_out_as_serde_json_writes_the_derived_events() {
        use ringlab_core::trace::SyscallKind;
        let every_kind = [
            TraceKind::Submitted { user_data: 1 },
            TraceKind::ToRing { user_data: 2, tail: 3 },
            TraceKind::ToList { user_data: 4, list_len: 5 },
            TraceKind::Flushed { moved: 6, trigger: FlushTrigger::Completion, list_len: 7 },
            TraceKind::Flushed { moved: 0, trigger: FlushTrigger::Syscall, list_len: 0 },
            TraceKind::Flushed { moved: 0, trigger: FlushTrigger::Submit, list_len: 0 },
            TraceKind::Reaped { user_data: u64::MAX, syscall: true },
            TraceKind::Reaped { user_data: 0, syscall: false },
            TraceKind::Syscall { call: SyscallKind::Submit },
            TraceKind::Syscall { call: SyscallKind::GetEvents },
            TraceKind::SyscallSkipped,
            TraceKind::TimerArmed { deadline: 8 },
            TraceKind::TimerFired { moved: 9 },
            TraceKind::FlagSet,
            TraceKind::FlagCleared,
            TraceKind::Dropped { user_data: 10 },
            TraceKind::Eagain,
            TraceKind::Ebusy,
            TraceKind::Ebadr,
        ];
        let events: Vec<TraceEvent> =
            every_kind.iter().enumerate().map(|(i, kind)| TraceEvent { at: i as u64 * 10, kind: *kind }).collect();
        assert_eq!(trace_json(&events), serde_json::to_string_pretty(&events).unwrap());
        assert_eq!(trace_json(&events[..1]), serde_json::to_string_pretty(&events[..1]).unwrap());
    }

    #[test]
    fn a_link_becomes_a_qr_code_image() {
        let svg = qr_svg("http://127.0.0.1:8080/#v=1&lesson=stuck&t=0&paused=1").unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
        let url = svg_data_url(&svg);
        assert!(url.starts_with("data:image/svg+xml") && !url.contains('<') && !url.contains('#'));
        assert!(qr_svg(&"x".repeat(8000)).is_none(), "too long for a QR code");
    }

    #[test]
    fn the_ring_exports_as_a_standalone_svg() {
        let svg = standalone_svg(r#"<svg class="ring" viewBox="0 0 10 10"><circle r="1"/></svg>"#);
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains(r#"<svg xmlns="http://www.w3.org/2000/svg" class="ring""#));
        assert!(svg.contains("<style>") && svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("io_uring-5.5", "0a1b2c3d", "csv"), "ringlab-io_uring-5_5-0a1b2c3d.csv");
        assert_eq!(file_name("../x", "h", "svg"), "ringlab-___x-h.svg");
    }
}
