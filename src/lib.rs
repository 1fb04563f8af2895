//! The samlmeta page: a Yew single-page app over the `samlmeta` core.
//!
//! The page only collects input and shows results; every rule lives in the core crate.
//! [`state`] is the page's plain state and reducer (testable without a DOM), [`check`] the
//! Check view's, [`components`]
//! holds one component per file, [`engine`] runs the core on the main thread and in a
//! `blob:` Web Worker, [`keygen`] makes key pairs (WebCrypto or the core), [`wire`] is the bytes a
//! check crosses the worker boundary as, and [`browser`] holds the few direct DOM calls.

pub mod app;
pub mod browser;
pub mod check;
pub mod components;
pub mod engine;
pub mod guide;
pub mod highlight;
pub mod keygen;
pub mod keyring;
pub mod keys;
pub mod state;
pub mod wire;

pub use app::App;

/// The id of the element the page renders into (see `index.html`).
pub const ROOT_ID: &str = "samlmeta";
