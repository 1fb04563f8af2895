//! Syntax highlighting for the metadata preview: the XML split into tag, attribute name,
//! attribute value and text runs, each a `<span>` with a class (colors live in the stylesheet).
//! Read-only and text-only: the runs are text nodes, never parsed as HTML.

use yew::{Html, html};

/// A run of the XML and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// `<md:Tag`, `>`, `/>`, `</md:Tag>`, `<?xml ... ?>`.
    Tag,
    /// An attribute name and its `=`.
    Name,
    /// A quoted attribute value.
    Value,
    /// Character data between tags.
    Text,
}

/// Splits `xml` into runs. Concatenating the runs gives `xml` back.
#[must_use]
pub fn runs(xml: &str) -> Vec<(Run, &str)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        if let Some(tag_body) = rest.strip_prefix('<') {
            let end = tag_body.find('>').map_or(rest.len(), |i| i + 2);
            let (tag, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
            tag_runs(tag, &mut out);
            rest = after;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let (text, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
            out.push((Run::Text, text));
            rest = after;
        }
    }
    out
}

/// `<name attr="value" ...>` → Tag, then Name/Value pairs, then Tag.
fn tag_runs<'a>(tag: &'a str, out: &mut Vec<(Run, &'a str)>) {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .filter(|&i| i > 1)
        .unwrap_or(tag.len());
    let (name, mut rest) = tag.split_at_checked(name_end).unwrap_or((tag, ""));
    out.push((Run::Tag, name));
    while !rest.is_empty() {
        if let Some(quote_at) = rest.find('"') {
            let (attr_name, from_quote) = rest.split_at_checked(quote_at).unwrap_or((rest, ""));
            let close = from_quote
                .get(1..)
                .and_then(|s| s.find('"'))
                .map_or(from_quote.len(), |i| i + 2);
            let (value, after) = from_quote
                .split_at_checked(close)
                .unwrap_or((from_quote, ""));
            out.push((Run::Name, attr_name));
            out.push((Run::Value, value));
            rest = after;
        } else {
            out.push((Run::Tag, rest));
            rest = "";
        }
    }
}

/// The highlighted XML.
pub fn highlighted(xml: &str) -> Html {
    runs(xml)
        .into_iter()
        .map(|(run, text)| {
            let class = match run {
                Run::Tag => "x-tag",
                Run::Name => "x-name",
                Run::Value => "x-value",
                Run::Text => "x-text",
            };
            html! { <span class={class}>{ text }</span> }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_the_text_and_classify_it() {
        let xml = "<?xml version=\"1.0\"?>\n<md:A x=\"1\" y=\"a b\"><b/>t &amp; u</md:A>";
        let r = runs(xml);
        assert_eq!(r.iter().map(|(_, t)| *t).collect::<String>(), xml);
        assert!(r.contains(&(Run::Tag, "<md:A")));
        assert!(r.contains(&(Run::Name, " x=")));
        assert!(r.contains(&(Run::Value, "\"a b\"")));
        assert!(r.contains(&(Run::Text, "t &amp; u")));
        assert!(r.contains(&(Run::Tag, "</md:A>")));
    }

    #[test]
    fn broken_markup_still_round_trips() {
        for xml in ["<a b=\"unterminated", "<", "text only", "<a>", "a<b"] {
            assert_eq!(runs(xml).iter().map(|(_, t)| *t).collect::<String>(), xml);
        }
    }
}
