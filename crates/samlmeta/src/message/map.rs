//! The map of a checked document: its elements near the top, each marked signed or not, so that
//! the admin sees at a glance what a good signature covers and what anyone could have changed.
//!
//! "Signed" means inside an element a good signature covers (the same rule that marks each
//! [`Value`](super::Value)); a signature's own inside (`SignedInfo`, `KeyInfo`) is not listed.

use crate::xml::Document;
use crate::xml::names::DS;

/// How deep the map goes below the root: deep enough for a Response's `Assertion/Subject/NameID`
/// and a metadata role's endpoints and `KeyDescriptor/KeyInfo`.
pub const MAP_DEPTH: usize = 3;
/// At most this many entries: a large document's map says what it left out (see
/// [`DocumentMap::left_out`]) instead of growing without bound.
pub const MAP_ENTRIES: usize = 400;

/// One element of the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    /// Its qualified name as written, e.g. `saml:Assertion`.
    pub name: String,
    /// Its `ID`, if it has one.
    pub id: Option<String>,
    /// 1-based line of its start tag.
    pub line: usize,
    /// 0 for the root, 1 for its children, ...
    pub depth: usize,
    /// Inside an element a good signature covers.
    pub signed: bool,
}

/// The map: entries in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentMap {
    /// The elements, in document order.
    pub entries: Vec<MapEntry>,
    /// Elements within [`MAP_DEPTH`] that were not listed because of [`MAP_ENTRIES`].
    pub left_out: usize,
}

impl DocumentMap {
    /// The map of `doc`, where `covered` are the elements good signatures cover.
    pub(crate) fn of(doc: &Document, covered: &[usize]) -> Self {
        let mut map = Self::default();
        let mut stack = vec![(doc.root(), 0_usize)];
        while let Some((node, depth)) = stack.pop() {
            let Some(element) = doc.element(node) else {
                continue;
            };
            if map.entries.len() == MAP_ENTRIES {
                map.left_out += 1;
            } else {
                map.entries.push(MapEntry {
                    name: element.qname(),
                    id: element.attr("ID").map(str::to_owned),
                    line: element.line,
                    depth,
                    signed: covered.iter().any(|&c| doc.is_within(node, c)),
                });
            }
            if depth < MAP_DEPTH && !element.is(DS, "Signature") {
                let children: Vec<usize> = doc.child_elements(node).map(|(i, _)| i).collect();
                stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    #[test]
    fn lists_elements_to_the_depth_in_order_and_marks_what_is_covered() {
        let doc = parse(
            br#"<r><a ID="x"><b><c><d/></c></b></a><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature><e/></r>"#,
        )
        .unwrap();
        let a = doc.elements().find(|(_, e)| e.qname() == "a").unwrap().0;
        let map = DocumentMap::of(&doc, &[a]);
        let names: Vec<(&str, usize, bool)> = map
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.depth, e.signed))
            .collect();
        assert_eq!(
            names,
            [
                ("r", 0, false),
                ("a", 1, true),
                ("b", 2, true),
                ("c", 3, true),
                ("ds:Signature", 1, false),
                ("e", 1, false),
            ]
        );
        assert_eq!(map.entries[1].id.as_deref(), Some("x"));
        assert_eq!(map.left_out, 0);
    }

    #[test]
    fn a_large_document_says_how_much_it_left_out() {
        let xml = format!("<r>{}</r>", "<i/>".repeat(MAP_ENTRIES + 10));
        let map = DocumentMap::of(&parse(xml.as_bytes()).unwrap(), &[]);
        assert_eq!(map.entries.len(), MAP_ENTRIES);
        assert_eq!(map.left_out, 11);
    }
}
