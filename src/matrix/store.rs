//! What the bot keeps across restarts, in its own SQLite file next to the Matrix store.
//!
//! - **inbox**: one row per message that arrived, written before anything is decided or
//!   sent: `received` → `decided` (the decision is stored) → `done`, or `given_up` with a
//!   reason. While a row is open it holds what is needed to answer (the event as JSON:
//!   sender, text, thread); once decided that is deleted and only the pseudonym of its event
//!   ID is kept, so that the event is never answered twice.
//! - **outbox**: one row per message the bot will send, written in the same transaction as
//!   the decision: `pending` → `sent`, or `given_up`. Each row has a fixed transaction ID,
//!   so a message sent again after a crash or an outage is the same message to the
//!   homeserver. A sent row keeps no content.
//! - **checkpoints**: per room, the last event recorded, so that what arrived while the bot
//!   was away, or beyond a `limited` timeline, is fetched with `/messages` up to it.
//! - the bot's own events and the threads it posted in (to recognise follow-ups), when it
//!   joined each room, and each person's chosen language and place per room.
//!
//! Matrix IDs are stored only in open rows. Everything else is keyed by pseudonyms
//! ([`Pseudonyms`]) whose key is not in this file. Closed rows, own events and threads
//! are pruned after `retention_days`, preferences after four times that without use.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;

use super::event::Arrival;
use super::private::{self, Pseudonyms};

/// A person's settings in one room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Option<String>,
    pub place: Option<String>,
}

/// An inbox row that is still to be decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub seq: i64,
    pub arrival: Arrival,
    /// When the bot recorded it (ms).
    pub arrived_at: u64,
}

/// A message to send, as the decision writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub room_id: String,
    /// `m.room.message`, `m.reaction`…
    pub event_type: String,
    pub content: Value,
    /// The thread root the message posts in (follow-ups there are answered).
    pub thread: Option<String>,
    /// After this time (ms) the message is not worth sending any more.
    pub give_up_at: u64,
    /// The case the message belongs to, and what its event ID means for the case.
    pub case: Option<(i64, Role)>,
    /// For an answer: what feedback on it is counted under (`feedback::AnswerMeta`).
    pub meta: Option<Value>,
    /// Sent before everything else that is due: the crisis lines.
    pub urgent: bool,
}

/// What a sent message is to its case: its event ID is remembered accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The consent question (✅ / ❌ reactions to it are answers).
    Prompt,
    /// The case root in the volunteers' room.
    Root,
    /// A message in the volunteers' room (deleted with the case's texts).
    ToVolunteers,
    /// A message to the resident.
    ToResident,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Prompt => "prompt",
            Role::Root => "root",
            Role::ToVolunteers => "to-volunteers",
            Role::ToResident => "to-resident",
        }
    }
}

/// An outbox row due to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub id: i64,
    pub room_id: String,
    pub event_type: String,
    pub content: Value,
    pub txn_id: String,
    pub attempts: u32,
    pub give_up_at: u64,
    /// A crisis reply: sent before everything else.
    pub urgent: bool,
}

/// How many rows are in each state (for tests, `!tila` and metrics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub received: u64,
    pub decided: u64,
    pub done: u64,
    pub given_up: u64,
    pub outbox_pending: u64,
    pub outbox_sent: u64,
    pub outbox_given_up: u64,
}

/// The store.
pub struct Store {
    conn: Mutex<Connection>,
    ids: Pseudonyms,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

const SCHEMA_VERSION: i64 = 6;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    arrived_at INTEGER NOT NULL,
    payload TEXT,
    decision TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS inbox_state ON inbox (state, seq);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    inbox_seq INTEGER,
    room_id TEXT,
    event_type TEXT NOT NULL,
    content TEXT,
    txn_id TEXT NOT NULL UNIQUE,
    thread_key TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    give_up_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    error TEXT,
    case_id INTEGER,
    role TEXT,
    meta TEXT,
    turn_key TEXT,
    urgent INTEGER NOT NULL DEFAULT 0,
    turn INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_at);
-- The order `due` hands messages out in, read from the index without sorting the queue.
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (state, urgent DESC, turn);
CREATE INDEX IF NOT EXISTS outbox_turn_key ON outbox (turn_key, state, turn);
CREATE INDEX IF NOT EXISTS outbox_inbox ON outbox (inbox_seq);
CREATE TABLE IF NOT EXISTS own_events (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bot_threads (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (room_key TEXT PRIMARY KEY, event_key TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (room_key TEXT PRIMARY KEY, joined_at INTEGER, kind TEXT);
CREATE TABLE IF NOT EXISTS prefs (key TEXT PRIMARY KEY, lang TEXT, place TEXT, at INTEGER NOT NULL);
";

impl Store {
    /// Opens (or creates) the store at `path`, private to the bot's user.
    pub fn open(path: &Path, ids: Pseudonyms) -> Result<Self> {
        private::touch_private(path)?;
        let conn = Connection::open(path).with_context(|| format!("cannot open the bot store {}", path.display()))?;
        Self::init(conn, ids)
    }

    /// Opens the store of the bot whose folder is `dir` (for reports); fails if there is none.
    pub fn open_existing(dir: &Path) -> Result<Self> {
        let paths = super::session::Paths::new(dir);
        if !paths.bot_store.exists() {
            anyhow::bail!("no bot store in {}: has the bot run with this config?", dir.display());
        }
        Self::open(&paths.bot_store, Pseudonyms::load_or_create(&paths.pseudonym_key)?)
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, Pseudonyms::for_tests())
    }

    fn init(conn: Connection, ids: Pseudonyms) -> Result<Self> {
        // WAL with NORMAL sync survives a killed process (not a power cut mid-write, which a
        // bot on a server may accept); secure_delete overwrites the texts of closed rows.
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;")
            .context("cannot configure the bot store")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if (2..SCHEMA_VERSION).contains(&version) {
            // Version 2 had no cases, version 3 no feedback, version 4 no turns in the outbox,
            // version 5 no stored turn (its pending rows, turn 0, go first).
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info('outbox')")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let added = [
                ("case_id", "INTEGER"),
                ("role", "TEXT"),
                ("meta", "TEXT"),
                ("turn_key", "TEXT"),
                ("urgent", "INTEGER NOT NULL DEFAULT 0"),
                ("turn", "INTEGER NOT NULL DEFAULT 0"),
            ];
            for (column, kind) in added {
                if !columns.iter().any(|c| c == column) {
                    conn.execute_batch(&format!("ALTER TABLE outbox ADD COLUMN {column} {kind}"))?;
                }
            }
        } else if version < 2 {
            // The first store (before pseudonyms) kept event and room IDs in clear and
            // salted hashes in the same file: nothing of it is worth keeping.
            conn.execute_batch(
                "DROP TABLE IF EXISTS answered; DROP TABLE IF EXISTS own_events; DROP TABLE IF EXISTS rooms;
                 DROP TABLE IF EXISTS prefs; DROP TABLE IF EXISTS meta;",
            )?;
        }
        conn.execute_batch(SCHEMA).context("cannot create the bot store's tables")?;
        conn.execute_batch(super::cases::SCHEMA).context("cannot create the bot store's case tables")?;
        conn.execute_batch(super::feedback::SCHEMA).context("cannot create the bot store's feedback tables")?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        Ok(Self { conn: Mutex::new(conn), ids })
    }

    pub(super) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The pseudonym of an event ID (as stored in checkpoints).
    pub fn event_key(&self, event_id: &str) -> String {
        self.ids.of(&["event", event_id])
    }

    fn room_key(&self, room_id: &str) -> String {
        self.ids.of(&["room", room_id])
    }

    /// The pseudonym of a person in a room: what budgets and preferences are keyed by.
    pub fn person_key(&self, room_id: &str, user_id: &str) -> String {
        self.ids.of(&["person", room_id, user_id])
    }

    /// The pseudonym of a person (across rooms), e.g. for invite limits.
    pub fn user_key(&self, user_id: &str) -> String {
        self.ids.of(&["user", user_id])
    }

    /// Records what arrived in a room, and moves the room's checkpoint to `last` (the last
    /// event seen, whether recorded or not), in one transaction. Events recorded before are
    /// left alone. Returns how many rows are new.
    pub fn record(&self, room_id: &str, arrivals: &[Arrival], last: Option<(&str, u64)>, now: u64) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut new = 0;
        for a in arrivals {
            let payload = serde_json::to_string(a)?;
            new += tx.execute(
                "INSERT OR IGNORE INTO inbox (key, state, sent_at, arrived_at, payload) VALUES (?1, 'received', ?2, ?3, ?4)",
                params![self.event_key(&a.event_id), a.ts as i64, now as i64, payload],
            )?;
        }
        if let Some((event_id, ts)) = last {
            tx.execute(
                "INSERT INTO checkpoints (room_key, event_key, ts) VALUES (?1, ?2, ?3)
                 ON CONFLICT (room_key) DO UPDATE SET event_key = ?2, ts = ?3",
                params![self.room_key(room_id), self.event_key(event_id), ts as i64],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Whether an event was recorded (open or closed).
    pub fn is_recorded(&self, event_id: &str) -> Result<bool> {
        let key = self.event_key(event_id);
        Ok(self.conn().query_row("SELECT 1 FROM inbox WHERE key = ?1", params![key], |_| Ok(())).optional()?.is_some())
    }

    /// The room's checkpoint: the pseudonym of the last event recorded, and its time.
    pub fn checkpoint(&self, room_id: &str) -> Result<Option<(String, u64)>> {
        let key = self.room_key(room_id);
        let row = self
            .conn()
            .query_row("SELECT event_key, ts FROM checkpoints WHERE room_key = ?1", params![key], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .optional()?;
        Ok(row)
    }

    /// Rows still to be decided, oldest first.
    pub fn received(&self, limit: usize) -> Result<Vec<Received>> {
        // (An unreadable payload has no sender: it takes its turn with the others like it,
        // and is given up below.)
        let conn = self.conn();
        // Each person's messages in the order they came, but people in turns: everyone's
        // first waiting message before anyone's second, so that one person's flood does not
        // hold up the others' questions.
        let mut stmt = conn.prepare(
            "SELECT seq, payload, arrived_at FROM (
                SELECT seq, payload, arrived_at, ROW_NUMBER() OVER (
                    PARTITION BY json_extract(payload, '$.room_id'), json_extract(payload, '$.sender') ORDER BY seq
                ) AS turn
                FROM inbox WHERE state = 'received'
            ) ORDER BY turn, seq LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)? as u64))
        })?;
        let mut out = Vec::new();
        let mut broken = Vec::new();
        for row in rows {
            let (seq, payload, arrived_at) = row?;
            match payload.as_deref().map(serde_json::from_str::<Arrival>) {
                Some(Ok(arrival)) => out.push(Received { seq, arrival, arrived_at }),
                _ => broken.push(seq),
            }
        }
        drop(stmt);
        for seq in broken {
            close_inbox(&conn, seq, "given_up", Some("unreadable row"))?;
        }
        Ok(out)
    }

    /// Stores the decision on a row and the messages it sends, in one transaction; a row
    /// that sends nothing is closed at once.
    pub fn decide(&self, seq: i64, decision: &str, messages: &[NewMessage], now: u64) -> Result<()> {
        self.decide_with(seq, decision, messages, now, |_| Ok(()))
    }

    /// [`Store::decide`], with `also` (e.g. a case's change) in the same transaction: a crash
    /// leaves either both or neither.
    pub fn decide_with(
        &self,
        seq: i64,
        decision: &str,
        messages: &[NewMessage],
        now: u64,
        also: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let Some(payload): Option<String> = tx
            .query_row("SELECT payload FROM inbox WHERE seq = ?1 AND state = 'received'", params![seq], |r| r.get(0))
            .optional()?
            .flatten()
        else {
            return Ok(()); // decided before (a second worker, or a replay): leave it
        };
        let source: Arrival = serde_json::from_str(&payload)?;
        // The messages carry everything the decision needs from here on.
        tx.execute(
            "UPDATE inbox SET state = 'decided', decision = ?2, payload = NULL WHERE seq = ?1",
            params![seq, decision],
        )?;
        let person = self.person_key(&source.room_id, &source.sender);
        for (part, m) in messages.iter().enumerate() {
            self.insert_outgoing(&tx, Some(seq), &source.event_id, &person, part, m, now)?;
        }
        if messages.is_empty() {
            close_inbox(&tx, seq, "done", None)?;
        }
        also(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Queues a message that answers no inbox row (e.g. a notice to admins), keyed by a
    /// stable `source` so that queueing it twice sends it once.
    pub fn enqueue(&self, source: &str, message: &NewMessage, now: u64) -> Result<bool> {
        self.enqueue_with(source, std::slice::from_ref(message), now, |_| Ok(()))
    }

    /// Queues messages keyed by `source` (queued once however often this runs) with `also`
    /// in the same transaction; `false` if they were queued before (then `also` is skipped).
    pub fn enqueue_with(
        &self,
        source: &str,
        messages: &[NewMessage],
        now: u64,
        also: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut new = messages.is_empty();
        let turn = self.ids.of(&["turn", source]);
        for (part, m) in messages.iter().enumerate() {
            new |= self.insert_outgoing(&tx, None, source, &turn, part, m, now)?;
        }
        if new {
            also(&tx)?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Queues one message. `turn` is whose turn it takes in the outbox (the person it
    /// answers); a case's messages all take the case's turn, so they keep their order.
    #[allow(clippy::too_many_arguments)]
    fn insert_outgoing(
        &self,
        tx: &Transaction<'_>,
        inbox: Option<i64>,
        source: &str,
        turn: &str,
        part: usize,
        m: &NewMessage,
        now: u64,
    ) -> Result<bool> {
        let txn = format!("lahiapu-{}", &self.ids.of(&["txn", source, &part.to_string()])[..32]);
        let thread = m.thread.as_deref().map(|t| self.event_key(t));
        let turn = match m.case {
            Some((case, _)) => self.ids.of(&["case-turn", &case.to_string()]),
            None => turn.to_owned(),
        };
        // Its turn: one after the person's (or case's) last message still waiting, so that
        // everyone's first waiting message goes before anyone's second.
        let n = tx.execute(
            "INSERT OR IGNORE INTO outbox (inbox_seq, room_id, event_type, content, txn_id, thread_key, state, next_at,
                                           give_up_at, created_at, case_id, role, meta, turn_key, urgent, turn)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?7, ?9, ?10, ?11, ?12, ?13,
                     (SELECT COALESCE(MAX(turn), 0) + 1 FROM outbox WHERE turn_key = ?12 AND state = 'pending'))",
            params![
                inbox,
                m.room_id,
                m.event_type,
                serde_json::to_string(&m.content)?,
                txn,
                thread,
                now as i64,
                m.give_up_at as i64,
                m.case.map(|(id, _)| id),
                m.case.map(|(_, role)| role.as_str()),
                m.meta.as_ref().map(|m| m.to_string()),
                turn,
                m.urgent,
            ],
        )?;
        Ok(n == 1)
    }

    /// Closes a row that cannot be decided (its room is gone, the answer failed…).
    pub fn give_up(&self, seq: i64, reason: &str) -> Result<()> {
        close_inbox(&self.conn(), seq, "given_up", Some(reason))
    }

    /// Messages due to be sent at `now`, except those in `busy`: urgent ones first, then one
    /// per person (or case) in turn, each person's oldest first.
    pub fn due(&self, now: u64, limit: usize, busy: &[i64]) -> Result<Vec<Due>> {
        let conn = self.conn();
        // The crisis lines first; then people in turns, each person's messages in the order
        // they were queued: one person's flood of replies does not hold up the others'. The
        // turn is stored when a message is queued and the order read from an index: under
        // load the queue is thousands long, and numbering it anew on every wake-up of the
        // sender (a window over the whole queue) cost 10–45 ms a time.
        let mut stmt = conn.prepare_cached(
            "SELECT id, room_id, event_type, content, txn_id, attempts, give_up_at, urgent FROM outbox
             INDEXED BY outbox_order WHERE state = 'pending' AND next_at <= ?1 ORDER BY urgent DESC, turn, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now as i64, (limit + busy.len()) as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, room_id, event_type, content, txn_id, attempts, give_up_at, urgent) = row?;
            if busy.contains(&id) || out.len() >= limit {
                continue;
            }
            let content = content.as_deref().and_then(|c| serde_json::from_str(c).ok());
            if let (Some(room_id), Some(content)) = (room_id, content) {
                out.push(Due {
                    id,
                    room_id,
                    event_type,
                    content,
                    txn_id,
                    attempts: attempts as u32,
                    give_up_at: give_up_at as u64,
                    urgent,
                });
            }
        }
        Ok(out)
    }

    /// The homeserver accepted a message as `event_id`: forget its content, remember the
    /// event and its thread as the bot's, and close the inbox row once all its messages are
    /// settled.
    pub fn sent(&self, id: i64, event_id: &str, now: u64) -> Result<Option<super::feedback::AnswerMeta>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let answer = super::feedback::on_sent(&tx, self, id, event_id)?;
        tx.execute(
            "UPDATE outbox SET state = 'sent', content = NULL, room_id = NULL, turn_key = NULL, error = NULL, attempts = attempts + 1
             WHERE id = ?1",
            params![id],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO own_events (key, at) VALUES (?1, ?2)",
            params![self.event_key(event_id), now as i64],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO bot_threads (key, at) SELECT thread_key, ?2 FROM outbox WHERE id = ?1 AND thread_key IS NOT NULL",
            params![id, now as i64],
        )?;
        super::cases::on_sent(&tx, id, event_id)?;
        settle_inbox_of(&tx, id)?;
        tx.commit()?;
        Ok(answer)
    }

    /// A send failed for a reason that may pass: try again at `next_at`.
    pub fn retry(&self, id: i64, next_at: u64, error: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE outbox SET attempts = attempts + 1, next_at = ?2, error = ?3 WHERE id = ?1",
            params![id, next_at as i64, error],
        )?;
        Ok(())
    }

    /// A message that will never be sent (forbidden, too old…): forget its content.
    pub fn abandon(&self, id: i64, reason: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE outbox SET state = 'given_up', content = NULL, room_id = NULL, turn_key = NULL, error = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        settle_inbox_of(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether a message is one of the bot's own, or in a thread the bot posted in.
    pub fn in_bot_thread(&self, thread_root: Option<&str>, in_reply_to: Option<&str>) -> Result<bool> {
        let conn = self.conn();
        let has = |table: &str, id: &str| -> Result<bool> {
            let key = self.event_key(id);
            Ok(conn
                .query_row(&format!("SELECT 1 FROM {table} WHERE key = ?1"), params![key], |_| Ok(()))
                .optional()?
                .is_some())
        };
        if let Some(root) = thread_root
            && (has("bot_threads", root)? || has("own_events", root)?)
        {
            return Ok(true);
        }
        match in_reply_to {
            Some(target) => has("own_events", target),
            None => Ok(false),
        }
    }

    /// When the bot joined a room, if known.
    pub fn joined_at(&self, room_id: &str) -> Result<Option<u64>> {
        let key = self.room_key(room_id);
        let at: Option<Option<i64>> = self
            .conn()
            .query_row("SELECT joined_at FROM rooms WHERE room_key = ?1", params![key], |r| r.get(0))
            .optional()?;
        Ok(at.flatten().map(|a| a as u64))
    }

    /// Records a join time: the join event's own time replaces an estimate (`exact`), an
    /// estimate never replaces a known time.
    pub fn set_joined(&self, room_id: &str, at: u64, exact: bool) -> Result<()> {
        let key = self.room_key(room_id);
        let sql = if exact {
            "INSERT INTO rooms (room_key, joined_at) VALUES (?1, ?2) ON CONFLICT (room_key) DO UPDATE SET joined_at = ?2"
        } else {
            "INSERT INTO rooms (room_key, joined_at) VALUES (?1, ?2)
             ON CONFLICT (room_key) DO UPDATE SET joined_at = coalesce(joined_at, ?2)"
        };
        self.conn().execute(sql, params![key, at as i64])?;
        Ok(())
    }

    /// Why the bot is in a room it was invited to (`direct` or `admin`), if recorded.
    pub fn room_kind(&self, room_id: &str) -> Result<Option<String>> {
        let key = self.room_key(room_id);
        let kind: Option<Option<String>> = self
            .conn()
            .query_row("SELECT kind FROM rooms WHERE room_key = ?1", params![key], |r| r.get(0))
            .optional()?;
        Ok(kind.flatten())
    }

    pub fn set_room_kind(&self, room_id: &str, kind: &str) -> Result<()> {
        let key = self.room_key(room_id);
        self.conn().execute(
            "INSERT INTO rooms (room_key, kind) VALUES (?1, ?2) ON CONFLICT (room_key) DO UPDATE SET kind = ?2",
            params![key, kind],
        )?;
        Ok(())
    }

    /// A person's settings in a room; reading them counts as using them (they expire only
    /// when unused).
    pub fn prefs(&self, room_id: &str, user_id: &str, now: u64) -> Result<Prefs> {
        let key = self.person_key(room_id, user_id);
        let conn = self.conn();
        let prefs = conn
            .query_row("SELECT lang, place FROM prefs WHERE key = ?1", params![key], |r| {
                Ok(Prefs { lang: r.get(0)?, place: r.get(1)? })
            })
            .optional()?;
        if prefs.is_some() {
            conn.execute("UPDATE prefs SET at = ?2 WHERE key = ?1", params![key, now as i64])?;
        }
        Ok(prefs.unwrap_or_default())
    }

    /// Sets (or with `None` clears) a person's reply language in a room.
    pub fn set_lang(&self, room_id: &str, user_id: &str, lang: Option<&str>, now: u64) -> Result<()> {
        let key = self.person_key(room_id, user_id);
        self.conn().execute(
            "INSERT INTO prefs (key, lang, at) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET lang = ?2, at = ?3",
            params![key, lang, now as i64],
        )?;
        Ok(())
    }

    pub fn set_place(&self, room_id: &str, user_id: &str, place: &str, now: u64) -> Result<()> {
        let key = self.person_key(room_id, user_id);
        self.conn().execute(
            "INSERT INTO prefs (key, place, at) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET place = ?2, at = ?3",
            params![key, place, now as i64],
        )?;
        Ok(())
    }

    /// Deletes closed rows, sent messages, own events and threads older than `keep_ms`, and
    /// preferences unused for `prefs_keep_ms`. Open rows stay until they are settled.
    pub fn prune(&self, now: u64, keep_ms: u64, prefs_keep_ms: u64) -> Result<usize> {
        let conn = self.conn();
        let cut = now.saturating_sub(keep_ms) as i64;
        let mut n =
            conn.execute("DELETE FROM inbox WHERE state IN ('done', 'given_up') AND arrived_at < ?1", params![cut])?;
        n +=
            conn.execute("DELETE FROM outbox WHERE state IN ('sent', 'given_up') AND created_at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM own_events WHERE at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM bot_threads WHERE at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM prefs WHERE at < ?1", params![now.saturating_sub(prefs_keep_ms) as i64])?;
        drop(conn);
        n += self.prune_feedback(now)?;
        Ok(n)
    }

    /// How many rows are in each state.
    pub fn counts(&self) -> Result<Counts> {
        let conn = self.conn();
        let mut c = Counts::default();
        let mut stmt = conn.prepare("SELECT state, count(*) FROM inbox GROUP BY state")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))? {
            let (state, n) = row?;
            match state.as_str() {
                "received" => c.received = n,
                "decided" => c.decided = n,
                "done" => c.done = n,
                _ => c.given_up = n,
            }
        }
        let mut stmt = conn.prepare("SELECT state, count(*) FROM outbox GROUP BY state")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))? {
            let (state, n) = row?;
            match state.as_str() {
                "pending" => c.outbox_pending = n,
                "sent" => c.outbox_sent = n,
                _ => c.outbox_given_up = n,
            }
        }
        Ok(c)
    }

    /// The decisions of closed and decided rows, with counts (for tests and statistics).
    pub fn decisions(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT coalesce(decision, 'given-up:' || coalesce(reason, '?')), count(*) FROM inbox
             WHERE state != 'received' GROUP BY 1 ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Closes an inbox row: only its pseudonym, times, decision and reason stay.
fn close_inbox(conn: &Connection, seq: i64, state: &str, reason: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE inbox SET state = ?2, payload = NULL, reason = coalesce(?3, reason) WHERE seq = ?1",
        params![seq, state, reason],
    )?;
    Ok(())
}

/// Closes the inbox row of outbox row `id` if none of its messages is pending any more.
fn settle_inbox_of(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let seq: Option<Option<i64>> =
        tx.query_row("SELECT inbox_seq FROM outbox WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
    let Some(seq) = seq.flatten() else { return Ok(()) };
    let open: i64 =
        tx.query_row("SELECT count(*) FROM outbox WHERE inbox_seq = ?1 AND state = 'pending'", params![seq], |r| {
            r.get(0)
        })?;
    if open == 0 {
        let sent: i64 =
            tx.query_row("SELECT count(*) FROM outbox WHERE inbox_seq = ?1 AND state = 'sent'", params![seq], |r| {
                r.get(0)
            })?;
        if sent > 0 {
            close_inbox(tx, seq, "done", None)?;
        } else {
            close_inbox(tx, seq, "given_up", Some("not sent"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::event::Kind;
    use serde_json::json;

    fn arrival(id: &str) -> Arrival {
        Arrival {
            event_id: id.into(),
            room_id: "!r:x".into(),
            sender: "@resident:x".into(),
            ts: 10,
            kind: Kind::Text,
            body: "mistä apua velkoihin?".into(),
            mentions_bot: false,
            thread_root: None,
            in_reply_to: None,
            edit: false,
        }
    }

    fn message(thread: Option<&str>) -> NewMessage {
        NewMessage {
            room_id: "!r:x".into(),
            event_type: "m.room.message".into(),
            content: json!({"msgtype": "m.notice", "body": "vastaus", "m.mentions": {"user_ids": ["@resident:x"]}}),
            thread: thread.map(Into::into),
            give_up_at: 1_000,
            case: None,
            meta: None,
            urgent: false,
        }
    }

    /// Every text value in the database, to check what is kept in clear.
    fn all_text(s: &Store) -> String {
        let conn = s.conn();
        let mut out = String::new();
        for table in ["inbox", "outbox", "own_events", "bot_threads", "checkpoints", "rooms", "prefs"] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for i in 0..n {
                    if let Ok(Some(t)) = row.get::<_, Option<String>>(i) {
                        out.push_str(&t);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }

    /// The outbox's order: a crisis reply first, then people in turns, and each person's (or
    /// case's) messages in the order they were queued.
    #[test]
    fn the_outbox_sends_a_crisis_first_and_people_in_turns() {
        let s = Store::in_memory().unwrap();
        let from = |id: &str, sender: &str| Arrival { sender: sender.into(), ..arrival(id) };
        let reply = |body: &str, urgent: bool| NewMessage {
            content: json!({"msgtype": "m.notice", "body": body}),
            urgent,
            ..message(None)
        };
        // One person floods first; another asks; a third writes of wanting to die.
        let mut queued = Vec::new();
        for i in 0..4 {
            queued.push((from(&format!("$f{i}"), "@flood:x"), reply(&format!("flood {i}"), false)));
        }
        queued.push((from("$a", "@asker:x"), reply("asker", false)));
        queued.push((from("$c", "@crisis:x"), reply("crisis", true)));
        for (n, (a, m)) in queued.into_iter().enumerate() {
            s.record("!r:x", &[a], None, n as u64).unwrap();
            let seq = s.received(10).unwrap()[0].seq;
            s.decide(seq, "answer", &[m], 10).unwrap();
        }
        let cases = [("case-1", 1), ("case-2", 2)];
        let case_message = |body: &str, case: i64| NewMessage {
            content: json!({"msgtype": "m.text", "body": body}),
            case: Some((case, Role::ToVolunteers)),
            ..message(None)
        };
        // Two relays of one case, queued from two sources: they keep the case's order.
        for (source, case) in cases {
            s.enqueue(source, &case_message(&format!("{source} first"), case), 10).unwrap();
        }
        s.enqueue("case-1-again", &case_message("case-1 second", 1), 10).unwrap();

        let order: Vec<String> = s
            .due(20, 20, &[])
            .unwrap()
            .into_iter()
            .map(|d| d.content["body"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            order,
            [
                "crisis",
                "flood 0",
                "asker",
                "case-1 first",
                "case-2 first",
                "flood 1",
                "case-1 second",
                "flood 2",
                "flood 3"
            ]
        );
        let first = s.due(20, 2, &[]).unwrap();
        let next: Vec<String> = s
            .due(20, 2, &[first[0].id, first[1].id])
            .unwrap()
            .into_iter()
            .map(|d| d.content["body"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(next, ["asker", "case-1 first"], "messages being sent still take their person's turn");
    }

    #[test]
    fn a_store_of_version_4_gets_the_outbox_turns_and_keeps_its_pending_messages() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, inbox_seq INTEGER, room_id TEXT,
                 event_type TEXT NOT NULL, content TEXT, txn_id TEXT NOT NULL UNIQUE, thread_key TEXT,
                 state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
                 give_up_at INTEGER NOT NULL, created_at INTEGER NOT NULL, error TEXT, case_id INTEGER,
                 role TEXT, meta TEXT);
             INSERT INTO outbox (room_id, event_type, content, txn_id, state, next_at, give_up_at, created_at)
                 VALUES ('!r:x', 'm.room.message', '{\"body\": \"old\"}', 'lahiapu-old', 'pending', 0, 100, 0);
             PRAGMA user_version = 4;",
        )
        .unwrap();
        let s = Store::init(conn, Pseudonyms::for_tests()).unwrap();
        s.enqueue("new", &NewMessage { urgent: true, ..message(None) }, 1).unwrap();
        let due: Vec<String> = s.due(2, 10, &[]).unwrap().into_iter().map(|d| d.txn_id).collect();
        assert_eq!(due.len(), 2);
        assert_eq!(due[1], "lahiapu-old", "the old message is still sent, after the urgent one");
    }

    #[test]
    fn a_question_goes_received_decided_sent_done_and_keeps_no_ids_afterwards() {
        let s = Store::in_memory().unwrap();
        assert_eq!(s.record("!r:x", &[arrival("$q1")], Some(("$q1", 10)), 20).unwrap(), 1);
        assert_eq!(s.record("!r:x", &[arrival("$q1")], Some(("$q1", 10)), 21).unwrap(), 0, "recorded once");
        let received = s.received(10).unwrap();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].arrival, arrival("$q1"));

        s.decide(received[0].seq, "answer", &[message(Some("$q1"))], 30).unwrap();
        assert!(s.received(10).unwrap().is_empty());
        s.decide(received[0].seq, "answer", &[message(Some("$q1"))], 31).unwrap();
        let due = s.due(30, 10, &[]).unwrap();
        assert_eq!(due.len(), 1, "a second decision adds nothing");
        assert!(due[0].txn_id.starts_with("lahiapu-"));
        assert!(s.due(30, 10, &[due[0].id]).unwrap().is_empty(), "a message being sent is not handed out twice");

        s.sent(due[0].id, "$answer1", 40).unwrap();
        assert!(s.due(50, 10, &[]).unwrap().is_empty());
        assert!(s.in_bot_thread(Some("$q1"), None).unwrap(), "the bot posted in the question's thread");
        assert!(s.in_bot_thread(None, Some("$answer1")).unwrap(), "a reply to the bot's answer");
        assert!(
            !s.in_bot_thread(Some("$elsewhere"), Some("$q1")).unwrap(),
            "a reply to the question is not a reply to the bot"
        );
        assert!(s.is_recorded("$q1").unwrap());
        assert_eq!(s.counts().unwrap(), Counts { done: 1, outbox_sent: 1, ..Counts::default() });

        let kept = all_text(&s);
        for secret in ["$q1", "!r:x", "@resident", "velkoihin", "vastaus", "$answer1"] {
            assert!(!kept.contains(secret), "{secret:?} is still stored after the answer:\n{kept}");
        }
    }

    #[test]
    fn people_take_turns_and_each_ones_messages_keep_their_order() {
        let s = Store::in_memory().unwrap();
        let from = |id: &str, sender: &str| Arrival { sender: sender.into(), ..arrival(id) };
        let flood: Vec<Arrival> = (0..5).map(|i| from(&format!("$f{i}"), "@flooder:x")).collect();
        s.record("!r:x", &flood, None, 20).unwrap();
        s.record("!r:x", &[from("$a", "@a:x"), from("$b1", "@b:x"), from("$b2", "@b:x")], None, 21).unwrap();
        let order: Vec<String> = s.received(6).unwrap().into_iter().map(|r| r.arrival.event_id).collect();
        assert_eq!(order, ["$f0", "$a", "$b1", "$f1", "$b2", "$f2"]);
    }

    #[test]
    fn the_same_question_gets_the_same_transaction_id_and_others_do_not() {
        let s = Store::in_memory().unwrap();
        s.record("!r:x", &[arrival("$a"), arrival("$b")], None, 1).unwrap();
        for r in s.received(10).unwrap() {
            s.decide(r.seq, "answer", &[message(None), message(None)], 2).unwrap();
        }
        let txns: Vec<String> = s.due(2, 10, &[]).unwrap().into_iter().map(|d| d.txn_id).collect();
        assert_eq!(txns.len(), 4);
        let mut unique = txns.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 4, "one per message part: {txns:?}");
        let again = Store::in_memory().unwrap();
        again.record("!r:x", &[arrival("$a")], None, 1).unwrap();
        let r = again.received(1).unwrap();
        again.decide(r[0].seq, "answer", &[message(None)], 2).unwrap();
        assert_eq!(again.due(2, 1, &[]).unwrap()[0].txn_id, txns[0], "derived from the event, not from the row");
    }

    #[test]
    fn a_silent_decision_closes_the_row_and_a_message_given_up_closes_it_as_given_up() {
        let s = Store::in_memory().unwrap();
        s.record("!r:x", &[arrival("$chat"), arrival("$q")], None, 1).unwrap();
        let rows = s.received(10).unwrap();
        s.decide(rows[0].seq, "silent:no-answer", &[], 2).unwrap();
        s.decide(rows[1].seq, "answer", &[message(None)], 2).unwrap();
        let due = s.due(2, 10, &[]).unwrap();
        s.retry(due[0].id, 100, "network").unwrap();
        assert!(s.due(50, 10, &[]).unwrap().is_empty(), "not before its retry time");
        assert_eq!(s.due(100, 10, &[]).unwrap()[0].attempts, 1);
        s.abandon(due[0].id, "forbidden").unwrap();
        let c = s.counts().unwrap();
        assert_eq!((c.done, c.given_up, c.outbox_given_up), (1, 1, 1));
        assert_eq!(s.decisions().unwrap(), [("answer".to_owned(), 1), ("silent:no-answer".to_owned(), 1)]);
    }

    #[test]
    fn checkpoints_join_times_and_room_kinds() {
        let s = Store::in_memory().unwrap();
        assert_eq!(s.checkpoint("!r:x").unwrap(), None);
        s.record("!r:x", &[], Some(("$last", 77)), 1).unwrap();
        assert_eq!(s.checkpoint("!r:x").unwrap(), Some((s.event_key("$last"), 77)));
        s.set_joined("!r:x", 100, false).unwrap();
        s.set_joined("!r:x", 200, false).unwrap();
        assert_eq!(s.joined_at("!r:x").unwrap(), Some(100), "an estimate does not replace a known time");
        s.set_joined("!r:x", 90, true).unwrap();
        assert_eq!(s.joined_at("!r:x").unwrap(), Some(90), "the join event's time wins");
        s.set_room_kind("!r:x", "direct").unwrap();
        assert_eq!(s.room_kind("!r:x").unwrap().as_deref(), Some("direct"));
        assert_eq!(s.joined_at("!r:x").unwrap(), Some(90));
    }

    #[test]
    fn preferences_are_per_room_and_person_refresh_on_use_and_keep_no_ids() {
        let s = Store::in_memory().unwrap();
        s.set_lang("!a", "@u:x", Some("sv"), 1).unwrap();
        s.set_place("!a", "@u:x", "853", 2).unwrap();
        assert_eq!(s.prefs("!a", "@u:x", 3).unwrap(), Prefs { lang: Some("sv".into()), place: Some("853".into()) });
        assert_eq!(s.prefs("!b", "@u:x", 3).unwrap(), Prefs::default());
        s.set_lang("!a", "@u:x", None, 4).unwrap();
        assert_eq!(s.prefs("!a", "@u:x", 1_000).unwrap().lang, None, "`auto` clears the choice");
        assert_eq!(s.prune(1_050, 10, 100).unwrap(), 0, "used at 1000, so kept");
        assert_eq!(s.prune(2_000, 10, 100).unwrap(), 1);
        assert!(!all_text(&s).contains("@u"));
    }

    #[test]
    fn open_rows_are_never_pruned_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.sqlite3");
        let key = dir.path().join("pseudonym.key");
        {
            let s = Store::open(&path, Pseudonyms::load_or_create(&key).unwrap()).unwrap();
            s.record("!r:x", &[arrival("$open")], None, 1).unwrap();
            assert_eq!(s.prune(1_000_000, 10, 10).unwrap(), 0);
        }
        let s = Store::open(&path, Pseudonyms::load_or_create(&key).unwrap()).unwrap();
        assert_eq!(s.received(10).unwrap().len(), 1, "a question recorded before a crash is still there");
        assert_eq!(s.record("!r:x", &[arrival("$open")], None, 2).unwrap(), 0, "and is not recorded twice");
    }

    #[test]
    fn a_store_of_the_first_format_is_replaced() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE answered (event_id TEXT PRIMARY KEY, room_id TEXT, done INTEGER, at INTEGER);
             INSERT INTO answered VALUES ('$x', '!r', 1, 1);
             CREATE TABLE prefs (key TEXT PRIMARY KEY, lang TEXT, place TEXT, at INTEGER NOT NULL);",
        )
        .unwrap();
        let s = Store::init(conn, Pseudonyms::for_tests()).unwrap();
        assert!(!all_text(&s).contains("$x"));
        s.set_lang("!a", "@u:x", Some("fi"), 1).unwrap();
    }
}
