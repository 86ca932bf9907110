#![recursion_limit = "256"]
//! The bot against a real Synapse on 127.0.0.1, with real matrix-sdk clients as residents:
//! answers, privacy of replies, encryption, and the edge's promises: every question answered
//! exactly once across stops, `kill -9`, outages and gaps; floods cut off; strangers kept
//! out; a revoked token is a clear error.

mod common;

use std::time::Duration;

use common::*;
use matrix_sdk::Room;
use matrix_sdk::ruma::OwnedEventId;
use matrix_sdk::ruma::api::client::room::Visibility;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use serde_json::json;

/// A resident, a public room of theirs, and a bot serving it (place Turku, answer_all).
struct PublicRoom {
    resident: Resident,
    bot: TestBot,
    running: lahiapu::matrix::RunningBot,
    room: Room,
}

async fn public_setup(hs: &Hs, extra: &str) -> PublicRoom {
    let resident = resident(hs, &unique("res")).await;
    let room_id = public_room(&resident.client).await;
    let bot = TestBot::new(hs).await;
    let running = bot.start_with(hs, &[&room_id], extra).await;
    let room = room(&resident.client, &room_id).await;
    wait_joined(&room, &bot.user).await;
    PublicRoom { resident, bot, running, room }
}

/// Waits until the in-process bot has decided and sent everything that arrived.
async fn settled(running: &lahiapu::matrix::RunningBot) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let c = running.bot().store().counts().unwrap();
        if c.received == 0 && c.outbox_pending == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the bot never settled: {c:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Limits raised so that rate limiting plays no part.
const NO_LIMITS: &str = "[limits]\nper_user = 1000\nper_room = 1000\nglobal = 10000\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_in_finnish_swedish_and_english_get_threaded_notices_in_their_language() {
    let PublicRoom { resident, bot, running, room } = public_setup(&hs(), "").await;

    let fi = send(&room, "mistä saa apua velkoihin?").await;
    let sv = send(&room, "var får jag hjälp med skulder?").await;
    let en = send(&room, "where can I get help with debts?").await;
    let crisis = send(&room, "en halua enää elää").await;
    let all = [fi.clone(), sv.clone(), en.clone(), crisis.clone()];
    let seen = wait_for(&room, &bot.user, "four answers", |s| all.iter().all(|q| !answers_to(s, q).is_empty())).await;
    assert_each_answered_once(&seen, &all);
    let one = |q: &OwnedEventId| answers_to(&seen, q)[0].clone();
    let (fi, sv, en, crisis) = (one(&fi), one(&sv), one(&en), one(&crisis));
    for answer in [&fi, &sv, &en, &crisis] {
        assert_eq!(answer.content["msgtype"], "m.notice");
        assert_eq!(answer.content["m.relates_to"]["rel_type"], "m.thread");
        assert_eq!(answer.content["m.mentions"]["user_ids"], json!([resident.id()]));
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
    let PublicRoom { resident, bot, running, room } = public_setup(&hs(), "").await;
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
    assert_eq!(answer.content["m.mentions"], json!({"user_ids": [resident.id()]}), "only the asker, never the room");
    running.stop().await.unwrap();
}

/// A DM from `resident` to the bot, encrypted, once the bot has joined it.
async fn encrypted_dm(resident: &Resident, bot: &TestBot) -> Room {
    let dm = resident.client.create_dm(&bot.user).await.unwrap();
    if !dm.latest_encryption_state().await.unwrap().is_encrypted() {
        dm.enable_encryption().await.unwrap();
    }
    assert!(dm.latest_encryption_state().await.unwrap().is_encrypted(), "the DM must be encrypted");
    // Wait until the bot has accepted the invite, so that the room key is shared with it.
    let deadline = std::time::Instant::now() + WAIT;
    while dm.get_member(&bot.user).await.ok().flatten().is_none_or(|m| m.membership() != &MembershipState::Join) {
        assert!(std::time::Instant::now() < deadline, "the bot never joined the DM");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    dm
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swedish_question_in_an_encrypted_dm_gets_an_encrypted_swedish_answer() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[]).await;
    let dm = encrypted_dm(&resident, &bot).await;
    let q = send(&dm, "var får jag hjälp med skulder i Vasa?").await;
    let seen = wait_for(&dm, &bot.user, "an encrypted answer", |s| !answers_to(s, &q).is_empty()).await;
    let answer = answers_to(&seen, &q)[0];
    assert!(answer.encrypted, "the answer in an encrypted DM must be encrypted: {answer:#?}");
    assert_eq!(answer.content["msgtype"], "m.notice");
    assert!(answer.body().starts_with("Hjälp när du bor i Vasa"), "{}", answer.body());
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_the_bot_cannot_decrypt_gets_a_notice_asking_for_it_again() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[]).await;
    let dm = encrypted_dm(&resident, &bot).await;
    // An encrypted event whose key the bot never got: what a client with broken keys sends.
    let garbage = json!({
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "AwgAEoABzL1JYhqhjW9jXrlT3M6H8mJ4qffYtOQOnPuAPNxsuG20oiD/Fnpv6jnQGhU6YbV9pNM+1mRnTvxW3CbWOPjLKqCWTJTc7Q0vDEVtYePg38ncXNcwMmfhgnNAoW9S7vNs8C003x3yUl6NeZ8bH+ci870BZL+kWM/lMl10tn6U7snNmSjnE3ckvRdO+11/R4//5VzFQpZdf4j036lNSls/WIiI67Fk9iFpinz9xdRVWJFVdrAiPFwb8L5xRZ8aX+e2JDMlc1eW8gk",
        "device_id": "NOTADEVICE",
        "sender_key": "Fw0V6kPE8jn2OOxXaF0rYsOgWVBOrkhzE3IJpb9C5Ws",
        "session_id": "dKW3TtYzbMq3pzvWBqHSJCc8bITJEawfw/BHhqjMqCo"
    });
    let token = resident.client.access_token().unwrap();
    let url = format!("{}/_matrix/client/v3/rooms/{}/send/m.room.encrypted/{}", hs.url, dm.room_id(), unique("utd"));
    let (status, sent) = request("PUT", &url, &token, &garbage).await;
    assert_eq!(status, 200, "{sent}");
    let utd: OwnedEventId = sent["event_id"].as_str().unwrap().parse().unwrap();
    let seen =
        wait_for(&dm, &bot.user, "a notice about the unreadable message", |s| !answers_to(s, &utd).is_empty()).await;
    let notice = answers_to(&seen, &utd)[0];
    assert!(notice.body().contains("En pystynyt lukemaan viestiäsi"), "{}", notice.body());
    assert_eq!(running.bot().metrics().undecryptable.get(), 1);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_questions_sent_while_the_bot_was_down_are_each_answered_once_after_a_restart() {
    let hs = hs();
    let PublicRoom { resident, bot, running, room } = public_setup(&hs, NO_LIMITS).await;
    let other = common::resident(&hs, &unique("res")).await;
    other.client.join_room_by_id(room.room_id()).await.unwrap();
    let other_room = common::room(&other.client, &room.room_id().to_owned()).await;
    // One question answered before the stop: it must not be answered again after it.
    let before = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "the first answer", |s| !answers_to(s, &before).is_empty()).await;
    running.stop().await.unwrap();

    // More than the bot's timeline limit of 50 (and Synapse's default of 10): the first sync
    // after the restart is `limited`, and the rest must come from the room's history.
    let mut questions = Vec::new();
    for i in 0..60 {
        let (room, text) = if i % 2 == 0 {
            (&room, "tarvitsen apua velkojen kanssa")
        } else {
            (&other_room, "var får jag hjälp med skulder?")
        };
        questions.push(send(room, &format!("{text} ({i})")).await);
    }
    let running = bot.start_with(&hs, &[&room.room_id().to_owned()], NO_LIMITS).await;
    let seen = wait_for(&room, &bot.user, "60 answers after the restart", |s| {
        questions.iter().all(|q| !answers_to(s, q).is_empty())
    })
    .await;
    questions.push(before);
    assert_each_answered_once(&seen, &questions);
    assert_eq!(seen.len(), 61, "no other messages");
    drop(resident);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_in_the_middle_of_a_batch_loses_nothing_and_answers_nothing_twice() {
    let hs = hs();
    let PublicRoom { resident: _r, bot, running, room } = public_setup(&hs, NO_LIMITS).await;
    let mut questions = Vec::new();
    for i in 0..12 {
        questions.push(send(&room, &format!("mistä saa apua velkoihin? ({i})")).await);
    }
    // Stop while the batch is being recorded, decided and sent.
    running.stop().await.unwrap();
    let running = bot.restart_without_password(&hs, &[&room.room_id().to_owned()], NO_LIMITS).await;
    let seen =
        wait_for(&room, &bot.user, "12 answers", |s| questions.iter().all(|q| !answers_to(s, q).is_empty())).await;
    assert_each_answered_once(&seen, &questions);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_the_middle_of_a_stream_of_questions_loses_none_and_answers_none_twice() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let room_id = public_room(&resident.client).await;
    let room = room(&resident.client, &room_id).await;
    let bot = TestBot::new(&hs).await;
    let mut process = bot.spawn(&hs, &[&room_id], NO_LIMITS);
    wait_joined(&room, &bot.user).await;
    let first = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "the bot to be up", |s| !answers_to(s, &first).is_empty()).await;

    let mut questions = vec![first];
    for i in 0..20 {
        questions.push(send(&room, &format!("velkaneuvontaa Turussa? ({i})")).await);
        if i == 8 {
            process.kill9();
            process = bot.spawn(&hs, &[&room_id], NO_LIMITS);
        }
        tokio::time::sleep(Duration::from_millis(330)).await;
    }
    let seen =
        wait_for(&room, &bot.user, "21 answers", |s| questions.iter().all(|q| !answers_to(s, q).is_empty())).await;
    // Give a duplicate time to show up, if there were going to be one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let seen_later = messages_of(&room, &bot.user).await;
    assert_each_answered_once(&seen_later, &questions);
    assert_eq!(seen_later.len(), seen.len(), "nothing more arrived later");
    // Key backup is set up with a recovery key: no warning about a missing backup key
    // every few seconds (there were, before).
    let log = process.log_text();
    assert!(log.matches("no backup key was found").count() <= 1, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_cut_off_after_one_notice_while_another_resident_is_answered() {
    let hs = hs();
    let flooder = resident(&hs, &unique("flood")).await;
    let other = resident(&hs, &unique("res")).await;
    let room_id = public_room(&flooder.client).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[&room_id]).await;
    let flood_room = room(&flooder.client, &room_id).await;
    wait_joined(&flood_room, &bot.user).await;
    other.client.join_room_by_id(&room_id).await.unwrap();
    let other_room = room(&other.client, &room_id).await;

    let mut flood = Vec::new();
    for i in 0..30 {
        flood.push(send(&flood_room, &format!("mistä saa apua velkoihin? ({i})")).await);
    }
    let commands: Vec<OwnedEventId> = {
        let mut c = Vec::new();
        for _ in 0..15 {
            c.push(send(&other_room, "!apu").await);
        }
        c
    };
    let third = resident(&hs, &unique("res")).await;
    third.client.join_room_by_id(&room_id).await.unwrap();
    let third_room = room(&third.client, &room_id).await;
    let q = send(&third_room, "var får jag hjälp med skulder?").await;
    wait_for(&flood_room, &bot.user, "an answer to the third resident", |s| !answers_to(s, &q).is_empty()).await;
    settled(&running).await;
    let seen = messages_of(&flood_room, &bot.user).await;
    let to_flood: usize = flood.iter().map(|q| answers_to(&seen, q).len()).sum();
    let to_commands: usize = commands.iter().map(|q| answers_to(&seen, q).len()).sum();
    assert_eq!(to_flood, 9, "8 answers and 1 notice to a flood of 30: {seen:#?}");
    assert_eq!(to_commands, 9, "8 help texts and 1 notice to 15 × !apu: {seen:#?}");
    assert_eq!(
        seen.iter().filter(|s| s.body().starts_with("Kysymyksiä tuli nyt paljon")).count(),
        2,
        "one notice each"
    );
    assert_eq!(answers_to(&seen, &q).len(), 1);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatter_then_a_question_and_five_questions_in_a_minute_are_all_answered() {
    let PublicRoom { resident: _r, bot, running, room } = public_setup(&hs(), "").await;
    for chat in ["joo", "ok", "haha", "totta", "niinpä", "hyvä hyvä"] {
        send(&room, chat).await;
    }
    let mut questions = Vec::new();
    for q in [
        "mistä saa apua velkoihin?",
        "tarvitsen velkaneuvontaa",
        "var får jag hjälp med skulder?",
        "mistä apua kun ei jaksa lasten kanssa?",
        "mistä saa apua kun puoliso lyö?",
    ] {
        questions.push(send(&room, q).await);
    }
    wait_for(&room, &bot.user, "five answers", |s| questions.iter().all(|q| !answers_to(s, q).is_empty())).await;
    settled(&running).await;
    let seen = messages_of(&room, &bot.user).await;
    assert_each_answered_once(&seen, &questions);
    assert!(seen.iter().all(|s| !s.body().starts_with("Kysymyksiä tuli")), "no flood notice: {seen:#?}");
    assert_eq!(seen.len(), 5, "chatter gets no reply");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crisis_message_at_the_global_limit_still_gets_112_and_a_24_7_line() {
    let hs = hs();
    let PublicRoom { resident: _r, bot, running, room } = public_setup(&hs, "[limits]\nglobal = 2\n").await;
    let a = send(&room, "mistä saa apua velkoihin?").await;
    let b = send(&room, "var får jag hjälp med skulder?").await;
    wait_for(&room, &bot.user, "two answers", |s| !answers_to(s, &a).is_empty() && !answers_to(s, &b).is_empty()).await;
    let over = send(&room, "velkaneuvontaa Turussa?").await;
    let crisis = send(&room, "en halua enää elää").await;
    let seen = wait_for(&room, &bot.user, "the crisis notice", |s| !answers_to(s, &crisis).is_empty()).await;
    let notice = answers_to(&seen, &crisis)[0];
    assert!(notice.body().starts_with("Jos henki on vaarassa nyt, soita heti hätänumeroon 112."), "{}", notice.body());
    assert!(notice.body().contains("09 2525 0111"), "{}", notice.body());
    assert!(answers_to(&seen, &over).is_empty(), "over the global limit");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_public_group_room_flagged_direct_is_not_joined_but_a_real_dm_is() {
    let hs = hs();
    let stranger = resident(&hs, &unique("stranger")).await;
    let third = resident(&hs, &unique("third")).await;
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[]).await;

    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.visibility = Visibility::Public;
    request.is_direct = true;
    request.invite = vec![bot.user.clone()];
    let group = stranger.client.create_room(request).await.unwrap();
    third.client.join_room_by_id(group.room_id()).await.unwrap();

    let resident = resident(&hs, &unique("res")).await;
    let dm = resident.client.create_dm(&bot.user).await.unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while dm.get_member(&bot.user).await.ok().flatten().is_none_or(|m| m.membership() != &MembershipState::Join) {
        assert!(std::time::Instant::now() < deadline, "the bot never joined the real DM");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // The invite to the group room was handled in the same syncs: declined.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let membership = group.get_member(&bot.user).await.ok().flatten().map(|m| m.membership().clone());
        assert_ne!(membership, Some(MembershipState::Join), "the bot joined a stranger's public group room");
        if membership == Some(MembershipState::Leave) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the invite was never declined: {membership:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = group.sync_members().await;
    }
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_where_the_bot_may_not_post_is_given_up_and_the_other_rooms_are_answered() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let open = public_room(&resident.client).await;
    let muted = public_room(&resident.client).await;
    let muted_room = room(&resident.client, &muted).await;
    // Only the owner may post in the muted room.
    // (Version 12 rooms give their creator all power without listing them.)
    let power = json!({"users_default": 0, "events_default": 50, "state_default": 50, "ban": 50, "kick": 50,
        "redact": 50, "invite": 0});
    let url = format!("{}/_matrix/client/v3/rooms/{}/state/m.room.power_levels/", hs.url, muted);
    let (status, body) = request("PUT", &url, &resident.client.access_token().unwrap(), &power).await;
    assert_eq!(status, 200, "{body}");
    let bot = TestBot::new(&hs).await;
    let running = bot.start(&hs, &[&open, &muted]).await;
    let open_room = room(&resident.client, &open).await;
    wait_joined(&open_room, &bot.user).await;
    wait_joined(&muted_room, &bot.user).await;

    let silenced = send(&muted_room, "mistä saa apua velkoihin?").await;
    let answered = send(&open_room, "mistä saa apua velkoihin?").await;
    let seen =
        wait_for(&open_room, &bot.user, "an answer in the open room", |s| !answers_to(s, &answered).is_empty()).await;
    assert_each_answered_once(&seen, &[answered]);
    let store = running.bot().store();
    let deadline = std::time::Instant::now() + WAIT;
    while store.counts().unwrap().outbox_given_up == 0 {
        assert!(std::time::Instant::now() < deadline, "the forbidden reply was never given up: {:?}", store.counts());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(messages_of(&muted_room, &bot.user).await.is_empty());
    let _ = silenced;
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_access_token_makes_the_bot_exit_non_zero_with_a_clear_message() {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let room_id = public_room(&resident.client).await;
    let room = room(&resident.client, &room_id).await;
    let bot = TestBot::new(&hs).await;
    let mut process = bot.spawn(&hs, &[&room_id], "");
    wait_joined(&room, &bot.user).await;
    let q = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "the bot to be up", |s| !answers_to(s, &q).is_empty()).await;

    // Log the bot's device out behind its back.
    let (status, _) =
        request("POST", &format!("{}/_matrix/client/v3/logout", hs.url), &bot.access_token(), &json!({})).await;
    assert_eq!(status, 200);
    send(&room, "var får jag hjälp med skulder?").await;
    let (code, log) = process.exited().await;
    assert_ne!(code, Some(0), "a revoked token must end the process with an error: {log}");
    assert!(log.contains("no longer accepts the bot's access token"), "a clear message: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_resumes_when_its_homeserver_comes_back() {
    hs(); // fail clearly outside scripts/test, like the other tests
    let private = PrivateHs::start().await;
    let PublicRoom { resident: _resident, bot, running, room } = public_setup(&private.hs, "").await;
    let first = send(&room, "mistä saa apua velkoihin?").await;
    wait_for(&room, &bot.user, "an answer before the outage", |s| !answers_to(s, &first).is_empty()).await;

    private.stop().await;
    let versions = format!("{}/_matrix/client/versions", private.hs.url);
    assert!(matrix_sdk::reqwest::get(&versions).await.is_err(), "the homeserver must really be gone during the outage");
    // The bot's sync now fails and backs off; give it a few rounds.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let back = private.restart().await;
    assert_eq!(back.url, private.hs.url, "the homeserver comes back at the same address");

    let second = send(&room, "var får jag hjälp med skulder?").await;
    let seen = wait_for(&room, &bot.user, "an answer after the outage", |s| !answers_to(s, &second).is_empty()).await;
    assert_each_answered_once(&seen, &[first, second]);
    running.stop().await.unwrap();
}
