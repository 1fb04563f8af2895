//! The little JSON the settings file needs (RFC 8259): one object read into name/value pairs, and
//! one object of strings written as `JSON.stringify(object, null, 2)` writes it.
//!
//! A parser of our own instead of a general JSON crate: the page's WebAssembly has a size budget,
//! and a settings file is one flat object. Nested values are parsed (so the file must be valid
//! JSON) but kept only as their kind.

use core::fmt::Write as _;

/// Deepest nesting read before the file is refused: settings are one flat object.
const MAX_DEPTH: usize = 32;

/// A member's value, as far as settings care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// A string.
    Text(String),
    /// A number, as written.
    Number(String),
    /// `true`, `false`, `null`, an array or an object.
    Other(&'static str),
}

/// Where the text stops being JSON (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SyntaxError {
    pub line: usize,
    pub column: usize,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

/// The members of the object that is the whole of `text`, in order (duplicates kept).
pub(super) fn parse_object(text: &str) -> Result<Vec<(String, Value)>, SyntaxError> {
    let mut p = Parser { text, pos: 0 };
    let members = p.object(0)?;
    p.skip_ws();
    if p.pos == text.len() {
        Ok(members)
    } else {
        Err(p.error())
    }
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn error(&self) -> SyntaxError {
        let before = self.text.get(..self.pos).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        SyntaxError { line, column }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> Result<(), SyntaxError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Vec<(String, Value)>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.eat('{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(members);
        }
        loop {
            self.skip_ws();
            if self.peek() != Some('"') {
                return Err(self.error());
            }
            let name = self.string()?;
            self.eat(':')?;
            let value = self.value(depth + 1)?;
            members.push((name, value));
            self.skip_ws();
            match self.bump() {
                Some(',') => {}
                Some('}') => return Ok(members),
                _ => return Err(self.error()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.skip_ws();
        match self.peek() {
            Some('"') => self.string().map(Value::Text),
            Some('{') => self.object(depth).map(|_| Value::Other("an object")),
            Some('[') => self.array(depth).map(|()| Value::Other("a list")),
            Some('-' | '0'..='9') => self.number().map(Value::Number),
            _ => {
                for (word, kind) in [("true", "true"), ("false", "false"), ("null", "null")] {
                    if self.rest().starts_with(word) {
                        self.pos += word.len();
                        return Ok(Value::Other(kind));
                    }
                }
                Err(self.error())
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.eat('[')?;
        self.skip_ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            self.skip_ws();
            match self.bump() {
                Some(',') => {}
                Some(']') => return Ok(()),
                _ => return Err(self.error()),
            }
        }
    }

    fn number(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some('0'..='9')) {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        if self.peek() == Some('0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.error());
        }
        if self.peek() == Some('.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error());
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error());
            }
        }
        Ok(self
            .text
            .get(start..self.pos)
            .unwrap_or_default()
            .to_owned())
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.eat('"')?;
        let mut out = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(self.error()),
                Some('"') => return Ok(out),
                Some('\\') => {
                    let c = match self.bump() {
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('/') => '/',
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('u') => self.unicode_escape()?,
                        _ => return Err(self.error()),
                    };
                    out.push(c);
                }
                Some(c) if c < ' ' => {
                    self.pos = at;
                    return Err(self.error());
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let hex = self.rest().get(..4).ok_or_else(|| self.error())?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(self.error());
        }
        let n = u32::from_str_radix(hex, 16).map_err(|_| self.error())?;
        self.pos += 4;
        Ok(n)
    }

    /// After `\u`: one escape, or a surrogate pair of two. A lone surrogate is refused: it is no
    /// character.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.rest().starts_with("\\u") {
                return Err(self.error());
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error());
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error())
    }
}

/// `{ "<first.0>": <first.1>, "<name>": "<value>", ... }` with two-space indentation, as
/// `JSON.stringify(object, null, 2)` writes it; `first` is a member written as a number.
pub(super) fn write_object(first: (&str, u32), members: &[(&str, String)]) -> String {
    let mut out = String::from("{\n  ");
    write_string(&mut out, first.0);
    let _ = write!(out, ": {}", first.1);
    for (name, value) in members {
        out.push_str(",\n  ");
        write_string(&mut out, name);
        out.push_str(": ");
        write_string(&mut out, value);
    }
    out.push_str("\n}");
    out
}

/// A JSON string with the escapes `JSON.stringify` uses.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_object_and_refuses_what_is_not_json() {
        let members = parse_object(
            " {\"a\": \"x\\u00e9\\ud83d\\ude00\\n\", \"n\": -1.5e3, \"o\": {\"p\": [1, true, null]}}\n",
        )
        .unwrap();
        assert_eq!(
            members,
            vec![
                ("a".into(), Value::Text("xé😀\n".into())),
                ("n".into(), Value::Number("-1.5e3".into())),
                ("o".into(), Value::Other("an object")),
            ]
        );
        for bad in [
            "",
            "[]",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"tab\there\"}",
            "{\"a\":1} x",
            "{'a':1}",
            &format!("{{\"a\":{}{}}}", "[".repeat(40), "]".repeat(40)),
        ] {
            assert!(parse_object(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_object("{\n  \"a\": x\n}"),
            Err(SyntaxError { line: 2, column: 8 })
        );
    }

    #[test]
    fn writes_what_it_reads() {
        let text = write_object(("v", 1), &[("k", "\"q\" \\ \u{1} \t é".to_owned())]);
        assert_eq!(
            text,
            "{\n  \"v\": 1,\n  \"k\": \"\\\"q\\\" \\\\ \\u0001 \\t é\"\n}"
        );
        assert_eq!(
            parse_object(&text).unwrap()[1],
            ("k".into(), Value::Text("\"q\" \\ \u{1} \t é".into()))
        );
    }
}
