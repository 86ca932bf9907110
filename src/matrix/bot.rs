//! The bot on Matrix, wired together: the sync loop records what arrives, a worker decides
//! and composes, a sender delivers, and housekeeping forgets what is no longer needed.
//!
//! ```text
//! /sync ─► sync (record arrivals; fill gaps) ─► store inbox ─► worker (admission, answer)
//!                                                 ─► store outbox ─► outbox (send once) ─► Matrix
//! ```
//!
//! Each step hands over through the store, so a crash at any point loses nothing: what was
//! recorded is decided after a restart, what was decided is sent, and what was sent is never
//! sent again (the transaction ID is fixed per message). What arrived while the bot was
//! away is fetched up to each room's checkpoint.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context as _, Result};
use lru::LruCache;
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedRoomId, OwnedUserId, RoomAliasId, RoomId};
use matrix_sdk::{Client, Room, RoomState};
use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use super::admission::{CatchUp, RoomKind};
use super::config::Config;
use super::limits::{Limiter, Limits};
use super::membership::{InviteLog, Joined};
use super::private::{self, Pseudonyms};
use super::session::{self, Paths};
use super::store::Store;
use crate::assistant::Assistant;
use crate::geo::Place;
use crate::lang::Lang;

/// How long `stop` waits for the sync in hand and for messages being sent.
const GRACE: Duration = Duration::from_secs(3);
/// How often closed records are pruned.
const HOUSEKEEPING: Duration = Duration::from_secs(600);
/// How often cases are looked at for reminders, idle closes and lapsed consent.
const CASE_TICK: Duration = Duration::from_secs(20);
/// Messages that signal a risk to life are still answered this late (after an outage).
pub const CRISIS_CATCH_UP: Duration = Duration::from_secs(24 * 3600);
/// How many people's recent language and place are remembered (in memory only).
const CONVERSATIONS: usize = 10_000;

/// A configured room's settings.
#[derive(Debug, Clone)]
pub(super) struct RoomSettings {
    pub place: Option<Place>,
    pub answer_all: bool,
    pub language: Option<Lang>,
}

/// Why the bot joins a room of the config.
#[derive(Debug, Clone)]
pub(super) enum Target {
    /// A room where residents ask.
    Answers(RoomSettings),
    /// A volunteers' room for these regions (`None`: the default room).
    Volunteers(Option<Vec<String>>),
    /// The knowledge maintainers' room.
    Maintainers,
}

/// What the bot remembers of a conversation between messages (in memory, bounded, and
/// only for [`CONVERSATION_MEMORY`]): the language and place of the asker's last messages
/// and their last question, so that "entä Oulussa?" asks it again for Oulu.
#[derive(Debug, Clone)]
pub(super) struct Recent {
    pub conversation: crate::conversation::Conversation,
    pub at: std::time::Instant,
}

/// How long a conversation's last question and place are remembered.
pub(super) const CONVERSATION_MEMORY: Duration = Duration::from_secs(30 * 60);

pub(super) struct Inner {
    pub client: Client,
    /// The knowledge, replaceable while the bot runs (`ops::reload`).
    pub live: Arc<crate::ops::reload::Live>,
    pub store: Store,
    pub me: OwnedUserId,
    pub store_dir: PathBuf,
    /// Configured rooms by ID (filled as their aliases are resolved and joined).
    pub rooms: RwLock<HashMap<OwnedRoomId, RoomSettings>>,
    /// Configured rooms still to join: (alias or ID, why).
    pub to_join: Mutex<Vec<(String, Target)>>,
    pub admins: Vec<OwnedUserId>,
    pub invites_per_hour: usize,
    pub limiter: Mutex<Limiter>,
    pub invites: Mutex<InviteLog>,
    /// Invited rooms being joined now (an invite may show up in two syncs).
    pub joining: Mutex<HashSet<OwnedRoomId>>,
    pub recent: Mutex<LruCache<String, Recent>>,
    pub catch_up: CatchUp,
    pub retention: Duration,
    /// How long an undecryptable message waits for its key.
    pub key_wait: Duration,
    /// The outbox rows being sent now, with their rooms and whether they are urgent.
    pub in_flight: Mutex<HashMap<i64, (String, bool)>>,
    /// How many may be in flight at once, and to one room.
    pub sending: super::outbox::Slots,
    pub wake_worker: Notify,
    pub wake_sender: Notify,
    /// Set when the bot cannot go on (a revoked token): the reason.
    pub fatal: watch::Sender<Option<String>>,
    pub metrics: Arc<crate::ops::metrics::Metrics>,
    /// The hand-over to volunteers, if configured.
    pub escalation: Option<super::escalation::Escalation>,
    /// When this bot started (ms): start-time notices are keyed by it.
    pub started_at: u64,
    /// The maintainers' room (once joined) and its language.
    pub maintainers: RwLock<Option<OwnedRoomId>>,
    pub maintainers_lang: Lang,
    pub weekly_summary: bool,
    pub watch_knowledge: bool,
    /// Wakes the reload task (a file change, `!reload`, SIGHUP).
    pub wake_reload: Arc<Notify>,
    /// `!reload` commands waiting for the reload's result.
    pub reload_requests: Mutex<Vec<super::event::Arrival>>,
    pub metrics_listen: Option<std::net::SocketAddr>,
}

/// The bot. Cheap to clone.
#[derive(Clone)]
pub struct Bot(pub(super) Arc<Inner>);

/// A bot started in the background; [`RunningBot::stop`] ends it.
pub struct RunningBot {
    stop: watch::Sender<bool>,
    tasks: tokio::task::JoinSet<()>,
    bot: Bot,
}

impl RunningBot {
    /// The bot, e.g. to look at its store in tests.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// Reads the knowledge again (what SIGHUP does).
    pub fn reload(&self) {
        self.bot.0.wake_reload.notify_one();
    }

    /// Waits until the bot cannot go on, and says why (e.g. its token was revoked).
    pub async fn failed(&self) -> String {
        let mut fatal = self.bot.0.fatal.subscribe();
        loop {
            if let Some(reason) = fatal.borrow_and_update().clone() {
                return reason;
            }
            if fatal.changed().await.is_err() {
                return "the bot stopped".into();
            }
        }
    }

    /// Stops between two syncs (the batch in hand is recorded first), lets the messages
    /// being sent finish for a short grace period, and returns. What is left waits in the
    /// store for the next start.
    pub async fn stop(mut self) -> Result<()> {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + GRACE * 3;
        while !self.tasks.is_empty() {
            match tokio::time::timeout_at(deadline, self.tasks.join_next()).await {
                Ok(Some(Err(e))) if e.is_panic() => warn!("a bot task panicked"),
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    warn!("the bot did not stop in time; leaving the rest for the next start");
                    self.tasks.abort_all();
                    break;
                }
            }
        }
        info!("the bot stopped");
        Ok(())
    }
}

pub(super) fn now_ms() -> u64 {
    MilliSecondsSinceUnixEpoch::now().get().into()
}

impl Bot {
    /// Logs in (or restores the session) and starts the bot in the background: joining the
    /// configured rooms, catching up, syncing, answering, sending.
    pub async fn start(config: Config, assistant: Arc<Assistant>) -> Result<RunningBot> {
        private::restrict_new_files();
        let client = session::connect(&config, |k| std::env::var(k).ok()).await?;
        let bot = Self::attach(client, &config, assistant)?;
        Ok(bot.run())
    }

    /// Makes a logged-in client the bot: opens its store and reads the configuration. No
    /// request is sent; [`Bot::run`] (or the steps the tests call) does the rest.
    pub fn attach(client: Client, config: &Config, assistant: Arc<Assistant>) -> Result<Bot> {
        let dir = &config.matrix.store;
        private::create_private_dir(dir)?;
        let paths = Paths::new(dir);
        let me = client.user_id().context("the client has no user ID after login")?.to_owned();
        let store = Store::open(&paths.bot_store, Pseudonyms::load_or_create(&paths.pseudonym_key)?)?;

        let mut rooms = HashMap::new();
        let mut to_join = Vec::new();
        for room in &config.rooms {
            let place = match &room.place {
                Some(name) => Some(
                    assistant
                        .resolve_place(name)
                        .with_context(|| format!("unknown place {name:?} for room {}", room.room))?,
                ),
                None => None,
            };
            let language = room.language.as_deref().map(str::parse).transpose()?;
            let settings = RoomSettings { place, answer_all: room.answer_all, language };
            if let Ok(id) = OwnedRoomId::try_from(room.room.as_str()) {
                rooms.insert(id, settings.clone());
            }
            to_join.push((room.room.clone(), Target::Answers(settings)));
        }
        let escalation = match &config.escalation {
            Some(e) => {
                to_join.push((e.volunteers_room.clone(), Target::Volunteers(None)));
                for r in &e.rooms {
                    to_join.push((r.room.clone(), Target::Volunteers(Some(r.regions.clone()))));
                }
                for room in std::iter::once(&e.volunteers_room).chain(e.rooms.iter().map(|r| &r.room)) {
                    if let Ok(id) = OwnedRoomId::try_from(room.as_str()) {
                        // Known as a volunteers' room before it is joined (an invite to it
                        // is not a stranger's).
                        store.set_room_kind(id.as_str(), "volunteers")?;
                    }
                }
                let volunteers = e
                    .volunteers
                    .iter()
                    .map(|u| u.parse())
                    .collect::<Result<Vec<OwnedUserId>, _>>()
                    .context("escalation.volunteers")?;
                Some(super::escalation::Escalation {
                    organisations: e.organisations.clone(),
                    hours: e.hours.clone(),
                    lang: e.language.parse().context("escalation.language")?,
                    volunteers,
                    reminder: Duration::from_secs(e.reminder_minutes * 60),
                    idle: Duration::from_secs(e.idle_days * 86_400),
                    consent: Duration::from_secs(e.consent_hours * 3600),
                    retention: Duration::from_secs(e.retention_days * 86_400),
                    rooms: RwLock::new(Vec::new()),
                    default_room: RwLock::new(None),
                    region_rooms: e.rooms.len(),
                })
            }
            None => None,
        };
        if let Some(m) = &config.maintainers {
            to_join.push((m.room.clone(), Target::Maintainers));
        }
        let admins = config
            .admins
            .users
            .iter()
            .map(|u| u.parse())
            .collect::<Result<Vec<OwnedUserId>, _>>()
            .context("admins.users")?;
        let l = &config.limits;
        let limits = Limits {
            per_user: l.per_user as usize,
            per_room: l.per_room as usize,
            global: l.global as usize,
            window: Duration::from_secs(l.window_seconds),
        };
        let catch_up = Duration::from_secs(config.bot.catch_up_minutes * 60);
        let (fatal, _) = watch::channel(None);
        let live = Arc::new(crate::ops::reload::Live::new(assistant, &config.bot.knowledge));
        Ok(Bot(Arc::new(Inner {
            client,
            live,
            store,
            me,
            store_dir: dir.clone(),
            rooms: RwLock::new(rooms),
            to_join: Mutex::new(to_join),
            admins,
            invites_per_hour: config.admins.invites_per_hour as usize,
            limiter: Mutex::new(Limiter::new(limits)),
            invites: Mutex::new(InviteLog::default()),
            joining: Mutex::new(HashSet::new()),
            recent: Mutex::new(LruCache::new(NonZeroUsize::new(CONVERSATIONS).expect("not zero"))),
            catch_up: CatchUp {
                questions_ms: catch_up.as_millis() as u64,
                crisis_ms: CRISIS_CATCH_UP.max(catch_up).as_millis() as u64,
            },
            retention: Duration::from_secs(config.bot.retention_days.max(1) * 86_400),
            key_wait: Duration::from_secs(config.bot.key_wait_seconds),
            in_flight: Mutex::new(HashMap::new()),
            sending: super::outbox::Slots {
                in_flight: config.sending.in_flight as usize,
                per_room: config.sending.per_room as usize,
            },
            wake_worker: Notify::new(),
            wake_sender: Notify::new(),
            fatal,
            metrics: Arc::new(crate::ops::metrics::Metrics::new()),
            escalation,
            started_at: now_ms(),
            maintainers: RwLock::new(None),
            maintainers_lang: match &config.maintainers {
                Some(m) => m.language.parse().context("maintainers.language")?,
                None => Lang::Fi,
            },
            weekly_summary: config.maintainers.as_ref().is_some_and(|m| m.weekly_summary),
            watch_knowledge: config.bot.watch_knowledge,
            wake_reload: Arc::new(Notify::new()),
            reload_requests: Mutex::new(Vec::new()),
            metrics_listen: config.metrics.listen,
        })))
    }

    /// The bot's store (for tests and status).
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The bot's metrics.
    pub fn metrics(&self) -> &crate::ops::metrics::Metrics {
        &self.0.metrics
    }

    /// The knowledge the bot answers from now.
    pub fn assistant(&self) -> Arc<Assistant> {
        self.0.live.current()
    }

    /// Starts the bot's tasks.
    pub fn run(self) -> RunningBot {
        let (stop, stopped) = watch::channel(false);
        let mut tasks = tokio::task::JoinSet::new();
        tasks.spawn(self.clone().join_loop(stopped.clone()));
        tasks.spawn(self.clone().sync_loop(stopped.clone()));
        tasks.spawn(self.clone().work_loop(stopped.clone()));
        tasks.spawn(self.clone().send_loop(stopped.clone()));
        tasks.spawn(self.clone().housekeeping_loop(stopped.clone()));
        tasks.spawn(self.clone().reload_loop(stopped));
        if let Some(addr) = self.0.metrics_listen {
            match crate::ops::metrics::serve(self.0.metrics.clone(), addr) {
                Ok(()) => info!(%addr, "serving /metrics and /healthz"),
                Err(e) => warn!(error = %format!("{e:#}"), "cannot serve the metrics"),
            }
        }
        info!("the bot is running");
        RunningBot { stop, tasks, bot: self }
    }

    /// Records that the bot cannot go on.
    pub(super) fn fail(&self, reason: &str) {
        self.0.fatal.send_if_modified(|f| {
            if f.is_none() {
                *f = Some(reason.to_owned());
                true
            } else {
                false
            }
        });
    }

    /// Joins the configured rooms, retrying each (with growing pauses) until it succeeds,
    /// without holding up anything else.
    async fn join_loop(self, mut stopped: watch::Receiver<bool>) {
        let mut pause = Duration::from_secs(1);
        loop {
            if self.join_rooms().await == 0 {
                return;
            }
            tokio::select! {
                _ = stopped.changed() => return,
                _ = tokio::time::sleep(pause) => {}
            }
            pause = (pause * 2).min(Duration::from_secs(300));
        }
    }

    /// One pass over the configured rooms not joined yet (tests drive the bot with this);
    /// returns how many are still to join.
    pub async fn join_rooms(&self) -> usize {
        let pending: Vec<(String, Target)> =
            self.0.to_join.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        let mut failed = Vec::new();
        for (room, target) in pending {
            if let Err(e) = self.join_configured(&room, &target).await {
                let error = super::redact::blank(&format!("{e:#}"));
                warn!(%error, "cannot join a configured room yet");
                failed.push((room, target));
            }
        }
        let left = failed.len();
        self.0.to_join.lock().unwrap_or_else(|p| p.into_inner()).extend(failed);
        left
    }

    /// Joins a configured room by alias or ID. The room counts as configured before the
    /// join, so that the first sync of it never treats it as a stranger's room.
    async fn join_configured(&self, room: &str, target: &Target) -> Result<()> {
        let client = &self.0.client;
        let id = match OwnedRoomId::try_from(room) {
            Ok(id) => id,
            Err(_) => {
                let alias = RoomAliasId::parse(room).with_context(|| format!("{room:?} is not a room ID or alias"))?;
                client.resolve_room_alias(&alias).await.with_context(|| format!("cannot resolve {room}"))?.room_id
            }
        };
        match target {
            Target::Answers(settings) => {
                self.0.rooms.write().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), settings.clone());
            }
            Target::Maintainers => {
                *self.0.maintainers.write().unwrap_or_else(|p| p.into_inner()) = Some(id.clone());
                let _ = self.0.store.set_room_kind(id.as_str(), "maintainers");
            }
            Target::Volunteers(regions) => {
                if let Some(e) = &self.0.escalation {
                    match regions {
                        None => *e.default_room.write().unwrap_or_else(|p| p.into_inner()) = Some(id.clone()),
                        Some(regions) => e.rooms.write().unwrap_or_else(|p| p.into_inner()).push(
                            crate::escalation::routing::VolunteerRoom { room: id.clone(), regions: regions.clone() },
                        ),
                    }
                }
                let _ = self.0.store.set_room_kind(id.as_str(), "volunteers");
            }
        }
        if !client.get_room(&id).is_some_and(|r| r.state() == RoomState::Joined) {
            client.join_room_by_id(&id).await.with_context(|| format!("cannot join {room}"))?;
            // Until the join event is seen, the join time is estimated with our clock.
            self.0.store.set_joined(id.as_str(), now_ms(), false)?;
        }
        if let (Target::Volunteers(_), Some(room)) = (target, client.get_room(&id)) {
            self.check_volunteer_room(&room).await;
        }
        Ok(())
    }

    async fn housekeeping_loop(self, mut stopped: watch::Receiver<bool>) {
        let mut last_prune: Option<std::time::Instant> = None;
        loop {
            if last_prune.is_none_or(|t| t.elapsed() >= HOUSEKEEPING) {
                last_prune = Some(std::time::Instant::now());
                let keep = self.0.retention.as_millis() as u64;
                if let Err(e) = self.0.store.prune(now_ms(), keep, keep * 4) {
                    warn!(error = %format!("{e:#}"), "cannot prune the bot store");
                }
            }
            self.forget_old_conversations();
            self.escalation_tick().await;
            self.weekly_summary();
            self.0.wake_sender.notify_one();
            tokio::select! {
                _ = stopped.changed() => return,
                _ = tokio::time::sleep(CASE_TICK) => {}
            }
        }
    }

    /// Drops the conversations nobody has written in for [`CONVERSATION_MEMORY`]: their
    /// last question is not kept in memory longer than it is used.
    fn forget_old_conversations(&self) {
        let mut recent = self.0.recent.lock().unwrap_or_else(|p| p.into_inner());
        // The least recently used come last; stop at the first one still in use.
        while recent.peek_lru().is_some_and(|(_, r)| r.at.elapsed() >= CONVERSATION_MEMORY) {
            recent.pop_lru();
        }
    }

    /// The kind of room, for the admission rules.
    pub(super) fn room_kind(&self, room: &Room) -> RoomKind {
        if let Some(settings) = self.0.rooms.read().unwrap_or_else(|p| p.into_inner()).get(room.room_id()) {
            return RoomKind::Configured { answer_all: settings.answer_all };
        }
        let joined = self.0.store.room_kind(room.room_id().as_str()).ok().flatten().as_deref().and_then(Joined::parse);
        match joined {
            Some(Joined::Admin | Joined::Volunteers | Joined::Maintainers) => RoomKind::Other,
            _ if room.joined_members_count() <= 2 => RoomKind::Direct,
            _ => RoomKind::Other,
        }
    }

    /// A configured room's settings.
    pub(super) fn settings(&self, room_id: &str) -> Option<RoomSettings> {
        let id = OwnedRoomId::try_from(room_id).ok()?;
        self.0.rooms.read().unwrap_or_else(|p| p.into_inner()).get(&id).cloned()
    }

    /// Whether `room_id` is a configured room (residents', volunteers' or maintainers').
    pub(super) fn is_configured(&self, room_id: &RoomId) -> bool {
        self.0.rooms.read().unwrap_or_else(|p| p.into_inner()).contains_key(room_id)
            || self.0.maintainers.read().unwrap_or_else(|p| p.into_inner()).as_deref() == Some(room_id)
            || self.0.store.room_kind(room_id.as_str()).ok().flatten().as_deref() == Some("maintainers")
    }

    /// Whether `user` is an admin of the config.
    pub(super) fn is_admin(&self, user: &str) -> bool {
        self.0.admins.iter().any(|a| a.as_str() == user)
    }
}
