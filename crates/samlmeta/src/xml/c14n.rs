//! Exclusive XML Canonicalization 1.0, without comments
//! (<https://www.w3.org/TR/xml-exc-c14n/>), of an element subtree, optionally with one
//! descendant left out (what the enveloped-signature transform does to the `ds:Signature`).
//!
//! The rules, as the recommendations state them:
//!
//! - Elements: `<` QName, namespace declarations, attributes, `>`, content, `</` QName `>`;
//!   empty elements are written as start/end tag pairs (C14N 1.0 §2.3).
//! - Namespace declarations are sorted by prefix (the default namespace first); attributes by
//!   namespace URI, then local name (no namespace first) (C14N 1.0 §2.2, §4.8).
//! - "A namespace node N with a prefix that does not appear in the InclusiveNamespaces PrefixList is
//!   rendered if ... it is visibly utilized by its parent element, and the prefix has not yet been
//!   rendered by any output ancestor, or the nearest output ancestor ... does not have a namespace
//!   node in the node-set with the same namespace prefix and value as N" (Exc-C14N §3). An element
//!   visibly utilizes its own prefix (the default namespace when it has none) and the prefixes of its
//!   attributes; `xmlns=""` is rendered when an unprefixed element has no default namespace but its
//!   output ancestor rendered one. Prefixes in the PrefixList (`#default` for the default namespace)
//!   follow the inclusive rule: rendered wherever in scope and not already rendered with that value.
//! - `xml:` attributes are not inherited from ancestors (Exc-C14N §3 removes that C14N 1.0 rule).
//! - Text: `&` `<` `>` and CR escaped as `&amp;` `&lt;` `&gt;` `&#xD;`. Attribute values: `&` `<`
//!   `"` TAB LF CR as `&amp;` `&lt;` `&quot;` `&#x9;` `&#xA;` `&#xD;` (C14N 1.0 §2.3).
//! - Comments are dropped; processing instructions inside the subtree are written as
//!   `<?target data?>`.

use super::escape;
use crate::xml::{Document, Element, Node, XmlError, parse};
use core::fmt;

/// Why a document could not be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum C14nError {
    /// The document is not XML we accept.
    Xml(XmlError),
    /// No element has the `ID` asked for.
    UnknownId {
        /// The ID.
        id: String,
    },
}

impl fmt::Display for C14nError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => e.fmt(f),
            Self::UnknownId { id } => write!(f, "No element has ID=\"{id}\"."),
        }
    }
}

impl std::error::Error for C14nError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
            _ => None,
        }
    }
}

/// The exclusive canonical form (without comments) of the element whose `ID` attribute is `id`,
/// or of the root element when `id` is `None`. `inclusive_prefixes` is the InclusiveNamespaces
/// PrefixList (`#default` for the default namespace).
///
/// ```
/// let xml = br#"<a:root xmlns:a="urn:a" xmlns:b="urn:b" z="1" a:y="2"><b:x/><!-- gone --></a:root>"#;
/// let c14n = samlmeta::xml::c14n::exclusive(xml, None, &[])?;
/// assert_eq!(
///     c14n,
///     br#"<a:root xmlns:a="urn:a" z="1" a:y="2"><b:x xmlns:b="urn:b"></b:x></a:root>"#
/// );
/// # Ok::<(), samlmeta::xml::c14n::C14nError>(())
/// ```
///
/// # Errors
/// [`C14nError`].
pub fn exclusive(
    xml: &[u8],
    id: Option<&str>,
    inclusive_prefixes: &[&str],
) -> Result<Vec<u8>, C14nError> {
    let doc = parse(xml).map_err(C14nError::Xml)?;
    let apex = match id {
        None => doc.root(),
        Some(id) => doc
            .elements()
            .find(|(_, e)| e.attr("ID") == Some(id))
            .map(|(i, _)| i)
            .ok_or_else(|| C14nError::UnknownId { id: id.to_owned() })?,
    };
    let prefixes: Vec<String> = inclusive_prefixes.iter().map(|&p| p.to_owned()).collect();
    let mut out = Vec::new();
    write_exclusive(&doc, apex, None, &prefixes, &mut out);
    Ok(out)
}

/// Appends the exclusive canonical form of the subtree at `apex`, without the subtree at
/// `exclude`, to `out`.
pub(crate) fn write_exclusive(
    doc: &Document,
    apex: usize,
    exclude: Option<usize>,
    inclusive_prefixes: &[String],
    out: &mut Vec<u8>,
) {
    // Namespaces in scope at the apex come from its ancestors as well.
    let mut in_scope: Vec<(String, String)> = Vec::new();
    let mut chain = Vec::new();
    let mut at = doc.element(apex).and_then(|e| e.parent);
    while let Some(i) = at {
        chain.push(i);
        at = doc.element(i).and_then(|e| e.parent);
    }
    for &i in chain.iter().rev() {
        if let Some(e) = doc.element(i) {
            in_scope.extend(e.ns_decls.iter().cloned());
        }
    }
    let mut c = Canonicalizer {
        doc,
        exclude,
        inclusive: inclusive_prefixes,
        in_scope,
        rendered: Vec::new(),
        out,
    };
    c.node(apex);
}

struct Canonicalizer<'a> {
    doc: &'a Document,
    exclude: Option<usize>,
    inclusive: &'a [String],
    /// Namespace bindings in scope, innermost last.
    in_scope: Vec<(String, String)>,
    /// Namespace declarations rendered by output ancestors, innermost last.
    rendered: Vec<(String, String)>,
    out: &'a mut Vec<u8>,
}

impl Canonicalizer<'_> {
    fn node(&mut self, index: usize) {
        if Some(index) == self.exclude {
            return;
        }
        match self.doc.node(index) {
            Some(Node::Element(e)) => self.element(e),
            Some(Node::Text(t)) => escape::text(t, self.out),
            Some(Node::Pi { target, data }) => {
                self.out.extend_from_slice(b"<?");
                self.out.extend_from_slice(target.as_bytes());
                if !data.is_empty() {
                    self.out.push(b' ');
                    self.out.extend_from_slice(data.as_bytes());
                }
                self.out.extend_from_slice(b"?>");
            }
            Some(Node::Comment) | None => {}
        }
    }

    fn in_scope(&self, prefix: &str) -> Option<&str> {
        self.in_scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    fn rendered(&self, prefix: &str) -> Option<&str> {
        self.rendered
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    fn element(&mut self, e: &Element) {
        let scope_mark = self.in_scope.len();
        let rendered_mark = self.rendered.len();
        self.in_scope.extend(e.ns_decls.iter().cloned());

        // Prefixes to consider: visibly utilized ones, then the inclusive list.
        let mut candidates: Vec<&str> = vec![e.prefix.as_str()];
        for a in &e.attrs {
            if !a.prefix.is_empty() {
                candidates.push(&a.prefix);
            }
        }
        for p in self.inclusive {
            let p = if p == "#default" { "" } else { p.as_str() };
            if p.is_empty() || self.in_scope(p).is_some() {
                candidates.push(p);
            }
        }
        let mut render: Vec<(String, String)> = Vec::new();
        for p in candidates {
            if p == "xml" || render.iter().any(|(q, _)| q == p) {
                continue;
            }
            let value = self.in_scope(p).unwrap_or_default();
            let before = self.rendered(p).unwrap_or_default();
            // An unbound prefix never gets here (the parser refuses it); the default namespace
            // "unbound" is the empty value, rendered as xmlns="" only to undo an ancestor's.
            if value != before {
                render.push((p.to_owned(), value.to_owned()));
            }
        }
        insertion_sort(&mut render, |a, b| a.0 < b.0);

        let qname = e.qname();
        self.out.push(b'<');
        self.out.extend_from_slice(qname.as_bytes());
        for (p, uri) in &render {
            if p.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(p.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            escape::attribute(uri, self.out);
            self.out.push(b'"');
        }
        let mut attrs: Vec<_> = e.attrs.iter().collect();
        insertion_sort(&mut attrs, |a, b| (&a.ns, &a.local) < (&b.ns, &b.local));
        for a in attrs {
            self.out.push(b' ');
            if !a.prefix.is_empty() {
                self.out.extend_from_slice(a.prefix.as_bytes());
                self.out.push(b':');
            }
            self.out.extend_from_slice(a.local.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape::attribute(&a.value, self.out);
            self.out.push(b'"');
        }
        self.out.push(b'>');
        self.rendered.extend(render);
        for &child in &e.children {
            self.node(child);
        }
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(qname.as_bytes());
        self.out.push(b'>');
        self.rendered.truncate(rendered_mark);
        self.in_scope.truncate(scope_mark);
    }
}

/// Sorts the few namespace declarations or attributes of one element. Stable, and much smaller in
/// WebAssembly than the standard library's general-purpose sorts.
fn insertion_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (items.get(j - 1), items.get(j)) else {
                break;
            };
            if !less(b, a) {
                break;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}
