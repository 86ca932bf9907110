//! The worker: decides each recorded message and writes what to send.
//!
//! For each inbox row, oldest first: the facts go through [`admission`]; a question is
//! answered by the same [`Assistant`] as every other front door; the decision and the
//! messages it sends are stored together, so a retry after a crash replays exactly what was
//! decided. A message that signals a risk to life gets at least the fixed crisis notice,
//! whatever fails.

use std::time::{Duration, Instant};

use matrix_sdk::RoomState;
use matrix_sdk::ruma::OwnedRoomId;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::admission::{self, Action, Classified, Facts, RoomKind, Who};
use super::bot::{Bot, CONVERSATION_MEMORY, Recent, now_ms};
use super::commands::{self, Change, Command};
use super::escalation::Handled;
use super::event::{Arrival, Kind};
use super::feedback::AnswerMeta;
use super::reply;
use super::store::{NewMessage, Prefs, Received};
use crate::answer::{Reply, notice};
use crate::assistant::{Answer, AskContext};
use crate::conversation::Conversation;
use crate::escalation::intent;
use crate::lang::Lang;
use crate::safety;
use crate::understand::Question;

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
        let mut n = 0;
        for row in rows {
            if self.decide(row).await {
                n += 1;
            }
        }
        if n > 0 {
            self.0.wake_sender.notify_one();
        }
        n
    }

    /// Decides one row; `false` if it must wait (a case not ready yet, a key still to come).
    async fn decide(&self, mut row: Received) -> bool {
        let assistant = self.assistant();
        let inner = &self.0;
        let room = OwnedRoomId::try_from(row.arrival.room_id.as_str())
            .ok()
            .and_then(|id| inner.client.get_room(&id))
            .filter(|r| r.state() == RoomState::Joined);
        let Some(room) = room else {
            let _ = inner.store.give_up(row.seq, "not in the room");
            return true;
        };
        if row.arrival.kind == Kind::Undecryptable {
            // Its room key often comes a moment later: try again for a short while.
            match self.decrypt_again(&room, &row.arrival).await {
                Some(decrypted) => row.arrival = decrypted,
                None if now_ms().saturating_sub(row.arrived_at) < inner.key_wait.as_millis() as u64 => return false,
                None => {}
            }
        }
        let a = &row.arrival;
        match self.escalation_step(&row, &room).await {
            Handled::Done => return true,
            Handled::Defer => return false,
            Handled::No => {}
        }
        if matches!(a.kind, Kind::Reaction | Kind::Redaction) {
            self.feedback(&row);
            return true;
        }
        let room_kind = self.room_kind(&room);
        let now = now_ms();
        let prefs = inner.store.prefs(&a.room_id, &a.sender, now).unwrap_or_default();
        let person = inner.store.person_key(&a.room_id, &a.sender);
        if self.silenced(&person) && !(a.kind == Kind::Text && safety::assess(&a.body).any()) {
            // Over their budget and told so: nothing to read or answer (but a crisis), so a
            // flood costs the others next to nothing.
            inner.metrics.rate_limited.inc();
            let decision = format!("silent:{}", admission::Quiet::OverBudget.as_str());
            if let Err(e) = inner.store.decide(row.seq, &decision, &[], now) {
                warn!(error = %format!("{e:#}"), "cannot store a decision; it is made again");
            }
            return true;
        }
        // The text is understood once: admission reads its crisis and question shape, the
        // answer its words and places.
        let understood = match a.kind {
            Kind::Text => self.understand(a, &prefs, &person).await,
            _ => None,
        };
        let crisis = understood.as_ref().map(|(q, _)| q.crisis).unwrap_or_default();
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
            question_like: understood.as_ref().is_some_and(|(q, _)| q.looks_like_question()),
        };
        let mut classified = admission::classify(&facts, inner.catch_up);
        if matches!(classified, Classified::Question { .. }) && intent::asks_for_person(&a.body) {
            // "Can I talk to a real person?": the hand-over, like `!ihminen`.
            classified = Classified::Command(Command::Human, self.language_of(a, &prefs, &person));
        }

        // A question is answered before admission: whether an overheard question gets a
        // reply depends on the answer, and only replies that are sent use the budget.
        let answer = match (&classified, understood) {
            (Classified::Question { .. }, Some(understood)) => self.answer_understood(understood, &person).await,
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
        let locales = assistant.locales();
        let knowledge = assistant.knowledge();
        let mut meta = None;
        let (decision, reply): (String, Option<Reply>) = match &action {
            Action::Command(Command::Reload | Command::Status, lang) if !self.is_admin(&a.sender) => {
                ("command:admin-only".into(), Some(notice::message(*lang, "admin-only", &[], locales)))
            }
            Action::Command(Command::Reload, lang) => {
                inner.reload_requests.lock().unwrap_or_else(|p| p.into_inner()).push(a.clone());
                inner.wake_reload.notify_one();
                ("command:reload".into(), Some(notice::message(*lang, "reload-started", &[], locales)))
            }
            Action::Command(Command::Status, lang) => ("command:status".into(), Some(self.status_reply(*lang))),
            Action::Command(Command::Human, lang) => {
                if crisis.any() {
                    // Safety first: the crisis lines come before the hand-over's questions.
                    let reply = notice::crisis(*lang, crisis, knowledge, locales, helsinki_now());
                    let _ =
                        inner.store.enqueue(&format!("{}:crisis", a.event_id), &self.notice_for(a, reply, true), now);
                }
                return self.start_case(&row, room_kind, *lang).await;
            }
            Action::Command(Command::Cancel, lang) => {
                ("command:cancel".into(), Some(notice::message(*lang, "cancel-nothing", &[], locales)))
            }
            Action::Answer => match answer {
                Some(answer) => {
                    let region = answer.location.as_ref().map(|l| l.region_code.clone());
                    let scrubbed = crate::ops::scrub::scrub(&a.body, |w| assistant.resolve_place(w).is_some());
                    if answer.crisis {
                        inner.metrics.crisis_answers.inc();
                    } else if !answer.confident {
                        // Kept for the gap report, scrubbed of personal details.
                        let _ = inner.store.unanswered(&scrubbed, answer.lang.code(), region.as_deref(), now);
                    }
                    let mut categories: Vec<String> =
                        answer.results.iter().filter_map(|r| r.categories.first().cloned()).collect();
                    categories.dedup();
                    let answer_meta = AnswerMeta {
                        lang: answer.lang.code().to_owned(),
                        region: region.clone(),
                        categories,
                        question: scrubbed,
                        confident: answer.confident,
                        arrived_at: row.arrived_at,
                    };
                    meta = serde_json::to_value(&answer_meta).ok();
                    let outcome = if answer.crisis {
                        "crisis"
                    } else if answer.confident {
                        "answer"
                    } else {
                        "not-understood"
                    };
                    inner.metrics.question(answer.lang.code(), region.as_deref(), outcome);
                    let mut reply = Reply { plain: answer.reply, html: answer.reply_html };
                    if !answer.confident && !answer.crisis && self.0.escalation.is_some() {
                        // Nothing confident: offer a person, in one line at the end.
                        reply = notice::join(reply, notice::message(answer.lang, "esc-offer", &[], locales));
                    }
                    ("answer".into(), Some(reply))
                }
                // The answer failed: a crisis still gets its notice.
                None => match crisis.any() {
                    true => (
                        "crisis-notice".into(),
                        Some(notice::crisis(lang(), crisis, knowledge, locales, helsinki_now())),
                    ),
                    false => {
                        let _ = inner.store.give_up(row.seq, "the answer failed");
                        return true;
                    }
                },
            },
            Action::CrisisNotice => {
                inner.metrics.crisis_answers.inc();
                ("crisis-notice".into(), Some(notice::crisis(lang(), crisis, knowledge, locales, helsinki_now())))
            }
            Action::Command(command, command_lang) => {
                let private = room_kind == RoomKind::Direct;
                let place = prefs
                    .place
                    .as_deref()
                    .and_then(|p| assistant.resolve_place(p))
                    .or_else(|| self.settings(&a.room_id).and_then(|s| s.place));
                let replied = commands::reply(command, *command_lang, &prefs, place.as_ref(), private, &assistant);
                let Some((reply, change)) = replied else { return true };
                if let Some(change) = change {
                    self.apply(a, change, now);
                }
                (format!("command:{command:?}").to_lowercase(), Some(reply))
            }
            Action::FloodNotice => {
                inner.metrics.rate_limited.inc();
                ("flood-notice".into(), Some(notice::message(lang(), "flood-notice", &[], locales)))
            }
            Action::UndecryptableNotice => {
                let known = prefs.lang.as_deref().and_then(|l| l.parse().ok()).or_else(|| self.recent_lang(&person));
                let known = known.or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
                ("undecryptable-notice".into(), Some(notice::undecryptable(known, locales)))
            }
            Action::Silent(quiet) => {
                if *quiet == admission::Quiet::OverBudget {
                    inner.metrics.rate_limited.inc();
                }
                (format!("silent:{}", quiet.as_str()), None)
            }
        };
        if action != Action::Answer {
            let region = self.settings(&a.room_id).and_then(|s| s.place).and_then(|p| region_of(&p, &assistant));
            let outcome = decision.split(':').next().unwrap_or("silent");
            inner.metrics.question(lang().code(), region.as_deref(), outcome);
        }
        let mut messages: Vec<NewMessage> = reply.map(|r| self.notice_for(a, r, crisis.any())).into_iter().collect();
        if let Some(message) = messages.first_mut() {
            message.meta = meta;
        }
        if let Err(e) = inner.store.decide(row.seq, &decision, &messages, now_ms()) {
            warn!(error = %format!("{e:#}"), "cannot store a decision; it is made again");
        } else if !messages.is_empty() {
            info!(decision, "queued a reply");
        }
        true
    }

    /// A reaction to one of the bot's answers is a vote; a redaction of one withdraws it.
    fn feedback(&self, row: &Received) {
        let a = &row.arrival;
        let store = &self.0.store;
        let target = a.in_reply_to.as_deref().unwrap_or_default();
        let counted = match a.kind {
            Kind::Reaction => store.react(&a.event_id, target, &a.body, now_ms()).ok().flatten().map(|vote| {
                self.0.metrics.vote(if vote > 0 { "up" } else { "down" });
                "feedback:vote"
            }),
            _ => store.withdraw(target).ok().flatten().map(|_| {
                self.0.metrics.vote("withdrawn");
                "feedback:withdrawn"
            }),
        };
        let _ = store.decide(row.seq, counted.unwrap_or("silent:not-feedback"), &[], now_ms());
    }

    /// The message as the homeserver has it, decrypted with the keys the bot has now.
    async fn decrypt_again(&self, room: &matrix_sdk::Room, a: &Arrival) -> Option<Arrival> {
        let id = matrix_sdk::ruma::OwnedEventId::try_from(a.event_id.as_str()).ok()?;
        let event = room.event(&id, None).await.ok()?;
        event.encryption_info()?;
        let json: serde_json::Value = serde_json::from_str(event.raw().json().get()).ok()?;
        match super::event::parse(&json, &a.room_id, self.0.me.as_str()) {
            super::event::Parsed::Message(decrypted) if decrypted.kind != Kind::Undecryptable => Some(decrypted),
            _ => None,
        }
    }

    /// The reply to `a` in its thread, mentioning the asker.
    fn notice_for(&self, a: &Arrival, reply: Reply, crisis: bool) -> NewMessage {
        NewMessage {
            room_id: a.room_id.clone(),
            event_type: "m.room.message".into(),
            content: reply::notice(a, &reply).unwrap_or(serde_json::Value::Null),
            thread: reply::thread_of(a).map(str::to_owned),
            give_up_at: self.give_up_at(a, crisis),
            case: None,
            meta: None,
            urgent: crisis,
        }
    }

    /// Answers a question with the asker's settings; `None` if the answering failed.
    pub(super) async fn answer(&self, a: &Arrival, prefs: &Prefs, person: &str) -> Option<Answer> {
        let understood = self.understand(a, prefs, person).await?;
        self.answer_understood(understood, person).await
    }

    /// Reads a message once into a [`Question`], in the asker's conversation: the place
    /// they named lately, else their `!paikka`, else the room's; their `!kieli`, else the
    /// language they wrote in lately, else the room's. `None` if the task failed.
    async fn understand(&self, a: &Arrival, prefs: &Prefs, person: &str) -> Option<(Question, AskContext)> {
        let assistant = self.assistant();
        let conversation = self.conversation(person);
        let mut cx = AskContext::now();
        cx.force_lang = prefs.lang.as_deref().and_then(|l| l.parse().ok());
        cx.previous_lang = conversation.lang().or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
        cx.default_place = conversation.place().cloned().or_else(|| {
            prefs
                .place
                .as_deref()
                .and_then(|p| assistant.resolve_place(p))
                .or_else(|| self.settings(&a.room_id).and_then(|s| s.place))
        });
        let text = a.body.clone();
        match tokio::task::spawn_blocking(move || {
            let q = conversation.understand_in(&assistant, &text, &cx);
            (q, cx)
        })
        .await
        {
            Ok(understood) => Some(understood),
            Err(e) => {
                warn!(error = %e, "the understanding task failed");
                None
            }
        }
    }

    /// Answers an understood question, and remembers it in the asker's conversation.
    async fn answer_understood(&self, (q, cx): (Question, AskContext), person: &str) -> Option<Answer> {
        let mut conversation = self.conversation(person);
        conversation.remember(&q);
        let recent = Recent { conversation, at: Instant::now() };
        self.0.recent.lock().unwrap_or_else(|p| p.into_inner()).put(person.to_owned(), recent);
        let assistant = self.assistant();
        match tokio::task::spawn_blocking(move || assistant.answer(&q, &cx)).await {
            Ok(Ok(answer)) => Some(answer),
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

    fn silenced(&self, person: &str) -> bool {
        self.0.limiter.lock().unwrap_or_else(|p| p.into_inner()).silenced(person, Instant::now())
    }

    /// The asker's conversation in this room, if they wrote lately; else a new one.
    fn conversation(&self, person: &str) -> Conversation {
        let mut recent = self.0.recent.lock().unwrap_or_else(|p| p.into_inner());
        // `peek`, not `get`: only a new question moves a conversation up, so the least
        // recently used is also the oldest, and the housekeeping drops the old ones in order.
        match recent.peek(person) {
            Some(r) if r.at.elapsed() < CONVERSATION_MEMORY => r.conversation.clone(),
            Some(_) => {
                recent.pop(person);
                Conversation::default()
            }
            None => Conversation::default(),
        }
    }

    fn recent_lang(&self, person: &str) -> Option<Lang> {
        self.conversation(person).lang()
    }

    /// The asker's language for a short notice: their choice, the language they used last,
    /// the room's, or the message's own.
    pub(super) fn language_of(&self, a: &Arrival, prefs: &Prefs, person: &str) -> Lang {
        let assistant = self.assistant();
        if let Some(lang) = prefs.lang.as_deref().and_then(|l| l.parse().ok()) {
            return lang;
        }
        let previous = self.recent_lang(person).or_else(|| self.settings(&a.room_id).and_then(|s| s.language));
        assistant.detect_language(&a.body, previous)
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

/// The welfare region of a place.
pub(super) fn region_of(place: &crate::geo::Place, assistant: &crate::assistant::Assistant) -> Option<String> {
    match place {
        crate::geo::Place::Region(code) => Some(code.clone()),
        crate::geo::Place::Municipality(code) => {
            assistant.knowledge().gazetteer.municipality(code).map(|m| m.region.clone())
        }
    }
}

pub(super) fn helsinki_now() -> chrono::DateTime<chrono_tz::Tz> {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki)
}
