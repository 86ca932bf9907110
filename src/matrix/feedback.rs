//! Learning what is missing, without surveillance: 👍 / 👎 on the bot's answers are counted
//! under the answer's categories, region and language (never who reacted); questions the bot
//! could not answer confidently, and answers that got 👎, are kept for the gap report only
//! with personal details scrubbed out ([`crate::ops::scrub`]), grouped with counts, for at
//! most [`KEEP_DAYS`] days. A reaction withdrawn (redacted) is subtracted.

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::store::Store;

/// How long answers' facts and gap texts are kept.
pub const KEEP_DAYS: u64 = 90;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY, at INTEGER NOT NULL, lang TEXT NOT NULL, region TEXT, categories TEXT NOT NULL,
    question TEXT NOT NULL, confident INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
    key TEXT PRIMARY KEY, answer TEXT NOT NULL, vote INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS gaps (
    key TEXT PRIMARY KEY, text TEXT NOT NULL, kind TEXT NOT NULL, lang TEXT NOT NULL, region TEXT,
    count INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ops_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

/// What an answer is counted under: written with the answer's outbox row, kept once sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerMeta {
    pub lang: String,
    pub region: Option<String>,
    /// The first category of each service shown.
    pub categories: Vec<String>,
    /// The question, scrubbed of personal details.
    pub question: String,
    pub confident: bool,
    /// When the question was recorded (ms), for the answer-time histogram.
    pub arrived_at: u64,
}

/// A group of the gap report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// `unanswered` (no confident answer) or `downvoted` (the answer got 👎).
    pub kind: String,
    pub text: String,
    pub lang: String,
    pub region: Option<String>,
    pub count: u64,
    pub last_at: u64,
}

/// Votes under one category and region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Votes {
    pub up: u64,
    pub down: u64,
}

/// Keeps an answer's facts once it is sent (called by [`Store::sent`]).
pub(super) fn on_sent(
    tx: &Transaction<'_>,
    store: &Store,
    outbox_id: i64,
    event_id: &str,
) -> Result<Option<AnswerMeta>> {
    let meta: Option<Option<String>> =
        tx.query_row("SELECT meta FROM outbox WHERE id = ?1", params![outbox_id], |r| r.get(0)).optional()?;
    let Some(meta) = meta.flatten().and_then(|m| serde_json::from_str::<AnswerMeta>(&m).ok()) else { return Ok(None) };
    tx.execute(
        "INSERT OR IGNORE INTO answers (key, at, lang, region, categories, question, confident)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            store.event_key(event_id),
            chrono::Utc::now().timestamp_millis(),
            meta.lang,
            meta.region,
            meta.categories.join(","),
            meta.question,
            meta.confident
        ],
    )?;
    tx.execute("UPDATE outbox SET meta = NULL WHERE id = ?1", params![outbox_id])?;
    Ok(Some(meta))
}

/// The normalised form a gap is grouped by.
fn group_key(kind: &str, text: &str) -> String {
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '[' && c != ']')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    format!("{kind}:{}", words.join(" "))
}

fn add_gap(tx: &Transaction<'_>, kind: &str, text: &str, lang: &str, region: Option<&str>, now: u64) -> Result<()> {
    tx.execute(
        "INSERT INTO gaps (key, text, kind, lang, region, count, first_at, last_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)
         ON CONFLICT (key) DO UPDATE SET count = count + 1, last_at = ?6",
        params![group_key(kind, text), text, kind, lang, region, now as i64],
    )?;
    Ok(())
}

impl Store {
    /// Counts a question the bot could not answer confidently (its scrubbed text).
    pub fn unanswered(&self, scrubbed: &str, lang: &str, region: Option<&str>, now: u64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        add_gap(&tx, "unanswered", scrubbed, lang, region, now)?;
        tx.commit()?;
        Ok(())
    }

    /// A reaction `reaction` to `target`: counted if `target` is one of the bot's answers and
    /// the key is 👍 or 👎. Returns the vote counted (+1 / -1).
    pub fn react(&self, reaction: &str, target: &str, key: &str, now: u64) -> Result<Option<i64>> {
        let vote =
            match key.trim_end_matches(['\u{fe0f}', '\u{1f3fb}', '\u{1f3fc}', '\u{1f3fd}', '\u{1f3fe}', '\u{1f3ff}']) {
                "👍" | "+1" => 1,
                "👎" | "-1" => -1,
                _ => return Ok(None),
            };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let answer_key = self.event_key(target);
        let answer: Option<(String, Option<String>, String)> = tx
            .query_row("SELECT lang, region, question FROM answers WHERE key = ?1", params![answer_key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((lang, region, question)) = answer else { return Ok(None) };
        let new = tx.execute(
            "INSERT OR IGNORE INTO feedback (key, answer, vote, at) VALUES (?1, ?2, ?3, ?4)",
            params![self.event_key(reaction), answer_key, vote, now as i64],
        )?;
        if new == 1 && vote < 0 {
            add_gap(&tx, "downvoted", &question, &lang, region.as_deref(), now)?;
        }
        tx.commit()?;
        Ok((new == 1).then_some(vote))
    }

    /// A redaction of `redacted`: a counted reaction is withdrawn. Returns its vote.
    pub fn withdraw(&self, redacted: &str) -> Result<Option<i64>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let key = self.event_key(redacted);
        let row: Option<(String, i64)> = tx
            .query_row("SELECT answer, vote FROM feedback WHERE key = ?1", params![key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((answer, vote)) = row else { return Ok(None) };
        tx.execute("DELETE FROM feedback WHERE key = ?1", params![key])?;
        if vote < 0 {
            let question: Option<String> = tx
                .query_row("SELECT question FROM answers WHERE key = ?1", params![answer], |r| r.get(0))
                .optional()?;
            if let Some(question) = question {
                let gap = group_key("downvoted", &question);
                tx.execute("UPDATE gaps SET count = count - 1 WHERE key = ?1", params![gap])?;
                tx.execute("DELETE FROM gaps WHERE key = ?1 AND count <= 0", params![gap])?;
            }
        }
        tx.commit()?;
        Ok(Some(vote))
    }

    /// The gap report: groups, most frequent first.
    pub fn gaps(&self) -> Result<Vec<Gap>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT kind, text, lang, region, count, last_at FROM gaps ORDER BY count DESC, last_at DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok(Gap {
                kind: r.get(0)?,
                text: r.get(1)?,
                lang: r.get(2)?,
                region: r.get(3)?,
                count: r.get::<_, i64>(4)? as u64,
                last_at: r.get::<_, i64>(5)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Votes per category and per region ("category" / "region:NN" keys).
    pub fn votes(&self) -> Result<BTreeMap<String, Votes>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT a.categories, a.region, f.vote FROM feedback f JOIN answers a ON a.key = f.answer")?;
        let mut out: BTreeMap<String, Votes> = BTreeMap::new();
        for row in
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?)))?
        {
            let (categories, region, vote) = row?;
            let keys = categories
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .chain(std::iter::once(format!("region:{}", region.unwrap_or_else(|| "none".into()))));
            for key in keys {
                let v = out.entry(key).or_default();
                if vote > 0 { v.up += 1 } else { v.down += 1 }
            }
        }
        Ok(out)
    }

    /// Deletes answers' facts, votes and gap texts older than [`KEEP_DAYS`].
    pub(super) fn prune_feedback(&self, now: u64) -> Result<usize> {
        let conn = self.conn();
        let cut = now.saturating_sub(KEEP_DAYS * 86_400_000) as i64;
        let mut n = conn.execute("DELETE FROM gaps WHERE last_at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM feedback WHERE at < ?1", params![cut])?;
        n += conn.execute("DELETE FROM answers WHERE at < ?1", params![cut])?;
        Ok(n)
    }

    /// A number the operations keep (e.g. when the weekly summary was last posted).
    pub fn ops_value(&self, key: &str) -> Result<Option<u64>> {
        let v: Option<i64> = self
            .conn()
            .query_row("SELECT value FROM ops_state WHERE key = ?1", params![key], |r| r.get(0))
            .optional()?;
        Ok(v.map(|v| v as u64))
    }

    pub fn set_ops_value(&self, key: &str, value: u64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO ops_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, value as i64],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::store::NewMessage;
    use serde_json::json;

    fn answer(s: &Store, event: &str, question: &str) {
        let meta = AnswerMeta {
            lang: "fi".into(),
            region: Some("05".into()),
            categories: vec!["debt-counselling".into(), "mental-health".into()],
            question: question.into(),
            confident: true,
            arrived_at: 1,
        };
        let m = NewMessage {
            room_id: "!r:x".into(),
            event_type: "m.room.message".into(),
            content: json!({"body": "vastaus"}),
            thread: None,
            give_up_at: u64::MAX / 2,
            case: None,
            meta: Some(serde_json::to_value(&meta).unwrap()),
            urgent: false,
        };
        s.enqueue(event, &m, 1).unwrap();
        let due = s.due(2, 10, &[]).unwrap();
        s.sent(due[0].id, event, 3).unwrap();
    }

    #[test]
    fn votes_count_under_the_answers_categories_and_a_withdrawal_subtracts() {
        let s = Store::in_memory().unwrap();
        answer(&s, "$a1", "mistä apua velkoihin");
        assert_eq!(s.react("$r1", "$a1", "👍", 10).unwrap(), Some(1));
        assert_eq!(s.react("$r1", "$a1", "👍", 11).unwrap(), None, "the same reaction counts once");
        assert_eq!(s.react("$r2", "$a1", "👎️", 12).unwrap(), Some(-1));
        assert_eq!(s.react("$r3", "$a1", "❤️", 13).unwrap(), None, "other reactions are not votes");
        assert_eq!(s.react("$r4", "$not-an-answer", "👍", 14).unwrap(), None);
        let votes = s.votes().unwrap();
        assert_eq!(votes["debt-counselling"], Votes { up: 1, down: 1 });
        assert_eq!(votes["region:05"], Votes { up: 1, down: 1 });
        let gaps = s.gaps().unwrap();
        assert_eq!((gaps[0].kind.as_str(), gaps[0].count), ("downvoted", 1));
        assert_eq!(s.withdraw("$r2").unwrap(), Some(-1));
        assert_eq!(s.votes().unwrap()["debt-counselling"], Votes { up: 1, down: 0 });
        assert!(s.gaps().unwrap().is_empty(), "the withdrawn 👎 leaves the report");
        assert_eq!(s.withdraw("$r2").unwrap(), None);
    }

    #[test]
    fn gaps_group_by_their_words_and_expire() {
        let s = Store::in_memory().unwrap();
        s.unanswered("Paljonko pysäköinti maksaa?", "fi", Some("19"), 100).unwrap();
        s.unanswered("paljonko pysäköinti maksaa", "fi", Some("19"), 200).unwrap();
        s.unanswered("kirjaston aukioloajat", "fi", None, 300).unwrap();
        let gaps = s.gaps().unwrap();
        assert_eq!(gaps.len(), 2);
        assert_eq!((gaps[0].count, gaps[0].last_at), (2, 200));
        assert_eq!(
            s.prune_feedback(250 + KEEP_DAYS * 86_400_000).unwrap(),
            1,
            "the oldest group is older than 90 days"
        );
    }
}
