//! Splitting `.pb` text into quoted, `;`-separated records.

use super::{ParseError, err};

/// One `;`-separated record and the line it starts on.
pub(super) struct Record {
    pub(super) line: usize,
    pub(super) fields: Vec<String>,
}

/// Splits text into records, honouring quotes.
pub(super) struct Records<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
    pub(super) line: usize,
}

impl<'a> Records<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Records { text, pos: 0, line: 1 }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Consumes a line break at the current position, if any.
    pub(super) fn eat_newline(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Reads one field; stops before `;`, a line break or the end.
    pub(super) fn field(&mut self) -> Result<String, ParseError> {
        let bytes = self.text.as_bytes();
        let mut out = String::new();
        if self.peek() == Some(b'"') {
            let open_line = self.line;
            self.pos += 1;
            loop {
                let rest = &self.text[self.pos..];
                let Some(q) = rest.find('"') else {
                    return err(open_line, "unterminated quoted field");
                };
                let chunk = &rest[..q];
                self.line += chunk.bytes().filter(|&b| b == b'\n').count();
                out.push_str(chunk);
                self.pos += q + 1;
                if self.peek() == Some(b'"') {
                    out.push('"');
                    self.pos += 1;
                } else {
                    break;
                }
            }
        }
        // Unquoted text (or text trailing a closing quote, kept verbatim).
        // A `;` closing an HTML entity (`&amp;`, `&#8222;`) is not a
        // separator: such entities occur unquoted in real files.
        let start = self.pos;
        loop {
            while self.pos < bytes.len() && !matches!(bytes[self.pos], b';' | b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.peek() == Some(b';') && ends_with_entity(&bytes[start..self.pos]) {
                self.pos += 1;
                continue;
            }
            break;
        }
        out.push_str(&self.text[start..self.pos]);
        Ok(out)
    }

    /// Next non-blank record, with every field trimmed.
    pub(super) fn next_record(&mut self) -> Result<Option<Record>, ParseError> {
        loop {
            if self.pos >= self.text.len() {
                return Ok(None);
            }
            let line = self.line;
            let mut fields = Vec::new();
            loop {
                fields.push(self.field()?.trim().to_string());
                if self.peek() == Some(b';') {
                    self.pos += 1;
                    continue;
                }
                self.eat_newline();
                break;
            }
            if fields.iter().all(|f| f.is_empty()) {
                continue;
            }
            return Ok(Some(Record { line, fields }));
        }
    }
}

/// Whether `field` ends with an unterminated HTML entity such as `&amp` or
/// `&#8222` (so that the following `;` belongs to it).
pub(super) fn ends_with_entity(field: &[u8]) -> bool {
    let Some(amp) = field.iter().rposition(|&b| b == b'&') else {
        return false;
    };
    let body = &field[amp + 1..];
    match body {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.len() <= 6 && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.len() <= 7 && dec.iter().all(u8::is_ascii_digit),
        name => NAMED_ENTITIES.iter().any(|e| e.as_bytes() == name),
    }
}

/// Named HTML entities recognised inside unquoted fields (a bare `&b;` as
/// in `B&B;` is a separator, not an entity).
pub(super) const NAMED_ENTITIES: &[&str] = &[
    "amp", "lt", "gt", "quot", "apos", "nbsp", "ndash", "mdash", "bdquo", "ldquo", "rdquo", "lsquo", "rsquo", "sbquo",
    "laquo", "raquo", "hellip", "euro", "deg", "bull", "middot", "shy", "copy", "reg", "trade", "times", "sup2",
    "sup3", "frac12", "frac14", "frac34", "oacute", "Oacute", "aacute", "Aacute", "eacute", "Eacute", "iacute",
    "uacute", "ouml", "uuml", "auml", "Ouml", "Uuml", "Auml", "szlig", "ccedil", "egrave", "agrave", "para", "sect",
    "plusmn", "minus", "asymp", "ne", "le", "ge", "rarr", "larr", "harr",
];
