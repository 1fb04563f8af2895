//! A small, strict XML 1.0 tree for verification: elements with resolved namespaces, attribute
//! values normalized as XML 1.0 §3.3.3 prescribes, and character data with line ends normalized
//! (§2.11). Exactly what exclusive canonicalization and signature checks need, and no more.
//!
//! Refused on purpose: any document type declaration (so no entity is ever expanded, no external
//! resource is ever named), entity references other than the five predefined ones, encodings
//! other than UTF-8, characters XML 1.0 forbids, undeclared prefixes, more than one root element,
//! and nesting deeper than [`MAX_DEPTH`].

use core::fmt;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// The namespace the `xml` prefix is bound to (Namespaces in XML 1.0, §3).
use super::escape::is_xml_char;
use super::names::XML_NS;

/// The deepest element nesting accepted. SAML documents nest about ten levels; a limit keeps a
/// hostile document from exhausting the stack of the recursive canonicalizer.
pub const MAX_DEPTH: usize = 256;

/// The most attributes one element may carry, and the most namespace bindings in scope at once.
/// SAML uses a handful; the limits keep lookups and duplicate checks cheap on hostile input.
pub const MAX_ATTRIBUTES: usize = 1024;
/// See [`MAX_ATTRIBUTES`].
pub const MAX_NAMESPACES_IN_SCOPE: usize = 256;

/// Why a document could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlError {
    /// The bytes are not UTF-8 (UTF-16 or a legacy encoding).
    NotUtf8,
    /// The XML declaration names an encoding other than UTF-8.
    Encoding {
        /// The encoding declared.
        declared: String,
    },
    /// The document has a `<!DOCTYPE ...>`.
    Doctype,
    /// The document is not well-formed.
    Malformed {
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// An element or attribute uses a prefix that no `xmlns:` declaration binds.
    UndeclaredPrefix {
        /// 1-based line.
        line: usize,
        /// The prefix.
        prefix: String,
    },
    /// Elements nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An element has more than [`MAX_ATTRIBUTES`] attributes, or more than
    /// [`MAX_NAMESPACES_IN_SCOPE`] namespace bindings are in scope.
    TooManyAttributes {
        /// 1-based line.
        line: usize,
    },
    /// There is no root element.
    Empty,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUtf8 => f.write_str(
                "The file is not UTF-8 text (it may be UTF-16 or not XML at all). Save it as UTF-8 \
                 and try again.",
            ),
            Self::Encoding { declared } => write!(
                f,
                "The file declares the encoding \"{declared}\"; only UTF-8 is accepted. Save it as \
                 UTF-8 (and change the declaration) and try again."
            ),
            Self::Doctype => f.write_str(
                "The document contains a DOCTYPE declaration. SAML messages and metadata never need \
                 one, and it is a classic way to attack XML parsers, so it is refused.",
            ),
            Self::Malformed { line, detail } => {
                write!(f, "The file is not well-formed XML (line {line}: {detail}).")
            }
            Self::UndeclaredPrefix { line, prefix } => write!(
                f,
                "The file is not namespace-well-formed XML (line {line}: the prefix \"{prefix}\" is \
                 never declared)."
            ),
            Self::TooDeep => write!(
                f,
                "Elements are nested more than {MAX_DEPTH} levels deep; that is not SAML and is refused."
            ),
            Self::TooManyAttributes { line } => write!(
                f,
                "The element on line {line} has more than {MAX_ATTRIBUTES} attributes or more than \
                 {MAX_NAMESPACES_IN_SCOPE} namespace declarations in scope; that is not SAML and is refused."
            ),
            Self::Empty => f.write_str("The file has no XML element in it."),
        }
    }
}

impl std::error::Error for XmlError {}

impl XmlError {
    /// A stable kebab-case code for the error, for scripts and tests.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotUtf8 => "not-utf8",
            Self::Encoding { .. } => "encoding",
            Self::Doctype => "doctype",
            Self::Malformed { .. } => "malformed-xml",
            Self::UndeclaredPrefix { .. } => "undeclared-prefix",
            Self::TooDeep => "too-deep",
            Self::TooManyAttributes { .. } => "too-many-attributes",
            Self::Empty => "no-element",
        }
    }
}

/// An attribute: its name as written and its namespace, and its normalized value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute {
    pub prefix: String,
    pub local: String,
    /// The namespace URI; empty for an unprefixed attribute.
    pub ns: String,
    pub value: String,
}

/// An element and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    /// The prefix as written; empty for none.
    pub prefix: String,
    pub local: String,
    /// The namespace URI the element is in; empty for none.
    pub ns: String,
    /// Namespace declarations on this element: (prefix, URI), prefix empty for `xmlns`.
    pub ns_decls: Vec<(String, String)>,
    /// Attributes other than namespace declarations.
    pub attrs: Vec<Attribute>,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl Element {
    /// The value of the unqualified attribute `local`.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_empty() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// `prefix:local`, or `local`.
    pub fn qname(&self) -> String {
        if self.prefix.is_empty() {
            self.local.clone()
        } else {
            format!("{}:{}", self.prefix, self.local)
        }
    }

    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

/// A node of the tree. Comments and processing instructions outside the root are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    /// Character data (text and CDATA sections, references resolved).
    Text(String),
    Comment,
    Pi {
        target: String,
        data: String,
    },
}

/// A parsed document: a node arena and its root element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    nodes: Vec<Node>,
    root: usize,
}

impl Document {
    pub fn root(&self) -> usize {
        self.root
    }

    pub fn node(&self, index: usize) -> Option<&Node> {
        self.nodes.get(index)
    }

    pub fn element(&self, index: usize) -> Option<&Element> {
        match self.nodes.get(index) {
            Some(Node::Element(e)) => Some(e),
            _ => None,
        }
    }

    /// Element children of `index`, in document order.
    pub fn child_elements(&self, index: usize) -> impl Iterator<Item = (usize, &Element)> {
        self.element(index)
            .map(|e| e.children.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&c| self.element(c).map(|e| (c, e)))
    }

    /// The concatenated character data directly inside `index`.
    pub fn text(&self, index: usize) -> String {
        let mut out = String::new();
        if let Some(e) = self.element(index) {
            for &c in &e.children {
                if let Some(Node::Text(t)) = self.nodes.get(c) {
                    out.push_str(t);
                }
            }
        }
        out
    }

    /// Every element, in document order, with its index.
    pub fn elements(&self) -> impl Iterator<Item = (usize, &Element)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| match n {
            Node::Element(e) => Some((i, e)),
            _ => None,
        })
    }

    /// Whether `inner` is `outer` or inside it.
    pub fn is_within(&self, inner: usize, outer: usize) -> bool {
        let mut at = Some(inner);
        while let Some(i) = at {
            if i == outer {
                return true;
            }
            at = self.element(i).and_then(|e| e.parent);
        }
        false
    }
}

/// Parses `bytes` as a namespace-well-formed XML 1.0 document.
///
/// # Errors
/// [`XmlError`].
pub(crate) fn parse(bytes: &[u8]) -> Result<Document, XmlError> {
    let text = core::str::from_utf8(bytes).map_err(|_| XmlError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser {
        text,
        nodes: Vec::new(),
        open: Vec::new(),
        scopes: Vec::new(),
        root: None,
        lines: core::cell::Cell::new((0, 1)),
    };
    parser.run()?;
    let root = parser.root.ok_or(XmlError::Empty)?;
    Ok(Document {
        nodes: parser.nodes,
        root,
    })
}

struct Parser<'a> {
    text: &'a str,
    nodes: Vec<Node>,
    /// Open elements, innermost last.
    open: Vec<usize>,
    /// In-scope namespace bindings, innermost last, with the element they belong to.
    scopes: Vec<(usize, String, String)>,
    root: Option<usize>,
    /// (offset, line at that offset) of the last line lookup.
    lines: core::cell::Cell<(usize, usize)>,
}

impl Parser<'_> {
    /// The 1-based line at `offset`. Offsets only grow while parsing, so lines are counted from
    /// where the last call left off: linear in the document, not quadratic.
    fn line_at(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let (counted_to, lines) = self.lines.get();
        let (from, base) = if offset >= counted_to {
            (counted_to, lines)
        } else {
            (0, 1)
        };
        let more = self
            .text
            .as_bytes()
            .get(from..offset)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.lines.set((offset, base + more));
        base + more
    }

    fn malformed(&self, offset: u64, detail: impl Into<String>) -> XmlError {
        XmlError::Malformed {
            line: self.line_at(offset),
            detail: detail.into(),
        }
    }

    fn run(&mut self) -> Result<(), XmlError> {
        let mut reader = Reader::from_str(self.text);
        let config = reader.config_mut();
        config.expand_empty_elements = false;
        config.check_end_names = true;
        config.check_comments = true;
        config.trim_text(false);
        loop {
            let at = reader.buffer_position();
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.malformed(reader.error_position(), e.to_string())),
            };
            match event {
                Event::Decl(decl) => {
                    if let Some(Ok(encoding)) = decl.encoding() {
                        let declared = encoding.into_owned();
                        if !declared.eq_ignore_ascii_case("utf-8")
                            && !declared.eq_ignore_ascii_case("utf8")
                        {
                            return Err(XmlError::Encoding { declared });
                        }
                    }
                }
                Event::DocType(_) => return Err(XmlError::Doctype),
                Event::Start(start) => self.start(&start, at, false)?,
                Event::Empty(start) => self.start(&start, at, true)?,
                Event::End(_) => self.end(),
                Event::Text(t) => {
                    if t.contains("]]>") {
                        return Err(self.malformed(at, "\"]]>\" is not allowed in text"));
                    }
                    let content = t.xml10_content();
                    self.text_node(&content, at)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content();
                    self.text_node(&content, at)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match resolve_predefined(&r) {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(self.malformed(
                                    at,
                                    format!("the entity &{}; is not defined", &*r),
                                ));
                            }
                        },
                        Err(e) => return Err(self.malformed(at, e.to_string())),
                    };
                    self.text_node(&resolved, at)?;
                }
                Event::Comment(_) => {
                    if !self.open.is_empty() {
                        self.push_child(Node::Comment);
                    }
                }
                Event::PI(pi) => {
                    let target = pi.target().to_owned();
                    if target.eq_ignore_ascii_case("xml") {
                        return Err(self.malformed(at, "misplaced XML declaration"));
                    }
                    if !self.open.is_empty() {
                        let data = pi.content().trim_start_matches(is_xml_space).to_owned();
                        check_chars(&data).map_err(|d| self.malformed(at, d))?;
                        self.push_child(Node::Pi { target, data });
                    }
                }
                Event::Eof => break,
            }
        }
        if let Some(&open) = self.open.last() {
            let name = match self.nodes.get(open) {
                Some(Node::Element(e)) => e.qname(),
                _ => String::new(),
            };
            return Err(self.malformed(
                u64::try_from(self.text.len()).unwrap_or(u64::MAX),
                format!("<{name}> is never closed"),
            ));
        }
        Ok(())
    }

    fn push_child(&mut self, node: Node) -> usize {
        let index = self.nodes.len();
        self.nodes.push(node);
        if let Some(&parent) = self.open.last()
            && let Some(Node::Element(e)) = self.nodes.get_mut(parent)
        {
            e.children.push(index);
        }
        index
    }

    fn text_node(&mut self, content: &str, at: u64) -> Result<(), XmlError> {
        if self.open.is_empty() {
            if content.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(self.malformed(at, "text outside the root element"));
        }
        check_chars(content).map_err(|d| self.malformed(at, d))?;
        // Adjacent character data (text, references, CDATA) is one text node.
        if let Some(&parent) = self.open.last()
            && let Some(Node::Element(e)) = self.nodes.get(parent)
            && let Some(&last) = e.children.last()
            && let Some(Node::Text(t)) = self.nodes.get_mut(last)
        {
            t.push_str(content);
            return Ok(());
        }
        self.push_child(Node::Text(content.to_owned()));
        Ok(())
    }

    fn start(&mut self, start: &BytesStart<'_>, at: u64, empty: bool) -> Result<(), XmlError> {
        if self.open.is_empty() && self.root.is_some() {
            return Err(self.malformed(at, "more than one root element"));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(XmlError::TooDeep);
        }
        let line = self.line_at(at);
        let index = self.nodes.len();
        check_qname(start.name().0).map_err(|d| self.malformed(at, d))?;
        let (prefix, local) = split_qname(start.name().0);
        let mut ns_decls = Vec::new();
        let mut raw_attrs = Vec::new();
        for (n, attr) in start.attributes().enumerate() {
            if n >= MAX_ATTRIBUTES {
                return Err(XmlError::TooManyAttributes { line });
            }
            let attr = attr.map_err(|e| self.malformed(at, e.to_string()))?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| self.malformed(at, e.to_string()))?
                .into_owned();
            check_chars(&value).map_err(|d| self.malformed(at, d))?;
            let name = attr.key.0;
            check_qname(name).map_err(|d| self.malformed(at, d))?;
            if name == "xmlns" {
                ns_decls.push((String::new(), value));
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return Err(self.malformed(
                        at,
                        format!("xmlns:{p}=\"\" undeclares a prefix, which XML 1.0 does not allow"),
                    ));
                }
                if (p == "xml") != (value == XML_NS) || p == "xmlns" {
                    return Err(self.malformed(at, format!("the prefix {p} cannot be bound there")));
                }
                ns_decls.push((p.to_owned(), value));
            } else {
                raw_attrs.push((name.to_owned(), value));
            }
        }
        if self.scopes.len() + ns_decls.len() > MAX_NAMESPACES_IN_SCOPE {
            return Err(XmlError::TooManyAttributes { line });
        }
        for (p, uri) in &ns_decls {
            self.scopes.push((index, p.clone(), uri.clone()));
        }
        let ns = self
            .resolve(prefix, true)
            .ok_or(XmlError::UndeclaredPrefix {
                line,
                prefix: prefix.to_owned(),
            })?;
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        for (name, value) in raw_attrs {
            let (p, l) = split_qname(&name);
            let ans = if p.is_empty() {
                String::new()
            } else {
                self.resolve(p, false)
                    .ok_or_else(|| XmlError::UndeclaredPrefix {
                        line,
                        prefix: p.to_owned(),
                    })?
            };
            if attrs
                .iter()
                .any(|a: &Attribute| a.ns == ans && a.local == l)
            {
                return Err(self.malformed(at, format!("the attribute {name} appears twice")));
            }
            attrs.push(Attribute {
                prefix: p.to_owned(),
                local: l.to_owned(),
                ns: ans,
                value,
            });
        }
        let element = Element {
            prefix: prefix.to_owned(),
            local: local.to_owned(),
            ns,
            ns_decls,
            attrs,
            children: Vec::new(),
            parent: self.open.last().copied(),
            line,
        };
        self.push_child(Node::Element(element));
        if self.open.is_empty() {
            self.root = Some(index);
        }
        self.open.push(index);
        if empty {
            self.end();
        }
        Ok(())
    }

    fn end(&mut self) {
        if let Some(index) = self.open.pop() {
            while self
                .scopes
                .last()
                .is_some_and(|(owner, _, _)| *owner == index)
            {
                self.scopes.pop();
            }
        }
    }

    /// The URI bound to `prefix`; for the empty prefix of an element, the default namespace
    /// (empty when none).
    fn resolve(&self, prefix: &str, element: bool) -> Option<String> {
        if prefix == "xml" {
            return Some(XML_NS.to_owned());
        }
        let found = self
            .scopes
            .iter()
            .rev()
            .find(|(_, p, _)| p == prefix)
            .map(|(_, _, uri)| uri.clone());
        match found {
            Some(uri) => Some(uri),
            None if prefix.is_empty() && element => Some(String::new()),
            None => None,
        }
    }
}

fn resolve_predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

/// Namespaces in XML 1.0 §4 `QName`: `NCName` or `NCName ':' NCName`. quick-xml takes whatever
/// runs to the next space or `>` as the name, so `<a//>` would otherwise be an element named
/// `a/` whose canonical form is not XML (found by fuzzing: `fuzz/regressions/c14n/`).
fn check_qname(name: &str) -> Result<(), String> {
    let ok = |part: &str| {
        let mut chars = part.chars();
        chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
    };
    let valid = match name.split_once(':') {
        Some((prefix, local)) => ok(prefix) && ok(local),
        None => ok(name),
    };
    if valid {
        Ok(())
    } else {
        Err(format!("{name:?} is not a valid element or attribute name"))
    }
}

/// XML 1.0 (fifth edition) §2.3 `NameStartChar`, without `:` (an `NCName`'s first character):
///
/// > `[A-Z] | "_" | [a-z] | [#xC0-#xD6] | [#xD8-#xF6] | [#xF8-#x2FF] | [#x370-#x37D] |
/// > [#x37F-#x1FFF] | [#x200C-#x200D] | [#x2070-#x218F] | [#x2C00-#x2FEF] | [#x3001-#xD7FF] |
/// > [#xF900-#xFDCF] | [#xFDF0-#xFFFD] | [#x10000-#xEFFFF]`
const fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 §2.3 `NameChar`, without `:`:
///
/// > `NameStartChar | "-" | "." | [0-9] | #xB7 | [#x0300-#x036F] | [#x203F-#x2040]`
const fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn split_qname(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or(("", name))
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// XML 1.0 `Char`: no control characters other than tab, LF and CR, no U+FFFE/U+FFFF.
fn check_chars(s: &str) -> Result<(), String> {
    match s.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(format!(
            "the character U+{:04X} is not allowed in XML",
            u32::from(c)
        )),
        None => Ok(()),
    }
}
