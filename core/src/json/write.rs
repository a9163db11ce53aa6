//! JSON written by hand: a string literal ([`quote`]), a value ([`value`]) and a step list ([`steps`]), byte for
//! byte what `serde_json::to_string` writes, without serde's serializer in the browser
//! bundle. A link's `steps` key is base64url of [`steps`]'s text, so links stay the same.

use crate::model::RequestKind;
use crate::script::Step;
use serde_json::Value;
use std::fmt::Write;

/// `text` as a JSON string literal, escaped as serde_json escapes: `"` and `\`, the
/// control characters (`\n`, `\t`, ... or `\u00XX`), nothing else.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `v` as serde_json's `Display` writes it (compact, object keys in the map's order): how
/// the reader's error messages show a value that is not what a field takes.
pub fn value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => out.push_str(&u.to_string()),
            (None, Some(i), _) => out.push_str(&i.to_string()),
            (None, None, Some(f)) => out.push_str(&float(f)),
            (None, None, None) => out.push_str("null"),
        },
        Value::String(text) => out.push_str(&quote(text)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quote(key));
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// A finite `f64` laid out as serde_json lays it out (the zmij crate's layout: `12.5`, `3.0`,
/// `0.00012` for decimal exponents -5 to 15, `1.5e+16` and `1e-7` outside them), with the
/// digits of Rust's own shortest formatting: serde_json's float writer and its table of
/// powers of ten stay out of the bundle. With 16 or 17 digits the last one can differ
/// from serde_json's (both read back to `f`); shorter numbers are the same text.
fn float(f: f64) -> String {
    // `{:e}`: the shortest digits that read back to `f`, as `-1.2345e-7`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    let body = if !(-5..=15).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exp >= 0 { "+" } else { "-" };
        format!("{first}{dot}{rest}e{exp_sign}{}", exp.abs())
    } else if n - 1 <= exp {
        format!("{digits}{}.0", "0".repeat((exp - (n - 1)) as usize))
    } else if exp >= 0 {
        let (whole, frac) = digits.split_at(exp as usize + 1);
        format!("{whole}.{frac}")
    } else {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    format!("{sign}{body}")
}

/// A step list as serde_json writes `Vec<Step>`: `[{"op":"submit","n":2,"kind":"io"},...]`,
/// the op first, then the fields in their declared order.
pub fn steps(steps: &[Step]) -> String {
    let mut out = String::from("[");
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, r#"{{"op":"{}""#, step.op());
        let _ = match *step {
            Step::Submit { n, kind } => write!(out, r#","n":{n},"kind":"{}""#, kind_name(kind)),
            Step::Complete { n } | Step::Reap { n } => write!(out, r#","n":{n}"#),
            Step::Getevents { min, max } => write!(out, r#","min":{min},"max":{max}"#),
            Step::Advance { ns } => write!(out, r#","ns":{ns}"#),
            Step::FailNextAlloc {} | Step::Destroy {} => Ok(()),
        };
        out.push('}');
    }
    out.push(']');
    out
}

fn kind_name(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Nop => "nop",
        RequestKind::Io => "io",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_op_is_written_as_serde_json_writes_it() {
        let all = vec![
            Step::Submit { n: 3, kind: RequestKind::Io },
            Step::Submit { n: 0, kind: RequestKind::Nop },
            Step::Complete { n: 2 },
            Step::Reap { n: 1 },
            Step::Getevents { min: 1, max: u32::MAX },
            Step::Advance { ns: 1_000 },
            Step::FailNextAlloc {},
            Step::Destroy {},
        ];
        assert_eq!(steps(&all), serde_json::to_string(&all).unwrap());
        assert_eq!(steps(&[]), "[]");
    }

    #[test]
    fn quotes_escape_what_serde_json_escapes() {
        let text = "a \"b\" \\ / \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} é 😀";
        assert_eq!(quote(text), serde_json::to_string(text).unwrap());
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn values_are_shown_as_serde_json_shows_them() {
        for f in [
            0.0,
            -0.0,
            1.0,
            1.5,
            -2.25,
            0.1,
            1e-5,
            1.2e-5,
            1e-6,
            1.5e-7,
            1e15,
            1.5e15,
            1e16,
            1.25e16,
            1e21,
            123456.789,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ] {
            let v = serde_json::json!(f);
            assert_eq!(value(&v), v.to_string(), "{f:e}");
        }
        let v = serde_json::json!({"b": [1, -2, 18446744073709551615u64, "x\"y", null, true], "a": {"c": 0.5}});
        assert_eq!(value(&v), v.to_string());
    }

    proptest! {
        #[test]
        fn floats_are_shown_as_serde_json_shows_them(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let v = serde_json::json!(f);
            let shown = value(&v);
            prop_assert_eq!(shown.parse::<f64>().unwrap().to_bits(), f.to_bits(), "{}", shown);
            let digits = format!("{f:e}").split('e').next().unwrap().chars().filter(char::is_ascii_digit).count();
            if digits <= 15 {
                prop_assert_eq!(shown, v.to_string());
            }
        }

        #[test]
        fn short_floats_are_shown_as_serde_json_shows_them(m in -99_999_999i64..99_999_999, e in -40i32..40) {
            let f: f64 = format!("{m}e{e}").parse().unwrap();
            let v = serde_json::json!(f);
            prop_assert_eq!(value(&v), v.to_string());
        }

        #[test]
        fn step_lists_match_serde_json(list in prop::collection::vec(crate::json::tests::step_strategy(), 0..12)) {
            prop_assert_eq!(steps(&list), serde_json::to_string(&list).unwrap());
        }

        #[test]
        fn strings_match_serde_json(text in any::<String>()) {
            prop_assert_eq!(quote(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
