//! The sync loop: records what arrives, and makes sure nothing is skipped.
//!
//! matrix-sdk saves the sync position before anything else sees a batch, so a bot killed
//! right after a sync would never see that batch again; and a room with more new events than
//! the timeline limit comes back `limited`, its older events left out. Both are covered by a
//! per-room checkpoint (the last event recorded): at start, and for every `limited`
//! timeline, the bot pages back with `/messages` to the checkpoint (or to the start of the
//! catch-up window) and records what it finds. Recording a batch is one transaction per
//! room, so the checkpoint never runs ahead of what was recorded.
//!
//! `stop` waits for the sync in hand for a short grace period; a batch that has arrived is
//! always recorded before the loop ends.

use std::time::{Duration, Instant};

use anyhow::Result;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::{FilterDefinition, RoomEventFilter, RoomFilter};
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::{OwnedRoomId, RoomId, UInt};
use matrix_sdk::sync::SyncResponse;
use matrix_sdk::{Room, RoomState};
use serde_json::Value;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::bot::{Bot, now_ms};
use super::event::{self, Parsed};
use super::membership::{self, Invite, Joined};
use super::redact;

/// Events per room and sync: more than Synapse's default of 10, so that a busy room is
/// rarely `limited`; when it is, the gap is filled from `/messages`.
const TIMELINE_LIMIT: u32 = 50;
/// How long one sync waits on the server when nothing happens.
const LONG_POLL: Duration = Duration::from_secs(30);
/// The longest pause between two attempts to reach a homeserver that is away.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Pages of `/messages` fetched at most to fill one gap.
const MAX_PAGES: usize = 20;
/// Events per page of `/messages`.
const PAGE: u32 = 100;
/// How long `stop` waits for a sync in flight.
const GRACE: Duration = Duration::from_secs(3);

impl Bot {
    /// The filter of the bot's syncs: lazy-loaded members and a longer timeline.
    fn sync_settings() -> SyncSettings {
        let mut timeline = RoomEventFilter::default();
        timeline.limit = Some(UInt::from(TIMELINE_LIMIT));
        timeline.lazy_load_options =
            matrix_sdk::ruma::api::client::filter::LazyLoadOptions::Enabled { include_redundant_members: false };
        let mut room = RoomFilter::default();
        room.timeline = timeline;
        room.state.lazy_load_options =
            matrix_sdk::ruma::api::client::filter::LazyLoadOptions::Enabled { include_redundant_members: false };
        let mut filter = FilterDefinition::default();
        filter.room = room;
        SyncSettings::default().filter(filter.into()).timeout(LONG_POLL)
    }

    pub(super) async fn sync_loop(self, mut stopped: watch::Receiver<bool>) {
        // The checkpoints as the last run left them: after the first sync (which brings the
        // room keys that arrived meanwhile, so the missed messages can be decrypted) the bot
        // fetches every room's history back to them.
        let mut checkpoints = Some(self.checkpoints());
        let settings = Self::sync_settings();
        let mut backoff = Duration::from_secs(1);
        let mut first = true;
        loop {
            if *stopped.borrow() {
                return;
            }
            let sync = self.0.client.sync_once(settings.clone());
            tokio::pin!(sync);
            let result = tokio::select! {
                r = &mut sync => r,
                _ = stopped.changed() => match tokio::time::timeout(GRACE, &mut sync).await {
                    Ok(r) => r,
                    Err(_) => return,
                },
            };
            match result {
                Ok(response) => {
                    backoff = Duration::from_secs(1);
                    self.0.metrics.last_sync_ms.store(now_ms(), std::sync::atomic::Ordering::Relaxed);
                    self.handle_sync(response).await;
                    if let Some(checkpoints) = checkpoints.take() {
                        self.catch_up(checkpoints).await;
                    }
                    if first {
                        first = false;
                        super::session::ensure_recovery(&self.0.client, &self.0.store_dir).await;
                    }
                }
                Err(e) if matches!(e.client_api_error_kind(), Some(ErrorKind::UnknownToken(_))) => {
                    self.fail("the homeserver no longer accepts the bot's access token (it was logged out or revoked)");
                    return;
                }
                Err(e) => {
                    self.0.metrics.sync_errors.inc();
                    warn!(error = %redact::error(&e), retry_in = ?backoff, "sync failed; the homeserver may be away");
                    tokio::select! {
                        _ = stopped.changed() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// One sync and what follows from it (tests drive the bot with this).
    pub async fn sync_step(&self) -> Result<()> {
        let response = self.0.client.sync_once(Self::sync_settings()).await?;
        self.handle_sync(response).await;
        Ok(())
    }

    /// Records a sync's messages (filling `limited` gaps first), acts on invites, and leaves
    /// rooms the bot should not stay in.
    pub(super) async fn handle_sync(&self, response: SyncResponse) {
        let mut recorded = 0;
        for (room_id, update) in response.rooms.joined {
            let Some(room) = self.0.client.get_room(&room_id) else { continue };
            let mut events = Vec::new();
            if update.timeline.limited {
                debug!("a limited timeline: filling the gap from /messages");
                events = self.backfill(&room, update.timeline.prev_batch.clone()).await;
            }
            events.extend(update.timeline.events);
            recorded += self.record(&room_id, &events);
            // Only when someone else joined or left: a room the bot has just opened, where
            // the resident is still invited, is not a room it is alone in.
            let me = self.0.me.as_str();
            let others_moved = events.iter().any(|e| {
                serde_json::from_str::<Value>(e.raw().json().get()).is_ok_and(|json| {
                    json["type"] == "m.room.member"
                        && json["state_key"].as_str().is_some_and(|who| who != me)
                        && matches!(json["content"]["membership"].as_str(), Some("join" | "leave" | "ban"))
                })
            });
            if others_moved {
                self.check_membership(&room).await;
            }
        }
        for (room_id, invite) in response.rooms.invited {
            let stripped: Vec<Value> =
                invite.invite_state.events.iter().filter_map(|e| serde_json::from_str(e.json().get()).ok()).collect();
            self.on_invite(room_id, &stripped);
        }
        if recorded > 0 {
            self.0.wake_worker.notify_one();
        }
    }

    /// Every joined room's checkpoint now.
    pub fn checkpoints(&self) -> Vec<(OwnedRoomId, (String, u64))> {
        self.0
            .client
            .joined_rooms()
            .into_iter()
            .filter_map(|room| {
                let checkpoint = self.0.store.checkpoint(room.room_id().as_str()).ok().flatten()?;
                Some((room.room_id().to_owned(), checkpoint))
            })
            .collect()
    }

    /// At start: fetches what arrived in each room since the given checkpoints while the bot
    /// was away (or was killed before recording a batch it had already synced).
    pub async fn catch_up(&self, checkpoints: Vec<(OwnedRoomId, (String, u64))>) {
        let mut recorded = 0;
        for (room_id, checkpoint) in checkpoints {
            if let Some(room) = self.0.client.get_room(&room_id) {
                let events = self.backfill_to(&room, None, Some(checkpoint)).await;
                recorded += self.record(room.room_id(), &events);
            }
        }
        if recorded > 0 {
            info!(recorded, "caught up on messages sent while the bot was away");
            self.0.wake_worker.notify_one();
        }
    }

    /// Events of `room` older than `from` (the live end if `None`) back to its checkpoint, the
    /// join, or the start of the catch-up window, oldest first. What cannot be fetched now is
    /// left to the next start (logged).
    async fn backfill(&self, room: &Room, from: Option<String>) -> Vec<TimelineEvent> {
        let checkpoint = self.0.store.checkpoint(room.room_id().as_str()).ok().flatten();
        self.backfill_to(room, from, checkpoint).await
    }

    async fn backfill_to(
        &self,
        room: &Room,
        from: Option<String>,
        checkpoint: Option<(String, u64)>,
    ) -> Vec<TimelineEvent> {
        let store = &self.0.store;
        let room_id = room.room_id().as_str();
        let window = self.0.catch_up.crisis_ms.max(self.0.catch_up.questions_ms);
        let mut cutoff = now_ms().saturating_sub(window);
        if let Ok(Some(joined)) = store.joined_at(room_id) {
            cutoff = cutoff.max(joined);
        }
        if let Some((_, ts)) = &checkpoint {
            // Clocks of homeservers differ a little; the checkpoint's event ends the search.
            cutoff = cutoff.max(ts.saturating_sub(60_000));
        }
        let mut token = from;
        let mut out = Vec::new();
        'pages: for _ in 0..MAX_PAGES {
            let mut options = MessagesOptions::backward();
            options.from = token.clone();
            options.limit = UInt::from(PAGE);
            let page = match room.messages(options).await {
                Ok(page) => page,
                Err(e) => {
                    warn!(error = %redact::error(&e), "cannot fetch a room's missed messages now");
                    break;
                }
            };
            for event in page.chunk {
                let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) else { continue };
                let id = json["event_id"].as_str().unwrap_or_default();
                if checkpoint.as_ref().is_some_and(|(key, _)| *key == store.event_key(id)) {
                    break 'pages;
                }
                if json["origin_server_ts"].as_u64().is_some_and(|ts| ts < cutoff) {
                    break 'pages;
                }
                out.push(event);
            }
            match page.end {
                Some(end) if Some(&end) != token.as_ref() => token = Some(end),
                _ => break,
            }
        }
        out.reverse();
        out
    }

    /// Records a room's events in order; returns how many messages are new.
    fn record(&self, room_id: &RoomId, events: &[TimelineEvent]) -> usize {
        let store = &self.0.store;
        let me = self.0.me.as_str();
        let mut arrivals = Vec::new();
        let mut last: Option<(String, u64)> = None;
        for event in events {
            let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) else { continue };
            if let Some(id) = json["event_id"].as_str() {
                last = Some((id.to_owned(), json["origin_server_ts"].as_u64().unwrap_or(0)));
            }
            match event::parse(&json, room_id.as_str(), me) {
                Parsed::Message(arrival) => {
                    if arrival.kind == event::Kind::Undecryptable {
                        self.0.metrics.undecryptable.inc();
                    }
                    arrivals.push(arrival);
                }
                Parsed::OwnJoin(ts) => {
                    let _ = store.set_joined(room_id.as_str(), ts, true);
                }
                Parsed::Ignored => {}
            }
        }
        let last = last.as_ref().map(|(id, ts)| (id.as_str(), *ts));
        match store.record(room_id.as_str(), &arrivals, last, now_ms()) {
            Ok(new) => new,
            Err(e) => {
                // Not recorded, and the checkpoint did not move: the next start fetches it.
                warn!(error = %format!("{e:#}"), "cannot record arrived messages");
                0
            }
        }
    }

    /// Joins or declines an invite by the rules of [`membership`].
    fn on_invite(&self, room_id: OwnedRoomId, stripped: &[Value]) {
        let inner = &self.0;
        if self.is_configured(&room_id) || self.is_volunteer_room(room_id.as_str()) {
            // A room of the config: the join loop joins it, whoever invited.
            return;
        }
        if !inner.joining.lock().unwrap_or_else(|p| p.into_inner()).insert(room_id.clone()) {
            return; // being handled already
        }
        let facts = membership::invite_facts(stripped, inner.me.as_str());
        let inviter_is_admin = facts.inviter.as_deref().is_some_and(|i| inner.admins.iter().any(|a| a.as_str() == i));
        let inviter_key = inner.store.user_key(facts.inviter.as_deref().unwrap_or("?"));
        let recent = inner.invites.lock().unwrap_or_else(|p| p.into_inner()).recent(&inviter_key, Instant::now());
        let decision = membership::decide_invite(&facts, inviter_is_admin, recent, inner.invites_per_hour);
        if decision == Invite::Join(Joined::Direct) {
            inner.invites.lock().unwrap_or_else(|p| p.into_inner()).add(&inviter_key, Instant::now());
        }
        let Some(room) = inner.client.get_room(&room_id) else {
            inner.joining.lock().unwrap_or_else(|p| p.into_inner()).remove(&room_id);
            return;
        };
        let bot = self.clone();
        tokio::spawn(async move {
            match decision {
                Invite::Decline(reason) => {
                    info!(reason, "declined an invite");
                    if let Err(e) = room.leave().await {
                        warn!(error = %redact::error(&e), "cannot decline an invite");
                    }
                }
                Invite::Join(kind) => bot.join_invited(&room, kind).await,
            }
            bot.0.joining.lock().unwrap_or_else(|p| p.into_inner()).remove(&room_id);
        });
    }

    /// Joins a room the bot was invited to, retrying: Synapse may deliver an invite before
    /// the room accepts the join.
    async fn join_invited(&self, room: &Room, kind: Joined) {
        let store = &self.0.store;
        // Recorded first: the first sync of the joined room must know why the bot is there.
        // A room the config names keeps its kind.
        if store.room_kind(room.room_id().as_str()).ok().flatten().as_deref() != Some("volunteers") {
            let _ = store.set_room_kind(room.room_id().as_str(), kind.as_str());
        }
        let mut pause = Duration::from_secs(1);
        for _ in 0..6 {
            let result = room.join().await;
            // A join can succeed although a request after it (marking a direct chat) failed.
            if result.is_ok() || room.state() == RoomState::Joined {
                let _ = store.set_joined(room.room_id().as_str(), now_ms(), false);
                info!(kind = kind.as_str(), "joined a room on invite");
                return;
            }
            match result {
                Ok(()) => return,
                Err(e) => {
                    warn!(error = %redact::error(&e), "joining on invite failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
            }
        }
    }

    /// Leaves a direct chat that grew beyond two members, or a room where the bot is alone.
    async fn check_membership(&self, room: &Room) {
        if room.state() != RoomState::Joined {
            return;
        }
        let configured = self.is_configured(room.room_id()) || self.is_volunteer_room(room.room_id().as_str());
        let kind = self.0.store.room_kind(room.room_id().as_str()).ok().flatten().as_deref().and_then(Joined::parse);
        if membership::should_leave(configured, kind, room.joined_members_count(), room.active_members_count()) {
            info!(members = room.joined_members_count(), "leaving a room the bot should not stay in");
            if let Err(e) = room.leave().await {
                warn!(error = %redact::error(&e), "cannot leave a room");
            }
        }
    }
}
