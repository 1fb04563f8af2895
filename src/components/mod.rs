//! One component per file.

pub mod footer;
pub mod header;
pub mod step;

pub use footer::Footer;
pub use header::Header;
pub use step::Step;
