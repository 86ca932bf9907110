//! What the tests against a real Synapse share: the homeserver of `scripts/test`, residents
//! as real matrix-sdk clients, the bot in-process or as its own `lahiapu run` process, and
//! waiting for what the bot sent.
//!
//! `scripts/test` starts Synapse with `scripts/dev-homeserver` and exports `HS_URL` and
//! `HS_SECRET`; without them these tests fail and say so (they never skip). Every test
//! registers its own users and rooms, so tests run side by side on one homeserver.

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use lahiapu::assistant::Assistant;
use lahiapu::knowledge;
use lahiapu::matrix::{Bot, Config, RunningBot};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::room::Visibility;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room};
use serde_json::Value;

/// How long a test waits for something the bot should do before it fails. Not a timing
/// requirement: a bound so that a broken bot fails the test instead of hanging it.
pub const WAIT: Duration = Duration::from_secs(120);

pub struct Hs {
    pub url: String,
    pub secret: String,
}

pub fn hs() -> Hs {
    // RUST_LOG=lahiapu=debug shows the bot's decisions in failing tests.
    let filter = tracing_subscriber::EnvFilter::from_default_env();
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    let (Ok(url), Ok(secret)) = (std::env::var("HS_URL"), std::env::var("HS_SECRET")) else {
        panic!(
            "HS_URL and HS_SECRET are not set: these tests need a real Synapse. Run scripts/test, \
             or: eval \"$(scripts/dev-homeserver start)\" && export HS_URL HS_SECRET && cargo test --test matrix_synapse"
        );
    };
    Hs { url, secret }
}

pub fn knowledge_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

pub fn assistant() -> Arc<Assistant> {
    static ASSISTANT: OnceLock<Arc<Assistant>> = OnceLock::new();
    ASSISTANT
        .get_or_init(|| {
            let k = knowledge::load(&knowledge_dir(), lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
            Arc::new(Assistant::new(k, Assistant::load_voikko()).unwrap())
        })
        .clone()
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}{:08x}", rand::random::<u32>())
}

/// Registers a user with Synapse's shared-secret admin API; returns its access token.
pub async fn register(hs: &Hs, user: &str, password: &str) -> String {
    let http = matrix_sdk::reqwest::Client::new();
    let url = format!("{}/_synapse/admin/v1/register", hs.url);
    let nonce: Value = serde_json::from_str(&http.get(&url).send().await.unwrap().text().await.unwrap()).unwrap();
    let nonce = nonce["nonce"].as_str().unwrap().to_owned();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(hs.secret.as_bytes()).unwrap();
    mac.update(format!("{nonce}\0{user}\0{password}\0notadmin").as_bytes());
    let mac: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let body = serde_json::json!({"nonce": nonce, "username": user, "password": password, "admin": false, "mac": mac});
    let response =
        http.post(&url).header("Content-Type", "application/json").body(body.to_string()).send().await.unwrap();
    assert!(response.status().is_success(), "registering {user} failed: {}", response.text().await.unwrap_or_default());
    let json: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    json["access_token"].as_str().unwrap_or_default().to_owned()
}

/// A resident's client: registered, logged in, with an encrypted store, syncing in the
/// background.
pub struct Resident {
    pub client: Client,
    _store: tempfile::TempDir,
    sync: tokio::task::JoinHandle<()>,
}

impl Drop for Resident {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

impl Resident {
    pub fn id(&self) -> OwnedUserId {
        self.client.user_id().unwrap().to_owned()
    }
}

pub async fn resident(hs: &Hs, name: &str) -> Resident {
    register(hs, name, name).await;
    let store = tempfile::tempdir().unwrap();
    let client = Client::builder().homeserver_url(&hs.url).sqlite_store(store.path(), None).build().await.unwrap();
    client.matrix_auth().login_username(name, name).send().await.unwrap();
    client.sync_once(SyncSettings::default()).await.unwrap();
    let c = client.clone();
    let sync = tokio::spawn(async move {
        let _ = c.sync(SyncSettings::default().timeout(Duration::from_secs(5))).await;
    });
    Resident { client, _store: store, sync }
}

/// A public room created by `owner`.
pub async fn public_room(owner: &Client) -> OwnedRoomId {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.visibility = Visibility::Public;
    owner.create_room(request).await.unwrap().room_id().to_owned()
}

/// The room as `client` sees it, once its sync has it.
pub async fn room(client: &Client, id: &OwnedRoomId) -> Room {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(room) = client.get_room(id) {
            return room;
        }
        assert!(Instant::now() < deadline, "room {id} never appeared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until `user` has joined `room` (as the room's other members see it): the bot
/// starts answering a room from its join on.
pub async fn wait_joined(room: &Room, user: &OwnedUserId) {
    let deadline = Instant::now() + WAIT;
    loop {
        let _ = room.sync_members().await;
        let member = room.get_member(user).await.ok().flatten();
        if member.is_some_and(|m| m.membership() == &matrix_sdk::ruma::events::room::member::MembershipState::Join) {
            return;
        }
        assert!(Instant::now() < deadline, "{user} never joined {}", room.room_id());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A bot account and its store folder; the bot can be started in-process or as a process.
pub struct TestBot {
    pub user: OwnedUserId,
    pub store: tempfile::TempDir,
    pub name: String,
}

impl TestBot {
    pub async fn new(hs: &Hs) -> Self {
        let name = unique("lahiapu");
        register(hs, &name, "bot-password").await;
        let user = format!("@{name}:localhost").parse().unwrap();
        Self { user, store: tempfile::tempdir().unwrap(), name }
    }

    /// The bot's config: serving `rooms` (place Turku, answer_all), plus `extra` TOML.
    pub fn config(&self, hs: &Hs, rooms: &[&OwnedRoomId], extra: &str) -> String {
        let rooms: String = rooms
            .iter()
            .map(|r| format!("[[rooms]]\nroom = \"{r}\"\nplace = \"Turku\"\nanswer_all = true\n"))
            .collect();
        format!(
            "[matrix]\nhomeserver = \"{}\"\nuser = \"@{}:localhost\"\npassword = \"bot-password\"\nstore = \"{}\"\n\
             [bot]\nknowledge = \"{}\"\n{rooms}{extra}",
            hs.url,
            self.name,
            self.store.path().join("store").display(),
            knowledge_dir().display()
        )
    }

    /// Starts the bot in this process.
    pub async fn start(&self, hs: &Hs, rooms: &[&OwnedRoomId]) -> RunningBot {
        self.start_with(hs, rooms, "").await
    }

    pub async fn start_with(&self, hs: &Hs, rooms: &[&OwnedRoomId], extra: &str) -> RunningBot {
        let config = Config::parse(&self.config(hs, rooms, extra)).unwrap();
        Bot::start(config, assistant()).await.unwrap()
    }

    /// Starts the bot in this process with a config that has no password: a saved session
    /// needs none.
    pub async fn restart_without_password(&self, hs: &Hs, rooms: &[&OwnedRoomId], extra: &str) -> RunningBot {
        let text = self.config(hs, rooms, extra).replace("password = \"bot-password\"\n", "");
        assert!(!text.contains("password"));
        Bot::start(Config::parse(&text).unwrap(), assistant()).await.unwrap()
    }

    /// Starts the bot as its own `lahiapu run` process (so that it can be killed).
    pub fn spawn(&self, hs: &Hs, rooms: &[&OwnedRoomId], extra: &str) -> BotProcess {
        let path = self.store.path().join("lahiapu.toml");
        std::fs::write(&path, self.config(hs, rooms, extra)).unwrap();
        self.spawn_with_config(&path)
    }

    /// Starts the bot as its own process with the config file at `path`.
    pub fn spawn_with_config(&self, path: &Path) -> BotProcess {
        let log = self.store.path().join(format!("bot-{}.log", unique("")));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_lahiapu"))
            .args(["run", "--config"])
            .arg(path)
            .env("RUST_LOG", "info,lahiapu=debug")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        BotProcess { child, log }
    }

    /// The access token of the bot's saved session.
    pub fn access_token(&self) -> String {
        let text = std::fs::read_to_string(self.store.path().join("store/session.json")).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        json["session"]["access_token"].as_str().unwrap().to_owned()
    }
}

/// The bot running as a separate process.
pub struct BotProcess {
    child: Child,
    pub log: PathBuf,
}

impl BotProcess {
    /// `kill -9`: no chance to finish anything.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Waits for the process to end by itself; returns its exit code and its log.
    pub async fn exited(&mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code(), std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            assert!(Instant::now() < deadline, "the bot process did not exit: {}", self.log_text());
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message of the bot as seen by a resident: its content JSON and whether it came
/// encrypted.
#[derive(Debug, Clone)]
pub struct Seen {
    pub content: Value,
    pub encrypted: bool,
}

impl Seen {
    pub fn body(&self) -> &str {
        self.content["body"].as_str().unwrap_or_default()
    }

    /// The question the message answers: its thread root, or the event it replies to.
    pub fn answers(&self) -> Option<&str> {
        let relation = &self.content["m.relates_to"];
        relation["event_id"].as_str().or_else(|| relation["m.in_reply_to"]["event_id"].as_str())
    }
}

/// Every message `sender` sent in `room`, oldest first (decrypted when needed).
pub async fn messages_of(room: &Room, sender: &OwnedUserId) -> Vec<Seen> {
    let mut seen = Vec::new();
    let mut from = None;
    loop {
        let mut options = MessagesOptions::backward();
        options.limit = 100u32.into();
        options.from = from.take();
        let Ok(page) = room.messages(options).await else { break };
        for event in &page.chunk {
            let Ok(json) = serde_json::from_str::<Value>(event.raw().json().get()) else { continue };
            if json["sender"] == sender.as_str() && json["type"] == "m.room.message" {
                seen.push(Seen { content: json["content"].clone(), encrypted: event.encryption_info().is_some() });
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() => from = Some(end),
            _ => break,
        }
    }
    seen.reverse();
    seen
}

/// Waits until `done` holds for the bot's messages, then returns them.
pub async fn wait_for(room: &Room, bot: &OwnedUserId, what: &str, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
    wait_for_within(WAIT, room, bot, what, done).await
}

/// [`wait_for`] with a deadline of its own, for work that is slow in a debug build (reading
/// 10 000 knowledge entries again).
pub async fn wait_for_within(
    wait: Duration,
    room: &Room,
    bot: &OwnedUserId,
    what: &str,
    done: impl Fn(&[Seen]) -> bool,
) -> Vec<Seen> {
    let deadline = Instant::now() + wait;
    loop {
        let seen = messages_of(room, bot).await;
        if done(&seen) {
            return seen;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; the bot sent: {seen:#?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// A raw request to the homeserver with `token`: (status, JSON body).
pub async fn request(method: &str, url: &str, token: &str, body: &Value) -> (u16, Value) {
    let http = matrix_sdk::reqwest::Client::new();
    let method = matrix_sdk::reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = http
        .request(method, url)
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap_or_default()).unwrap_or(Value::Null))
}

pub async fn send(room: &Room, body: &str) -> OwnedEventId {
    room.send(RoomMessageEventContent::text_plain(body)).await.unwrap().response.event_id
}

pub fn answers_to<'a>(seen: &'a [Seen], question: &OwnedEventId) -> Vec<&'a Seen> {
    seen.iter().filter(|s| s.answers() == Some(question.as_str())).collect()
}

/// Every question answered exactly once; `extra` says what else the bot may have sent.
pub fn assert_each_answered_once(seen: &[Seen], questions: &[OwnedEventId]) {
    for q in questions {
        let n = answers_to(seen, q).len();
        assert_eq!(n, 1, "{q} got {n} answers; the bot sent: {seen:#?}");
    }
}

/// A Synapse of the test's own, which it may stop and start again.
pub struct PrivateHs {
    pub dir: tempfile::TempDir,
    pub hs: Hs,
}

impl PrivateHs {
    pub async fn start() -> Self {
        // Under scripts/test's folder, so that its exit stops this Synapse even if the test
        // binary is killed.
        let dir = match std::env::var_os("LAHIAPU_TEST_TMP") {
            Some(root) => tempfile::tempdir_in(root).unwrap(),
            None => tempfile::tempdir().unwrap(),
        };
        let hs = Self::run("start", dir.path()).await;
        Self { dir, hs }
    }

    pub async fn stop(&self) {
        Self::run("stop", self.dir.path()).await;
    }

    pub async fn restart(&self) -> Hs {
        Self::run("start", self.dir.path()).await
    }

    async fn run(cmd: &'static str, dir: &Path) -> Hs {
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev-homeserver");
            let out = std::process::Command::new(script).arg(cmd).arg(&dir).output().unwrap();
            assert!(out.status.success(), "dev-homeserver {cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
            let env = String::from_utf8_lossy(&out.stdout).to_string();
            let get =
                |k: &str| env.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).unwrap_or_default().to_owned();
            Hs { url: get("HS_URL"), secret: get("HS_SECRET") }
        })
        .await
        .unwrap()
    }
}

impl Drop for PrivateHs {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev-homeserver");
        let _ = std::process::Command::new(script).arg("stop").arg(self.dir.path()).output();
    }
}
