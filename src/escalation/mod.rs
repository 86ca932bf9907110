//! Escalation to NGO volunteers: when the bot cannot help, or a resident asks for a person,
//! a trained volunteer answers. The decisions are pure and table-tested here; the Matrix
//! glue (`matrix::escalation`) stores cases and relays through the outbox.
//!
//! - [`intent`]: does a message ask for a person?
//! - [`consent`]: yes, no, or "stay in this thread"?
//! - [`case`]: the states of a case and what moves it.
//! - [`routing`]: which volunteers' room serves the resident's welfare region.
//! - [`volunteer`]: the volunteers' commands.
//!
//! Privacy: a case carries the resident's words only with their consent, under a pseudonym
//! ("Asukas 17"); never their Matrix ID or name.

pub mod case;
pub mod consent;
pub mod intent;
pub mod routing;
pub mod volunteer;
