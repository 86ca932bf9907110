//! What the bot must remember across restarts, in its own SQLite file next to the Matrix
//! store: which questions it has answered (so that a restart never answers twice and never
//! skips one), its own messages (to recognise replies to it), when it joined each room, and
//! each person's chosen language and place per room.
//!
//! No Matrix user ID is written down: preferences are keyed by a salted SHA-256 of room and
//! user, with a random salt made when the store is created. Records are kept only as long
//! as needed ([`Store::prune`]).

use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// A person's settings in one room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Option<String>,
    pub place: Option<String>,
}

/// The store.
pub struct Store {
    conn: Mutex<Connection>,
    salt: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answered (
    event_id TEXT PRIMARY KEY, room_id TEXT NOT NULL, done INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS own_events (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (room_id TEXT PRIMARY KEY, joined_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS prefs (key TEXT PRIMARY KEY, lang TEXT, place TEXT, at INTEGER NOT NULL);
";

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).with_context(|| format!("cannot open the bot store {}", path.display()))?;
        Self::init(conn)
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.execute_batch(SCHEMA).context("cannot create the bot store's tables")?;
        let salt: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'salt'", [], |r| r.get(0)).optional()?;
        let salt = match salt {
            Some(s) => s,
            None => {
                let s: String = (0..32).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
                conn.execute("INSERT INTO meta (key, value) VALUES ('salt', ?1)", params![s])?;
                s
            }
        };
        Ok(Self { conn: Mutex::new(conn), salt })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims a question for answering. `false` if it was claimed before (answered, or being
    /// answered): the caller must then leave it alone.
    pub fn claim(&self, event_id: &str, room_id: &str, now_ms: u64) -> Result<bool> {
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO answered (event_id, room_id, done, at) VALUES (?1, ?2, 0, ?3)",
            params![event_id, room_id, now_ms as i64],
        )?;
        Ok(n == 1)
    }

    /// Whether a question was claimed (answered or pending).
    pub fn is_claimed(&self, event_id: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM answered WHERE event_id = ?1", params![event_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Marks a claimed question as answered: the reply reached the homeserver.
    pub fn mark_done(&self, event_id: &str) -> Result<()> {
        self.conn().execute("UPDATE answered SET done = 1 WHERE event_id = ?1", params![event_id])?;
        Ok(())
    }

    /// Questions claimed but not yet answered (the homeserver was away), oldest first, as
    /// (event id, room id).
    pub fn pending(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT event_id, room_id FROM answered WHERE done = 0 ORDER BY at")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Gives up on a pending question (it can no longer be fetched).
    pub fn forget(&self, event_id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM answered WHERE event_id = ?1 AND done = 0", params![event_id])?;
        Ok(())
    }

    /// Remembers one of the bot's own messages.
    pub fn record_own(&self, event_id: &str, now_ms: u64) -> Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO own_events (event_id, at) VALUES (?1, ?2)",
            params![event_id, now_ms as i64],
        )?;
        Ok(())
    }

    /// Whether an event is one of the bot's messages, or a question it answered (a thread
    /// the bot answers in).
    pub fn is_bot_thread(&self, event_id: &str) -> Result<bool> {
        let conn = self.conn();
        let own =
            conn.query_row("SELECT 1 FROM own_events WHERE event_id = ?1", params![event_id], |_| Ok(())).optional()?;
        let answered =
            conn.query_row("SELECT 1 FROM answered WHERE event_id = ?1", params![event_id], |_| Ok(())).optional()?;
        Ok(own.is_some() || answered.is_some())
    }

    /// When the bot joined a room, if it has been recorded.
    pub fn joined_at(&self, room_id: &str) -> Result<Option<u64>> {
        let at: Option<i64> = self
            .conn()
            .query_row("SELECT joined_at FROM rooms WHERE room_id = ?1", params![room_id], |r| r.get(0))
            .optional()?;
        Ok(at.map(|a| a as u64))
    }

    /// Records the join time of a room unless one is recorded already; returns the time in
    /// force.
    pub fn set_joined(&self, room_id: &str, now_ms: u64) -> Result<u64> {
        self.conn().execute(
            "INSERT OR IGNORE INTO rooms (room_id, joined_at) VALUES (?1, ?2)",
            params![room_id, now_ms as i64],
        )?;
        Ok(self.joined_at(room_id)?.unwrap_or(now_ms))
    }

    fn key(&self, room_id: &str, user_id: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.salt.as_bytes());
        h.update([0]);
        h.update(room_id.as_bytes());
        h.update([0]);
        h.update(user_id.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn prefs(&self, room_id: &str, user_id: &str) -> Result<Prefs> {
        let key = self.key(room_id, user_id);
        let prefs = self
            .conn()
            .query_row("SELECT lang, place FROM prefs WHERE key = ?1", params![key], |r| {
                Ok(Prefs { lang: r.get(0)?, place: r.get(1)? })
            })
            .optional()?;
        Ok(prefs.unwrap_or_default())
    }

    pub fn set_lang(&self, room_id: &str, user_id: &str, lang: &str, now_ms: u64) -> Result<()> {
        let key = self.key(room_id, user_id);
        self.conn().execute(
            "INSERT INTO prefs (key, lang, at) VALUES (?1, ?2, ?3) ON CONFLICT(key) DO UPDATE SET lang = ?2, at = ?3",
            params![key, lang, now_ms as i64],
        )?;
        Ok(())
    }

    pub fn set_place(&self, room_id: &str, user_id: &str, place: &str, now_ms: u64) -> Result<()> {
        let key = self.key(room_id, user_id);
        self.conn().execute(
            "INSERT INTO prefs (key, place, at) VALUES (?1, ?2, ?3) ON CONFLICT(key) DO UPDATE SET place = ?2, at = ?3",
            params![key, place, now_ms as i64],
        )?;
        Ok(())
    }

    /// Deletes answered questions and own events older than `keep_ms`, and preferences not
    /// touched for `prefs_keep_ms`. Pending questions are kept until answered or given up.
    pub fn prune(&self, now_ms: u64, keep_ms: u64, prefs_keep_ms: u64) -> Result<usize> {
        let conn = self.conn();
        let cut = now_ms.saturating_sub(keep_ms) as i64;
        let mut n = conn.execute("DELETE FROM answered WHERE done = 1 AND at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM own_events WHERE at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM prefs WHERE at < ?1", params![now_ms.saturating_sub(prefs_keep_ms) as i64])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_claimed_once() {
        let s = Store::in_memory().unwrap();
        assert!(s.claim("$q1", "!r", 1).unwrap());
        assert!(!s.claim("$q1", "!r", 2).unwrap(), "a second claim must fail");
        assert!(s.is_claimed("$q1").unwrap());
        assert_eq!(s.pending().unwrap(), [("$q1".to_owned(), "!r".to_owned())]);
        s.mark_done("$q1").unwrap();
        assert!(s.pending().unwrap().is_empty());
        assert!(s.is_claimed("$q1").unwrap());
    }

    #[test]
    fn claims_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.sqlite3");
        {
            let s = Store::open(&path).unwrap();
            s.claim("$q", "!r", 1).unwrap();
            s.set_lang("!r", "@u:x", "sv", 1).unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert!(!s.claim("$q", "!r", 2).unwrap());
        assert_eq!(s.prefs("!r", "@u:x").unwrap().lang.as_deref(), Some("sv"), "the salt is kept, so keys still match");
    }

    #[test]
    fn preferences_are_per_room_and_user_and_keep_no_ids() {
        let s = Store::in_memory().unwrap();
        s.set_lang("!a", "@u:x", "sv", 1).unwrap();
        s.set_place("!a", "@u:x", "853", 2).unwrap();
        assert_eq!(s.prefs("!a", "@u:x").unwrap(), Prefs { lang: Some("sv".into()), place: Some("853".into()) });
        assert_eq!(s.prefs("!b", "@u:x").unwrap(), Prefs::default());
        assert_eq!(s.prefs("!a", "@v:x").unwrap(), Prefs::default());
        let keys: Vec<String> = s
            .conn()
            .prepare("SELECT key FROM prefs")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(keys.iter().all(|k| !k.contains("@u") && k.len() == 64));
    }

    #[test]
    fn join_times_are_kept_and_old_records_pruned() {
        let s = Store::in_memory().unwrap();
        assert_eq!(s.set_joined("!r", 100).unwrap(), 100);
        assert_eq!(s.set_joined("!r", 200).unwrap(), 100, "the first join time stays");
        s.claim("$old", "!r", 10).unwrap();
        s.mark_done("$old").unwrap();
        s.claim("$pending", "!r", 10).unwrap();
        s.record_own("$mine", 10).unwrap();
        assert!(s.is_bot_thread("$mine").unwrap());
        assert_eq!(s.prune(1_000, 100, 100).unwrap(), 2);
        assert!(!s.is_claimed("$old").unwrap());
        assert!(s.is_claimed("$pending").unwrap(), "pending questions are not pruned");
    }
}
