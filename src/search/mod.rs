//! Search: analysis of Finnish and Swedish text, the in-RAM index, ranking by place.
//!
//! It returns services in order, never text: composing the reply is `answer`'s job.

pub mod analysis;
pub mod filters;
pub mod index;
pub mod intent;
pub mod listing;
pub mod loss;
pub mod people;
pub mod profile;
pub mod rank;
pub mod side;
pub mod swedish;
pub mod voikko;

pub use analysis::{Analyzer, Mode, QueryWord};
pub use index::{Hit, SearchIndex};
pub use rank::{Ranked, Scope};
