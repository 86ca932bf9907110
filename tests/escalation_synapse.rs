#![recursion_limit = "256"]
//! The hand-over to volunteers against a real Synapse: a resident, two volunteers and an
//! outsider, through consent, a private chat, a case in the region's volunteers' room,
//! relays both ways, the volunteers' commands and the close; declined and unanswered
//! consent forward nothing; `kill -9` between consent and case root, and in the middle of a
//! conversation, loses and duplicates nothing.

mod common;

use std::time::{Duration, Instant};

use common::*;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room, RoomState};

/// A private, encrypted volunteers' room created by `owner`, with `members` invited.
async fn volunteers_room(owner: &Client, members: &[&OwnedUserId]) -> OwnedRoomId {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PrivateChat);
    request.invite = members.iter().map(|m| (*m).clone()).collect();
    request.initial_state = vec![
        InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults()).to_raw_any(),
    ];
    owner.create_room(request).await.unwrap().room_id().to_owned()
}

/// Joins a room `client` was invited to, and returns it.
async fn accept(client: &Client, id: &OwnedRoomId) -> Room {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(room) = client.get_room(id) {
            if room.state() == RoomState::Joined {
                return room;
            }
            if room.state() == RoomState::Invited {
                let _ = room.join().await;
            }
        } else {
            let _ = client.join_room_by_id(id).await;
        }
        assert!(Instant::now() < deadline, "could not join {id}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The direct chat the bot opened with the resident (the resident accepts it).
async fn the_dm(resident: &Resident, bot: &OwnedUserId) -> Room {
    let deadline = Instant::now() + WAIT;
    loop {
        for room in resident.client.invited_rooms() {
            if let Ok(Some(invite)) = room.invite_details().await.map(|d| d.inviter)
                && invite.user_id() == bot
            {
                return accept(&resident.client, &room.room_id().to_owned()).await;
            }
        }
        assert!(Instant::now() < deadline, "the bot never invited the resident to a private chat");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// A message in the thread of `root`.
async fn say_in_thread(room: &Room, root: &OwnedEventId, body: &str) -> OwnedEventId {
    let mut content = RoomMessageEventContent::text_plain(body);
    content.relates_to = Some(Relation::Thread(Thread::plain(root.clone(), root.clone())));
    room.send(content).await.unwrap().response.event_id
}

/// Waits for a bot message in `room` whose body contains `text`; returns all its messages.
async fn wait_text(room: &Room, bot: &OwnedUserId, text: &str) -> Vec<Seen> {
    wait_for(room, bot, text, |s| s.iter().any(|m| m.body().contains(text))).await
}

fn count(seen: &[Seen], text: &str) -> usize {
    seen.iter().filter(|m| m.body().contains(text)).count()
}

/// The case roots the bot posted (their event IDs), found by the volunteers' client.
async fn roots(room: &Room, bot: &OwnedUserId) -> Vec<(OwnedEventId, String)> {
    let mut out = Vec::new();
    let mut options = matrix_sdk::room::MessagesOptions::backward();
    options.limit = 100u32.into();
    if let Ok(page) = room.messages(options).await {
        for event in page.chunk {
            let Ok(json) = serde_json::from_str::<serde_json::Value>(event.raw().json().get()) else { continue };
            if json["sender"] == bot.as_str() && json["content"]["fi.lahiapu.case"].is_number() {
                out.push((
                    json["event_id"].as_str().unwrap().parse().unwrap(),
                    json["content"]["body"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    out
}

async fn wait_root(room: &Room, bot: &OwnedUserId) -> (OwnedEventId, String) {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(root) = roots(room, bot).await.into_iter().next() {
            return root;
        }
        assert!(Instant::now() < deadline, "no case root in the volunteers' room");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

struct World {
    hs: Hs,
    resident: Resident,
    v1: Resident,
    v2: Resident,
    outsider: Resident,
    bot: TestBot,
    public: OwnedRoomId,
    default_room: OwnedRoomId,
    region_room: OwnedRoomId,
}

async fn world() -> World {
    let hs = hs();
    let resident = resident(&hs, &unique("res")).await;
    let v1 = common::resident(&hs, &unique("vol")).await;
    let v2 = common::resident(&hs, &unique("vol")).await;
    let outsider = common::resident(&hs, &unique("out")).await;
    let bot = TestBot::new(&hs).await;
    let public = public_room(&resident.client).await;
    let default_room = volunteers_room(&v1.client, &[&bot.user, &v2.id()]).await;
    let region_room = volunteers_room(&v1.client, &[&bot.user, &v2.id(), &outsider.id()]).await;
    accept(&v2.client, &default_room).await;
    accept(&v2.client, &region_room).await;
    accept(&outsider.client, &region_room).await;
    World { hs, resident, v1, v2, outsider, bot, public, default_room, region_room }
}

impl World {
    fn extra(&self) -> String {
        format!(
            "[escalation]\nvolunteers_room = \"{}\"\norganisations = [\"Testijärjestö ry\"]\nvolunteers = [\"{}\", \"{}\"]\n\
             reminder_minutes = 0\n\
             [[escalation.rooms]]\nroom = \"{}\"\nregions = [\"17\"]\n",
            self.default_room,
            self.v1.id(),
            self.v2.id(),
            self.region_room
        )
    }

    /// The bot's config with the public room in Vaasa (region 17).
    fn config(&self) -> String {
        self.bot.config(&self.hs, &[&self.public], &self.extra()).replace("place = \"Turku\"", "place = \"Vaasa\"")
    }

    async fn start(&self) -> lahiapu::matrix::RunningBot {
        let config = lahiapu::matrix::Config::parse(&self.config()).unwrap();
        lahiapu::matrix::Bot::start(config, assistant()).await.unwrap()
    }

    fn spawn(&self) -> BotProcess {
        let path = self.bot.store.path().join("escalation.toml");
        std::fs::write(&path, self.config()).unwrap();
        self.bot.spawn_with_config(&path)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_a_public_room_becomes_a_private_case_relayed_both_ways_until_closed() {
    let w = world().await;
    let running = w.start().await;
    let public = room(&w.resident.client, &w.public).await;
    wait_joined(&public, &w.bot.user).await;
    let v1_region = accept(&w.v1.client, &w.region_room).await;
    wait_joined(&v1_region, &w.bot.user).await;
    let v2_region = accept(&w.v2.client, &w.region_room).await;
    let outsider_region = accept(&w.outsider.client, &w.region_room).await;

    // 1. The request, in a public room: one line there, the consent question in private.
    let request = send(&public, "haluan puhua ihmisen kanssa").await;
    let seen =
        wait_for(&public, &w.bot.user, "the line in the public thread", |s| !answers_to(s, &request).is_empty()).await;
    assert!(answers_to(&seen, &request)[0].body().starts_with("Jatketaan yksityisesti"), "{seen:#?}");
    let dm = the_dm(&w.resident, &w.bot.user).await;
    let prompt = wait_text(&dm, &w.bot.user, "Välitänkö viestisi?").await;
    let prompt = prompt.iter().find(|m| m.body().contains("Välitänkö")).unwrap();
    assert!(prompt.body().contains("Testijärjestö ry") && prompt.body().contains("Asukas "), "{}", prompt.body());
    assert!(roots(&v1_region, &w.bot.user).await.is_empty(), "nothing is forwarded before consent");

    // 2. Consent, then the first message opens the case in the region's room.
    send(&dm, "kyllä").await;
    wait_text(&dm, &w.bot.user, "Kirjoita nyt viestisi").await;
    send(&dm, "Mieheni juo joka ilta ja lapset näkevät sen. Mitä voin tehdä?").await;
    let (root, root_body) = wait_root(&v1_region, &w.bot.user).await;
    assert!(root_body.starts_with("Tapaus #") && root_body.contains(" · fi · Vaasa · avoin"), "{root_body}");
    assert!(root_body.contains("Mieheni juo joka ilta"), "{root_body}");
    assert!(!root_body.contains(w.resident.id().as_str()), "never the resident's Matrix ID: {root_body}");
    wait_text(&dm, &w.bot.user, "Viestisi on välitetty vapaaehtoisille").await;
    let default = accept(&w.v1.client, &w.default_room).await;
    assert!(roots(&default, &w.bot.user).await.is_empty(), "the case went to the region's room, not the default");

    // Nobody answered yet: the reminder (after 0 minutes here) comes in the case thread,
    // and the volunteers can list the open cases.
    wait_for(&v1_region, &w.bot.user, "a reminder", |s| {
        s.iter().any(|m| m.body().contains("odottaa vastausta") && m.answers() == Some(root.as_str()))
    })
    .await;
    send(&v1_region, "!tapaukset").await;
    let listed = wait_text(&v1_region, &w.bot.user, "Avoimet tapaukset:").await;
    let case = root_body.split_whitespace().nth(1).unwrap_or_default().to_owned();
    assert!(listed.iter().any(|m| m.body().contains(&format!("{case} · fi · Vaasa · avoin"))), "{listed:#?}");

    // 3. Relays both ways; a note stays internal; an outsider is not relayed.
    say_in_thread(&v1_region, &root, "Hei, olemme täällä. Kerro lisää.").await;
    wait_text(&dm, &w.bot.user, "Vapaaehtoinen vastaa: Hei, olemme täällä.").await;
    send(&dm, "Kiitos. Hän juo taas tänään.").await;
    wait_for(&v1_region, &w.bot.user, "the follow-up in the case thread", |s| {
        s.iter().any(|m| m.body().contains(": Kiitos. Hän juo taas tänään.") && m.answers() == Some(root.as_str()))
    })
    .await;
    say_in_thread(&v2_region, &root, "!ota").await;
    wait_for(&v1_region, &w.bot.user, "the root marked as taken", |s| {
        s.iter().any(|m| m.content["m.new_content"]["body"].as_str().is_some_and(|b| b.contains("otettu")))
    })
    .await;
    say_in_thread(&v1_region, &root, "!muistio soitan huomenna perään").await;
    say_in_thread(&outsider_region, &root, "tämä viesti ei saa mennä perille").await;
    wait_text(&outsider_region, &w.bot.user, "Välitän asukkaille vain vapaaehtoisten viestejä").await;
    say_in_thread(&v1_region, &root, "!palvelu nollalinja").await;
    let seen = wait_text(&dm, &w.bot.user, "Vapaaehtoinen lähetti sinulle tämän palvelun tiedot").await;
    assert!(seen.iter().any(|m| m.body().contains("Nollalinja") && m.body().contains("080 005 005")), "{seen:#?}");

    // 4. The close tells the resident.
    say_in_thread(&v1_region, &root, "!sulje").await;
    let seen = wait_text(&dm, &w.bot.user, "Tapaus on suljettu").await;
    for secret in ["soitan huomenna", "ei saa mennä perille"] {
        assert_eq!(count(&seen, secret), 0, "{secret:?} reached the resident: {seen:#?}");
    }
    assert_eq!(count(&seen, "Vapaaehtoinen vastaa: Hei, olemme täällä."), 1, "relayed once");
    // After the close, a volunteer's message is not relayed.
    say_in_thread(&v1_region, &root, "vielä yksi viesti").await;
    wait_text(&v1_region, &w.bot.user, "Tapaus on suljettu, eikä viestiä välitetty").await;
    assert_eq!(count(&messages_of(&dm, &w.bot.user).await, "vielä yksi viesti"), 0);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_or_unanswered_consent_forwards_nothing() {
    let w = world().await;
    let running = w.start().await;
    let public = room(&w.resident.client, &w.public).await;
    wait_joined(&public, &w.bot.user).await;
    let v1_region = accept(&w.v1.client, &w.region_room).await;
    let v1_default = accept(&w.v1.client, &w.default_room).await;

    // A direct chat of its own with the bot: the consent question comes there.
    let dm = w.resident.client.create_dm(&w.bot.user).await.unwrap();
    wait_joined(&dm, &w.bot.user).await;
    send(&dm, "!ihminen").await;
    wait_text(&dm, &w.bot.user, "Välitänkö viestisi?").await;
    send(&dm, "ei").await;
    wait_text(&dm, &w.bot.user, "en välitä mitään").await;
    let question = send(&dm, "Mieheni lyö minua, asun Vaasassa").await;
    // The question gets an ordinary answer, and nothing reaches the volunteers.
    wait_for(&dm, &w.bot.user, "an answer", |s| !answers_to(s, &question).is_empty()).await;

    let other = resident(&w.hs, &unique("res")).await;
    let dm2 = other.client.create_dm(&w.bot.user).await.unwrap();
    wait_joined(&dm2, &w.bot.user).await;
    send(&dm2, "voinko jutella oikean ihmisen kanssa?").await;
    wait_text(&dm2, &w.bot.user, "Välitänkö viestisi?").await;
    // No answer: what they write next is not consent, and is answered by the bot only.
    let question = send(&dm2, "mistä saa apua velkoihin").await;
    wait_for(&dm2, &w.bot.user, "an answer", |s| !answers_to(s, &question).is_empty()).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(roots(&v1_region, &w.bot.user).await.is_empty(), "nothing in the region's room");
    assert!(roots(&v1_default, &w.bot.user).await.is_empty(), "nothing in the default room");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_between_consent_and_the_case_root_and_mid_conversation_loses_and_repeats_nothing() {
    let w = world().await;
    let mut process = w.spawn();
    let v1_region = accept(&w.v1.client, &w.region_room).await;
    let dm = w.resident.client.create_dm(&w.bot.user).await.unwrap();
    wait_joined(&dm, &w.bot.user).await;
    send(&dm, "haluan puhua vapaaehtoisen kanssa, asun Vaasassa").await;
    wait_text(&dm, &w.bot.user, "Välitänkö viestisi?").await;
    send(&dm, "kyllä").await;
    wait_text(&dm, &w.bot.user, "Kirjoita nyt viestisi").await;

    // Killed between consent and the case root: the first message arrives while it is down.
    process.kill9();
    send(&dm, "Tarvitsen apua, en jaksa enää lasten kanssa.").await;
    process = w.spawn();
    let (root, _) = wait_root(&v1_region, &w.bot.user).await;
    wait_text(&dm, &w.bot.user, "Viestisi on välitetty vapaaehtoisille").await;

    // Killed in the middle of the conversation, right after a volunteer's answer.
    say_in_thread(&v1_region, &root, "Olemme tässä, kerro lisää.").await;
    process.kill9();
    send(&dm, "Kolme lasta ja mies töissä koko ajan.").await;
    process = w.spawn();
    wait_text(&dm, &w.bot.user, "Vapaaehtoinen vastaa: Olemme tässä, kerro lisää.").await;
    wait_for(&v1_region, &w.bot.user, "the follow-up", |s| s.iter().any(|m| m.body().contains("Kolme lasta"))).await;
    // Give a duplicate time to show up, if there were going to be one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let to_resident = messages_of(&dm, &w.bot.user).await;
    let to_volunteers = messages_of(&v1_region, &w.bot.user).await;
    assert_eq!(roots(&v1_region, &w.bot.user).await.len(), 1, "one case root");
    assert_eq!(count(&to_resident, "Viestisi on välitetty vapaaehtoisille"), 1, "{to_resident:#?}");
    assert_eq!(count(&to_resident, "Vapaaehtoinen vastaa: Olemme tässä"), 1, "{to_resident:#?}");
    assert_eq!(count(&to_volunteers, "Kolme lasta"), 1, "{to_volunteers:#?}");
    assert_eq!(
        count(&to_volunteers, "en jaksa enää lasten kanssa"),
        1,
        "the first message, in the root: {to_volunteers:#?}"
    );
    drop(process);
}
