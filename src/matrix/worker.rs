//! The worker: decides each recorded message and writes what to send.
//!
//! For each inbox row, oldest first: the facts go through [`admission`]; a question is
//! answered by the same [`Assistant`] as every other front door; the decision and the
//! messages it sends are stored together, so a retry after a crash replays exactly what was
//! decided. A message that signals a risk to life gets at least the fixed crisis notice,
//! whatever fails.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use matrix_sdk::RoomState;
use matrix_sdk::ruma::OwnedRoomId;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::admission::{self, Action, Classified, Facts, RoomKind, Who};
use super::bot::{Bot, Recent, now_ms};
use super::commands::{self, Change};
use super::event::{Arrival, Kind};
use super::reply;
use super::store::{NewMessage, Prefs, Received};
use crate::answer::{Reply, notice};
use crate::assistant::{Answer, AskContext};
use crate::lang::Lang;
use crate::safety::{self, Crisis};

/// Rows decided per round before the sender gets a turn.
const BATCH: usize = 64;
/// How often the worker looks for work without being woken.
const TICK: Duration = Duration::from_secs(1);

impl Bot {
    pub(super) async fn work_loop(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                return;
            }
            let worked = self.work_once().await;
            if worked == 0 {
                tokio::select! {
                    _ = stopped.changed() => return,
                    _ = self.0.wake_worker.notified() => {}
                    _ = tokio::time::sleep(TICK) => {}
                }
            }
        }
    }

    /// Decides the rows waiting in the inbox (at most one batch); returns how many.
    pub async fn work_once(&self) -> usize {
        let rows = match self.0.store.received(BATCH) {
            Ok(rows) => rows,
            Err(e) => {
                warn!(error = %format!("{e:#}"), "cannot read the inbox");
                return 0;
            }
        };
        let n = rows.len();
        for row in rows {
            self.decide(row).await;
        }
        if n > 0 {
            self.0.wake_sender.notify_one();
        }
        n
    }

    async fn decide(&self, row: Received) {
        let inner = &self.0;
        let a = &row.arrival;
        let room = OwnedRoomId::try_from(a.room_id.as_str())
            .ok()
            .and_then(|id| inner.client.get_room(&id))
            .filter(|r| r.state() == RoomState::Joined);
        let Some(room) = room else {
            let _ = inner.store.give_up(row.seq, "not in the room");
            return;
        };
        let room_kind = self.room_kind(&room);
        let now = now_ms();
        let crisis = if a.kind == Kind::Text { safety::assess(&a.body) } else { Crisis::default() };
        let in_bot_thread =
            inner.store.in_bot_thread(a.thread_root.as_deref(), a.in_reply_to.as_deref()).unwrap_or(false);
        let joined_at = inner.store.joined_at(&a.room_id).ok().flatten();
        let facts = Facts {
            kind: a.kind,
            edit: a.edit,
            body: &a.body,
            room: room_kind,
            mentions_bot: a.mentions_bot,
            in_bot_thread,
            before_join: joined_at.is_some_and(|joined| a.ts < joined),
            age_ms: now.saturating_sub(a.ts),
            crisis: crisis.any(),
            question_like: admission::looks_like_question(&a.body),
        };
        let classified = admission::classify(&facts, inner.catch_up);
        let prefs = inner.store.prefs(&a.room_id, &a.sender, now).unwrap_or_default();
        let person = inner.store.person_key(&a.room_id, &a.sender);

        // A question is answered before admission: whether an overheard question gets a
        // reply depends on the answer, and only replies that are sent use the budget.
        let answer = match classified {
            Classified::Question { .. } => self.answer(a, &prefs, &person).await,
            _ => None,
        };
        let answerable = answer.as_ref().is_some_and(|x| x.confident || x.crisis);
        let action = {
            let mut limiter = inner.limiter.lock().unwrap_or_else(|p| p.into_inner());
            let who = Who { user: &person, room: &a.room_id, now: Instant::now() };
            admission::admit(classified, answerable, crisis.any(), &mut limiter, who)
        };
        debug!(?action, "decided on a message");
        let lang = || self.language_of(a, &prefs, &person);
        let locales = inner.assistant.locales();
        let knowledge = inner.assistant.knowledge();
        let (decision, reply): (String, Option<Reply>) = match &action {
            Action::Answer => match answer {
                Some(answer) => ("answer".into(), Some(Reply { plain: answer.reply, html: answer.reply_html })),
                // The answer failed: a crisis still gets its notice.
                None => match crisis.any() {
                    true => (
                        "crisis-notice".into(),
                        Some(notice::crisis(lang(), crisis, knowledge, locales, helsinki_now())),
                    ),
                    false => {
                        let _ = inner.store.give_up(row.seq, "the answer failed");
                        return;
                    }
                },
            },
            Action::CrisisNotice => {
                inner.stats.crisis_notices.fetch_add(1, Ordering::Relaxed);
                ("crisis-notice".into(), Some(notice::crisis(lang(), crisis, knowledge, locales, helsinki_now())))
            }
            Action::Command(command, command_lang) => {
                let private = room_kind == RoomKind::Direct;
                let (reply, change) = commands::reply(command, *command_lang, &prefs, private, &inner.assistant);
                if let Some(change) = change {
                    self.apply(a, change, now);
                }
                (format!("command:{command:?}").to_lowercase(), Some(reply))
            }
            Action::FloodNotice => {
                inner.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                ("flood-notice".into(), Some(notice::message(lang(), "flood-notice", &[], locales)))
            }
            Action::UndecryptableNotice => {
                let known = prefs.lang.as_deref().and_then(|l| l.parse().ok()).or_else(|| self.recent_lang(&person));
                let known = known.or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
                ("undecryptable-notice".into(), Some(notice::undecryptable(known, locales)))
            }
            Action::Silent(quiet) => {
                if *quiet == admission::Quiet::OverBudget {
                    inner.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                }
                (format!("silent:{}", quiet.as_str()), None)
            }
        };
        let messages: Vec<NewMessage> = reply
            .and_then(|r| reply::notice(a, &r))
            .map(|content| NewMessage {
                room_id: a.room_id.clone(),
                event_type: "m.room.message".into(),
                content,
                thread: reply::thread_of(a).map(str::to_owned),
                give_up_at: self.give_up_at(a, crisis.any()),
            })
            .into_iter()
            .collect();
        if let Err(e) = inner.store.decide(row.seq, &decision, &messages, now_ms()) {
            warn!(error = %format!("{e:#}"), "cannot store a decision; it is made again");
        } else if !messages.is_empty() {
            info!(decision, "queued a reply");
        }
    }

    /// Answers a question with the asker's settings; `None` if the answering failed.
    async fn answer(&self, a: &Arrival, prefs: &Prefs, person: &str) -> Option<Answer> {
        let inner = &self.0;
        let mut cx = AskContext::now();
        cx.force_lang = prefs.lang.as_deref().and_then(|l| l.parse().ok());
        cx.previous_lang = self.recent_lang(person).or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
        cx.default_place = prefs
            .place
            .as_deref()
            .and_then(|p| inner.assistant.resolve_place(p))
            .or_else(|| self.settings(&a.room_id).and_then(|s| s.place));
        let assistant = inner.assistant.clone();
        let question = a.body.clone();
        match tokio::task::spawn_blocking(move || assistant.ask(&question, &cx)).await {
            Ok(Ok(answer)) => {
                let mut recent = inner.recent.lock().unwrap_or_else(|p| p.into_inner());
                recent.put(person.to_owned(), Recent { lang: Some(answer.lang) });
                Some(answer)
            }
            Ok(Err(e)) => {
                warn!(error = %format!("{e:#}"), "could not answer a question");
                None
            }
            Err(e) => {
                warn!(error = %e, "the answering task failed");
                None
            }
        }
    }

    fn recent_lang(&self, person: &str) -> Option<Lang> {
        self.0.recent.lock().unwrap_or_else(|p| p.into_inner()).get(person).and_then(|r| r.lang)
    }

    /// The asker's language for a short notice: their choice, the language they used last,
    /// the room's, or the message's own.
    fn language_of(&self, a: &Arrival, prefs: &Prefs, person: &str) -> Lang {
        if let Some(lang) = prefs.lang.as_deref().and_then(|l| l.parse().ok()) {
            return lang;
        }
        let previous = self.recent_lang(person).or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
        self.0.assistant.detect_language(&a.body, previous)
    }

    fn apply(&self, a: &Arrival, change: Change, now: u64) {
        let store = &self.0.store;
        let result = match change {
            Change::Lang(lang) => store.set_lang(&a.room_id, &a.sender, lang.map(|l| l.code()), now),
            Change::Place(code) => store.set_place(&a.room_id, &a.sender, &code, now),
        };
        if let Err(e) = result {
            warn!(error = %format!("{e:#}"), "cannot save a setting");
        }
    }

    /// After this time a reply is not worth sending: the catch-up window after the
    /// question (longer for a crisis).
    fn give_up_at(&self, a: &Arrival, crisis: bool) -> u64 {
        let window = if crisis { self.0.catch_up.crisis_ms } else { self.0.catch_up.questions_ms };
        a.ts.max(now_ms().saturating_sub(window)).saturating_add(window)
    }
}

fn helsinki_now() -> chrono::DateTime<chrono_tz::Tz> {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki)
}
