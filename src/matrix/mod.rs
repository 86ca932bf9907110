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
//! - [`redact`]: no user IDs in the logs. [`bot`]: the wiring, start and stop.

use std::sync::atomic::AtomicU64;

pub mod admission;
pub mod bot;
pub mod commands;
pub mod config;
pub mod event;
pub mod limits;
pub mod membership;
pub mod outbox;
pub mod private;
pub mod redact;
pub mod reply;
pub mod session;
pub mod store;
pub mod sync;
pub mod worker;

pub use bot::{Bot, RunningBot};
pub use config::Config;

/// Counters of what happened at the edge (no labels, nothing about anyone).
#[derive(Debug, Default)]
pub struct Stats {
    pub undecryptable: AtomicU64,
    pub sync_errors: AtomicU64,
    pub rate_limited: AtomicU64,
    pub crisis_notices: AtomicU64,
}
