//! The bot on Matrix: joins its rooms, reads messages, answers in threads.
//!
//! Everything here is glue between matrix-sdk and the pure parts: [`decide`] says whether to
//! answer, [`Assistant::ask`] composes the answer, [`Limiter`] keeps floods in check, and
//! [`Store`] remembers what was answered.
//!
//! Answering is claim → compose → send → mark done. The claim is written before anything
//! is sent, so a restart never answers twice. The send uses a transaction ID derived from
//! the question, so a repeated send after a crash or an outage is recognised by the
//! homeserver as the same message; a question whose answer could not be sent stays
//! pending and is sent again when the homeserver is back. Nothing is lost.
//!
//! Privacy: message bodies, user IDs and display names are logged only at `debug`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::ruma::api::client::filter::FilterDefinition;
use matrix_sdk::ruma::api::client::receipt::create_receipt::v3::ReceiptType;
use matrix_sdk::ruma::events::receipt::ReceiptThread;
use matrix_sdk::ruma::events::room::member::{MembershipState, OriginalSyncRoomMemberEvent, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    AddMentions, ForwardThread, MessageType, OriginalSyncRoomMessageEvent, Relation, ReplyMetadata, ReplyWithinThread,
    RoomMessageEventContent, sanitize::remove_plain_reply_fallback,
};
use matrix_sdk::ruma::events::{AnySyncMessageLikeEvent, AnySyncTimelineEvent, Mentions, SyncMessageLikeEvent};
use matrix_sdk::ruma::{
    MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, RoomId, RoomOrAliasId,
};
use matrix_sdk::{Client, Room, RoomState};
use sha2::{Digest, Sha256};
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::config::Config;
use super::decide::{self, Command, Decision, Incoming, MsgKind, RoomKind};
use super::limits::{Limiter, Verdict};
use super::session;
use crate::assistant::{AskContext, Assistant};
use crate::geo::Place;
use crate::lang::Lang;
use crate::safety;
use crate::store::Store;

/// Names the bot answers to when a client without `m.mentions` writes its name.
const NAMES: &[&str] = &["Lähiapu", "Lahiapu", "Närhjälp", "Narhjalp"];
/// How often pending answers are retried and old records pruned.
const HOUSEKEEPING: Duration = Duration::from_secs(30);
/// Longest wait between attempts to reach a homeserver that is away.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Attempts to send one answer before leaving it pending for later.
const SEND_ATTEMPTS: u32 = 4;

/// A configured room's settings.
#[derive(Debug, Clone)]
struct RoomSettings {
    place: Option<Place>,
    answer_all: bool,
    language: Option<Lang>,
}

struct Inner {
    client: Client,
    assistant: Arc<Assistant>,
    store: Store,
    me: OwnedUserId,
    rooms: HashMap<OwnedRoomId, RoomSettings>,
    admins: Vec<OwnedUserId>,
    limiter: Mutex<Limiter>,
    /// The language each asker used last, per room (in memory only).
    recent_lang: Mutex<HashMap<(OwnedRoomId, OwnedUserId), Lang>>,
    catch_up: Duration,
    retention: Duration,
    slot: Slot,
}

/// The running bot. Cheap to clone.
#[derive(Clone)]
pub struct Bot(Arc<Inner>);

/// What the event handlers reach the bot through. Emptied when the bot stops, which also
/// breaks the reference cycle client → handler context → bot → client, so that a stopped
/// bot's client and its stores are really closed.
#[derive(Clone, Default)]
struct Slot(Arc<Mutex<Option<Bot>>>);

impl Slot {
    fn get(&self) -> Option<Bot> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// A bot started in the background; [`RunningBot::stop`] ends it.
pub struct RunningBot {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<()>>,
    bot: Bot,
}

impl RunningBot {
    /// Stops syncing, waits for the bot to finish what it was doing, and detaches it from
    /// its client.
    pub async fn stop(self) -> Result<()> {
        let _ = self.stop.send(true);
        let result = self.task.await.context("the bot task panicked")?;
        self.bot.detach();
        result
    }
}

fn now_ms() -> u64 {
    MilliSecondsSinceUnixEpoch::now().get().into()
}

impl Bot {
    /// Logs in (or restores the session), joins the configured rooms and starts syncing in
    /// the background.
    pub async fn start(config: Config, assistant: Arc<Assistant>) -> Result<RunningBot> {
        let credentials = config.credentials(|k| std::env::var(k).ok())?;
        let client = connect_with_backoff(&config, credentials).await?;
        let bot = Self::attach(client, &config, assistant).await?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(bot.clone().sync_loop(stopped));
        Ok(RunningBot { stop, task, bot })
    }

    /// Stops handling events (the handlers stay registered but find no bot).
    pub fn detach(&self) {
        self.0.slot.clear();
    }

    /// Makes a logged-in client the bot: opens the bot's store, joins the configured rooms
    /// and registers the event handlers. Syncing is left to the caller.
    pub async fn attach(client: Client, config: &Config, assistant: Arc<Assistant>) -> Result<Bot> {
        std::fs::create_dir_all(&config.matrix.store)
            .with_context(|| format!("cannot create the store folder {}", config.matrix.store.display()))?;
        let me = client.user_id().context("the client has no user ID after login")?.to_owned();
        let store = Store::open(&session::Paths::new(&config.matrix.store).bot_store)?;

        let mut rooms = HashMap::new();
        for room in &config.rooms {
            let id = join_configured(&client, &room.room).await?;
            store.set_joined(id.as_str(), now_ms())?;
            let place = match &room.place {
                Some(name) => Some(
                    assistant
                        .resolve_place(name)
                        .with_context(|| format!("unknown place {name:?} for room {}", room.room))?,
                ),
                None => None,
            };
            let language = room.language.as_deref().map(str::parse).transpose()?;
            rooms.insert(id, RoomSettings { place, answer_all: room.answer_all, language });
        }
        let admins = config
            .admins
            .users
            .iter()
            .map(|u| u.parse())
            .collect::<Result<Vec<OwnedUserId>, _>>()
            .context("admins.users")?;
        let limits = &config.limits;
        let bot = Bot(Arc::new(Inner {
            client: client.clone(),
            assistant,
            store,
            me,
            rooms,
            admins,
            limiter: Mutex::new(Limiter::new(
                limits.per_user,
                limits.per_room,
                limits.global,
                Duration::from_secs(limits.window_seconds),
            )),
            recent_lang: Mutex::new(HashMap::new()),
            catch_up: Duration::from_secs(config.bot.catch_up_minutes * 60),
            retention: Duration::from_secs(config.bot.retention_days.max(1) * 86_400),
            slot: Slot::default(),
        }));
        *bot.0.slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(bot.clone());
        client.add_event_handler_context(bot.0.slot.clone());
        client.add_event_handler(on_message);
        client.add_event_handler(on_invite);
        client.add_event_handler(on_member);
        info!(rooms = config.rooms.len(), "the bot is running");
        Ok(bot)
    }

    /// Syncs until stopped; a homeserver that goes away is retried with growing pauses, and
    /// the bot resumes from the stored sync position.
    async fn sync_loop(self, mut stopped: watch::Receiver<bool>) -> Result<()> {
        let filter = FilterDefinition::with_lazy_loading();
        let settings = SyncSettings::default().filter(filter.into()).timeout(Duration::from_secs(30));
        let mut backoff = Duration::from_secs(1);
        let mut last_housekeeping: Option<Instant> = None;
        loop {
            if *stopped.borrow() {
                break;
            }
            let result = tokio::select! {
                _ = stopped.changed() => break,
                r = self.0.client.sync_once(settings.clone()) => r,
            };
            match result {
                Ok(_) => {
                    backoff = Duration::from_secs(1);
                    if last_housekeeping.is_none_or(|t| t.elapsed() >= HOUSEKEEPING) {
                        last_housekeeping = Some(Instant::now());
                        self.housekeeping().await;
                    }
                }
                Err(e) => {
                    warn!(error = %redacted(&e), retry_in = ?backoff, "sync failed; the homeserver may be away");
                    tokio::select! {
                        _ = stopped.changed() => break,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        info!("the bot stopped");
        Ok(())
    }

    /// Sends answers that could not be sent before, and forgets what is no longer needed.
    async fn housekeeping(&self) {
        let inner = &self.0;
        match inner.store.pending() {
            Ok(pending) => {
                for (event_id, room_id) in pending {
                    self.retry_pending(&event_id, &room_id).await;
                }
            }
            Err(e) => warn!(error = %redacted(&e), "cannot read pending answers"),
        }
        let keep = inner.retention.as_millis() as u64;
        if let Err(e) = inner.store.prune(now_ms(), keep, keep * 4) {
            warn!(error = %redacted(&e), "cannot prune the bot store");
        }
    }

    async fn retry_pending(&self, event_id: &str, room_id: &str) {
        let inner = &self.0;
        let (Ok(event_id), Ok(room_id)) = (OwnedEventId::try_from(event_id), OwnedRoomId::try_from(room_id)) else {
            let _ = inner.store.forget(event_id);
            return;
        };
        let Some(room) = inner.client.get_room(&room_id).filter(|r| r.state() == RoomState::Joined) else {
            let _ = inner.store.forget(event_id.as_str());
            return;
        };
        let event = match room.event(&event_id, None).await {
            Ok(event) => event,
            Err(e) => {
                debug!(error = %redacted(&e), "pending question not fetched yet");
                return;
            }
        };
        let message = match event.raw().deserialize() {
            Ok(AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
                SyncMessageLikeEvent::Original(m),
            ))) => m,
            _ => {
                let _ = inner.store.forget(event_id.as_str());
                return;
            }
        };
        let Some(body) = text_body(&message) else {
            let _ = inner.store.forget(event_id.as_str());
            return;
        };
        let question = decide::strip_mention(&body, inner.me.as_str(), NAMES);
        info!("sending an answer that was pending");
        self.answer(&room, &message, &question, true).await;
    }

    fn room_kind(&self, room: &Room) -> RoomKind {
        match self.0.rooms.get(room.room_id()) {
            Some(settings) => RoomKind::Configured { answer_all: settings.answer_all },
            None if room.active_members_count() <= 2 => RoomKind::Direct,
            None => RoomKind::Other,
        }
    }

    async fn handle_message(&self, event: OriginalSyncRoomMessageEvent, room: Room) {
        let inner = &self.0;
        if room.state() != RoomState::Joined {
            return;
        }
        let (kind, body) = match &event.content.msgtype {
            MessageType::Text(_) => (MsgKind::Text, text_body(&event).unwrap_or_default()),
            MessageType::Notice(_) => (MsgKind::Notice, String::new()),
            _ => (MsgKind::Other, String::new()),
        };
        let event_id = event.event_id.as_str();
        let room_id = room.room_id().as_str();
        let mentions_bot = match &event.content.mentions {
            Some(mentions) => mentions.user_ids.contains(&inner.me),
            None => decide::body_mentions(&body, inner.me.as_str(), NAMES),
        };
        let replies_to_bot = match &event.content.relates_to {
            Some(Relation::Reply(reply)) => {
                inner.store.is_bot_thread(reply.in_reply_to.event_id.as_str()).unwrap_or(false)
            }
            Some(Relation::Thread(thread)) => inner.store.is_bot_thread(thread.event_id.as_str()).unwrap_or(false),
            _ => false,
        };
        let joined_at = match inner.store.joined_at(room_id) {
            Ok(Some(at)) => Some(at),
            // A room joined before this store existed: only what comes from now on counts.
            Ok(None) => inner.store.set_joined(room_id, now_ms()).ok(),
            Err(e) => {
                warn!(error = %redacted(&e), "cannot read the join time");
                return;
            }
        };
        let question = decide::strip_mention(&body, inner.me.as_str(), NAMES);
        let urgent = kind == MsgKind::Text && safety::assess(&question).any();
        let incoming = Incoming {
            urgent,
            from_self: event.sender == inner.me,
            kind,
            is_edit: matches!(event.content.relates_to, Some(Relation::Replacement(_))),
            body: &body,
            sent_at_ms: event.origin_server_ts.get().into(),
            room: self.room_kind(&room),
            mentions_bot,
            replies_to_bot,
            already_answered: inner.store.is_claimed(event_id).unwrap_or(true),
            joined_at_ms: joined_at,
            now_ms: now_ms(),
            catch_up_ms: inner.catch_up.as_millis() as u64,
        };
        let decision = decide::decide(&incoming);
        debug!(?decision, "decided on a message");
        match decision {
            Decision::Skip(_) => {}
            Decision::Command(command, lang) => {
                if inner.store.claim(event_id, room_id, now_ms()).unwrap_or(false) {
                    self.command(&room, &event, command, lang).await;
                    let _ = inner.store.mark_done(event_id);
                }
            }
            Decision::Answer { always } => {
                let verdict = inner.limiter.lock().unwrap_or_else(|p| p.into_inner()).check(
                    event.sender.as_str(),
                    room_id,
                    Instant::now(),
                    urgent,
                );
                if !inner.store.claim(event_id, room_id, now_ms()).unwrap_or(false) {
                    return;
                }
                match verdict {
                    Verdict::Allow => self.answer(&room, &event, &question, always).await,
                    Verdict::Notice => {
                        let lang = self.language_of(&room, &event.sender, &question);
                        let text = inner.assistant.locales().text(lang, "flood-notice", &[]);
                        self.reply(&room, &event, &text, &crate::answer::escape_html(&text)).await;
                        info!("a flood got one calm notice");
                    }
                    Verdict::Drop => {
                        let _ = inner.store.mark_done(event_id);
                        debug!("dropped a message over the rate limits");
                    }
                }
            }
        }
    }

    /// The asker's language for a short system reply.
    fn language_of(&self, room: &Room, sender: &OwnedUserId, text: &str) -> Lang {
        let inner = &self.0;
        if let Some(lang) = inner
            .store
            .prefs(room.room_id().as_str(), sender.as_str())
            .ok()
            .and_then(|p| p.lang)
            .and_then(|l| l.parse().ok())
        {
            return lang;
        }
        inner.assistant.detect_language(text, self.previous_lang(room, sender))
    }

    fn previous_lang(&self, room: &Room, sender: &OwnedUserId) -> Option<Lang> {
        let recent = self.0.recent_lang.lock().unwrap_or_else(|p| p.into_inner());
        recent
            .get(&(room.room_id().to_owned(), sender.clone()))
            .copied()
            .or_else(|| self.0.rooms.get(room.room_id()).and_then(|r| r.language))
    }

    /// Answers a claimed question (or leaves it pending if the answer cannot be sent).
    async fn answer(&self, room: &Room, event: &OriginalSyncRoomMessageEvent, question: &str, always: bool) {
        let inner = &self.0;
        let _ = room.typing_notice(true).await;
        let prefs = inner.store.prefs(room.room_id().as_str(), event.sender.as_str()).unwrap_or_default();
        let mut cx = AskContext::now();
        cx.force_lang = prefs.lang.as_deref().and_then(|l| l.parse().ok());
        cx.previous_lang = self.previous_lang(room, &event.sender);
        cx.default_place = prefs
            .place
            .as_deref()
            .and_then(|p| inner.assistant.resolve_place(p))
            .or_else(|| inner.rooms.get(room.room_id()).and_then(|r| r.place.clone()));
        let assistant = inner.assistant.clone();
        let q = question.to_owned();
        let answer = match tokio::task::spawn_blocking(move || assistant.ask(&q, &cx)).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => {
                warn!(error = %redacted(&e), "could not answer a question");
                let _ = room.typing_notice(false).await;
                let _ = inner.store.mark_done(event.event_id.as_str());
                return;
            }
            Err(e) => {
                warn!(error = %redacted(&e), "the answering task failed");
                let _ = room.typing_notice(false).await;
                return;
            }
        };
        inner
            .recent_lang
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((room.room_id().to_owned(), event.sender.clone()), answer.lang);
        if !always && !answer.confident && !answer.crisis {
            // An overheard question the bot cannot help with: stay quiet in the room.
            let _ = room.typing_notice(false).await;
            let _ = inner.store.mark_done(event.event_id.as_str());
            debug!("stayed quiet on an overheard question without an answer");
            return;
        }
        let sent = self.reply(room, event, &answer.reply, &answer.reply_html).await;
        let _ = room.typing_notice(false).await;
        if sent {
            let _ =
                room.send_single_receipt(ReceiptType::Read, ReceiptThread::Unthreaded, event.event_id.clone()).await;
            info!(lang = %answer.lang, crisis = answer.crisis, confident = answer.confident, results = answer.results.len(), "answered a question");
        }
    }

    /// Sends a notice in the question's thread, mentioning only the asker. Retries a few
    /// times; on failure the question stays pending. Returns whether it was sent.
    async fn reply(&self, room: &Room, event: &OriginalSyncRoomMessageEvent, plain: &str, html: &str) -> bool {
        let inner = &self.0;
        let content = reply_content(event, plain, html);
        let txn_id = transaction_id(&event.event_id);
        let mut pause = Duration::from_secs(1);
        for attempt in 1..=SEND_ATTEMPTS {
            match room.send(content.clone()).with_transaction_id(txn_id.clone()).await {
                Ok(response) => {
                    let _ = inner.store.record_own(response.response.event_id.as_str(), now_ms());
                    let _ = inner.store.mark_done(event.event_id.as_str());
                    return true;
                }
                Err(e) if attempt < SEND_ATTEMPTS => {
                    warn!(error = %redacted(&e), attempt, "sending an answer failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
                Err(e) => {
                    warn!(error = %redacted(&e), "sending an answer failed; it stays pending and is sent when the homeserver is back")
                }
            }
        }
        false
    }

    async fn command(&self, room: &Room, event: &OriginalSyncRoomMessageEvent, command: Command, lang: Lang) {
        let inner = &self.0;
        let locales = inner.assistant.locales();
        let room_id = room.room_id().as_str();
        let user = event.sender.as_str();
        let knowledge = inner.assistant.knowledge();
        let (text, reply_lang) = match command {
            Command::Help => {
                let private = matches!(self.room_kind(room), RoomKind::Direct);
                let mut parts = vec![
                    locales.text(lang, "help-intro", &[]),
                    locales.text(lang, if private { "help-privacy-direct" } else { "help-privacy-public" }, &[]),
                    locales.text(lang, "help-commands", &[]),
                    locales.text(lang, "help-crisis", &[]),
                ];
                if let Some(line) = crate::answer::offer_human(knowledge, lang, locales) {
                    parts.push(line);
                }
                (parts.join("\n\n"), lang)
            }
            Command::Language(None) => (locales.text(lang, "lang-current", &[]), lang),
            Command::Language(Some(arg)) => match arg.parse::<Lang>() {
                Ok(chosen) => {
                    let _ = inner.store.set_lang(room_id, user, chosen.code(), now_ms());
                    (locales.text(chosen, "lang-set", &[]), chosen)
                }
                Err(_) => (locales.text(lang, "lang-unknown", &[]), lang),
            },
            Command::Place(None) => {
                let place = inner
                    .store
                    .prefs(room_id, user)
                    .ok()
                    .and_then(|p| p.place)
                    .and_then(|p| inner.assistant.resolve_place(&p));
                match place {
                    Some(p) => (
                        locales.text(
                            lang,
                            "place-current",
                            &[("place", &crate::answer::place_name(&p, lang, knowledge))],
                        ),
                        lang,
                    ),
                    None => (locales.text(lang, "place-none", &[]), lang),
                }
            }
            Command::Place(Some(arg)) => match inner.assistant.resolve_place(&arg) {
                Some(place) => {
                    let code = match &place {
                        Place::Municipality(c) | Place::Region(c) => c.clone(),
                    };
                    let _ = inner.store.set_place(room_id, user, &code, now_ms());
                    (
                        locales.text(
                            lang,
                            "place-set",
                            &[("place", &crate::answer::place_name(&place, lang, knowledge))],
                        ),
                        lang,
                    )
                }
                None => (locales.text(lang, "place-unknown", &[]), lang),
            },
        };
        let html = text.split("\n\n").map(|p| format!("<p>{}</p>", crate::answer::escape_html(p))).collect::<String>();
        self.reply(room, event, &text, &html).await;
        debug!(lang = %reply_lang, "answered a command");
    }
}

/// The text of a text message, without the quoted fallback of a reply.
fn text_body(event: &OriginalSyncRoomMessageEvent) -> Option<String> {
    match &event.content.msgtype {
        MessageType::Text(text) => Some(remove_plain_reply_fallback(&text.body).to_owned()),
        _ => None,
    }
}

/// A notice in the question's thread (or starting one), with a reply fallback for clients
/// without threads, mentioning the asker and no one else.
pub fn reply_content(event: &OriginalSyncRoomMessageEvent, plain: &str, html: &str) -> RoomMessageEventContent {
    let notice = RoomMessageEventContent::notice_html(plain, html);
    let content = match &event.content.relates_to {
        // A thread cannot start on an event that relates to another; reply to it instead.
        Some(Relation::Reply(_)) | Some(Relation::Replacement(_)) => notice.make_reply_to(
            ReplyMetadata::new(&event.event_id, &event.sender, None),
            ForwardThread::Yes,
            AddMentions::No,
        ),
        Some(Relation::Thread(thread)) => notice.make_for_thread(
            ReplyMetadata::new(&event.event_id, &event.sender, Some(thread)),
            ReplyWithinThread::No,
            AddMentions::No,
        ),
        _ => notice.make_for_thread(
            ReplyMetadata::new(&event.event_id, &event.sender, None),
            ReplyWithinThread::No,
            AddMentions::No,
        ),
    };
    content.add_mentions(Mentions::with_user_ids([event.sender.clone()]))
}

/// The same transaction ID for every attempt to answer the same question, so that the
/// homeserver keeps one answer however often it is sent.
fn transaction_id(question: &OwnedEventId) -> OwnedTransactionId {
    let digest = Sha256::digest(question.as_str().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("lahiapu-{hex}").into()
}

async fn on_message(event: OriginalSyncRoomMessageEvent, room: Room, Ctx(slot): Ctx<Slot>) {
    if let Some(bot) = slot.get() {
        bot.handle_message(event, room).await;
    }
}

/// Invites: DMs from anyone, other rooms only from admins.
async fn on_invite(event: StrippedRoomMemberEvent, room: Room, Ctx(slot): Ctx<Slot>) {
    let Some(bot) = slot.get() else { return };
    let inner = &bot.0;
    if event.state_key != inner.me || event.content.membership != MembershipState::Invite {
        return;
    }
    let direct = event.content.is_direct.unwrap_or(false);
    let from_admin = inner.admins.contains(&event.sender);
    if !decide::accept_invite(direct, from_admin) {
        info!("declined an invite to a group room from someone who is not an admin");
        let _ = room.leave().await;
        return;
    }
    tokio::spawn(async move {
        let mut pause = Duration::from_secs(1);
        for _ in 0..6 {
            match room.join().await {
                Ok(()) => {
                    let _ = bot.0.store.set_joined(room.room_id().as_str(), now_ms());
                    info!(direct, "joined a room on invite");
                    return;
                }
                Err(e) => {
                    warn!(error = %redacted(&e), "joining on invite failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
            }
        }
    });
}

/// Leaves a room when the bot is its last member.
async fn on_member(event: OriginalSyncRoomMemberEvent, room: Room, Ctx(slot): Ctx<Slot>) {
    let Some(bot) = slot.get() else { return };
    if event.state_key == bot.0.me || room.state() != RoomState::Joined {
        return;
    }
    if matches!(event.content.membership, MembershipState::Leave | MembershipState::Ban)
        && room.joined_members_count() <= 1
    {
        info!("left a room where the bot was the last member");
        let _ = room.leave().await;
    }
}

/// Logs in or restores, retrying while the homeserver cannot be reached.
async fn connect_with_backoff(config: &Config, credentials: super::config::Credentials) -> Result<Client> {
    let mut pause = Duration::from_secs(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        match session::connect(config, credentials.clone()).await {
            Ok(client) => return Ok(client),
            Err(e) if attempt < 8 && is_unreachable(&e) => {
                warn!(error = %redacted(&format!("{e:#}")), retry_in = ?pause, "the homeserver cannot be reached yet");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_BACKOFF);
            }
            Err(e) => return Err(e),
        }
    }
}

/// An error's text with Matrix user IDs blanked out: server error messages sometimes name
/// users, and logs above `debug` must not.
fn redacted(e: &dyn std::fmt::Display) -> String {
    static USER_ID: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"@[^\s:@]+:[A-Za-z0-9.\-\[\]:]+").expect("a valid pattern"));
    USER_ID.replace_all(&e.to_string(), "@…").into_owned()
}

fn is_unreachable(e: &anyhow::Error) -> bool {
    let text = format!("{e:#}").to_lowercase();
    ["connect", "connection", "timed out", "dns", "unreachable"].iter().any(|w| text.contains(w))
}

/// Joins a configured room by alias or ID and returns its ID.
async fn join_configured(client: &Client, room: &str) -> Result<OwnedRoomId> {
    if let Ok(id) = <&RoomId>::try_from(room) {
        if client.get_room(id).is_some_and(|r| r.state() == RoomState::Joined) {
            return Ok(id.to_owned());
        }
        let joined = client.join_room_by_id(id).await.with_context(|| format!("cannot join {room}"))?;
        return Ok(joined.room_id().to_owned());
    }
    let alias = <&RoomOrAliasId>::try_from(room).with_context(|| format!("{room:?} is not a room ID or alias"))?;
    let joined = client.join_room_by_id_or_alias(alias, &[]).await.with_context(|| format!("cannot join {room}"))?;
    Ok(joined.room_id().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_blanked_in_logged_errors() {
        assert_eq!(
            redacted(&"M_FORBIDDEN: User @resident:example.org not in room"),
            "M_FORBIDDEN: User @… not in room"
        );
        assert_eq!(redacted(&"timed out"), "timed out");
    }

    #[test]
    fn the_same_question_always_gets_the_same_transaction_id() {
        let a: OwnedEventId = "$abc:localhost".try_into().unwrap();
        let b: OwnedEventId = "$abd:localhost".try_into().unwrap();
        assert_eq!(transaction_id(&a), transaction_id(&a));
        assert_ne!(transaction_id(&a), transaction_id(&b));
        assert!(transaction_id(&a).as_str().starts_with("lahiapu-"));
    }
}
