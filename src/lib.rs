//! Lähiapu / Närhjälp: a Matrix bot that guides residents of Finnish welfare regions to
//! low-threshold help near them.
//!
//! A question travels one way through pure steps; only the edges touch the outside world:
//!
//! ```text
//! Matrix event ─► admission ─► understand ─► search ─► rank ─► compose ─► Matrix reply
//! ```
//!
//! - [`knowledge`]: the `knowledge/` folder: format, loading, validation (`lahiapu check`).
//! - [`geo`]: municipalities and welfare regions, places in text, distances.
//! - [`lang`]: the bot's languages and detecting them.
//! - [`understand`]: a message read once into a [`understand::Question`]: bounded text,
//!   tokens, language, places, crisis, topic words, intent.
//! - [`safety`]: does a message signal a risk to life?
//! - [`search`]: Finnish/Swedish analysis (Voikko, Snowball), the index, ranking by place.
//! - [`answer`]: the reply, from `locales/` ([`i18n`]), as plain text and safe HTML.
//! - [`assistant`]: the pipeline that ties them together; every front door calls it.
//! - [`escalation`]: the hand-over to NGO volunteers (pure decisions).
//! - `matrix` and `ops` (feature `matrix`): the bot on Matrix, and running it (reloads,
//!   metrics, the scrubbing of kept questions).
//! - [`conversation`]: what carries over between the messages of one asker (place, language).
//! - [`eval`]: the quality metrics over question sets (`lahiapu eval`, `tests/quality.rs`).
//!
//! Dependencies point inward: nothing in `knowledge` or `geo` knows about search or Matrix,
//! and nothing but the Matrix glue knows about Matrix.

pub mod answer;
pub mod assistant;
pub mod conversation;
pub mod escalation;
pub mod eval;
pub mod geo;
pub mod i18n;
pub mod knowledge;
pub mod lang;
#[cfg(feature = "matrix")]
pub mod matrix;
#[cfg(feature = "matrix")]
pub mod ops;
pub mod safety;
pub mod search;
pub mod understand;

/// Today's date in Finland, the date knowledge files are checked against.
pub fn today_in_finland() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive()
}
