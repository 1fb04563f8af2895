//! One component per file.

pub mod advanced;
pub mod cert_card;
pub mod check_view;
pub mod checklist;
pub mod connector_form;
pub mod drop_zone;
pub mod field;
pub mod footer;
pub mod header;
pub mod in_jumpcloud;
pub mod keygen_panel;
pub mod result;
pub mod rollover;
pub mod settings;
pub mod slot_status;
pub mod sp_import;
pub mod step;

pub use advanced::Advanced;
pub use cert_card::{CardAction, CertCard};
pub use check_view::CheckView;
pub use checklist::Checklist;
pub use connector_form::ConnectorForm;
pub use drop_zone::DropZone;
pub use field::{FindingList, TextField};
pub use footer::Footer;
pub use header::Header;
pub use in_jumpcloud::InJumpCloud;
pub use keygen_panel::{KeygenPanel, PairView};
pub use result::ResultView;
pub use rollover::RolloverChecklist;
pub use settings::Settings;
pub use slot_status::SlotStatus;
pub use sp_import::SpImport;
pub use step::Step;
