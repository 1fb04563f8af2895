//! Escaping as canonical XML writes it (C14N 1.0 §2.3), for the writer and for C14N alike, and
//! XML 1.0's `Char` production, for the parser and the writer alike.

/// XML 1.0 `Char` (§2.2): what a document may contain at all. (Rust's `char` has no surrogates.)
#[must_use]
pub(crate) const fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Appends text content: `&`, `<`, `>` and CR escaped.
pub(crate) fn text(text: &str, out: &mut Vec<u8>) {
    escape(text, out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

/// Appends an attribute value (for `"` quotes): `&`, `<`, `"`, tab, LF and CR escaped.
pub(crate) fn attribute(value: &str, out: &mut Vec<u8>) {
    escape(value, out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'"' => Some(b"&quot;"),
        b'\t' => Some(b"&#x9;"),
        b'\n' => Some(b"&#xA;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

/// [`text`] as a `String`.
pub(crate) fn text_string(value: &str) -> String {
    let mut out = Vec::with_capacity(value.len());
    text(value, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`attribute`] as a `String`.
pub(crate) fn attribute_string(value: &str) -> String {
    let mut out = Vec::with_capacity(value.len());
    attribute(value, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `text` to `out`, each byte `replace` names written as its replacement (all are ASCII,
/// so UTF-8 sequences pass through whole).
fn escape(text: &str, out: &mut Vec<u8>, replace: impl Fn(u8) -> Option<&'static [u8]>) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(rep) = replace(b) {
            out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
            out.extend_from_slice(rep);
            start = i + 1;
        }
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_canonical_xml() {
        assert_eq!(
            text_string("a&b<c>d\re\"\t\n"),
            "a&amp;b&lt;c&gt;d&#xD;e\"\t\n"
        );
        assert_eq!(
            attribute_string("a&b<c>d\re\"\t\n"),
            "a&amp;b&lt;c>d&#xD;e&quot;&#x9;&#xA;"
        );
        assert_eq!(text_string("zürich ✓"), "zürich ✓");
        assert!(is_xml_char('\t') && is_xml_char('é') && is_xml_char('\u{10FFFF}'));
        assert!(!is_xml_char('\u{1}') && !is_xml_char('\u{FFFE}') && !is_xml_char('\u{FFFF}'));
    }
}
