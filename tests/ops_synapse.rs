#![recursion_limit = "256"]
//! Operating the bot against a real Synapse: knowledge reloads without a restart (a new
//! file answered, a broken file reported to the maintainers with the old answers kept, then
//! "fixed"), admins-only commands, questions answered during the reload of 10 000 entries,
//! `/metrics` without user or room IDs, and a gap report without personal details.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

/// How long the reload of 10 000 entries may take in a debug build.
const RELOAD_WAIT: Duration = Duration::from_secs(360);
use matrix_sdk::Room;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId};

/// A copy of the shipped knowledge that a test may change; `copies` more copies of every
/// national service make it large.
fn knowledge_copy(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&knowledge_dir(), dir.path());
    if copies > 0 {
        let national = dir.path().join("services/national");
        let originals: Vec<PathBuf> = std::fs::read_dir(&national).unwrap().map(|e| e.unwrap().path()).collect();
        for i in 0..copies {
            let from = &originals[i % originals.len()];
            let id = from.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(from).unwrap().replacen(
                &format!("id = \"{id}\""),
                &format!("id = \"{id}-{i}\""),
                1,
            );
            std::fs::write(national.join(format!("{id}-{i}.toml")), text).unwrap();
        }
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const NEW_SERVICE: &str = r#"id = "zyxvlontti-neuvonta"
status = "active"
categories = ["peer-support"]

[name]
fi = "Zyxvlontti-neuvonta"
sv = "Zyxvlontti-rådgivning"

[summary]
fi = "Testipalvelu, jonka ylläpitäjä lisäsi kesken ajon."
sv = "En testtjänst som lades till medan boten körde."

[keywords]
fi = ["zyxvlontti", "zyxvlonttineuvonta"]
sv = ["zyxvlontti"]

[area]
nationwide = true

[[web]]
url = { fi = "https://example.org/zyxvlontti" }

[source]
url = "https://example.org/zyxvlontti"
checked = 2026-11-30
"#;

/// Sends `question` every few seconds until an answer to it satisfies `ok`.
async fn ask_until(room: &Room, bot: &matrix_sdk::ruma::OwnedUserId, question: &str, ok: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        let q = send(room, question).await;
        let seen = wait_for(room, bot, "an answer", |s| !answers_to(s, &q).is_empty()).await;
        if ok(answers_to(&seen, &q)[0].body()) {
            return;
        }
        assert!(Instant::now() < deadline, "the answer never changed: {:?}", answers_to(&seen, &q)[0].body());
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

struct Ops {
    resident: Resident,
    admin: Resident,
    bot: TestBot,
    public: OwnedRoomId,
    maintainers: OwnedRoomId,
}

async fn ops(hs: &Hs) -> Ops {
    let resident = resident(hs, &unique("res")).await;
    let admin = common::resident(hs, &unique("admin")).await;
    let bot = TestBot::new(hs).await;
    let public = public_room(&resident.client).await;
    let maintainers = public_room(&admin.client).await;
    Ops { resident, admin, bot, public, maintainers }
}

impl Ops {
    /// The bot's config with `knowledge`, `bot` lines added to its `[bot]` table, and
    /// `extra` tables.
    fn config(&self, hs: &Hs, knowledge: &Path, bot: &str, extra: &str) -> String {
        let base = self.bot.config(hs, &[&self.public], "");
        let base = base.replace(
            &format!("knowledge = \"{}\"", knowledge_dir().display()),
            &format!("knowledge = \"{}\"\n{bot}", knowledge.display()),
        );
        format!(
            "{base}[admins]\nusers = [\"{}\"]\n[maintainers]\nroom = \"{}\"\n{extra}",
            self.admin.id(),
            self.maintainers
        )
    }

    async fn start(&self, hs: &Hs, knowledge: &Path, bot: &str, extra: &str) -> lahiapu::matrix::RunningBot {
        let config = lahiapu::matrix::Config::parse(&self.config(hs, knowledge, bot, extra)).unwrap();
        let k = lahiapu::knowledge::load(knowledge, lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
        let assistant = std::sync::Arc::new(
            lahiapu::assistant::Assistant::new(k, lahiapu::assistant::Assistant::load_voikko()).unwrap(),
        );
        lahiapu::matrix::Bot::start(config, assistant).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_changes_are_answered_without_a_restart_and_errors_go_to_the_maintainers() {
    let hs = hs();
    let o = ops(&hs).await;
    let knowledge = knowledge_copy(0);
    let running = o.start(&hs, knowledge.path(), "", "").await;
    let public = room(&o.resident.client, &o.public).await;
    wait_joined(&public, &o.bot.user).await;
    let maintainers = room(&o.admin.client, &o.maintainers).await;
    wait_joined(&maintainers, &o.bot.user).await;

    // Addressed to the bot (an overheard question without an answer gets no reply).
    let question = format!("{}: zyxvlonttineuvontaa?", o.bot.user);
    let q = send(&public, &question).await;
    let seen = wait_for(&public, &o.bot.user, "an answer", |s| !answers_to(s, &q).is_empty()).await;
    assert!(!answers_to(&seen, &q)[0].body().contains("Zyxvlontti"), "not known yet");

    // A maintainer adds a valid file: it is answered without a restart.
    std::fs::write(knowledge.path().join("services/national/zyxvlontti-neuvonta.toml"), NEW_SERVICE).unwrap();
    ask_until(&public, &o.bot.user, &question, |b| b.contains("Zyxvlontti-neuvonta")).await;

    // A broken file: the errors go to the maintainers, the old answers stay.
    let broken = knowledge.path().join("services/national/broken.toml");
    std::fs::write(&broken, "id = \"broken\"\nstatus = \"active\"\ncategories = [\"no-such-category\"]\n").unwrap();
    let reported = wait_text(&maintainers, &o.bot.user, "Tietopohjassa on virheitä").await;
    assert!(reported.iter().any(|m| m.body().contains("knowledge/services/national/broken.toml:")), "{reported:#?}");
    ask_until(&public, &o.bot.user, &question, |b| b.contains("Zyxvlontti-neuvonta")).await;
    std::fs::remove_file(&broken).unwrap();
    wait_text(&maintainers, &o.bot.user, "Tietopohja on taas kunnossa").await;

    // The admins' commands: refused to others.
    let refused = send(&public, "!lataa").await;
    let seen = wait_for(&public, &o.bot.user, "a refusal", |s| !answers_to(s, &refused).is_empty()).await;
    assert!(answers_to(&seen, &refused)[0].body().contains("vain botin ylläpitäjille"), "{seen:#?}");
    let reload = send(&maintainers, "!lataa").await;
    let seen = wait_for(&maintainers, &o.bot.user, "the reload's result", |s| {
        answers_to(s, &reload).iter().any(|m| m.body().starts_with("Tietopohja luettu uudelleen"))
    })
    .await;
    assert!(answers_to(&seen, &reload).iter().any(|m| m.body().contains("palvelua")));
    let status = send(&maintainers, "!tila").await;
    let seen = wait_for(&maintainers, &o.bot.user, "the status", |s| !answers_to(s, &status).is_empty()).await;
    let text = answers_to(&seen, &status)[0].body();
    assert!(
        text.starts_with("Tila: ") && text.contains("Voikko") && text.contains("Viimeisin tietopohjan luku"),
        "{text}"
    );
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_sent_during_a_reload_of_ten_thousand_entries_all_get_answers() {
    let hs = hs();
    let o = ops(&hs).await;
    let knowledge = knowledge_copy(10_000);
    let running = o.start(&hs, knowledge.path(), "watch_knowledge = false", "[limits]\nper_user = 100\n").await;
    let public = room(&o.resident.client, &o.public).await;
    wait_joined(&public, &o.bot.user).await;
    let maintainers = room(&o.admin.client, &o.maintainers).await;
    wait_joined(&maintainers, &o.bot.user).await;

    let reload = send(&maintainers, "!reload").await;
    let mut questions = Vec::new();
    for i in 0..20 {
        questions.push(send(&public, &format!("mistä saa apua velkoihin? ({i})")).await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Reading 10 000 entries takes a while in a debug build on a busy machine; the questions
    // are answered meanwhile by the old knowledge.
    wait_for_within(RELOAD_WAIT, &maintainers, &o.bot.user, "the reload's result", |s| {
        answers_to(s, &reload).iter().any(|m| m.body().starts_with("Knowledge base read again"))
    })
    .await;
    let seen =
        wait_for(&public, &o.bot.user, "20 answers", |s| questions.iter().all(|q| !answers_to(s, q).is_empty())).await;
    assert_each_answered_once(&seen, &questions);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_without_user_or_room_ids_and_the_gap_report_keeps_no_personal_details() {
    let hs = hs();
    let o = ops(&hs).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let running = o.start(&hs, &knowledge_dir(), "", &format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n")).await;
    let public = room(&o.resident.client, &o.public).await;
    wait_joined(&public, &o.bot.user).await;

    // A question with every kind of personal detail, and one the bot cannot answer, both
    // addressed to the bot.
    let private = format!(
        "{}: Olen Liisa Virtanen, hetu 131052-308T, soita 040 123 4567 tai liisa.virtanen@example.com, \
         kysy @liisa:example.org, asun Mannerheimintie 12 B 5. Mistä saa apua velkoihin?",
        o.bot.user
    );
    let velat = send(&public, &private).await;
    let nonsense = send(&public, &format!("{}: qwertyuiop zxcvbnm?", o.bot.user)).await;
    let asked = [velat.clone(), nonsense];
    let seen =
        wait_for(&public, &o.bot.user, "two answers", |s| asked.iter().all(|q| !answers_to(s, q).is_empty())).await;
    // A 👎 on the debt answer: counted, and its (scrubbed) question joins the gap report.
    let answer_event = first_answer_event(&public, &o.bot.user, &velat).await;
    public.send(ReactionEventContent::new(Annotation::new(answer_event, "👎".into()))).await.unwrap();
    let store = running.bot().store();
    let deadline = Instant::now() + WAIT;
    while store.gaps().unwrap().iter().all(|g| g.kind != "downvoted") {
        assert!(Instant::now() < deadline, "the 👎 was never counted");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let gaps = store.gaps().unwrap();
    let text: String = gaps.iter().map(|g| format!("{} | ", g.text)).collect();
    for secret in ["131052", "308T", "040", "4567", "liisa", "Liisa", "Virtanen", "example", "Mannerheimintie", "12 B"]
    {
        assert!(!text.contains(secret), "{secret:?} in the gap report: {text}");
    }
    assert!(!text.contains('@'), "{text}");
    assert!(gaps.iter().any(|g| g.kind == "unanswered" && g.text.contains("qwertyuiop")), "{gaps:#?}");
    assert!(gaps.iter().any(|g| g.kind == "downvoted" && g.text.contains("velkoihin")), "{gaps:#?}");
    assert_eq!(store.votes().unwrap()["debt-counselling"].down, 1);
    let _ = seen;

    let metrics = http_get(port, "/metrics").await;
    assert!(metrics.contains("lahiapu_questions_total{lang=\"fi\""), "{metrics}");
    assert!(metrics.contains("lahiapu_answer_seconds_count"), "{metrics}");
    assert!(metrics.contains("lahiapu_feedback_total{vote=\"down\"} 1"), "{metrics}");
    assert!(metrics.contains("lahiapu_build_info"), "{metrics}");
    for id in [o.resident.id().to_string(), o.bot.user.to_string(), o.public.to_string()] {
        assert!(!metrics.contains(&id), "{id} in the metrics");
    }
    assert!(!metrics.contains('@') && !metrics.contains('!'), "{metrics}");
    assert_eq!(http_get(port, "/healthz").await.trim(), "ok");
    running.stop().await.unwrap();
}

/// The event ID of the bot's answer to `question`.
async fn first_answer_event(room: &Room, bot: &matrix_sdk::ruma::OwnedUserId, question: &OwnedEventId) -> OwnedEventId {
    let mut options = matrix_sdk::room::MessagesOptions::backward();
    options.limit = 50u32.into();
    let page = room.messages(options).await.unwrap();
    for event in page.chunk {
        let json: serde_json::Value = serde_json::from_str(event.raw().json().get()).unwrap();
        if json["sender"] == bot.as_str() && json["content"]["m.relates_to"]["event_id"] == question.as_str() {
            return json["event_id"].as_str().unwrap().parse().unwrap();
        }
    }
    panic!("no answer to {question}");
}

async fn http_get(port: u16, path: &str) -> String {
    let url = format!("http://127.0.0.1:{port}{path}");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(response) = matrix_sdk::reqwest::get(&url).await {
            return response.text().await.unwrap_or_default();
        }
        assert!(Instant::now() < deadline, "nothing answers at {url}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits for a bot message in `room` whose body contains `text`.
async fn wait_text(room: &Room, bot: &matrix_sdk::ruma::OwnedUserId, text: &str) -> Vec<Seen> {
    wait_for(room, bot, text, |s| s.iter().any(|m| m.body().contains(text))).await
}
