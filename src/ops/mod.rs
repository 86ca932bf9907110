//! Running the bot for years: knowledge reloads without restarts ([`reload`]), metrics and
//! health ([`metrics`]), and taking personal details out of questions kept for the gap
//! report ([`scrub`]).

pub mod metrics;
pub mod reload;
pub mod scrub;
