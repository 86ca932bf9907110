//! The Matrix side of the harness: residents and volunteers as matrix-sdk clients that
//! watch their own syncs, the echo bot, and reading a room's history for the final count.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use matrix_sdk::config::{RequestConfig, SyncSettings};
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::{FilterDefinition, LazyLoadOptions, RoomEventFilter, RoomFilter};
use matrix_sdk::ruma::api::client::room::Visibility;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId, UInt};
use matrix_sdk::{Client, Room, RoomState};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long the harness waits for a step of its setup before it fails.
pub const SETUP_WAIT: Duration = Duration::from_secs(180);

/// A client logged in with password = name. Requests are not retried inside the SDK: the
/// harness counts what failed.
pub async fn login(url: &str, name: &str) -> Result<Client> {
    let client = Client::builder()
        .homeserver_url(url)
        .request_config(RequestConfig::new().retry_limit(0).timeout(Duration::from_secs(90)))
        .build()
        .await
        .context("cannot build a Matrix client")?;
    client
        .matrix_auth()
        .login_username(name, name)
        .initial_device_display_name("lahiapu loadtest")
        .send()
        .await
        .with_context(|| format!("cannot log in as {name}"))?;
    Ok(client)
}

/// The first sync: rooms and history as they are now (not watched).
pub async fn first_sync(client: &Client) -> Result<()> {
    client.sync_once(settings(Duration::ZERO)).await.context("the first sync failed")?;
    Ok(())
}

fn settings(timeout: Duration) -> SyncSettings {
    let mut timeline = RoomEventFilter::default();
    timeline.limit = Some(UInt::from(200u32));
    timeline.lazy_load_options = LazyLoadOptions::Enabled { include_redundant_members: false };
    let mut room = RoomFilter::default();
    room.timeline = timeline;
    room.state.lazy_load_options = LazyLoadOptions::Enabled { include_redundant_members: false };
    let mut filter = FilterDefinition::default();
    filter.room = room;
    SyncSettings::default().filter(filter.into()).timeout(timeout)
}

/// Called for every timeline event a watched client's sync brings: (observer, room, event,
/// when the sync response arrived).
pub type Sink = Arc<dyn Fn(usize, &str, &Value, Instant) + Send + Sync>;

/// Keeps `client` syncing, handing every timeline event to `sink`, until `stop`.
pub fn watch_sync(
    client: Client,
    observer: usize,
    sink: Sink,
    mut stop: watch::Receiver<bool>,
    errors: Arc<AtomicU64>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let settings = settings(Duration::from_secs(10));
        while let Some(result) = next_sync(&client, &settings, &mut stop).await {
            match result {
                Ok(response) => {
                    let at = Instant::now();
                    for (room, update) in &response.rooms.joined {
                        for event in &update.timeline.events {
                            if let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) {
                                sink(observer, room.as_str(), &json, at);
                            }
                        }
                    }
                }
                Err(_) => {
                    errors.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    })
}

/// The next sync response of `client`, or `None` once `stop` is set.
async fn next_sync(
    client: &Client,
    settings: &SyncSettings,
    stop: &mut watch::Receiver<bool>,
) -> Option<matrix_sdk::Result<matrix_sdk::sync::SyncResponse>> {
    if *stop.borrow() {
        return None;
    }
    tokio::select! {
        r = client.sync_once(settings.clone()) => Some(r),
        _ = stop.changed() => None,
    }
}

/// The event a bot message answers: its thread root, or the event it replies to.
pub fn answered(json: &Value) -> Option<&str> {
    let relation = &json["content"]["m.relates_to"];
    relation["event_id"].as_str().or_else(|| relation["m.in_reply_to"]["event_id"].as_str())
}

/// What the echo bot did.
#[derive(Debug, Default)]
pub struct EchoStats {
    pub seen: AtomicU64,
    pub sent: AtomicU64,
    pub failed: AtomicU64,
}

/// The echo bot: a minimal matrix-sdk bot that answers every text message (but those of
/// `ignore`) with a fixed notice in the message's thread, at once and concurrently, with
/// nothing stored. The homeserver's own round trip, as a baseline.
pub fn echo_bot(
    client: Client,
    ignore: HashSet<String>,
    mut stop: watch::Receiver<bool>,
    stats: Arc<EchoStats>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let me = client.user_id().map(|u| u.to_string()).unwrap_or_default();
        let settings = settings(Duration::from_secs(10));
        while let Some(result) = next_sync(&client, &settings, &mut stop).await {
            let Ok(response) = result else {
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            };
            for (room_id, update) in &response.rooms.joined {
                let Some(room) = client.get_room(room_id) else { continue };
                for event in &update.timeline.events {
                    let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) else { continue };
                    let sender = json["sender"].as_str().unwrap_or_default();
                    if json["type"] != "m.room.message"
                        || json["content"]["msgtype"] != "m.text"
                        || sender == me
                        || ignore.contains(sender)
                    {
                        continue;
                    }
                    let Some(id) = json["event_id"].as_str() else { continue };
                    stats.seen.fetch_add(1, Ordering::Relaxed);
                    let content = json!({
                        "msgtype": "m.notice",
                        "body": "echo",
                        "m.relates_to": {"rel_type": "m.thread", "event_id": id, "is_falling_back": true,
                            "m.in_reply_to": {"event_id": id}},
                        "m.mentions": {"user_ids": [sender]},
                    });
                    let (room, stats) = (room.clone(), stats.clone());
                    tokio::spawn(async move {
                        match room.send_raw("m.room.message", content).await {
                            Ok(_) => stats.sent.fetch_add(1, Ordering::Relaxed),
                            Err(_) => stats.failed.fetch_add(1, Ordering::Relaxed),
                        };
                    });
                }
            }
        }
    })
}

/// A public room created by `owner`.
pub async fn public_room(owner: &Client) -> Result<Room> {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.visibility = Visibility::Public;
    owner.create_room(request).await.context("cannot create a public room")
}

/// A private, encrypted room created by `owner` with `invite` invited.
pub async fn private_room(owner: &Client, invite: &[OwnedUserId]) -> Result<Room> {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PrivateChat);
    request.invite = invite.to_vec();
    request.initial_state = vec![
        InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults()).to_raw_any(),
    ];
    owner.create_room(request).await.context("cannot create a private room")
}

/// Joins `room` (retrying: an invite may not have arrived yet).
pub async fn join(client: &Client, room: &OwnedRoomId) -> Result<Room> {
    let deadline = Instant::now() + SETUP_WAIT;
    loop {
        match client.join_room_by_id(room).await {
            Ok(r) => return Ok(r),
            Err(e) if Instant::now() > deadline => bail!("cannot join {room}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

/// Waits until `user` is a joined member of `room` as `room`'s client sees it.
pub async fn wait_joined(room: &Room, user: &OwnedUserId) -> Result<()> {
    let deadline = Instant::now() + SETUP_WAIT;
    loop {
        let _ = room.sync_members().await;
        let member = room.get_member(user).await.ok().flatten();
        if member.is_some_and(|m| m.membership() == &MembershipState::Join) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{user} never joined {}", room.room_id());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The room as `client` knows it once its syncs have it, joined.
pub async fn joined_room(client: &Client, id: &OwnedRoomId) -> Result<Room> {
    let deadline = Instant::now() + SETUP_WAIT;
    loop {
        if let Some(room) = client.get_room(id).filter(|r| r.state() == RoomState::Joined) {
            return Ok(room);
        }
        if Instant::now() > deadline {
            bail!("room {id} never appeared as joined");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every message event `sender` sent in `room` (decrypted where it can be), oldest first.
pub async fn history_of(room: &Room, sender: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut from = None;
    for _ in 0..10_000 {
        let mut options = MessagesOptions::backward();
        options.limit = UInt::from(500u32);
        options.from = from.take();
        let page = room.messages(options).await.context("cannot read a room's history")?;
        for event in &page.chunk {
            let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) else { continue };
            if json["sender"] == sender && json["type"] == "m.room.message" {
                out.push(json);
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() => from = Some(end),
            _ => break,
        }
    }
    out.reverse();
    Ok(out)
}

/// For each event answered by one of `messages`, the IDs of its answers.
pub fn answers_by_question(messages: &[Value]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for m in messages {
        if let (Some(q), Some(id)) = (answered(m), m["event_id"].as_str()) {
            out.entry(q.to_owned()).or_default().push(id.to_owned());
        }
    }
    out
}

/// The harness's markers in a text: `LT-x-1-2` (a kind letter and two numbers).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("LT-") {
        let tail = &rest[at + 3..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(tail.len());
        let candidate = tail[..end].trim_end_matches('-');
        let parts: Vec<&str> = candidate.split('-').collect();
        if parts.len() == 3
            && parts[0].len() == 1
            && parts[0].chars().all(|c| c.is_ascii_lowercase())
            && parts[1..].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            out.push(format!("LT-{candidate}"));
        }
        rest = &tail[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_in_relayed_texts() {
        assert_eq!(tokens("Vapaaehtoinen vastaa: LT-v-3-12 vastaus"), vec!["LT-v-3-12"]);
        assert_eq!(tokens("Asukas 4: LT-r-1-2, ja LT-r-1-3."), vec!["LT-r-1-2", "LT-r-1-3"]);
        assert!(tokens("LT- LT-x LT-xy-1-2 LT-v-1").is_empty());
    }
}
