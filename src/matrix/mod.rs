//! The Matrix edge: the bot on a homeserver (matrix-sdk 0.18).
//!
//! - `config`: `lahiapu.toml`.
//! - `decide`: should the bot answer an event, and how (pure, table-tested).
//! - `limits`: per-user, per-room and global answer limits (pure).
//! - `session`: logging in once, restoring the session afterwards.
//! - `bot`: the glue that joins rooms, reads messages and sends threaded notices.

pub mod bot;
pub mod config;
pub mod decide;
pub mod limits;
pub mod session;

pub use bot::{Bot, RunningBot};
pub use config::Config;
