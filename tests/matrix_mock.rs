//! The bot's Matrix flows against matrix-sdk's `MatrixMockServer` (no homeserver): what it
//! sends for questions, commands, floods, unreadable messages and invites, what it never
//! answers, and what happens when the homeserver refuses or rate-limits a reply.
//!
//! Each test drives the bot step by step as its tasks would: `sync_step` (one sync, recorded),
//! then `settle` (decide and send until nothing is due).

use std::sync::{Arc, OnceLock};

use lahiapu::assistant::Assistant;
use lahiapu::knowledge;
use lahiapu::matrix::escalation::CASE_FIELD;
use lahiapu::matrix::{Bot, Config};
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{EventId, MilliSecondsSinceUnixEpoch, RoomId, UserId, event_id, room_id, user_id};
use matrix_sdk::test_utils::mocks::MatrixMockServer;
use matrix_sdk_test::event_factory::EventFactory;
use matrix_sdk_test::{InvitedRoomBuilder, JoinedRoomBuilder, SyncResponseBuilder};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

const ROOM: &str = "!turku:localhost";
const ME: &str = "@example:localhost";

fn assistant() -> Arc<Assistant> {
    static ASSISTANT: OnceLock<Arc<Assistant>> = OnceLock::new();
    ASSISTANT
        .get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
            let k = knowledge::load(&dir, lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
            Arc::new(Assistant::new(k, Assistant::load_voikko()).unwrap())
        })
        .clone()
}

struct Setup {
    server: MatrixMockServer,
    bot: Bot,
    _store: tempfile::TempDir,
}

/// A bot as `@example:localhost` that serves `!turku:localhost` (place Turku, answer_all),
/// with `extra` appended to its config.
async fn setup_with(extra: &str) -> Setup {
    // RUST_LOG=lahiapu=debug shows the bot's decisions in failing tests.
    let filter = tracing_subscriber::EnvFilter::from_default_env();
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    let server = MatrixMockServer::new().await;
    let client = server.client_builder().build().await;
    server.mock_room_state_encryption().plain().mount().await;
    // Joining a direct chat marks it in the account data (`m.direct`).
    Mock::given(method("PUT"))
        .and(path_regex(r"^/_matrix/client/v3/user/.*/account_data/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/_matrix/client/v3/user/.*/account_data/"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"errcode": "M_NOT_FOUND", "error": "none"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/_matrix/client/v3/rooms/.*/members"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"chunk": []})))
        .mount(&server)
        .await;
    let store = tempfile::tempdir().unwrap();
    let config = Config::parse(&format!(
        r#"
        [matrix]
        homeserver = "http://unused"
        user = "{ME}"
        store = "{}"
        [[rooms]]
        room = "{ROOM}"
        place = "Turku"
        answer_all = true
        [admins]
        users = ["@admin:localhost"]
        {extra}
        "#,
        store.path().display()
    ))
    .unwrap();
    let bot = Bot::attach(client.clone(), &config, assistant()).unwrap();
    Setup { server, bot, _store: store }
}

async fn setup() -> Setup {
    setup_with("").await
}

impl Setup {
    /// One sync with `build`'s rooms, then decide and send everything due.
    async fn sync(&self, build: impl FnOnce(&mut SyncResponseBuilder)) {
        let _sync = self.server.mock_sync().ok(build).mount_as_scoped().await;
        self.bot.sync_step().await.unwrap();
        self.bot.settle().await;
    }

    async fn say(&self, room: &RoomId, sender: &UserId, id: &EventId, body: &str) {
        let f = EventFactory::new().room(room).sender(sender);
        let joined = JoinedRoomBuilder::new(room).add_timeline_event(f.text_msg(body).event_id(id).server_ts(now()));
        self.sync(|b| {
            b.add_joined_room(joined);
        })
        .await;
    }
}

fn turku() -> &'static RoomId {
    <&RoomId>::try_from(ROOM).unwrap()
}

fn now() -> MilliSecondsSinceUnixEpoch {
    MilliSecondsSinceUnixEpoch::now()
}

/// The bodies of every message the bot sent, in order.
async fn sent(server: &MatrixMockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == "PUT" && r.url.path().contains("/send/m.room.message/"))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// Expects the bot to leave (or decline an invite to) `room` exactly `times` times.
async fn expect_leave(server: &MatrixMockServer, room: &RoomId, times: u64) {
    Mock::given(method("POST"))
        .and(path_regex(format!("^/_matrix/client/v3/rooms/{}/leave", regex_escape(room.as_str()))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(times)
        .named(format!("leave {room}"))
        .mount(server)
        .await;
}

fn regex_escape(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { format!("\\{c}") }).collect()
}

fn to<'a>(sent: &'a [Value], user: &str) -> Vec<&'a Value> {
    sent.iter().filter(|m| m["m.mentions"]["user_ids"] == json!([user])).collect()
}

#[tokio::test]
async fn a_question_gets_one_threaded_notice_that_mentions_only_the_asker() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    s.say(turku(), user_id!("@resident:localhost"), event_id!("$q1"), "mistä saa apua velkoihin?").await;
    // The same event arriving again (a repeated sync) is not answered again.
    s.say(turku(), user_id!("@resident:localhost"), event_id!("$q1"), "mistä saa apua velkoihin?").await;

    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let reply = &sent[0];
    assert_eq!(reply["msgtype"], "m.notice");
    assert_eq!(reply["m.relates_to"]["rel_type"], "m.thread");
    assert_eq!(reply["m.relates_to"]["event_id"], "$q1");
    assert_eq!(reply["m.relates_to"]["is_falling_back"], true, "a reply fallback for clients without threads");
    assert_eq!(reply["m.mentions"], json!({"user_ids": ["@resident:localhost"]}));
    assert_eq!(reply["format"], "org.matrix.custom.html");
    let body = reply["body"].as_str().unwrap();
    assert!(body.starts_with("Apua, kun asut paikkakunnalla Turku"), "{body}");
    assert!(body.contains("Talousneuvola"), "{body}");
    let counts = s.bot.store().counts().unwrap();
    assert_eq!((counts.done, counts.outbox_sent, counts.outbox_pending), (1, 1, 0));
}

#[tokio::test]
async fn notices_own_messages_edits_old_events_and_chatter_are_not_answered() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let f = EventFactory::new().room(turku()).sender(user_id!("@resident:localhost"));
    let long_ago = MilliSecondsSinceUnixEpoch(1_000_000_000_000u64.try_into().unwrap());
    let own = EventFactory::new().room(turku()).sender(user_id!("@example:localhost"));
    let joined = JoinedRoomBuilder::new(turku())
        .add_timeline_event(f.notice("mistä saa apua velkoihin?").event_id(event_id!("$n")).server_ts(now()))
        .add_timeline_event(own.text_msg("mistä saa apua velkoihin?").event_id(event_id!("$own")).server_ts(now()))
        .add_timeline_event(f.text_msg("mistä saa apua velkoihin?").event_id(event_id!("$old")).server_ts(long_ago))
        .add_timeline_event(
            f.text_msg("* mistä saa apua velkoihin?")
                .edit(
                    event_id!("$n"),
                    matrix_sdk::ruma::events::room::message::RoomMessageEventContentWithoutRelation::text_plain(
                        "mistä saa apua velkoihin?",
                    ),
                )
                .event_id(event_id!("$edit"))
                .server_ts(now()),
        )
        .add_timeline_event(f.text_msg("kiitos kaikille").event_id(event_id!("$chat")).server_ts(now()))
        .add_timeline_event(f.text_msg("paras pizzeria Turussa?").event_id(event_id!("$pizza")).server_ts(now()));
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;
    let sent = sent(&s.server).await;
    assert!(sent.is_empty(), "nothing should be answered: {sent:#?}");
    let decisions = s.bot.store().decisions().unwrap();
    for want in ["silent:notice", "silent:too-old", "silent:edit", "silent:no-answer"] {
        assert!(decisions.iter().any(|(d, _)| d == want), "{want} in {decisions:?}");
    }
}

#[tokio::test]
async fn commands_answer_in_the_language_of_the_command_with_a_privacy_note() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let resident = user_id!("@resident:localhost");
    s.say(turku(), resident, event_id!("$c1"), "!hjälp").await;
    s.say(turku(), resident, event_id!("$c2"), "!ort Jakobstad").await;
    s.say(turku(), resident, event_id!("$c3"), "!paikka").await;
    s.say(turku(), resident, event_id!("$c4"), "!språk sv").await;
    s.say(turku(), resident, event_id!("$c5"), "!kieli").await;
    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 5, "{sent:#?}");
    let help = sent[0]["body"].as_str().unwrap();
    assert!(help.starts_with("Jag är Närhjälp"), "{help}");
    assert!(help.contains("offentligt") && help.contains("112"), "{help}");
    assert!(sent[0]["formatted_body"].as_str().unwrap().starts_with("<p>Jag är Närhjälp"), "rendered like answers");
    assert_eq!(sent[1]["body"], "Okej: jag söker hjälp för dig i Jakobstad.");
    assert_eq!(sent[2]["body"], "Paikkakuntasi tässä huoneessa: Pietarsaari.");
    assert!(
        sent[4]["body"].as_str().unwrap().starts_with("Jag svarar dig på svenska"),
        "the choice is shown: {}",
        sent[4]["body"]
    );
    assert!(sent.iter().all(|m| m["msgtype"] == "m.notice" && m["m.mentions"]["user_ids"] == json!([resident])));
}

#[tokio::test]
async fn a_message_that_names_only_a_place_asks_the_last_question_there() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let resident = user_id!("@resident:localhost");
    s.say(turku(), resident, event_id!("$q1"), "mistä saa apua velkoihin?").await;
    s.say(turku(), resident, event_id!("$q2"), "entä Tampereella?").await;
    s.say(turku(), user_id!("@other:localhost"), event_id!("$q3"), "entä Tampereella?").await;
    let sent = sent(&s.server).await;
    let body = |i: usize| sent[i]["body"].as_str().unwrap().to_owned();
    assert!(body(0).contains("Talousneuvola (Turku ja Raisio)"), "the room's place first: {}", body(0));
    assert!(body(1).contains("Tampereen Talousneuvola"), "the same question for Tampere: {}", body(1));
    // Someone else's conversation is their own: a place alone is no question of theirs.
    assert!(to(&sent, "@other:localhost").iter().all(|m| !m["body"].as_str().unwrap().contains("Talousneuvola")));
}

#[tokio::test]
async fn a_professional_lists_every_service_of_a_kind_for_a_place() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let worker = user_id!("@ohjaaja:localhost");
    s.say(turku(), worker, event_id!("$p1"), "!palvelut velkaneuvonta Tampere").await;
    s.say(turku(), worker, event_id!("$p2"), "!tjänster skulder").await;
    s.say(turku(), worker, event_id!("$p3"), "!services pizza Tampere").await;
    s.say(turku(), worker, event_id!("$p4"), "!palvelut").await;
    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 4, "{sent:#?}");
    let body = |i: usize| sent[i]["body"].as_str().unwrap().to_owned();
    let tampere = body(0);
    assert!(tampere.starts_with("Talous- ja velkaneuvonta: kaikki palvelut paikkakunnalle Tampere"), "{tampere}");
    assert!(
        tampere.contains("Tampereen Talousneuvola") && tampere.contains("Takuusäätiö"),
        "local and national: {tampere}"
    );
    assert!(!tampere.contains("Turku"), "not the room's place when one is named: {tampere}");
    let local = tampere.find("Tampereen Talousneuvola").unwrap();
    assert!(local < tampere.find("Takuusäätiö").unwrap(), "local before national: {tampere}");
    // No place named: the room's (Turku); the kind of help read from an everyday word.
    let turku = body(1);
    assert!(turku.starts_with("Ekonomi- och skuldrådgivning: alla tjänster för Åbo"), "{turku}");
    assert!(body(2).starts_with("I did not recognise the topic. Topics: "), "{}", body(2));
    assert!(body(3).starts_with("Käyttö: !palvelut aihe paikkakunta"), "{}", body(3));
    assert!(sent.iter().all(|m| m["msgtype"] == "m.notice" && m["m.relates_to"]["rel_type"] == "m.thread"));
}

#[tokio::test]
async fn a_flood_of_questions_or_commands_gets_its_budget_one_calm_notice_then_silence() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let questions = EventFactory::new().room(turku()).sender(user_id!("@flooder:localhost"));
    let commands = EventFactory::new().room(turku()).sender(user_id!("@commander:localhost"));
    let mut joined = JoinedRoomBuilder::new(turku());
    for i in 0..15 {
        let q = EventId::parse(format!("$flood{i}")).unwrap();
        let c = EventId::parse(format!("$command{i}")).unwrap();
        joined = joined
            .add_timeline_event(questions.text_msg("mistä saa apua velkoihin?").event_id(&q).server_ts(now()))
            .add_timeline_event(commands.text_msg("!apu").event_id(&c).server_ts(now()));
    }
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;
    s.say(turku(), user_id!("@other:localhost"), event_id!("$other"), "var får jag hjälp med skulder?").await;

    let sent = sent(&s.server).await;
    // Sends run side by side, so the homeserver may see them in any order: what matters is
    // that the 9th message got the notice and the first 8 their replies.
    for (user, prefix) in [("@flooder:localhost", "$flood"), ("@commander:localhost", "$command")] {
        let got = to(&sent, user);
        assert_eq!(got.len(), 9, "8 replies and 1 notice for {user}: {got:#?}");
        let notices: Vec<&Value> = got
            .iter()
            .copied()
            .filter(|m| m["body"].as_str().unwrap().starts_with("Kysymyksiä tuli nyt paljon"))
            .collect();
        assert_eq!(notices.len(), 1, "one calm notice for {user}: {got:#?}");
        assert_eq!(notices[0]["m.relates_to"]["event_id"], format!("{prefix}8"), "under the first message over budget");
        let mut answered: Vec<String> = got
            .iter()
            .filter(|m| !m["body"].as_str().unwrap().starts_with("Kysymyksiä tuli nyt paljon"))
            .map(|m| m["m.relates_to"]["event_id"].as_str().unwrap().to_owned())
            .collect();
        answered.sort();
        let mut expected: Vec<String> = (0..8).map(|i| format!("{prefix}{i}")).collect();
        expected.sort();
        assert_eq!(answered, expected, "the first 8 of {user} were answered");
    }
    assert_eq!(to(&sent, "@other:localhost").len(), 1, "another person is still answered");
}

#[tokio::test]
async fn chatter_costs_nothing_so_the_question_after_it_is_answered() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let resident = user_id!("@resident:localhost");
    for (i, chat) in ["joo", "ok", "haha", "totta", "niinpä", "hyvä"].iter().enumerate() {
        s.say(turku(), resident, &EventId::parse(format!("$chat{i}")).unwrap(), chat).await;
    }
    s.say(turku(), resident, event_id!("$question"), "mistä saa apua velkoihin?").await;
    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(sent[0]["m.relates_to"]["event_id"], "$question");
    assert!(sent[0]["body"].as_str().unwrap().contains("Talousneuvola"), "an answer, not a flood notice");
}

#[tokio::test]
async fn a_crisis_at_the_global_limit_still_gets_the_crisis_notice() {
    let s = setup_with("[limits]\nglobal = 2").await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    s.say(turku(), user_id!("@a:localhost"), event_id!("$a"), "mistä saa apua velkoihin?").await;
    s.say(turku(), user_id!("@b:localhost"), event_id!("$b"), "var får jag hjälp med skulder?").await;
    s.say(turku(), user_id!("@c:localhost"), event_id!("$c"), "mistä saa apua velkoihin?").await;
    s.say(turku(), user_id!("@d:localhost"), event_id!("$d"), "en halua enää elää").await;
    let sent = sent(&s.server).await;
    assert!(to(&sent, "@c:localhost").is_empty(), "over the global limit: {sent:#?}");
    let crisis = to(&sent, "@d:localhost");
    assert_eq!(crisis.len(), 1);
    let body = crisis[0]["body"].as_str().unwrap();
    assert!(body.starts_with("Jos henki on vaarassa nyt, soita heti hätänumeroon 112."), "{body}");
    assert!(body.contains("09 2525 0111"), "a 24/7 line: {body}");
}

#[tokio::test]
async fn follow_ups_in_the_bots_thread_are_answered_but_human_threads_are_left_alone() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let f = EventFactory::new().room(turku()).sender(user_id!("@resident:localhost"));
    s.say(turku(), user_id!("@resident:localhost"), event_id!("$q"), "mistä saa apua velkoihin?").await;
    s.say(turku(), user_id!("@resident:localhost"), event_id!("$chat"), "kiitos kaikille eilisestä, oli kivaa").await;
    let follow_ups = JoinedRoomBuilder::new(turku())
        .add_timeline_event(
            f.text_msg("entä velkaneuvonta Oulussa?")
                .in_thread(event_id!("$q"), event_id!("$q"))
                .event_id(event_id!("$f1"))
                .server_ts(now()),
        )
        .add_timeline_event(
            f.text_msg("kiitos")
                .in_thread(event_id!("$q"), event_id!("$q"))
                .event_id(event_id!("$f2"))
                .server_ts(now()),
        )
        .add_timeline_event(
            f.text_msg("entä velkaneuvonta Oulussa?")
                .in_thread(event_id!("$chat"), event_id!("$chat"))
                .event_id(event_id!("$f3"))
                .server_ts(now()),
        );
    s.sync(|b| {
        b.add_joined_room(follow_ups);
    })
    .await;
    let sent = sent(&s.server).await;
    let in_thread = |root: &str| sent.iter().filter(|m| m["m.relates_to"]["event_id"] == root).count();
    assert_eq!(in_thread("$q"), 2, "the answer and the follow-up's answer; no reply to 'kiitos': {sent:#?}");
    assert_eq!(in_thread("$chat"), 1, "a question in a human thread is answered as any overheard question");
}

#[tokio::test]
async fn an_unreadable_message_in_a_dm_gets_one_short_notice_and_is_counted() {
    let s = setup_with("[bot]\nkey_wait_seconds = 0").await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let dm = room_id!("!dm:localhost");
    let encrypted: Raw<AnySyncTimelineEvent> = Raw::from_json_string(
        json!({
            "type": "m.room.encrypted", "sender": "@resident:localhost", "event_id": "$utd",
            "origin_server_ts": u64::from(now().get()),
            "content": {
                "algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": "AwgAEoABzL1JYhqhjW9jXrlT3M6H8mJ4qffYtOQOnPuAPNxsuG20oiD/Fnpv6jnQGhU6YbV9pNM+1mRnTvxW3CbWOPjLKqCWTJTc7Q0vDEVtYePg38ncXNcwMmfhgnNAoW9S7vNs8C003x3yUl6NeZ8bH+ci870BZL+kWM/lMl10tn6U7snNmSjnE3ckvRdO+11/R4//5VzFQpZdf4j036lNSls/WIiI67Fk9iFpinz9xdRVWJFVdrAiPFwb8L5xRZ8aX+e2JDMlc1eW8gk",
                "device_id": "SKCGPNUWAU",
                "sender_key": "Fw0V6kPE8jn2OOxXaF0rYsOgWVBOrkhzE3IJpb9C5Ws",
                "session_id": "dKW3TtYzbMq3pzvWBqHSJCc8bITJEawfw/BHhqjMqCo"
            }
        })
        .to_string(),
    )
    .unwrap();
    let f = EventFactory::new().room(dm);
    let joined = JoinedRoomBuilder::new(dm)
        .add_state_event(f.member(user_id!("@example:localhost")))
        .add_state_event(f.member(user_id!("@resident:localhost")))
        .set_joined_members_count(2)
        .add_timeline_event(encrypted);
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;
    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let body = sent[0]["body"].as_str().unwrap();
    assert!(body.contains("En pystynyt lukemaan viestiäsi") && body.contains("Could you send it again"), "{body}");
    assert_eq!(s.bot.metrics().undecryptable.get(), 1);
}

/// An invite of the bot to `room` by `inviter`, with the given join rule and other members.
fn invite(room: &RoomId, inviter: &str, join_rule: &str, others: &[&str]) -> InvitedRoomBuilder {
    let stripped = |v: Value| Raw::from_json_string(v.to_string()).unwrap();
    let mut builder = InvitedRoomBuilder::new(room)
        .add_state_event(stripped(json!({"type": "m.room.member", "state_key": ME, "sender": inviter,
            "content": {"membership": "invite", "is_direct": true}})))
        .add_state_event(stripped(json!({"type": "m.room.join_rules", "state_key": "", "sender": inviter,
            "content": {"join_rule": join_rule}})));
    for who in std::iter::once(&inviter).chain(others) {
        builder = builder.add_state_event(stripped(json!({"type": "m.room.member", "state_key": who, "sender": who,
            "content": {"membership": "join"}})));
    }
    builder
}

#[tokio::test]
async fn invites_are_accepted_for_private_direct_chats_and_from_admins_only() {
    let s = setup().await;
    for (room, joins) in
        [("!dm:localhost", 1), ("!adminroom:localhost", 1), ("!publicdm:localhost", 0), ("!group:localhost", 0)]
    {
        let id = <&RoomId>::try_from(room).unwrap();
        s.server.mock_room_join(id).ok().expect(joins).named(room).mount().await;
        expect_leave(&s.server, id, 1 - joins).await;
    }
    let rooms = [
        invite(room_id!("!dm:localhost"), "@someone:localhost", "invite", &[]),
        invite(room_id!("!adminroom:localhost"), "@admin:localhost", "public", &["@a:x", "@b:x"]),
        // A stranger's public group room, flagged is_direct by the stranger.
        invite(room_id!("!publicdm:localhost"), "@stranger:localhost", "public", &[]),
        invite(room_id!("!group:localhost"), "@stranger:localhost", "invite", &["@third:localhost"]),
    ];
    for room in rooms {
        s.sync(|b| {
            b.add_invited_room(room);
        })
        .await;
    }
    // Joins and declines run in the background; give them a moment.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    s.server.verify().await;
}

#[tokio::test]
async fn one_person_can_open_only_a_few_direct_chats_an_hour() {
    let s = setup_with("invites_per_hour = 2").await;
    for i in 0..4 {
        let room = RoomId::parse(format!("!dm{i}:localhost")).unwrap();
        let joins = if i < 2 { 1 } else { 0 };
        s.server.mock_room_join(&room).ok().expect(joins).named(room.as_str()).mount().await;
        expect_leave(&s.server, &room, 1 - joins).await;
        s.sync(|b| {
            b.add_invited_room(invite(&room, "@someone:localhost", "invite", &[]));
        })
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    s.server.verify().await;
}

#[tokio::test]
async fn the_bot_leaves_a_direct_chat_that_grows_and_a_room_where_it_is_alone_but_never_its_own_rooms() {
    let s = setup().await;
    let grown = room_id!("!grown:localhost");
    let emptied = room_id!("!emptied:localhost");
    expect_leave(&s.server, grown, 1).await;
    expect_leave(&s.server, emptied, 1).await;
    expect_leave(&s.server, turku(), 0).await;
    let me = user_id!("@example:localhost");
    let other = user_id!("@member0:localhost");
    // A third person joins a direct chat; the other person leaves two rooms.
    for (room, members, change) in [(grown, 3u32, "join"), (emptied, 1, "leave"), (turku(), 1, "leave")] {
        let f = EventFactory::new().room(room);
        let moved = if change == "join" { f.member(other) } else { f.member(other).leave() };
        let joined = JoinedRoomBuilder::new(room)
            .add_state_event(f.member(me))
            .add_timeline_event(moved)
            .set_joined_members_count(members);
        s.sync(|b| {
            b.add_joined_room(joined);
        })
        .await;
    }
    s.server.verify().await;
}

#[tokio::test]
async fn a_room_that_refuses_replies_is_given_up_while_others_are_answered_and_rate_limits_are_waited_out() {
    let s = setup().await;
    let forbidden = room_id!("!forbidden:localhost");
    Mock::given(method("PUT"))
        .and(path_regex(r"^/_matrix/client/v3/rooms/!forbidden:localhost/send/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"errcode": "M_FORBIDDEN", "error": "no"})))
        .with_priority(1)
        .expect(1)
        .mount(&s.server)
        .await;
    // The first reply in Turku is rate-limited once, then accepted.
    Mock::given(method("PUT"))
        .and(path_regex(r"^/_matrix/client/v3/rooms/!turku:localhost/send/"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"errcode": "M_LIMIT_EXCEEDED", "error": "slow", "retry_after_ms": 200})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s.server)
        .await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let f = EventFactory::new().room(forbidden);
    let joined = JoinedRoomBuilder::new(forbidden)
        .add_state_event(f.member(user_id!("@example:localhost")))
        .add_state_event(f.member(user_id!("@resident:localhost")))
        .set_joined_members_count(2);
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;
    s.say(forbidden, user_id!("@resident:localhost"), event_id!("$nope"), "mistä saa apua velkoihin?").await;
    s.say(turku(), user_id!("@resident:localhost"), event_id!("$yes"), "mistä saa apua velkoihin?").await;
    let counts = s.bot.store().counts().unwrap();
    assert_eq!(counts.outbox_given_up, 1, "the forbidden room's reply is given up: {counts:?}");
    assert_eq!(counts.outbox_pending, 1, "the rate-limited reply waits for its retry: {counts:?}");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    s.bot.settle().await;
    let counts = s.bot.store().counts().unwrap();
    assert_eq!((counts.outbox_sent, counts.outbox_pending), (1, 0), "sent after the wait: {counts:?}");
    let turku_sends = sent(&s.server).await.into_iter().filter(|m| m["m.relates_to"]["event_id"] == "$yes").count();
    assert_eq!(turku_sends, 2, "the same reply twice (429, then accepted), answered once");
    s.server.verify().await;
}

#[tokio::test]
async fn a_limited_timeline_is_filled_from_messages_back_to_the_checkpoint() {
    use matrix_sdk::test_utils::mocks::RoomMessagesResponseTemplate;
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let resident = user_id!("@resident:localhost");
    let f = EventFactory::new().room(turku()).sender(resident);
    s.say(turku(), resident, event_id!("$first"), "mistä saa apua velkoihin?").await;

    // Twelve residents ask; the sync shows only the newest question and says the timeline is
    // limited. `/messages` from the gap returns the rest, newest first, down to the first.
    let question = |i: u32| {
        let asker = UserId::parse(format!("@resident{i}:localhost")).unwrap();
        EventFactory::new()
            .room(turku())
            .sender(&asker)
            .text_msg(format!("velkaneuvontaa Turussa? ({i})"))
            .event_id(&EventId::parse(format!("$q{i}")).unwrap())
            .server_ts(now())
    };
    let older: Vec<Raw<matrix_sdk::ruma::events::AnyTimelineEvent>> = (1..12)
        .rev()
        .map(|i| question(i).into())
        .chain(std::iter::once(
            f.text_msg("mistä saa apua velkoihin?").event_id(event_id!("$first")).server_ts(now()).into(),
        ))
        .collect();
    s.server
        .mock_room_messages()
        .match_from("gap")
        .ok(RoomMessagesResponseTemplate::default().events(older).end_token("older"))
        .expect(1)
        .mount()
        .await;
    let joined = JoinedRoomBuilder::new(turku())
        .set_timeline_limited()
        .set_timeline_prev_batch("gap")
        .add_timeline_event(question(12));
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;

    let sent = sent(&s.server).await;
    for i in 1..=12 {
        let id = format!("$q{i}");
        assert_eq!(
            sent.iter().filter(|m| m["m.relates_to"]["event_id"] == id.as_str()).count(),
            1,
            "one answer to {id}"
        );
    }
    assert_eq!(
        sent.iter().filter(|m| m["m.relates_to"]["event_id"] == "$first").count(),
        1,
        "the first, answered before, not again"
    );
    s.server.verify().await;
}

/// Answers every send with a new event ID, so that each message of a flow can be told apart.
struct NewEventIds(std::sync::atomic::AtomicU32);

impl wiremock::Respond for NewEventIds {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ResponseTemplate::new(200).set_body_json(json!({"event_id": format!("$sent{n}")}))
    }
}

/// The bodies sent to `room`, with their JSON, in order.
async fn sent_to(server: &MatrixMockServer, room: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == "PUT" && r.url.path().contains(&format!("/rooms/{room}/send/m.room.message/")))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn a_resident_is_handed_over_with_consent_and_a_volunteers_answer_comes_back() {
    let s = escalation_setup().await;
    let dm = room_id!("!dm:localhost");
    let vol = room_id!("!vol:localhost");
    let resident = user_id!("@resident:localhost");
    let volunteer = user_id!("@vol:localhost");
    // The bot is in the resident's direct chat (and, from the setup, the volunteers' room).
    let f = EventFactory::new().room(dm);
    let joined = JoinedRoomBuilder::new(dm)
        .add_state_event(f.member(user_id!("@example:localhost")))
        .add_state_event(f.member(resident))
        .set_joined_members_count(2);
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;

    s.say(dm, resident, event_id!("$ask"), "!ihminen").await;
    let to_dm = sent_to(&s.server, "!dm:localhost").await;
    assert!(to_dm.last().unwrap()["body"].as_str().unwrap().contains("Välitänkö viestisi?"), "{to_dm:#?}");
    assert!(
        sent_to(&s.server, "!vol:localhost").await.iter().all(|m| m.get(CASE_FIELD).is_none()),
        "nothing before consent"
    );

    s.say(dm, resident, event_id!("$yes"), "kyllä").await;
    s.say(dm, resident, event_id!("$text"), "Tarvitsen apua, mieheni juo joka ilta.").await;
    let to_vol = sent_to(&s.server, "!vol:localhost").await;
    let root = to_vol.iter().find(|m| m.get(CASE_FIELD).is_some()).expect("a case root");
    let body = root["body"].as_str().unwrap();
    assert!(body.starts_with("Tapaus #1 · fi ·") && body.contains("Tarvitsen apua"), "{body}");
    assert_eq!(root["m.mentions"], json!({}), "the root pings no one");
    assert!(!body.contains("@resident"), "never the resident's ID");
    // The root's event ID, as the mock answered its send.
    let requests = s.server.received_requests().await.unwrap_or_default();
    let sends: Vec<_> =
        requests.iter().filter(|r| r.method.as_str() == "PUT" && r.url.path().contains("/send/")).collect();
    let position =
        sends.iter().position(|r| serde_json::from_slice::<Value>(&r.body).unwrap().get(CASE_FIELD).is_some()).unwrap();
    let root_id = EventId::parse(format!("$sent{position}")).unwrap();

    let f = EventFactory::new().room(vol).sender(volunteer);
    let reply = f
        .text_msg("Hei, olemme täällä.")
        .in_thread(&root_id, &root_id)
        .event_id(event_id!("$answer1"))
        .server_ts(now());
    let note = f
        .text_msg("!muistio soitan perään")
        .in_thread(&root_id, &root_id)
        .event_id(event_id!("$note"))
        .server_ts(now());
    s.sync(|b| {
        b.add_joined_room(JoinedRoomBuilder::new(vol).add_timeline_event(reply).add_timeline_event(note));
    })
    .await;
    let to_dm = sent_to(&s.server, "!dm:localhost").await;
    let relayed: Vec<&str> =
        to_dm.iter().filter_map(|m| m["body"].as_str()).filter(|b| b.starts_with("Vapaaehtoinen vastaa")).collect();
    assert_eq!(relayed, ["Vapaaehtoinen vastaa: Hei, olemme täällä."], "relayed once, the note not at all");
    assert!(to_dm.iter().all(|m| m["m.mentions"] == json!({"user_ids": ["@resident:localhost"]})), "{to_dm:#?}");

    // A command in the open case is the bot's to answer, not the volunteers' to read.
    let before = sent_to(&s.server, "!dm:localhost").await.len();
    s.say(dm, resident, event_id!("$list"), "!palvelut velkaneuvonta Turku").await;
    let to_vol = sent_to(&s.server, "!vol:localhost").await;
    assert!(
        to_vol.iter().filter_map(|m| m["body"].as_str()).all(|b| !b.contains("!palvelut")),
        "not relayed: {to_vol:#?}"
    );
    let to_dm = sent_to(&s.server, "!dm:localhost").await;
    assert_eq!(to_dm.len(), before + 1, "one listing: {to_dm:#?}");
    let listing = to_dm.last().and_then(|m| m["body"].as_str()).unwrap_or_default();
    assert!(listing.contains("Turku") || listing.contains("Varsinais-Suomi"), "{listing}");
}

/// A mock bot with a volunteers' room joined, sending with new event IDs.
async fn escalation_setup() -> Setup {
    let s = setup_with(
        "[escalation]\nvolunteers_room = \"!vol:localhost\"\norganisations = [\"Testi ry\"]\nvolunteers = [\"@vol:localhost\"]",
    )
    .await;
    Mock::given(method("PUT"))
        .and(path_regex(r"^/_matrix/client/v3/rooms/.*/send/"))
        .respond_with(NewEventIds(0.into()))
        .mount(&s.server)
        .await;
    let f = EventFactory::new().room(room_id!("!vol:localhost"));
    let joined = JoinedRoomBuilder::new(room_id!("!vol:localhost"))
        .add_state_event(f.member(user_id!("@example:localhost")))
        .add_state_event(f.member(user_id!("@vol:localhost")))
        .set_joined_members_count(2);
    s.sync(|b| {
        b.add_joined_room(joined);
    })
    .await;
    s.server.mock_room_join(turku()).ok().mount().await;
    s.bot.join_rooms().await;
    s.bot.settle().await;
    s
}

/// The event ID the mock gave the message whose body contains `text`.
async fn id_of_sent(s: &Setup, text: &str) -> matrix_sdk::ruma::OwnedEventId {
    let requests = s.server.received_requests().await.unwrap_or_default();
    let sends: Vec<_> =
        requests.iter().filter(|r| r.method.as_str() == "PUT" && r.url.path().contains("/send/")).collect();
    let i = sends
        .iter()
        .position(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["body"].as_str().is_some_and(|b| b.contains(text))
        })
        .unwrap_or_else(|| panic!("nothing sent with {text:?}"));
    EventId::parse(format!("$sent{i}")).unwrap()
}

#[tokio::test]
async fn staying_in_the_public_thread_consenting_by_reaction_and_cancelling() {
    let s = escalation_setup().await;
    let resident = user_id!("@resident:localhost");
    Mock::given(method("POST"))
        .and(path_regex(r"^/_matrix/client/v3/createRoom"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"room_id": "!newdm:localhost"})))
        .mount(&s.server)
        .await;
    // A request in a public room: the consent question goes to a new private chat, and
    // "täällä" in the public thread keeps the conversation there instead.
    s.say(turku(), resident, event_id!("$ask"), "voinko puhua oikean ihmisen kanssa?").await;
    let public = sent_to(&s.server, "!turku:localhost").await;
    assert!(public.iter().any(|m| m["body"].as_str().unwrap().starts_with("Jatketaan yksityisesti")), "{public:#?}");
    let private = sent_to(&s.server, "!newdm:localhost").await;
    assert!(private.iter().any(|m| m["body"].as_str().unwrap().contains("Välitänkö")), "{private:#?}");
    let f = EventFactory::new().room(turku()).sender(resident);
    let here = f
        .text_msg("täällä")
        .in_thread(event_id!("$ask"), event_id!("$ask"))
        .event_id(event_id!("$here"))
        .server_ts(now());
    s.sync(|b| {
        b.add_joined_room(JoinedRoomBuilder::new(turku()).add_timeline_event(here));
    })
    .await;
    let public = sent_to(&s.server, "!turku:localhost").await;
    let prompt =
        public.iter().rev().find(|m| m["body"].as_str().unwrap().contains("Välitänkö")).expect("the question again");
    assert!(prompt["body"].as_str().unwrap().contains("julkinen"), "it says the thread is public: {prompt:#?}");
    assert_eq!(prompt["m.relates_to"]["event_id"], "$ask", "in the public thread");

    // ✅ on the question is consent.
    let prompt_id = id_of_sent(&s, "tämä ketju on julkinen").await;
    let yes = f.reaction(&prompt_id, "✅").event_id(event_id!("$react")).server_ts(now());
    s.sync(|b| {
        b.add_joined_room(JoinedRoomBuilder::new(turku()).add_timeline_event(yes));
    })
    .await;
    let public = sent_to(&s.server, "!turku:localhost").await;
    assert!(
        public.iter().any(|m| m["body"].as_str().unwrap().starts_with("Kiitos. Kirjoita nyt viestisi")),
        "{public:#?}"
    );

    // The first message opens the case; !peru ends it and the root shows it closed.
    let text = f
        .text_msg("Tarvitsen apua velkojen kanssa")
        .in_thread(event_id!("$ask"), event_id!("$ask"))
        .event_id(event_id!("$t1"))
        .server_ts(now());
    s.sync(|b| {
        b.add_joined_room(JoinedRoomBuilder::new(turku()).add_timeline_event(text));
    })
    .await;
    assert!(sent_to(&s.server, "!vol:localhost").await.iter().any(|m| m.get(CASE_FIELD).is_some()), "a case root");
    let cancel =
        f.text_msg("!peru").in_thread(event_id!("$ask"), event_id!("$ask")).event_id(event_id!("$t2")).server_ts(now());
    s.sync(|b| {
        b.add_joined_room(JoinedRoomBuilder::new(turku()).add_timeline_event(cancel));
    })
    .await;
    let public = sent_to(&s.server, "!turku:localhost").await;
    assert!(public.iter().any(|m| m["body"].as_str().unwrap().starts_with("Lopetin välittämisen")), "{public:#?}");
    let edits: Vec<Value> = sent_to(&s.server, "!vol:localhost")
        .await
        .into_iter()
        .filter(|m| m["m.relates_to"]["rel_type"] == "m.replace")
        .collect();
    assert!(edits.iter().any(|m| m["m.new_content"]["body"].as_str().unwrap().ends_with("suljettu")), "{edits:#?}");
}

#[tokio::test]
async fn a_volunteers_room_that_is_not_encrypted_gets_a_warning_for_the_admins() {
    let s = escalation_setup().await;
    // The setup's rooms are unencrypted (the mock's encryption state is "plain").
    let warnings = sent_to(&s.server, "!vol:localhost").await;
    let warning = warnings.iter().find(|m| m["body"].as_str().unwrap().contains("ei ole salattu")).expect("a warning");
    assert_eq!(warning["m.mentions"], json!({"user_ids": ["@admin:localhost"]}));
}
