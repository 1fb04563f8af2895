//! One component per file.

pub mod connector_form;
pub mod drop_zone;
pub mod field;
pub mod footer;
pub mod header;
pub mod result;
pub mod step;

pub use connector_form::ConnectorForm;
pub use drop_zone::DropZone;
pub use field::{FindingList, TextField};
pub use footer::Footer;
pub use header::Header;
pub use result::ResultView;
pub use step::Step;
