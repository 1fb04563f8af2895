//! XML in: a strict tree parser ([`parse`](self)), exclusive canonicalization ([`c14n`]), the
//! escaping both it and the metadata writer use, and the namespace URIs, each written once.

pub mod c14n;
pub(crate) mod escape;
pub mod names;
mod parse;

pub use parse::XmlError;
pub(crate) use parse::{Document, Element, Node, parse};
pub use parse::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_NAMESPACES_IN_SCOPE};
