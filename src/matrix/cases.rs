//! The cases of the hand-over to volunteers, in the bot's store (see [`crate::escalation`]).
//!
//! A case row is written before anything about it is sent, and every message of a case is
//! an outbox row (sent once, by its fixed transaction ID); when a message is sent, what its
//! event ID means for the case is recorded in the same transaction ([`on_sent`]): the
//! consent question (to read ✅ / ❌), the case root (to find the case from its thread), the
//! messages in the volunteers' room (to delete them with the case's texts).
//!
//! What a case keeps: while it runs, the resident's Matrix ID and the rooms of the
//! conversation (needed to relay); at its close those are deleted; `retention_days` after
//! the close the bot's messages of the case in the volunteers' room are deleted too, and
//! only counts remain (state, language, region, category, times).

use anyhow::Result;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::store::Store;
use crate::escalation::case::State;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    lang TEXT NOT NULL,
    region TEXT,
    place TEXT,
    category TEXT,
    resident TEXT,
    resident_key TEXT NOT NULL,
    room TEXT,
    thread TEXT,
    public_room TEXT,
    public_thread TEXT,
    prompt TEXT,
    volunteers_room TEXT NOT NULL,
    root TEXT,
    claimed_by TEXT,
    created_at INTEGER NOT NULL,
    opened_at INTEGER,
    first_response_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    reminded_at INTEGER,
    closed_at INTEGER,
    close_reason TEXT,
    purged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS cases_state ON cases (state);
CREATE INDEX IF NOT EXISTS cases_root ON cases (root);
CREATE TABLE IF NOT EXISTS case_events (
    case_id INTEGER NOT NULL, room TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (case_id, event_id));
";

/// A case as the glue needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: i64,
    pub state: State,
    /// The resident's language.
    pub lang: String,
    pub region: Option<String>,
    /// The resident's municipality or region code.
    pub place: Option<String>,
    pub category: Option<String>,
    /// The resident's Matrix ID (while the case runs).
    pub resident: Option<String>,
    /// Where the resident talks with the volunteers, and in which thread (public rooms).
    pub room: Option<String>,
    pub thread: Option<String>,
    /// Where the request was made, when it was a public room.
    pub public_room: Option<String>,
    pub public_thread: Option<String>,
    pub prompt: Option<String>,
    pub volunteers_room: String,
    pub root: Option<String>,
    pub claimed_by: Option<String>,
    pub created_at: u64,
    pub opened_at: Option<u64>,
    pub first_response_at: Option<u64>,
    pub last_activity_at: u64,
}

/// A new case.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// The event that asked for a person (a case is opened once per request).
    pub origin: &'a str,
    pub lang: &'a str,
    pub region: Option<&'a str>,
    pub place: Option<&'a str>,
    pub category: Option<&'a str>,
    pub resident: &'a str,
    pub room: &'a str,
    pub thread: Option<&'a str>,
    pub public_room: Option<&'a str>,
    pub public_thread: Option<&'a str>,
    pub volunteers_room: &'a str,
}

const COLUMNS: &str = "id, state, lang, region, place, category, resident, room, thread, public_room, public_thread,
    prompt, volunteers_room, root, claimed_by, created_at, opened_at, first_response_at, last_activity_at";

fn case(r: &Row<'_>) -> rusqlite::Result<Case> {
    let state: String = r.get(1)?;
    let u = |i: usize| -> rusqlite::Result<Option<u64>> { Ok(r.get::<_, Option<i64>>(i)?.map(|v| v as u64)) };
    Ok(Case {
        id: r.get(0)?,
        state: State::parse(&state).unwrap_or(State::Closed),
        lang: r.get(2)?,
        region: r.get(3)?,
        place: r.get(4)?,
        category: r.get(5)?,
        resident: r.get(6)?,
        room: r.get(7)?,
        thread: r.get(8)?,
        public_room: r.get(9)?,
        public_thread: r.get(10)?,
        prompt: r.get(11)?,
        volunteers_room: r.get(12)?,
        root: r.get(13)?,
        claimed_by: r.get(14)?,
        created_at: r.get::<_, i64>(15)? as u64,
        opened_at: u(16)?,
        first_response_at: u(17)?,
        last_activity_at: r.get::<_, i64>(18)? as u64,
    })
}

/// A change to a case, applied in the transaction of the decision that makes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub state: Option<State>,
    /// Move the conversation (e.g. "stay in this public thread").
    pub room: Option<(String, Option<String>)>,
    pub claimed_by: Option<String>,
    /// A volunteer answered (the first answer's time is kept).
    pub responded: bool,
    /// Something happened (idle time starts again).
    pub touched: bool,
    pub reminded: bool,
    pub close_reason: Option<String>,
}

impl Change {
    pub fn state(state: State) -> Self {
        Self { state: Some(state), touched: true, ..Self::default() }
    }
}

/// Applies `change` to case `id` at `now`. Closing a case deletes who and where the
/// resident is.
pub fn apply(tx: &Transaction<'_>, id: i64, change: &Change, now: u64) -> Result<()> {
    let now = now as i64;
    if let Some(state) = change.state {
        tx.execute("UPDATE cases SET state = ?2 WHERE id = ?1", params![id, state.as_str()])?;
        if state == State::Open {
            tx.execute("UPDATE cases SET opened_at = coalesce(opened_at, ?2) WHERE id = ?1", params![id, now])?;
        }
        if !state.is_active() {
            tx.execute(
                "UPDATE cases SET closed_at = coalesce(closed_at, ?2), resident = NULL, room = NULL, thread = NULL,
                                  public_room = NULL, public_thread = NULL, prompt = NULL WHERE id = ?1",
                params![id, now],
            )?;
        }
    }
    if let Some((room, thread)) = &change.room {
        tx.execute("UPDATE cases SET room = ?2, thread = ?3 WHERE id = ?1", params![id, room, thread])?;
    }
    if let Some(who) = &change.claimed_by {
        tx.execute("UPDATE cases SET claimed_by = ?2 WHERE id = ?1", params![id, who])?;
    }
    if change.responded {
        tx.execute(
            "UPDATE cases SET first_response_at = coalesce(first_response_at, ?2) WHERE id = ?1",
            params![id, now],
        )?;
    }
    if change.touched {
        tx.execute("UPDATE cases SET last_activity_at = ?2 WHERE id = ?1", params![id, now])?;
    }
    if change.reminded {
        tx.execute("UPDATE cases SET reminded_at = ?2 WHERE id = ?1", params![id, now])?;
    }
    if let Some(reason) = &change.close_reason {
        tx.execute("UPDATE cases SET close_reason = ?2 WHERE id = ?1", params![id, reason])?;
    }
    Ok(())
}

/// Records what a sent message's event ID means for its case (called by [`Store::sent`]).
pub(super) fn on_sent(tx: &Transaction<'_>, outbox_id: i64, event_id: &str) -> Result<()> {
    let row: Option<(Option<i64>, Option<String>, Option<String>)> = tx
        .query_row("SELECT case_id, role, room_id FROM outbox WHERE id = ?1", params![outbox_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((Some(case), Some(role), _)) = row else { return Ok(()) };
    match role.as_str() {
        "prompt" => {
            tx.execute("UPDATE cases SET prompt = ?2 WHERE id = ?1 AND state = 'asked'", params![case, event_id])?;
        }
        "root" => {
            tx.execute("UPDATE cases SET root = ?2 WHERE id = ?1", params![case, event_id])?;
            remember(tx, case, event_id)?;
        }
        "to-volunteers" => remember(tx, case, event_id)?,
        _ => {}
    }
    Ok(())
}

fn remember(tx: &Transaction<'_>, case: i64, event_id: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO case_events (case_id, room, event_id) SELECT id, volunteers_room, ?2 FROM cases WHERE id = ?1",
        params![case, event_id],
    )?;
    Ok(())
}

impl Store {
    /// Opens a case for a request (the same request opens the same case) and returns it.
    pub fn open_case(&self, new: &NewCase<'_>, now: u64) -> Result<Case> {
        let conn = self.conn();
        conn.execute(
            "INSERT OR IGNORE INTO cases (origin, state, lang, region, place, category, resident, resident_key, room,
                thread, public_room, public_thread, volunteers_room, created_at, last_activity_at)
             VALUES (?1, 'asked', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params![
                self.event_key(new.origin),
                new.lang,
                new.region,
                new.place,
                new.category,
                new.resident,
                self.user_key(new.resident),
                new.room,
                new.thread,
                new.public_room,
                new.public_thread,
                new.volunteers_room,
                now as i64
            ],
        )?;
        let case = conn.query_row(
            &format!("SELECT {COLUMNS} FROM cases WHERE origin = ?1"),
            params![self.event_key(new.origin)],
            case,
        )?;
        Ok(case)
    }

    /// The case a resident's message in `room` (in `thread`) belongs to: their running
    /// case talking there, or one asked from there (to answer "stay here").
    pub fn case_of_resident(&self, resident: &str, room: &str, thread: Option<&str>) -> Result<Option<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM cases WHERE resident = ?1 AND state NOT IN ('closed', 'declined')
             AND ((room = ?2 AND (thread IS NULL OR thread = ?3)) OR (public_room = ?2 AND public_thread = ?3))
             ORDER BY id DESC LIMIT 1"
        ))?;
        Ok(stmt.query_row(params![resident, room, thread], case).optional()?)
    }

    /// The running case of a resident, wherever they talk.
    pub fn running_case(&self, resident: &str) -> Result<Option<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM cases WHERE resident_key = ?1 AND state NOT IN ('closed', 'declined')
             ORDER BY id DESC LIMIT 1"
        ))?;
        Ok(stmt.query_row(params![self.user_key(resident)], case).optional()?)
    }

    /// The case whose root (in the volunteers' room) is `root`, whatever its state.
    pub fn case_by_root(&self, root: &str) -> Result<Option<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM cases WHERE root = ?1"))?;
        Ok(stmt.query_row(params![root], case).optional()?)
    }

    /// The case asked with the consent question `prompt`.
    pub fn case_by_prompt(&self, prompt: &str) -> Result<Option<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM cases WHERE prompt = ?1"))?;
        Ok(stmt.query_row(params![prompt], case).optional()?)
    }

    pub fn case(&self, id: i64) -> Result<Option<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM cases WHERE id = ?1"))?;
        Ok(stmt.query_row(params![id], case).optional()?)
    }

    /// Running cases, oldest first.
    pub fn running_cases(&self) -> Result<Vec<Case>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!("SELECT {COLUMNS} FROM cases WHERE state NOT IN ('closed', 'declined') ORDER BY id"))?;
        let rows = stmt.query_map([], case)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open cases that no volunteer has answered, opened before `before`, not yet reminded.
    pub fn cases_to_remind(&self, before: u64) -> Result<Vec<Case>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM cases WHERE state IN ('open', 'claimed') AND first_response_at IS NULL
             AND reminded_at IS NULL AND root IS NOT NULL AND opened_at < ?1"
        ))?;
        let rows = stmt.query_map(params![before as i64], case)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Closed cases whose texts are due to be deleted, with the bot's events of each
    /// (room, event).
    pub fn cases_to_purge(&self, closed_before: u64) -> Result<Vec<Purge>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id FROM cases WHERE state IN ('closed', 'declined') AND purged = 0 AND closed_at < ?1")?;
        let ids: Vec<i64> = stmt.query_map(params![closed_before as i64], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            let mut stmt = conn.prepare("SELECT room, event_id FROM case_events WHERE case_id = ?1 ORDER BY rowid")?;
            let events = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
            out.push((id, events));
        }
        Ok(out)
    }

    /// The case's texts are deleted: forget its events.
    pub fn purged(&self, id: i64) -> Result<()> {
        let conn = self.conn();
        conn.execute("DELETE FROM case_events WHERE case_id = ?1", params![id])?;
        conn.execute("UPDATE cases SET purged = 1, root = NULL, claimed_by = NULL WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Applies a change to a case on its own (no message).
    pub fn change_case(&self, id: i64, change: &Change, now: u64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        apply(&tx, id, change, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Every case as counts need it: (state, lang, region, category, created, opened, first
    /// response) – no one's ID.
    pub fn case_facts(&self) -> Result<Vec<CaseFacts>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT state, lang, region, category, created_at, opened_at, first_response_at FROM cases ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CaseFacts {
                state: r.get(0)?,
                lang: r.get(1)?,
                region: r.get(2)?,
                category: r.get(3)?,
                created_at: r.get::<_, i64>(4)? as u64,
                opened_at: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
                first_response_at: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A closed case whose texts are to be deleted: its ID and the bot's events of it as
/// (room, event).
pub type Purge = (i64, Vec<(String, String)>);

/// What statistics read of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: String,
    pub lang: String,
    pub region: Option<String>,
    pub category: Option<String>,
    pub created_at: u64,
    pub opened_at: Option<u64>,
    pub first_response_at: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::store::{NewMessage, Role};
    use serde_json::json;

    fn new_case<'a>(origin: &'a str) -> NewCase<'a> {
        NewCase {
            origin,
            lang: "sv",
            region: Some("17"),
            place: Some("905"),
            category: Some("debt-counselling"),
            resident: "@res:x",
            room: "!dm:x",
            thread: None,
            public_room: Some("!public:x"),
            public_thread: Some("$q"),
            volunteers_room: "!vol:x",
        }
    }

    fn message(case: i64, role: Role) -> NewMessage {
        NewMessage {
            room_id: "!vol:x".into(),
            event_type: "m.room.message".into(),
            content: json!({"msgtype": "m.notice", "body": "x"}),
            thread: None,
            give_up_at: u64::MAX / 2,
            case: Some((case, role)),
            meta: None,
            urgent: false,
        }
    }

    #[test]
    fn a_request_opens_one_case_and_the_resident_is_found_where_they_talk() {
        let s = Store::in_memory().unwrap();
        let a = s.open_case(&new_case("$request"), 10).unwrap();
        let again = s.open_case(&new_case("$request"), 20).unwrap();
        assert_eq!(a.id, again.id, "the same request opens the same case");
        assert_eq!(a.state, State::Asked);
        assert_eq!(s.case_of_resident("@res:x", "!dm:x", None).unwrap().map(|c| c.id), Some(a.id));
        assert_eq!(
            s.case_of_resident("@res:x", "!public:x", Some("$q")).unwrap().map(|c| c.id),
            Some(a.id),
            "'stay here'"
        );
        assert_eq!(s.case_of_resident("@res:x", "!public:x", Some("$other")).unwrap(), None);
        assert_eq!(s.case_of_resident("@other:x", "!dm:x", None).unwrap(), None);
        assert_eq!(s.running_case("@res:x").unwrap().map(|c| c.id), Some(a.id));
    }

    #[test]
    fn sent_messages_mark_the_prompt_the_root_and_the_volunteer_room_events() {
        let s = Store::in_memory().unwrap();
        let c = s.open_case(&new_case("$r"), 10).unwrap();
        for (source, role, event) in
            [("p", Role::Prompt, "$prompt"), ("root", Role::Root, "$root"), ("v", Role::ToVolunteers, "$relay")]
        {
            s.enqueue(source, &message(c.id, role), 11).unwrap();
            let due = s.due(12, 10, &[]).unwrap();
            s.sent(due[0].id, event, 13).unwrap();
        }
        assert_eq!(s.case_by_prompt("$prompt").unwrap().map(|c| c.id), Some(c.id));
        assert_eq!(s.case_by_root("$root").unwrap().map(|c| c.id), Some(c.id));
        let mut change = Change::state(State::Closed);
        change.close_reason = Some("volunteer".into());
        s.change_case(c.id, &change, 100).unwrap();
        let closed = s.case(c.id).unwrap().unwrap();
        assert_eq!(
            (closed.resident, closed.room, closed.public_room),
            (None, None, None),
            "a closed case forgets the resident"
        );
        assert!(s.cases_to_purge(100).unwrap().is_empty(), "not before the retention time");
        let purge = s.cases_to_purge(101).unwrap();
        assert_eq!(
            purge,
            [(c.id, vec![("!vol:x".to_owned(), "$root".to_owned()), ("!vol:x".to_owned(), "$relay".to_owned())])]
        );
        s.purged(c.id).unwrap();
        assert!(s.cases_to_purge(1_000).unwrap().is_empty());
        assert_eq!(s.case_facts().unwrap()[0].state, "closed", "counts stay");
    }

    #[test]
    fn reminders_are_for_open_unanswered_cases_only_once() {
        let s = Store::in_memory().unwrap();
        let c = s.open_case(&new_case("$r"), 10).unwrap();
        s.enqueue("root", &message(c.id, Role::Root), 10).unwrap();
        let due = s.due(10, 1, &[]).unwrap();
        s.sent(due[0].id, "$root", 10).unwrap();
        s.change_case(c.id, &Change::state(State::Open), 20).unwrap();
        assert!(s.cases_to_remind(20).unwrap().is_empty());
        assert_eq!(s.cases_to_remind(21).unwrap().len(), 1);
        s.change_case(c.id, &Change { reminded: true, ..Change::default() }, 30).unwrap();
        assert!(s.cases_to_remind(1_000).unwrap().is_empty());
    }
}
