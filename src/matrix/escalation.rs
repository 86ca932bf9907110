//! The hand-over to NGO volunteers on Matrix: consent, a private case, answers relayed both
//! ways, nothing lost (the decisions are in [`crate::escalation`]).
//!
//! - A resident who asks for a person (`!ihminen`, or in words) gets the consent question, in
//!   a direct chat the bot opens when the request came in a public room (the public thread
//!   gets one line; "täällä" keeps the conversation there).
//! - On "yes", the resident's next message opens the case: a root in the volunteers' room of
//!   the resident's welfare region, "Tapaus #17 · sv · Vaasa · avoin", under a pseudonym.
//! - Volunteers answer in the case thread and the bot relays each answer to the resident;
//!   the resident's messages go back into the thread. `!note` stays internal, `!palvelu ID`
//!   sends a knowledge entry, 👍 or `!ota` claims, `!sulje` closes, `!tapaukset` lists.
//! - Every message goes through the outbox (sent once), and every decision is stored in the
//!   transaction of the case's change, so a crash at any point loses and repeats nothing.

use std::time::Duration;

use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UserId};
use matrix_sdk::{Room, RoomState};
use serde_json::{Value, json};
use tracing::{info, warn};

use super::admission::RoomKind;
use super::bot::{Bot, now_ms};
use super::cases::{Case, Change, NewCase};
use super::commands::Command;
use super::event::{Arrival, Kind};
use super::reply;
use super::store::{NewMessage, Received, Role};
use super::worker::region_of;
use crate::answer::escalation::{self as texts, Consent, Root};
use crate::answer::{Reply, View, notice};
use crate::escalation::case::{Effect, Event, State, step};
use crate::escalation::consent::{self, Answer};
use crate::escalation::routing::{VolunteerRoom, route};
use crate::escalation::volunteer::{self, Command as VolunteerCommand};
use crate::geo::Place;
use crate::lang::Lang;
use crate::safety;

/// The custom field of a case root that carries the case number.
pub const CASE_FIELD: &str = "fi.lahiapu.case";
/// How long a relayed message is worth sending.
const RELAY_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

/// The resolved `[escalation]` config.
#[derive(Debug)]
pub(super) struct Escalation {
    pub organisations: Vec<String>,
    pub hours: Option<String>,
    /// The volunteers' language.
    pub lang: Lang,
    /// Only these may answer (empty: every member of a volunteers' room).
    pub volunteers: Vec<OwnedUserId>,
    pub reminder: Duration,
    pub idle: Duration,
    pub consent: Duration,
    pub retention: Duration,
    /// Volunteers' rooms and their regions, as they are joined; the default has none.
    pub rooms: std::sync::RwLock<Vec<VolunteerRoom<OwnedRoomId>>>,
    pub default_room: std::sync::RwLock<Option<OwnedRoomId>>,
    /// How many regional rooms the config names (routing waits until all are joined).
    pub region_rooms: usize,
}

impl Escalation {
    /// The question asking the resident's consent to hand case `case` over, in `lang`;
    /// `public` when the conversation stays in a public thread.
    fn consent_prompt(&self, assistant: &crate::assistant::Assistant, lang: Lang, case: i64, public: bool) -> Reply {
        let consent = Consent {
            lang,
            case,
            organisations: &self.organisations,
            hours: self.hours.as_deref(),
            public,
            now: helsinki_now(),
        };
        texts::consent(&consent, assistant.knowledge(), assistant.locales())
    }
}

impl Escalation {
    /// Whether every volunteers' room is joined, so that a case goes to the right one.
    fn ready(&self) -> bool {
        self.default_room.read().unwrap_or_else(|p| p.into_inner()).is_some()
            && self.rooms.read().unwrap_or_else(|p| p.into_inner()).len() >= self.region_rooms
    }
}

/// What the escalation step did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Handled {
    /// Not the hand-over's: the normal answer path takes it.
    No,
    /// Decided (and stored).
    Done,
    /// Wait: its case is not ready (the root is not sent yet); decide it later.
    Defer,
}

impl Bot {
    fn escalation(&self) -> Option<&Escalation> {
        self.0.escalation.as_ref()
    }

    /// Whether `room_id` is a volunteers' room.
    pub(super) fn is_volunteer_room(&self, room_id: &str) -> bool {
        let Some(e) = self.escalation() else { return false };
        let default = e.default_room.read().unwrap_or_else(|p| p.into_inner());
        default.as_ref().is_some_and(|d| d.as_str() == room_id)
            || e.rooms.read().unwrap_or_else(|p| p.into_inner()).iter().any(|r| r.room.as_str() == room_id)
            // Named by ID in the config, not joined yet.
            || self.0.store.room_kind(room_id).ok().flatten().as_deref() == Some("volunteers")
    }

    /// Routes a message that belongs to the hand-over: in a volunteers' room, from a
    /// resident with a running case where they talk, or a reaction to a consent question.
    pub(super) async fn escalation_step(&self, row: &Received, room: &Room) -> Handled {
        let a = &row.arrival;
        if self.escalation().is_none() {
            return Handled::No;
        }
        if self.is_volunteer_room(&a.room_id) {
            return self.volunteer_message(row, room).await;
        }
        let store = &self.0.store;
        let case = if a.kind == Kind::Reaction {
            let target = a.in_reply_to.as_deref().unwrap_or_default();
            store.case_by_prompt(target).ok().flatten().filter(|c| c.resident.as_deref() == Some(a.sender.as_str()))
        } else {
            store.case_of_resident(&a.sender, &a.room_id, a.thread_root.as_deref()).ok().flatten()
        };
        match case {
            Some(case) => self.resident_message(row, case).await,
            None => Handled::No,
        }
    }

    /// A resident asked for a person (`!ihminen` or in words): the consent question, in a
    /// private chat when the request came in a public room.
    /// Returns `false` if the request must wait (the volunteers' rooms are not joined yet).
    pub(super) async fn start_case(&self, row: &Received, room_kind: RoomKind, lang: Lang) -> bool {
        let assistant = self.assistant();
        let a = &row.arrival;
        let inner = &self.0;
        let knowledge = assistant.knowledge();
        let locales = assistant.locales();
        let Some(e) = self.escalation() else {
            let reply = texts::unavailable(lang, knowledge, locales);
            self.store_decision(row, "escalation:unavailable", vec![self.answer_message(a, reply)], None);
            return true;
        };
        if !e.ready() {
            // The volunteers' rooms are being joined: decide when the case can be routed.
            return false;
        }
        if let Ok(Some(running)) = inner.store.running_case(&a.sender) {
            let reply = notice::message(lang, "esc-already-open", &[], locales);
            let mut message = self.answer_message(a, reply);
            if let Some(room) = running.room.filter(|r| *r != a.room_id) {
                // Tell them where the conversation is, not in a public room.
                message.room_id = room;
                message.content =
                    reply::plain_notice(&notice::message(lang, "esc-already-open", &[], locales), &a.sender);
                message.thread = None;
            }
            self.store_decision(row, "escalation:already-open", vec![message], None);
            return true;
        }
        // Where the resident is, and what about, for routing and statistics.
        let prefs = inner.store.prefs(&a.room_id, &a.sender, now_ms()).unwrap_or_default();
        let asked = self.answer(a, &prefs, &inner.store.person_key(&a.room_id, &a.sender)).await;
        let place = asked.as_ref().and_then(|x| x.place.clone()).or_else(|| {
            prefs
                .place
                .as_deref()
                .and_then(|p| assistant.resolve_place(p))
                .or_else(|| self.settings(&a.room_id).and_then(|s| s.place))
        });
        let region = place.as_ref().and_then(|p| region_of(p, &assistant));
        let place_code = place.as_ref().map(|p| match p {
            Place::Municipality(c) | Place::Region(c) => c.clone(),
        });
        let category = asked
            .as_ref()
            .filter(|x| x.confident)
            .and_then(|x| x.results.first())
            .and_then(|r| r.categories.first().cloned());
        let volunteers_room = {
            let rooms = e.rooms.read().unwrap_or_else(|p| p.into_inner());
            let default = e.default_room.read().unwrap_or_else(|p| p.into_inner());
            match default.as_ref() {
                Some(d) => route(region.as_deref(), &rooms, d).clone(),
                None => return false,
            }
        };

        let public = room_kind != RoomKind::Direct;
        let thread = reply::thread_of(a).map(str::to_owned);
        let private = if public { self.private_room_with(&a.sender).await } else { None };
        let (conversation, conversation_thread) = match (&private, public) {
            (Some(dm), _) => (dm.room_id().to_string(), None),
            (None, true) => (a.room_id.clone(), thread.clone()),
            (None, false) => (a.room_id.clone(), None),
        };
        let new = NewCase {
            origin: &a.event_id,
            lang: lang.code(),
            region: region.as_deref(),
            place: place_code.as_deref(),
            category: category.as_deref(),
            resident: &a.sender,
            room: &conversation,
            thread: conversation_thread.as_deref(),
            public_room: public.then_some(a.room_id.as_str()),
            public_thread: if public { thread.as_deref() } else { None },
            volunteers_room: volunteers_room.as_str(),
        };
        let case = match inner.store.open_case(&new, now_ms()) {
            Ok(case) => case,
            Err(e) => {
                warn!(error = %format!("{e:#}"), "cannot open a case");
                return false;
            }
        };
        let prompt = e.consent_prompt(&assistant, lang, case.id, public && private.is_none());
        let mut messages = Vec::new();
        if public {
            let line = if private.is_some() { "esc-moved-to-dm" } else { "esc-dm-failed" };
            messages.push(self.answer_message(a, notice::message(lang, line, &[], locales)));
        }
        let mut prompt_message = if private.is_some() {
            NewMessage {
                room_id: conversation.clone(),
                event_type: "m.room.message".into(),
                content: reply::plain_notice(&prompt, &a.sender),
                thread: None,
                give_up_at: now_ms() + e.consent.as_millis() as u64,
                case: None,
                meta: None,
                urgent: false,
            }
        } else {
            self.answer_message(a, prompt)
        };
        prompt_message.case = Some((case.id, Role::Prompt));
        messages.push(prompt_message);
        info!(case = case.id, public, "asked a resident for consent to a hand-over");
        self.store_decision(row, "escalation:asked", messages, None);
        true
    }

    /// A direct chat with `user`: one that exists, or a new one (encrypted).
    async fn private_room_with(&self, user: &str) -> Option<Room> {
        let user = UserId::parse(user).ok()?;
        if let Some(room) = self.0.client.get_dm_room(&user).filter(|r| r.state() == RoomState::Joined) {
            return Some(room);
        }
        match self.0.client.create_dm(&user).await {
            Ok(room) => {
                let _ = self.0.store.set_room_kind(room.room_id().as_str(), "direct");
                let _ = self.0.store.set_joined(room.room_id().as_str(), now_ms(), false);
                Some(room)
            }
            Err(e) => {
                warn!(error = %super::redact::error(&e), "cannot open a private chat with a resident");
                None
            }
        }
    }

    async fn resident_message(&self, row: &Received, case: Case) -> Handled {
        let assistant = self.assistant();
        let a = &row.arrival;
        let locales = assistant.locales();
        let lang: Lang = case.lang.parse().unwrap_or(Lang::Fi);
        let command = Command::parse(&a.body).map(|(c, _)| c);
        // The public thread a request came from, while the conversation is elsewhere.
        // (A reaction is to the consent question where the conversation is now.)
        let at_origin = a.kind != Kind::Reaction
            && case.public_room.as_deref() == Some(a.room_id.as_str())
            && (case.room.as_deref() != Some(a.room_id.as_str()) || case.thread != a.thread_root);
        if a.kind == Kind::Text && command.as_ref().is_some_and(|c| *c != Command::Cancel) {
            // `!palvelut velkaneuvonta Turku`, `!kieli sv` …: answered by the bot where they are
            // asked, like anywhere else, and never relayed to the volunteers.
            return Handled::No;
        }
        let answer = if command == Some(Command::Cancel) { Some(Answer::No) } else { consent::read(&a.body) };
        let event = match (case.state, answer, a.kind) {
            (_, _, Kind::Notice | Kind::Other) => return Handled::No,
            (State::Asked, Some(Answer::StayHere), _) if at_origin => return self.stay_in_public(row, case, lang),
            (State::Asked | State::Consented, Some(Answer::No), _) => Event::No,
            (State::Asked, Some(Answer::Yes), _) if !at_origin => Event::Yes,
            (State::Open | State::Claimed, _, _) if command == Some(Command::Cancel) && !at_origin => Event::Cancel,
            (State::Consented | State::Open | State::Claimed, _, Kind::Text | Kind::Undecryptable) if !at_origin => {
                Event::ResidentText
            }
            _ => return Handled::No,
        };
        let Some((next, effect)) = step(case.state, event) else { return Handled::No };
        let crisis = safety::assess(&a.body);
        let mut messages = Vec::new();
        if crisis.any() {
            // Safety first, whatever the case: 112 and a 24/7 line to the resident.
            let reply = notice::crisis(lang, crisis, assistant.knowledge(), locales, helsinki_now());
            messages.push(self.to_resident(&case, reply));
        }
        let say = |id: &str| notice::message(lang, id, &[], locales);
        let decision = match effect {
            Effect::AskForText => {
                messages.push(self.to_resident(&case, say("esc-consent-yes")));
                "escalation:consented"
            }
            Effect::ConfirmNothingSent => {
                messages.push(self.to_resident(&case, say("esc-consent-no")));
                "escalation:declined"
            }
            Effect::OpenCase | Effect::RelayToVolunteers if a.kind == Kind::Undecryptable => {
                messages.push(self.to_resident(&case, notice::undecryptable(Some(lang), locales)));
                self.store_decision(row, "escalation:undecryptable", messages, None);
                return Handled::Done;
            }
            Effect::OpenCase => {
                let Some(e) = self.escalation() else { return Handled::No };
                let root = texts::root(&self.root_facts(&case, e.lang, "open"), &a.body, locales);
                messages.push(self.root_message(&case, root));
                messages.push(self.to_resident(&case, say("esc-case-opened")));
                "escalation:opened"
            }
            Effect::RelayToVolunteers => {
                let Some(root) = case.root.clone() else { return Handled::Defer };
                let Some(e) = self.escalation() else { return Handled::No };
                let relay = texts::relay_to_volunteers(e.lang, case.id, &a.body, locales);
                messages.push(self.in_case_thread(&case, &root, relay, Role::ToVolunteers));
                "escalation:relayed-in"
            }
            Effect::CloseCase => {
                let Some(root) = case.root.clone() else { return Handled::Defer };
                messages.push(self.root_edit(&case, &root, "closed"));
                messages.push(self.to_resident(&case, say("esc-cancelled")));
                "escalation:cancelled"
            }
            _ => return Handled::No,
        };
        let mut change = Change::state(next);
        if effect == Effect::CloseCase {
            change.close_reason = Some("resident".into());
        }
        self.store_decision(row, decision, messages, Some((case.id, change)));
        Handled::Done
    }

    /// "täällä": the conversation stays in the public thread; the consent question is asked
    /// there, saying that it is public.
    fn stay_in_public(&self, row: &Received, case: Case, lang: Lang) -> Handled {
        let assistant = self.assistant();
        let a = &row.arrival;
        let Some(e) = self.escalation() else { return Handled::No };
        let prompt = e.consent_prompt(&assistant, lang, case.id, true);
        let mut message = self.answer_message(a, prompt);
        message.case = Some((case.id, Role::Prompt));
        let change =
            Change { room: Some((a.room_id.clone(), case.public_thread.clone())), touched: true, ..Change::default() };
        self.store_decision(row, "escalation:stay-here", vec![message], Some((case.id, change)));
        Handled::Done
    }

    async fn volunteer_message(&self, row: &Received, room: &Room) -> Handled {
        let assistant = self.assistant();
        let a = &row.arrival;
        let inner = &self.0;
        let Some(e) = self.escalation() else { return Handled::No };
        let lang = e.lang;
        let locales = assistant.locales();
        let say = |id: &str, args: &[(&str, &str)]| notice::message(lang, id, args, locales);
        let quiet = |why: &str| {
            self.store_decision(row, &format!("volunteer:{why}"), Vec::new(), None);
            Handled::Done
        };
        match a.kind {
            Kind::Text | Kind::Reaction if !a.edit => {}
            _ => return quiet("ignored"),
        }
        // A short reply in the message's thread (reactions get none).
        let tell = |why: &str, id: &str| {
            if a.kind != Kind::Reaction {
                let message = self.answer_message(a, say(id, &[]));
                self.store_decision(row, &format!("volunteer:{why}"), vec![message], None);
                return Handled::Done;
            }
            quiet(why)
        };
        if !self.is_volunteer(room, &a.sender).await {
            return tell("not-a-volunteer", "esc-not-volunteer");
        }
        if a.kind == Kind::Text && matches!(Command::parse(&a.body), Some((Command::Services(_), _))) {
            // `!palvelut velkaneuvonta Tampere`: a listing for the volunteer, answered like
            // any command in the thread it was asked in, never relayed.
            return Handled::No;
        }
        let case_root = if a.kind == Kind::Reaction { a.in_reply_to.as_deref() } else { a.thread_root.as_deref() };
        let case = case_root.and_then(|root| inner.store.case_by_root(root).ok().flatten());
        let command = match a.kind {
            Kind::Reaction if a.body.starts_with('👍') => Some(VolunteerCommand::Claim),
            Kind::Reaction => return quiet("reaction"),
            _ => volunteer::parse(&a.body),
        };
        match (command, case) {
            (Some(VolunteerCommand::Cases), _) => {
                let reply = self.cases_list(lang);
                self.store_decision(row, "volunteer:cases", vec![self.answer_message(a, reply)], None);
            }
            (Some(VolunteerCommand::Help), _) | (None, None) => return tell("hint", "esc-hint"),
            (Some(_), None) => return tell("not-a-case", "esc-not-a-case"),
            (Some(VolunteerCommand::Note), Some(_)) => return quiet("note"),
            (_, Some(case)) if !case.state.relays() => return tell("case-ended", "esc-case-ended"),
            (Some(VolunteerCommand::Claim), Some(case)) => {
                let who = display_name(room, &a.sender).await;
                let mut claimed = case.clone();
                claimed.claimed_by = Some(who.clone());
                let root = case.root.clone().unwrap_or_default();
                let edit = self.root_edit(&claimed, &root, "claimed");
                let Some((next, _)) = step(case.state, Event::Claim) else { return quiet("claim") };
                let change = Change { claimed_by: Some(who), ..Change::state(next) };
                self.store_decision(row, "volunteer:claimed", vec![edit], Some((case.id, change)));
            }
            (Some(VolunteerCommand::Close), Some(case)) => {
                let resident_lang: Lang = case.lang.parse().unwrap_or(Lang::Fi);
                let root = case.root.clone().unwrap_or_default();
                let messages = vec![
                    self.root_edit(&case, &root, "closed"),
                    self.to_resident(&case, notice::message(resident_lang, "esc-closed", &[], locales)),
                    self.answer_message(a, say("esc-closed-ack", &[("case", &case.id.to_string())])),
                ];
                let change = Change { close_reason: Some("volunteer".into()), ..Change::state(State::Closed) };
                self.store_decision(row, "volunteer:closed", messages, Some((case.id, change)));
            }
            (Some(VolunteerCommand::Service(id)), Some(case)) => {
                let knowledge = assistant.knowledge();
                let Some(service) = knowledge.service(&id).filter(|s| s.is_active()) else {
                    let reply = say("esc-service-unknown", &[("id", &id)]);
                    self.store_decision(row, "volunteer:service-unknown", vec![self.answer_message(a, reply)], None);
                    return Handled::Done;
                };
                let resident_lang: Lang = case.lang.parse().unwrap_or(Lang::Fi);
                let view = View { lang: resident_lang, now: helsinki_now(), knowledge, locales };
                let card = crate::answer::render_service(service, &view);
                let intro = notice::message(resident_lang, "esc-service-intro", &[], locales);
                let messages = vec![
                    self.to_resident(&case, notice::join(intro, card)),
                    self.answer_message(a, say("esc-service-sent", &[("id", &id)])),
                ];
                let change = Change { responded: true, touched: true, ..Change::default() };
                self.store_decision(row, "volunteer:service", messages, Some((case.id, change)));
            }
            (None, Some(case)) => {
                let resident_lang: Lang = case.lang.parse().unwrap_or(Lang::Fi);
                let relay = texts::relay_to_resident(resident_lang, &a.body, locales);
                let messages = vec![self.to_resident(&case, relay)];
                let change = Change { responded: true, touched: true, ..Change::default() };
                self.store_decision(row, "volunteer:relayed-out", messages, Some((case.id, change)));
            }
        }
        Handled::Done
    }

    /// Whether `user` may answer residents: listed in `escalation.volunteers` (if set) and
    /// a joined member of the volunteers' room.
    async fn is_volunteer(&self, room: &Room, user: &str) -> bool {
        let Some(e) = self.escalation() else { return false };
        let Ok(user) = UserId::parse(user) else { return false };
        if !e.volunteers.is_empty() && !e.volunteers.contains(&user) {
            return false;
        }
        matches!(room.get_member(&user).await, Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join)
    }

    fn cases_list(&self, lang: Lang) -> Reply {
        let assistant = self.assistant();
        let locales = assistant.locales();
        let cases: Vec<Case> =
            self.0.store.running_cases().unwrap_or_default().into_iter().filter(|c| c.state.relays()).collect();
        if cases.is_empty() {
            return notice::message(lang, "esc-cases-none", &[], locales);
        }
        let now = now_ms();
        let mut lines = vec![locales.text(lang, "esc-cases-heading", &[])];
        for case in cases {
            let facts = self.root_facts(&case, lang, case.state.as_str());
            let header = crate::answer::escalation::root_header(&facts, locales);
            let age = texts::age(now.saturating_sub(case.opened_at.unwrap_or(case.created_at)) / 60_000, lang, locales);
            let state_part = header.rsplit(" · ").next().unwrap_or_default().to_owned();
            lines.push(locales.text(
                lang,
                "esc-cases-line",
                &[
                    ("case", &case.id.to_string()),
                    ("lang", &case.lang),
                    ("place", facts.place.as_deref().unwrap_or("–")),
                    ("state", &state_part),
                    ("age", &age),
                ],
            ));
        }
        notice::paragraphs(lines)
    }

    /// The facts of a case's root in the volunteers' language.
    fn root_facts<'a>(&self, case: &'a Case, lang: Lang, state: &'a str) -> Root<'a> {
        let assistant = self.assistant();
        let assistant = &assistant;
        let place = case
            .place
            .as_deref()
            .and_then(|code| assistant.resolve_place(code))
            .map(|p| crate::answer::place_name(&p, lang, assistant.knowledge()));
        Root {
            lang,
            case: case.id,
            resident_lang: case.lang.parse().unwrap_or(Lang::Fi),
            place,
            state,
            claimed_by: case.claimed_by.as_deref(),
        }
    }

    /// A message to the resident where they talk with the volunteers (mentioning them).
    fn to_resident(&self, case: &Case, reply: Reply) -> NewMessage {
        let resident = case.resident.clone().unwrap_or_default();
        let room = case.room.clone().unwrap_or_default();
        let content = match &case.thread {
            Some(root) => reply::threaded_notice(&reply, root, Some(&resident)),
            None => reply::plain_notice(&reply, &resident),
        };
        NewMessage {
            room_id: room,
            event_type: "m.room.message".into(),
            content,
            thread: case.thread.clone(),
            give_up_at: now_ms() + RELAY_WINDOW.as_millis() as u64,
            case: Some((case.id, Role::ToResident)),
            meta: None,
            urgent: false,
        }
    }

    /// The case root in the volunteers' room, carrying the case number.
    fn root_message(&self, case: &Case, reply: Reply) -> NewMessage {
        let mut content = reply::plain_notice_to_nobody(&reply);
        content[CASE_FIELD] = json!(case.id);
        to_volunteers_room(case, content, None, Role::Root)
    }

    fn in_case_thread(&self, case: &Case, root: &str, reply: Reply, role: Role) -> NewMessage {
        to_volunteers_room(case, reply::threaded_notice(&reply, root, None), Some(root), role)
    }

    /// An edit of the case root showing its new state.
    fn root_edit(&self, case: &Case, root: &str, state: &str) -> NewMessage {
        let assistant = self.assistant();
        let lang = self.escalation().map_or(Lang::Fi, |e| e.lang);
        let header = texts::root_header(&self.root_facts(case, lang, state), assistant.locales());
        let content = reply::edit(root, &notice::paragraphs([header]));
        to_volunteers_room(case, content, None, Role::ToVolunteers)
    }

    /// A reply in the thread of `a` (as answers are), mentioning its sender.
    fn answer_message(&self, a: &Arrival, reply: Reply) -> NewMessage {
        NewMessage {
            room_id: a.room_id.clone(),
            event_type: "m.room.message".into(),
            content: reply::notice(a, &reply).unwrap_or(Value::Null),
            thread: reply::thread_of(a).map(str::to_owned),
            give_up_at: now_ms() + RELAY_WINDOW.as_millis() as u64,
            case: None,
            meta: None,
            urgent: false,
        }
    }

    /// Stores a decision with its messages and the case change, in one transaction.
    fn store_decision(&self, row: &Received, decision: &str, messages: Vec<NewMessage>, change: Option<(i64, Change)>) {
        let messages: Vec<NewMessage> =
            messages.into_iter().filter(|m| !m.content.is_null() && !m.room_id.is_empty()).collect();
        let now = now_ms();
        let result = self.0.store.decide_with(row.seq, decision, &messages, now, |tx| match &change {
            Some((id, change)) => super::cases::apply(tx, *id, change, now),
            None => Ok(()),
        });
        if let Err(e) = result {
            warn!(error = %format!("{e:#}"), "cannot store a decision of the hand-over; it is made again");
        }
    }

    /// Reminders, self-closing idle cases, lapsed consent questions and deleting old case
    /// texts: run now and then.
    pub(super) async fn escalation_tick(&self) {
        let assistant = self.assistant();
        let Some(e) = self.escalation() else { return };
        let store = &self.0.store;
        let locales = assistant.locales();
        let now = now_ms();
        let ms = |d: Duration| d.as_millis() as u64;
        let running = store.running_cases().unwrap_or_default();
        self.0.metrics.escalations_open.set(running.iter().filter(|c| c.state.relays()).count() as i64);
        for case in running {
            match case.state {
                State::Asked | State::Consented if case.created_at + ms(e.consent) < now => {
                    let _ = store.change_case(case.id, &Change::state(State::Declined), now);
                    info!(case = case.id, "a consent question lapsed; nothing was forwarded");
                }
                State::Open | State::Claimed if case.last_activity_at + ms(e.idle) < now => {
                    let Some(root) = case.root.clone() else { continue };
                    let lang: Lang = case.lang.parse().unwrap_or(Lang::Fi);
                    let messages = [
                        self.root_edit(&case, &root, "closed"),
                        self.to_resident(&case, notice::message(lang, "esc-closed", &[], locales)),
                    ];
                    let change = Change { close_reason: Some("idle".into()), ..Change::state(State::Closed) };
                    let source = format!("case:{}:idle-close", case.id);
                    let _ = store
                        .enqueue_with(&source, &messages, now, |tx| super::cases::apply(tx, case.id, &change, now));
                    info!(case = case.id, "closed an idle case");
                }
                _ => {}
            }
        }
        for case in store.cases_to_remind(now.saturating_sub(ms(e.reminder))).unwrap_or_default() {
            let Some(root) = case.root.clone() else { continue };
            let minutes = (now - case.opened_at.unwrap_or(case.created_at)) / 60_000;
            let reply = notice::message(
                e.lang,
                "esc-reminder",
                &[("case", &case.id.to_string()), ("minutes", &minutes.to_string())],
                locales,
            );
            let message = self.in_case_thread(&case, &root, reply, Role::ToVolunteers);
            let change = Change { reminded: true, ..Change::default() };
            let source = format!("case:{}:reminder", case.id);
            let _ = store.enqueue_with(&source, &[message], now, |tx| super::cases::apply(tx, case.id, &change, now));
        }
        for (id, events) in store.cases_to_purge(now.saturating_sub(ms(e.retention))).unwrap_or_default() {
            let mut all = true;
            for (room, event) in events {
                let (Ok(room_id), Ok(event_id)) = (OwnedRoomId::try_from(room), OwnedEventId::try_from(event)) else {
                    continue;
                };
                let Some(room) = self.0.client.get_room(&room_id) else { continue };
                if let Err(e) = room.redact(&event_id, None, None).await
                    && !matches!(e.client_api_error_kind(), Some(matrix_sdk::ruma::api::error::ErrorKind::NotFound))
                {
                    warn!(error = %super::redact::error(&e), "cannot delete a case's message yet");
                    all = false;
                }
            }
            if all {
                let _ = store.purged(id);
                info!(case = id, "deleted a closed case's texts");
            }
        }
    }

    /// Warns (log and a notice in the room, mentioning the admins) when a volunteers' room
    /// is public or not encrypted.
    pub(super) async fn check_volunteer_room(&self, room: &Room) {
        let assistant = self.assistant();
        let public = room.is_public().unwrap_or(false);
        let encrypted = room.latest_encryption_state().await.map(|s| s.is_encrypted()).unwrap_or(true);
        let Some(e) = self.escalation() else { return };
        for (problem, id) in [(public, "esc-warn-public"), (!encrypted, "esc-warn-unencrypted")] {
            if !problem {
                continue;
            }
            warn!(warning = id, "a volunteers' room is not private enough");
            let reply = notice::message(e.lang, id, &[], assistant.locales());
            let mut content = reply::plain_notice_to_nobody(&reply);
            content["m.mentions"] = json!({"user_ids": self.0.admins.iter().map(|a| a.as_str()).collect::<Vec<_>>()});
            let message = NewMessage {
                room_id: room.room_id().to_string(),
                event_type: "m.room.message".into(),
                content,
                thread: None,
                give_up_at: now_ms() + 3_600_000,
                case: None,
                meta: None,
                urgent: false,
            };
            // Once per start: the key has the start's time.
            let source = format!("warn:{id}:{}:{}", room.room_id(), self.0.started_at);
            let _ = self.0.store.enqueue(&source, &message, now_ms());
        }
    }
}

/// A member's display name, or the user ID's local part.
async fn display_name(room: &Room, user: &str) -> String {
    let fallback = user.trim_start_matches('@').split(':').next().unwrap_or(user).to_owned();
    let Ok(user) = UserId::parse(user) else { return fallback };
    match room.get_member(&user).await {
        Ok(Some(member)) => member.display_name().map(str::to_owned).unwrap_or(fallback),
        _ => fallback,
    }
}

fn helsinki_now() -> chrono::DateTime<chrono_tz::Tz> {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki)
}

/// A message of case `case` to its volunteers' room, in the case's thread when `thread` is
/// given; worth sending while the case may still relay.
fn to_volunteers_room(case: &Case, content: Value, thread: Option<&str>, role: Role) -> NewMessage {
    NewMessage {
        room_id: case.volunteers_room.clone(),
        event_type: "m.room.message".into(),
        content,
        thread: thread.map(str::to_owned),
        give_up_at: now_ms() + RELAY_WINDOW.as_millis() as u64,
        case: Some((case.id, role)),
        meta: None,
        urgent: false,
    }
}
