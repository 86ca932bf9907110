//! Search: analysis of Finnish and Swedish text, the in-RAM index, ranking.

pub mod analysis;
pub mod voikko;
