//! The bot's Matrix flows against matrix-sdk's `MatrixMockServer` (no homeserver): what it
//! sends for a question, a command, a flood, and what it never answers.

use std::sync::{Arc, OnceLock};

use lahiapu::assistant::Assistant;
use lahiapu::knowledge;
use lahiapu::matrix::{Bot, Config};
use matrix_sdk::Client;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{EventId, MilliSecondsSinceUnixEpoch, RoomId, UserId, event_id, room_id, user_id};
use matrix_sdk::test_utils::mocks::MatrixMockServer;
use matrix_sdk_test::event_factory::EventFactory;
use matrix_sdk_test::{InvitedRoomBuilder, JoinedRoomBuilder};
use serde_json::{Value, json};

const ROOM: &str = "!turku:localhost";

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
    client: Client,
    _bot: Bot,
    _store: tempfile::TempDir,
}

/// A bot as `@example:localhost` that serves `!turku:localhost` (place Turku, answer_all).
async fn setup() -> Setup {
    let server = MatrixMockServer::new().await;
    let client = server.client_builder().build().await;
    server.mock_room_state_encryption().plain().mount().await;
    server.mock_room_join(room_id!("!turku:localhost")).ok().mount().await;
    let store = tempfile::tempdir().unwrap();
    let config = Config::parse(&format!(
        r#"
        [matrix]
        homeserver = "http://unused"
        user = "@example:localhost"
        store = "{}"
        [[rooms]]
        room = "{ROOM}"
        place = "Turku"
        answer_all = true
        [admins]
        users = ["@admin:localhost"]
        "#,
        store.path().display()
    ))
    .unwrap();
    let bot = Bot::attach(client.clone(), &config, assistant()).await.unwrap();
    Setup { server, client, _bot: bot, _store: store }
}

fn now() -> MilliSecondsSinceUnixEpoch {
    MilliSecondsSinceUnixEpoch::now()
}

/// The bodies of every message the bot sent.
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

async fn say(s: &Setup, room: &RoomId, sender: &UserId, id: &EventId, body: &str) {
    let f = EventFactory::new().room(room).sender(sender);
    s.server
        .sync_room(
            &s.client,
            JoinedRoomBuilder::new(room).add_timeline_event(f.text_msg(body).event_id(id).server_ts(now())),
        )
        .await;
}

#[tokio::test]
async fn a_question_gets_one_threaded_notice_that_mentions_only_the_asker() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let room = <&RoomId>::try_from(ROOM).unwrap();
    say(&s, room, user_id!("@resident:localhost"), event_id!("$q1"), "mistä saa apua velkoihin?").await;
    // The same event arriving again (a repeated sync) is not answered again.
    say(&s, room, user_id!("@resident:localhost"), event_id!("$q1"), "mistä saa apua velkoihin?").await;

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
}

#[tokio::test]
async fn notices_own_messages_edits_old_events_and_chatter_are_not_answered() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let room = <&RoomId>::try_from(ROOM).unwrap();
    let resident = user_id!("@resident:localhost");
    let f = EventFactory::new().room(room).sender(resident);
    let long_ago = MilliSecondsSinceUnixEpoch(1_000_000_000_000u64.try_into().unwrap());
    let own = EventFactory::new().room(room).sender(user_id!("@example:localhost"));
    s.server
        .sync_room(
            &s.client,
            JoinedRoomBuilder::new(room)
                .add_timeline_event(f.notice("mistä saa apua velkoihin?").event_id(event_id!("$n")).server_ts(now()))
                .add_timeline_event(
                    own.text_msg("mistä saa apua velkoihin?").event_id(event_id!("$own")).server_ts(now()),
                )
                .add_timeline_event(
                    f.text_msg("mistä saa apua velkoihin?").event_id(event_id!("$old")).server_ts(long_ago),
                )
                .add_timeline_event(f.text_msg("kiitos kaikille").event_id(event_id!("$chat")).server_ts(now()))
                .add_timeline_event(
                    f.text_msg("paras pizzeria Turussa?").event_id(event_id!("$pizza")).server_ts(now()),
                ),
        )
        .await;
    let sent = sent(&s.server).await;
    assert!(sent.is_empty(), "nothing should be answered: {sent:#?}");
}

#[tokio::test]
async fn commands_answer_in_the_language_of_the_command_with_a_privacy_note() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let room = <&RoomId>::try_from(ROOM).unwrap();
    say(&s, room, user_id!("@resident:localhost"), event_id!("$c1"), "!hjälp").await;
    say(&s, room, user_id!("@resident:localhost"), event_id!("$c2"), "!ort Jakobstad").await;
    say(&s, room, user_id!("@resident:localhost"), event_id!("$c3"), "!paikka").await;
    let sent = sent(&s.server).await;
    assert_eq!(sent.len(), 3, "{sent:#?}");
    let help = sent[0]["body"].as_str().unwrap();
    assert!(help.starts_with("Jag är Närhjälp"), "{help}");
    assert!(help.contains("offentligt") && help.contains("112"), "{help}");
    assert_eq!(sent[1]["body"], "Okej: jag söker hjälp för dig i Jakobstad.");
    assert_eq!(sent[2]["body"], "Paikkakuntasi tässä huoneessa: Pietarsaari.");
    assert!(
        sent.iter()
            .all(|m| m["msgtype"] == "m.notice" && m["m.mentions"]["user_ids"] == json!(["@resident:localhost"]))
    );
}

#[tokio::test]
async fn a_flood_gets_a_few_answers_and_one_calm_notice() {
    let s = setup().await;
    s.server.mock_room_send().ok(event_id!("$answer")).mount().await;
    let room = <&RoomId>::try_from(ROOM).unwrap();
    let f = EventFactory::new().room(room).sender(user_id!("@flooder:localhost"));
    let mut builder = JoinedRoomBuilder::new(room);
    for i in 0..10 {
        let id = EventId::parse(format!("$flood{i}")).unwrap();
        builder = builder.add_timeline_event(f.text_msg("mistä saa apua velkoihin?").event_id(&id).server_ts(now()));
    }
    s.server.sync_room(&s.client, builder).await;
    say(&s, room, user_id!("@other:localhost"), event_id!("$other"), "var får jag hjälp med skulder?").await;

    let sent = sent(&s.server).await;
    let to = |user: &str| sent.iter().filter(|m| m["m.mentions"]["user_ids"] == json!([user])).collect::<Vec<_>>();
    let flooder = to("@flooder:localhost");
    assert_eq!(flooder.len(), 5, "4 answers and 1 notice: {flooder:#?}");
    assert!(flooder[4]["body"].as_str().unwrap().starts_with("Kysymyksiä tuli nyt paljon"), "{}", flooder[4]["body"]);
    assert_eq!(to("@other:localhost").len(), 1, "another person is still answered");
}

#[tokio::test]
async fn invites_are_accepted_for_dms_and_from_admins_only() {
    let s = setup().await;
    let invite = |room: &str, inviter: &str, direct: bool| {
        let event = json!({
            "type": "m.room.member", "state_key": "@example:localhost", "sender": inviter,
            "content": {"membership": "invite", "is_direct": direct}
        });
        let raw: Raw<matrix_sdk::ruma::events::AnyStrippedStateEvent> =
            Raw::from_json_string(event.to_string()).unwrap();
        InvitedRoomBuilder::new(<&RoomId>::try_from(room).unwrap()).add_state_event(raw)
    };
    s.server.mock_room_join(room_id!("!dm:localhost")).ok().expect(1).mount().await;
    s.server.mock_room_join(room_id!("!adminroom:localhost")).ok().expect(1).mount().await;
    s.server.mock_room_join(room_id!("!stranger:localhost")).ok().never().mount().await;
    s.server.mock_room_leave().ok(room_id!("!stranger:localhost")).expect(1).mount().await;
    s.server.sync_room(&s.client, invite("!dm:localhost", "@someone:localhost", true)).await;
    s.server.sync_room(&s.client, invite("!adminroom:localhost", "@admin:localhost", false)).await;
    s.server.sync_room(&s.client, invite("!stranger:localhost", "@someone:localhost", false)).await;
    // Joins run in the background with retries; give them a moment.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    s.server.verify().await;
}

#[tokio::test]
async fn the_bot_leaves_a_room_only_when_it_is_the_last_member() {
    let s = setup().await;
    let emptied = room_id!("!emptied:localhost");
    let busy = room_id!("!busy:localhost");
    s.server.mock_room_leave().ok(emptied).expect(1).mount().await;
    s.server.mock_room_leave().ok(busy).never().mount().await;
    let me = user_id!("@example:localhost");
    for (room, others) in [(emptied, 1u32), (busy, 2)] {
        let f = EventFactory::new().room(room);
        let mut joined =
            JoinedRoomBuilder::new(room).add_state_event(f.member(me)).set_joined_members_count(1 + others);
        for i in 0..others {
            joined = joined.add_state_event(f.member(&UserId::parse(format!("@member{i}:localhost")).unwrap()));
        }
        s.server.sync_room(&s.client, joined).await;
        // One member leaves.
        let leave = f.member(user_id!("@member0:localhost")).leave();
        s.server
            .sync_room(
                &s.client,
                JoinedRoomBuilder::new(room).add_timeline_event(leave).set_joined_members_count(others),
            )
            .await;
    }
    s.server.verify().await;
}
