#![recursion_limit = "256"]
//! The bot against a real Synapse on 127.0.0.1, with real matrix-sdk clients as residents.
//!
//! `scripts/test` starts Synapse with `scripts/dev-homeserver` and exports `HS_URL` and
//! `HS_SECRET`; without them these tests fail and say so (they never skip). Every test
//! registers its own users and rooms, so they run side by side on one homeserver.

use std::path::Path;
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

const WAIT: Duration = Duration::from_secs(90);

struct Hs {
    url: String,
    secret: String,
}

fn hs() -> Hs {
    // RUST_LOG=lahiapu=debug shows the bot's decisions in failing tests.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let (Ok(url), Ok(secret)) = (std::env::var("HS_URL"), std::env::var("HS_SECRET")) else {
        panic!(
            "HS_URL and HS_SECRET are not set: these tests need a real Synapse. Run scripts/test, \
             or: eval \"$(scripts/dev-homeserver start)\" && export HS_URL HS_SECRET && cargo test --test matrix_synapse"
        );
    };
    Hs { url, secret }
}

fn assistant() -> Arc<Assistant> {
    static ASSISTANT: OnceLock<Arc<Assistant>> = OnceLock::new();
    ASSISTANT
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
            let k = knowledge::load(&dir, lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
            Arc::new(Assistant::new(k, Assistant::load_voikko()).unwrap())
        })
        .clone()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{:08x}", rand::random::<u32>())
}

/// Registers a user with Synapse's shared-secret admin API.
async fn register(hs: &Hs, user: &str, password: &str) {
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
}

/// A resident's client: registered, logged in, with an encrypted store, syncing in the
/// background.
struct Resident {
    client: Client,
    _store: tempfile::TempDir,
    sync: tokio::task::JoinHandle<()>,
}

impl Drop for Resident {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

async fn resident(hs: &Hs, name: &str) -> Resident {
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
async fn public_room(owner: &Client) -> OwnedRoomId {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.visibility = Visibility::Public;
    owner.create_room(request).await.unwrap().room_id().to_owned()
}

struct TestBot {
    user: OwnedUserId,
    store: tempfile::TempDir,
    name: String,
}

impl TestBot {
    async fn new(hs: &Hs) -> Self {
        let name = unique("lahiapu");
        register(hs, &name, "bot-password").await;
        let user = format!("@{name}:localhost").parse().unwrap();
        Self { user, store: tempfile::tempdir().unwrap(), name }
    }

    /// Starts the bot serving `rooms` (place Turku, answer_all).
    async fn start(&self, hs: &Hs, rooms: &[&OwnedRoomId]) -> RunningBot {
        let rooms: String = rooms
            .iter()
            .map(|r| format!("[[rooms]]\nroom = \"{r}\"\nplace = \"Turku\"\nanswer_all = true\n"))
            .collect();
        let config = Config::parse(&format!(
            "[matrix]\nhomeserver = \"{}\"\nuser = \"@{}:localhost\"\npassword = \"bot-password\"\nstore = \"{}\"\n{rooms}",
            hs.url,
            self.name,
            self.store.path().display()
        ))
        .unwrap();
        Bot::start(config, assistant()).await.unwrap()
    }
}

/// A resident, a public room of theirs, and a bot serving it (place Turku, answer_all).
struct PublicRoom {
    resident: Resident,
    bot: TestBot,
    running: RunningBot,
    room: Room,
}

async fn public_setup(hs: &Hs) -> PublicRoom {
    let resident = resident(hs, &unique("res")).await;
    let room_id = public_room(&resident.client).await;
    let bot = TestBot::new(hs).await;
    let running = bot.start(hs, &[&room_id]).await;
    let room = room(&resident.client, &room_id).await;
    PublicRoom { resident, bot, running, room }
}

async fn room(client: &Client, id: &OwnedRoomId) -> Room {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(room) = client.get_room(id) {
            return room;
        }
        assert!(Instant::now() < deadline, "room {id} never appeared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A message of the bot as seen by a resident: its content JSON and whether it came
/// encrypted.
#[derive(Debug, Clone)]
struct Seen {
    content: Value,
    encrypted: bool,
}

impl Seen {
    fn body(&self) -> &str {
        self.content["body"].as_str().unwrap_or_default()
    }

    fn thread_root(&self) -> Option<&str> {
        self.content["m.relates_to"]["event_id"].as_str()
    }
}

/// Every message `bot` sent in `room`, oldest first (decrypted when needed).
async fn bot_messages(room: &Room, bot: &OwnedUserId) -> Vec<Seen> {
    let mut options = MessagesOptions::backward();
    options.limit = 100u32.into();
    let Ok(messages) = room.messages(options).await else { return Vec::new() };
    let mut seen: Vec<Seen> = messages
        .chunk
        .iter()
        .filter_map(|event| {
            let json: Value = serde_json::from_str(event.raw().json().get()).ok()?;
            (json["sender"] == bot.as_str() && json["type"] == "m.room.message")
                .then(|| Seen { content: json["content"].clone(), encrypted: event.encryption_info().is_some() })
        })
        .collect();
    seen.reverse();
    seen
}

/// Waits until `done` holds for the bot's messages, then returns them.
async fn wait_for(room: &Room, bot: &OwnedUserId, what: &str, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
    let deadline = Instant::now() + WAIT;
    loop {
        let seen = bot_messages(room, bot).await;
        if done(&seen) {
            return seen;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; the bot sent: {seen:#?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn send(room: &Room, body: &str) -> OwnedEventId {
    room.send(RoomMessageEventContent::text_plain(body)).await.unwrap().response.event_id
}

fn answers_to<'a>(seen: &'a [Seen], question: &OwnedEventId) -> Vec<&'a Seen> {
    seen.iter().filter(|s| s.thread_root() == Some(question.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_in_finnish_swedish_and_english_get_threaded_notices_in_their_language() {
    let PublicRoom { resident, bot, running, room } = public_setup(&hs()).await;

    let fi = send(&room, "mistä saa apua velkoihin?").await;
    let sv = send(&room, "var får jag hjälp med skulder?").await;
    let en = send(&room, "where can I get help with debts?").await;
    let crisis = send(&room, "en halua enää elää").await;
    let seen = wait_for(&room, &bot.user, "four answers", |s| {
        [&fi, &sv, &en, &crisis].iter().all(|q| !answers_to(s, q).is_empty())
    })
    .await;

    let one = |q: &OwnedEventId| {
        let a = answers_to(&seen, q);
        assert_eq!(a.len(), 1, "exactly one answer to {q}: {a:#?}");
        a[0].clone()
    };
    let (fi, sv, en, crisis) = (one(&fi), one(&sv), one(&en), one(&crisis));
    for answer in [&fi, &sv, &en, &crisis] {
        assert_eq!(answer.content["msgtype"], "m.notice");
        assert_eq!(answer.content["m.relates_to"]["rel_type"], "m.thread");
        assert_eq!(answer.content["m.mentions"]["user_ids"], serde_json::json!([resident.client.user_id().unwrap()]));
    }
    assert!(
        fi.body().starts_with("Apua, kun asut paikkakunnalla Turku") && fi.body().contains("Talousneuvola"),
        "{}",
        fi.body()
    );
    assert!(sv.body().starts_with("Hjälp när du bor i Åbo") && sv.body().contains("Talousneuvola"), "{}", sv.body());
    assert!(en.body().starts_with("Help where you live, Turku") && en.body().contains("debt"), "{}", en.body());
    assert!(crisis.body().starts_with("Jos henki on vaarassa nyt, soita heti hätänumeroon 112."), "{}", crisis.body());
    assert!(crisis.body().contains("09 2525 0111"), "a 24/7 crisis line: {}", crisis.body());
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_room_mentions_in_a_question_come_back_escaped_and_ping_nobody() {
    let PublicRoom { resident, bot, running, room } = public_setup(&hs()).await;

    let content = RoomMessageEventContent::text_html(
        "@room <script>alert(1)</script> mistä apua velkoihin?",
        "<b>@room</b> <script>alert(1)</script><img src=x onerror=alert(2)> mistä apua velkoihin?",
    );
    let q = room.send(content).await.unwrap().response.event_id;
    let seen = wait_for(&room, &bot.user, "an answer", |s| !answers_to(s, &q).is_empty()).await;
    let answer = answers_to(&seen, &q)[0];
    let html = answer.content["formatted_body"].as_str().unwrap();
    for raw in ["<script", "<img", "onerror", "<b>@room"] {
        assert!(!html.contains(raw), "raw user HTML {raw:?} in the reply: {html}");
    }
    assert!(!answer.body().contains("@room"), "the reply must not contain @room: {}", answer.body());
    assert_eq!(
        answer.content["m.mentions"],
        serde_json::json!({"user_ids": [resident.client.user_id().unwrap()]}),
        "only the asker is mentioned, never the room"
    );
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swedish_question_in_an_encrypted_dm_gets_an_encrypted_swedish_answer() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[]).await;

    let dm = resident.client.create_dm(&bot.user).await.unwrap();
    if !dm.latest_encryption_state().await.unwrap().is_encrypted() {
        dm.enable_encryption().await.unwrap();
    }
    assert!(dm.latest_encryption_state().await.unwrap().is_encrypted(), "the DM must be encrypted");
    // Wait until the bot has accepted the invite, so that the room key is shared with it.
    let deadline = Instant::now() + WAIT;
    while dm
        .get_member(&bot.user)
        .await
        .ok()
        .flatten()
        .is_none_or(|m| m.membership() != &matrix_sdk::ruma::events::room::member::MembershipState::Join)
    {
        assert!(Instant::now() < deadline, "the bot never joined the DM");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let q = send(&dm, "var får jag hjälp med skulder i Vasa?").await;
    let seen = wait_for(&dm, &bot.user, "an encrypted answer", |s| !answers_to(s, &q).is_empty()).await;
    let answer = answers_to(&seen, &q)[0];
    assert!(answer.encrypted, "the answer in an encrypted DM must be encrypted: {answer:#?}");
    assert_eq!(answer.content["msgtype"], "m.notice");
    assert!(answer.body().starts_with("Hjälp när du bor i Vasa"), "{}", answer.body());
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_sent_while_the_bot_was_down_are_answered_exactly_once_after_a_restart() {
    let hs = hs();
    let PublicRoom { resident: _resident, bot, running, room } = public_setup(&hs).await;
    let room_id = room.room_id().to_owned();
    // One answered question before the stop: it must not be answered again after it.
    let before = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "the first answer", |s| !answers_to(s, &before).is_empty()).await;
    running.stop().await.unwrap();

    let questions = [
        send(&room, "tarvitsen apua velkojen kanssa").await,
        send(&room, "var får jag hjälp med skulder?").await,
        send(&room, "lähisuhde väkivalta").await,
    ];
    let running = bot.start(&hs, &[&room_id]).await;
    wait_for(&room, &bot.user, "three answers after the restart", |s| {
        questions.iter().all(|q| !answers_to(s, q).is_empty())
    })
    .await;
    // Give a second answer time to show up, if there were going to be one.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let seen = bot_messages(&room, &bot.user).await;
    for q in questions.iter().chain([&before]) {
        assert_eq!(answers_to(&seen, q).len(), 1, "exactly one answer to {q}: {seen:#?}");
    }
    assert_eq!(seen.len(), 4, "no other messages: {seen:#?}");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_gets_a_bounded_number_of_replies_while_another_resident_is_answered() {
    let hs = hs();
    let flooder = resident(&hs, &unique("flood")).await;
    let other = resident(&hs, &unique("res")).await;
    let room_id = public_room(&flooder.client).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[&room_id]).await;
    let flood_room = room(&flooder.client, &room_id).await;
    other.client.join_room_by_id(&room_id).await.unwrap();
    let other_room = room(&other.client, &room_id).await;

    let mut flood = Vec::new();
    let start = Instant::now();
    for i in 0..20 {
        flood.push(send(&flood_room, &format!("mistä saa apua velkoihin? ({i})")).await);
        if i == 10 {
            flood.push(send(&other_room, "var får jag hjälp med skulder?").await);
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    // 20 messages at 0.4 s: about 8 s plus the sends themselves on a busy machine.
    assert!(start.elapsed() <= Duration::from_secs(15), "the flood took {:?}", start.elapsed());
    let other_q = flood.remove(11);
    let seen =
        wait_for(&other_room, &bot.user, "an answer to the other resident", |s| !answers_to(s, &other_q).is_empty())
            .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let seen_all = bot_messages(&flood_room, &bot.user).await;
    let to_flood: usize = flood.iter().map(|q| answers_to(&seen_all, q).len()).sum();
    assert!(to_flood <= 5, "at most 4 answers and 1 notice to a flood of 20, got {to_flood}: {seen_all:#?}");
    assert!(to_flood >= 1, "the flooder is answered at first");
    assert!(seen_all.iter().any(|s| s.body().starts_with("Kysymyksiä tuli nyt paljon")), "one calm notice");
    assert_eq!(answers_to(&seen, &other_q).len(), 1);
    running.stop().await.unwrap();
}

/// A Synapse of this test's own, which it may stop and start again.
struct PrivateHs {
    dir: tempfile::TempDir,
    hs: Hs,
}

impl PrivateHs {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let hs = Self::run("start", dir.path());
        Self { dir, hs }
    }

    fn run(cmd: &str, dir: &Path) -> Hs {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev-homeserver");
        let out = std::process::Command::new(script).arg(cmd).arg(dir).output().unwrap();
        assert!(out.status.success(), "dev-homeserver {cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
        let env = String::from_utf8_lossy(&out.stdout).to_string();
        let get = |k: &str| env.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).unwrap_or_default().to_owned();
        Hs { url: get("HS_URL"), secret: get("HS_SECRET") }
    }
}

impl Drop for PrivateHs {
    fn drop(&mut self) {
        Self::run("stop", self.dir.path());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_resumes_when_its_homeserver_comes_back() {
    hs(); // fail clearly outside scripts/test, like the other tests
    let private = PrivateHs::start();
    let PublicRoom { resident: _resident, bot, running, room } = public_setup(&private.hs).await;
    let first = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "an answer before the outage", |s| !answers_to(s, &first).is_empty()).await;

    PrivateHs::run("stop", private.dir.path());
    let versions = format!("{}/_matrix/client/versions", private.hs.url);
    assert!(matrix_sdk::reqwest::get(&versions).await.is_err(), "the homeserver must really be gone during the outage");
    // The bot's sync now fails and backs off; give it a few rounds.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let back = PrivateHs::run("start", private.dir.path());
    assert_eq!(back.url, private.hs.url, "the homeserver comes back at the same address");

    let second = send(&room, "var får jag hjälp med skulder?").await;
    let seen = wait_for(&room, &bot.user, "an answer after the outage", |s| !answers_to(s, &second).is_empty()).await;
    assert_eq!(answers_to(&seen, &first).len(), 1, "the earlier question is not answered again");
    assert_eq!(answers_to(&seen, &second).len(), 1);
    running.stop().await.unwrap();
}
