//! The Matrix edge: the bot on a homeserver (matrix-sdk 0.18). The glue is split by
//! concern; the decisions are pure functions over plain data, tested as tables.
//!
//! - [`config`]: `lahiapu.toml`; [`session`]: logging in once, restoring afterwards, keys.
//! - [`sync`]: the sync loop; records what arrives and fills gaps up to each room's
//!   checkpoint. [`event`]: a timeline event as plain data.
//! - [`store`]: the inbox and outbox (each question and each reply a durable row), the
//!   checkpoints, preferences; [`private`]: file modes and pseudonyms.
//! - [`worker`]: decides each recorded message ([`admission`], pure) and composes the reply
//!   ([`commands`], [`reply`]); [`limits`]: the reply budget (pure).
//! - [`outbox`]: sends each reply exactly once, with retries that never block the sync.
//! - [`membership`]: which invites to accept and which rooms to leave (pure rules).
//! - [`escalation`] and [`cases`]: the hand-over to volunteers (consent, cases, relays).
//! - [`redact`]: no user IDs in the logs. [`bot`]: the wiring, start and stop.

pub mod admission;
pub mod bot;
pub mod cases;
pub mod commands;
pub mod config;
pub mod escalation;
pub mod event;
pub mod feedback;
pub mod limits;
pub mod membership;
pub mod ops;
pub mod outbox;
pub mod private;
pub mod redact;
pub mod reply;
pub mod report;
pub mod session;
pub mod store;
pub mod sync;
pub mod worker;

pub use bot::{Bot, RunningBot};
pub use config::Config;
