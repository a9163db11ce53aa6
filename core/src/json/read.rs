//! [`parse`]: JSON text to a [`serde_json::Value`], without serde's deserializer.
//!
//! The browser reads JSON in two places (a link's step list, a scenario file), both into a
//! `Value` that [`crate::json`] then reads by hand. serde_json's `from_slice::<Value>`
//! brought its generic deserializer, the `Value` visitor and its error formatting into the
//! bundle; this reader builds the same `Value` (same numbers, same strings, the last of
//! duplicate keys) and rejects the same texts, with messages in serde_json's words
//! ("expected value at line 1 column 1").

use serde_json::{Map, Number, Value};

/// serde_json's nesting limit: 127 arrays and objects inside each other, not 128.
const MAX_DEPTH: usize = 128;

/// Parses `text` as one JSON value with optional whitespace around it.
pub fn parse(text: &[u8]) -> Result<Value, String> {
    let mut reader = Reader { text, at: 0, depth: 0 };
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < text.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    /// `what` at the line and column of the byte being read (1-based, as serde_json counts).
    fn error(&self, what: &str) -> String {
        let upto = &self.text[..self.at.min(self.text.len())];
        let line = 1 + upto.iter().filter(|b| **b == b'\n').count();
        let column = upto.iter().rev().take_while(|b| **b != b'\n').count() + usize::from(self.at < self.text.len());
        format!("{what} at line {line} column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.word("null", Value::Null),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'"') => {
                self.at += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(open @ (b'[' | b'{')) => {
                if self.depth + 1 == MAX_DEPTH {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.depth += 1;
                self.at += 1;
                let value = if open == b'[' { self.array() } else { self.object() };
                self.depth -= 1;
                value
            }
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, String> {
        for want in word.bytes() {
            match self.peek() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b) if b != want => return Err(self.error("expected ident")),
                Some(_) => self.at += 1,
            }
        }
        Ok(value)
    }

    /// After the `[`: the elements and the `]`.
    fn array(&mut self) -> Result<Value, String> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek().is_none() {
            return Err(self.error("EOF while parsing a list"));
        }
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                None => return Err(self.error("EOF while parsing a list")),
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
            self.skip_space();
            if self.peek() == Some(b']') {
                return Err(self.error("trailing comma"));
            }
        }
    }

    /// After the `{`: the members and the `}`; a repeated key keeps its last value.
    fn object(&mut self) -> Result<Value, String> {
        let mut members = Map::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b'"') => self.at += 1,
                Some(b'}') => return Err(self.error("trailing comma")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_space();
            match self.peek() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b':') => self.at += 1,
                Some(_) => return Err(self.error("expected `:`")),
            }
            let value = self.value()?;
            members.insert(key, value);
            self.skip_space();
            match self.peek() {
                None => return Err(self.error("EOF while parsing an object")),
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// After the opening quote: the string's text, escapes decoded, and the closing quote.
    fn string(&mut self) -> Result<String, String> {
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error("EOF while parsing a string"));
            };
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(self.error("EOF while parsing a string"));
                    };
                    self.at += 1;
                    let plain = match e {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let c = self.escaped_char()?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            continue;
                        }
                        _ => {
                            self.at -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    };
                    out.push(plain);
                }
                0..=0x1f => {
                    self.at -= 1;
                    return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid unicode code point"))
    }

    /// After `\u`: one code point, from a surrogate pair when it takes two escapes.
    fn escaped_char(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if self.text.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.error("unexpected end of hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    self.at -= 1;
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => {
                self.at -= 1;
                return Err(self.error("lone leading surrogate in hex escape"));
            }
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        if self.at + 4 > self.text.len() {
            self.at = self.text.len();
            return Err(self.error("EOF while parsing a string"));
        }
        let mut n = 0;
        for _ in 0..4 {
            let b = self.text[self.at];
            let digit = (b as char).to_digit(16).ok_or_else(|| self.error("invalid escape"))?;
            self.at += 1;
            n = n * 16 + digit;
        }
        Ok(n)
    }

    /// A number as serde_json keeps it: a whole number as u64 (or i64 when negative) when
    /// it fits, anything else as f64 (`-0` included); out of f64's range is an error.
    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        self.at += usize::from(negative);
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at - from
        };
        let int_start = self.at;
        let whole = digits(self);
        if whole == 0 {
            return Err(self.error(if self.peek().is_none() { "EOF while parsing a value" } else { "invalid number" }));
        }
        if whole > 1 && self.text[int_start] == b'0' {
            self.at = int_start + 1;
            return Err(self.error("invalid number"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if digits(self) == 0 {
                return Err(self.error(if self.peek().is_none() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error(if self.peek().is_none() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
        }
        // Only ASCII digits, signs, '.' and 'e' were taken: the slice is valid UTF-8.
        let text = std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        if integer {
            let magnitude = &text[usize::from(negative)..];
            if let Ok(n) = magnitude.parse::<u64>() {
                if !negative {
                    return Ok(Value::Number(n.into()));
                }
                if n != 0 && n <= 1 << 63 {
                    return Ok(Value::Number((n.wrapping_neg() as i64).into()));
                }
            }
        }
        crate::decimal::parse_f64(text)
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| self.error("number out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use proptest::prelude::*;
    use serde_json::Value;

    fn same_as_serde(text: &str) {
        let ours = parse(text.as_bytes());
        let theirs = serde_json::from_slice::<Value>(text.as_bytes());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
            (Err(a), Err(b)) => assert_eq!(a, &b.to_string(), "{text:?}"),
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "-2.25e3",
            "1E-2",
            "1e400",
            "-1e400",
            "0.1",
            r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#,
            r#"{"a":1,"a":2}"#,
            r#"[1,[2,{"x":[]}],{}]"#,
            "\"é ü\"",
            "",
            " ",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "[1,]",
            r#"{"a":1,}"#,
            "[1 2]",
            r#"{"a" 1}"#,
            "{1:2}",
            "nul",
            "tru",
            "[",
            "{",
            r#"{"a""#,
            r#""abc"#,
            "\"\u{1}\"",
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            "1 2",
            "[]]",
            "\"\\u12\"",
            "NaN",
            "Infinity",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [127, 128, 129] {
            same_as_serde(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(parse(b"not json").unwrap_err(), "expected ident at line 1 column 2");
        assert_eq!(parse(b"?").unwrap_err(), "expected value at line 1 column 1");
        assert_eq!(parse(b"[1,\n 2 x]").unwrap_err(), "expected `,` or `]` at line 2 column 4");
        assert_eq!(parse(b"[1, 2").unwrap_err(), "EOF while parsing a list at line 1 column 5");
        assert_eq!(parse(b"{} x").unwrap_err(), "trailing characters at line 1 column 4");
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u64>().prop_map(|n| Value::Number(n.into())),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            (-1e6..1e6f64).prop_map(
                |f| serde_json::Number::from_f64((f * 1000.0).round() / 1000.0).map_or(Value::Null, Value::Number)
            ),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-z\"\\\\é]{0,4}", inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn reads_back_what_serde_json_writes(v in json_value()) {
            let compact = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(parse(compact.as_bytes()).unwrap(), v.clone());
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(parse(pretty.as_bytes()).unwrap(), v);
        }

        #[test]
        fn any_text_is_read_or_refused_as_serde_json_does(text in "[\\[\\]{}\",:0-9eE.+\\- tnrufals\\\\]{0,16}") {
            same_as_serde(&text);
        }
    }
}
