//! Bad input, generated (proptest; `cargo fuzz` needs a nightly compiler, see
//! docs/reliability.md): events with missing or odd fields, and message bodies of arbitrary
//! Unicode, 64 KiB, HTML and Markdown, RTL and zero-width marks, emoji floods and commands,
//! through what the bot's worker does with a message (parse → understand → admission →
//! reply); and knowledge files broken in every way, through the loader. Nothing may panic,
//! and no message may hold more than [`MEMORY_PER_MESSAGE`] of memory at once (counted by
//! an allocator of this test binary). The time per message is printed, not asserted; the
//! figures are in docs/performance.md.
//!
//! The corpus in `tests/fixtures/bad-input/` runs first on every run; proptest keeps the
//! seeds of any failure it finds in `tests/bad_input.proptest-regressions` (commit them).
//! `PROPTEST_CASES=N` runs more cases than CI's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use lahiapu::answer::{Reply, escalation as esc_text, notice};
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::escalation::{consent, intent, volunteer};
use lahiapu::knowledge;
use lahiapu::lang::Lang;
use lahiapu::matrix::admission::{self, Action, CatchUp, Classified, Facts, RoomKind, Who};
use lahiapu::matrix::commands;
use lahiapu::matrix::event::{self, Parsed};
use lahiapu::matrix::limits::{Limiter, Limits};
use lahiapu::matrix::reply;
use lahiapu::matrix::store::Prefs;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Memory per message: an allocator that counts what this thread holds.

/// The most one message may hold at once, on top of what was held before it.
const MEMORY_PER_MESSAGE: isize = 64 << 20;

struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = HELD.try_with(|held| {
        let now = held.get() + delta;
        held.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns what it returned, the most it held at once (bytes) and its time.
fn measured<T>(f: impl FnOnce() -> T) -> (T, isize, Duration) {
    // Loading the assistant is not part of any message.
    assistant();
    let before = HELD.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    (out, PEAK.with(Cell::get) - before, took)
}

/// The slowest and the largest message seen by a test, printed at its end.
#[derive(Default)]
struct Worst {
    time: Duration,
    memory: isize,
    time_len: usize,
    n: usize,
}

impl Worst {
    fn add(&mut self, took: Duration, memory: isize, len: usize) {
        self.n += 1;
        if took > self.time {
            self.time = took;
            self.time_len = len;
        }
        self.memory = self.memory.max(memory);
    }

    fn print(&self, what: &str) {
        eprintln!(
            "{what}: {} inputs; slowest {:.1} ms (a {} byte input); most memory held by one {:.1} MiB ({} build)",
            self.n,
            self.time.as_secs_f64() * 1e3,
            self.time_len,
            self.memory as f64 / (1 << 20) as f64,
            if cfg!(debug_assertions) { "debug" } else { "release" }
        );
    }
}

// ---------------------------------------------------------------------------------------
// The pipeline of the worker, without a homeserver.

fn assistant() -> Arc<Assistant> {
    static A: OnceLock<Arc<Assistant>> = OnceLock::new();
    A.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let k = knowledge::load(&dir, lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
        Arc::new(Assistant::new(k, Assistant::load_voikko()).unwrap())
    })
    .clone()
}

const ME: &str = "@lahiapu:localhost";
const CATCH_UP: CatchUp = CatchUp { questions_ms: 15 * 60_000, crisis_ms: 24 * 3_600_000 };

/// What the worker does with one event's JSON, as far as it goes without a homeserver:
/// the same functions in the same order. Returns the content the bot would send, if any.
fn pipeline(json: &Value, room: RoomKind, limiter: &mut Limiter) -> Option<Value> {
    let a = assistant();
    let arrival = match event::parse(json, "!room:localhost", ME) {
        Parsed::Message(arrival) => arrival,
        Parsed::OwnJoin(_) | Parsed::Ignored => return None,
    };
    let body = arrival.body.as_str();
    let mut cx = AskContext::now();
    cx.default_place = a.resolve_place("Turku");
    // The worker understands a text once: admission reads its crisis and question shape.
    let q = (arrival.kind == event::Kind::Text).then(|| a.understand(body, &cx));
    let crisis = q.as_ref().map(|q| q.crisis).unwrap_or_default();
    let facts = Facts {
        kind: arrival.kind,
        edit: arrival.edit,
        body,
        room,
        mentions_bot: arrival.mentions_bot,
        in_bot_thread: arrival.thread_root.is_some(),
        before_join: false,
        age_ms: 0,
        crisis: crisis.any(),
        question_like: q.as_ref().is_some_and(|q| q.looks_like_question()),
    };
    let mut classified = admission::classify(&facts, CATCH_UP);
    // What the worker and the hand-over read besides.
    let lang = a.detect_language(body, None);
    if matches!(classified, Classified::Question { .. }) && intent::asks_for_person(body) {
        classified = Classified::Command(commands::Command::Human, lang);
    }
    let _ = consent::read(body);
    let _ = volunteer::parse(body);
    let answer = match (&classified, &q) {
        (Classified::Question { .. }, Some(q)) => Some(a.answer(q, &cx).expect("answering never fails on text")),
        _ => None,
    };
    let answerable = answer.as_ref().is_some_and(|x| x.confident || x.crisis);
    let who = Who { user: "person", room: "!room:localhost", now: Instant::now() };
    let action = admission::admit(classified, answerable, crisis.any(), limiter, who);
    let (k, l) = (a.knowledge(), a.locales());
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki);
    let reply: Option<Reply> = match &action {
        Action::Answer => answer.map(|x| Reply { plain: x.reply, html: x.reply_html }),
        Action::CrisisNotice => Some(notice::crisis(lang, crisis, k, l, now)),
        Action::FloodNotice => Some(notice::message(lang, "flood-notice", &[], l)),
        Action::UndecryptableNotice => Some(notice::undecryptable(Some(lang), l)),
        Action::Command(c, lang) => {
            let place = cx.default_place.as_ref();
            commands::reply(c, *lang, &Prefs::default(), place, room == RoomKind::Direct, &a).map(|r| r.0)
        }
        Action::Silent(_) => None,
    };
    // The hand-over relays the same text both ways.
    let relayed = esc_text::relay_to_resident(lang, body, l);
    let to_volunteers = esc_text::relay_to_volunteers(lang, 17, body, l);
    for r in [&relayed, &to_volunteers] {
        assert_safe_html(&r.html, body);
    }
    let reply = reply?;
    assert!(!reply.plain.trim().is_empty(), "an empty reply to {:?}", short(body));
    assert_safe_html(&reply.html, body);
    let content = reply::notice(&arrival, &reply)?;
    assert_eq!(content["msgtype"], "m.notice");
    assert!(content["body"].is_string());
    Some(content)
}

/// Markup from the message never reaches the HTML the bot sends unescaped.
fn assert_safe_html(html: &str, input: &str) {
    for tag in ["<script", "<img", "<iframe", "<a href=\"javascript"] {
        if input.to_lowercase().contains(tag) {
            assert!(!html.to_lowercase().contains(tag), "{tag} passed through: {}", short(html));
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

fn limiter() -> Limiter {
    Limiter::new(Limits { per_user: 8, per_room: 30, global: 300, window: Duration::from_secs(60) })
}

fn text_event(body: &str) -> Value {
    json!({"type": "m.room.message", "sender": "@res:localhost", "event_id": "$q:localhost",
        "origin_server_ts": 1_700_000_000_000u64, "content": {"msgtype": "m.text", "body": body}})
}

// ---------------------------------------------------------------------------------------
// Strategies: hostile text and odd events.

/// Pieces residents, clients and attackers send.
const PIECES: &[&str] = &[
    "mistä saa apua velkoihin?",
    "var får jag hjälp med skulder?",
    "where can I get help?",
    "en halua enää elää",
    "mieheni lyö minua",
    "haluan puhua ihmisen kanssa",
    "!apu",
    "!paikka ",
    "!kieli ",
    "!ihminen",
    "!palvelu ",
    "!peru",
    "kyllä",
    "@lahiapu:localhost: ",
    "Lähiapu, ",
    "> <@someone:x> quoted fallback\n\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<b><i>unclosed",
    "</p></div>",
    "&amp;&lt;&#x0;&#xFFFFFF;&",
    "**bold** _it_ `code` ```\nblock\n``` # heading\n> quote\n- [ ](x)",
    "[link](https://example.org) ![img](x)",
    "\u{200F}\u{202E}\u{2067}RTL\u{2069}\u{202C}",
    "\u{200B}\u{200C}\u{200D}\u{FEFF}\u{2060}",
    "👨‍👩‍👧‍👦🏳️‍🌈🇫🇮😀😀😀",
    "e\u{0301}\u{0302}\u{0303}\u{0304}",
    "\u{0}\u{1}\u{7}\u{1b}[31m\r\n\t",
    "Ω≈ç√∫˜µ≤≥÷ 𝕿𝖚𝖗𝖐𝖚 ｔｕｒｋｕ",
    "Turussa Helsingissä Åbo 853 17",
    "\u{FFFD}\u{FFFF}\u{10FFFF}",
];

/// A made-up word (letters a resident's keyboard has).
fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zåäöšž]{1,14}").expect("a valid regex")
}

/// A message body: pieces, made-up words and arbitrary Unicode, sometimes repeated to
/// 64 KiB.
fn body() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        3 => word(),
        2 => any::<String>(),
        1 => proptest::collection::vec(any::<char>(), 0..50).prop_map(|c| c.into_iter().collect()),
    ];
    let message = proptest::collection::vec(part, 1..12).prop_map(|parts| parts.join(" "));
    prop_oneof![
        6 => message,
        1 => (proptest::sample::select(PIECES), 1000usize..3000).prop_map(|(p, n)| cap(&p.repeat(n))),
        1 => proptest::collection::vec(word(), 4000..9000).prop_map(|w| cap(&w.join(" "))),
        1 => Just("😀".repeat(16 * 1024)),
    ]
}

/// At most 64 KiB, cut at a character boundary.
fn cap(s: &str) -> String {
    let mut end = s.len().min(64 * 1024);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// Any JSON value, small.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        any::<String>().prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!(["$x", 1, null])),
    ]
}

fn relation() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!({"rel_type": "m.thread", "event_id": "$root:x", "is_falling_back": true,
            "m.in_reply_to": {"event_id": "$last:x"}})),
        Just(json!({"m.in_reply_to": {"event_id": "$answer:x"}})),
        Just(json!({"rel_type": "m.replace", "event_id": "$old:x"})),
        Just(json!({"rel_type": "m.thread", "event_id": "not an id"})),
        Just(json!({"m.in_reply_to": "string instead of an object"})),
        Just(json!({"rel_type": "m.annotation", "event_id": "$q:x", "key": "👍"})),
        odd_value(),
    ]
}

/// A field that is right (from `right`), missing, or of an odd type.
fn maybe(right: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![6 => right.prop_map(Some), 1 => Just(None), 1 => odd_value().prop_map(Some)]
}

/// A timeline event with every field right, missing, or odd.
fn event_json() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![
        6 => Just(json!("m.room.message")),
        1 => Just(json!("m.room.encrypted")),
        1 => Just(json!("m.reaction")),
        1 => Just(json!("m.room.member")),
    ];
    let msgtype = prop_oneof![
        5 => Just(json!("m.text")),
        1 => Just(json!("m.emote")),
        1 => Just(json!("m.notice")),
        1 => Just(json!("m.image")),
    ];
    let formatted = prop_oneof![
        Just(json!("<p>ok</p>")),
        Just(json!("<mx-reply><blockquote>unclosed")),
        Just(json!("<<<>>></p><script>")),
        any::<String>().prop_map(Value::from),
    ];
    let mentions = prop_oneof![Just(json!({"user_ids": [ME]})), Just(json!({"user_ids": ME})), Just(json!({}))];
    let sender = prop_oneof![Just(json!("@res:localhost")), Just(json!(ME)), Just(json!("not a user id"))];
    let id = prop_oneof![Just(json!("$q:localhost")), Just(json!("q-without-dollar")), Just(json!("$"))];
    let ts = prop_oneof![Just(json!(1_700_000_000_000u64)), Just(json!(-5)), Just(json!(1.5e300))];
    (
        maybe(kind),
        maybe(sender),
        maybe(id),
        maybe(ts),
        maybe(msgtype),
        maybe(body().prop_map(Value::from)),
        maybe(Just(json!("org.matrix.custom.html"))),
        maybe(formatted),
        relation(),
        maybe(mentions),
        0..8u8,
    )
        .prop_map(|(kind, sender, id, ts, msgtype, body, format, formatted, relation, mentions, odd)| {
            let mut content = json!({"m.relates_to": relation, "key": "👍", "membership": "join"});
            for (k, v) in [
                ("msgtype", msgtype),
                ("body", body),
                ("format", format),
                ("formatted_body", formatted),
                ("m.mentions", mentions),
            ] {
                if let Some(v) = v {
                    content[k] = v;
                }
            }
            if odd == 0 {
                content = json!(["content", "is", "not", "an", "object"]);
            }
            let mut event = json!({"content": content, "state_key": ME});
            for (k, v) in [("type", kind), ("sender", sender), ("event_id", id), ("origin_server_ts", ts)] {
                if let Some(v) = v {
                    event[k] = v;
                }
            }
            event
        })
}

fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// The tests.

fn corpus(name: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input").join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    files
}

#[test]
fn the_corpus_of_bad_events_goes_through_the_pipeline() {
    let mut worst = Worst::default();
    for file in corpus("events") {
        let text = std::fs::read_to_string(&file).unwrap();
        // One event per file, or a JSON array of events.
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let events = match json {
            Value::Array(events) => events,
            one => vec![one],
        };
        for event in events {
            for room in [RoomKind::Direct, RoomKind::Configured { answer_all: true }, RoomKind::Other] {
                let mut limiter = limiter();
                let (_, memory, took) = measured(|| pipeline(&event, room, &mut limiter));
                assert!(memory < MEMORY_PER_MESSAGE, "{}: {memory} bytes", file.display());
                worst.add(took, memory, event.to_string().len());
            }
        }
    }
    worst.print("corpus of events");
}

#[test]
fn a_64_kib_question_of_distinct_made_up_words_is_answered_or_refused() {
    let mut words = Vec::new();
    let mut n: u64 = 0;
    let mut len = 0;
    while len < 64 * 1024 - 16 {
        // Distinct words no dictionary knows: a counter spelled in letters.
        let mut w = String::new();
        let mut x = n;
        loop {
            w.push(char::from(b'a' + (x % 26) as u8));
            x /= 26;
            if x == 0 {
                break;
            }
        }
        w.push_str("ksi");
        len += w.len() + 1;
        words.push(w);
        n += 1;
    }
    let body = format!("{}?", words.join(" "));
    assert!(body.len() <= 64 * 1024);
    let mut limiter = limiter();
    let (content, memory, took) =
        measured(|| pipeline(&text_event(&body), RoomKind::Configured { answer_all: true }, &mut limiter));
    assert!(memory < MEMORY_PER_MESSAGE, "{memory} bytes");
    // Overheard in an answer_all room, the bot speaks only if it found something; asked
    // directly, it always replies (an answer, or a polite "I found nothing").
    if let Some(content) = content {
        assert!(content["body"].as_str().is_some_and(|b| b.len() < 8 * 1024), "the reply does not echo the paste");
    }
    let (content, ..) = measured(|| pipeline(&text_event(&body), RoomKind::Direct, &mut limiter));
    let content = content.expect("a direct question always gets a reply");
    assert!(content["body"].as_str().is_some_and(|b| b.len() < 8 * 1024), "the reply does not echo the paste");
    eprintln!("64 KiB of made-up words: {:.1} ms, {:.1} MiB", took.as_secs_f64() * 1e3, memory as f64 / 1048576.0);
}

#[test]
fn hostile_message_bodies_never_panic_and_stay_bounded() {
    let worst = Mutex::new(Worst::default());
    let mut runner = proptest::test_runner::TestRunner::new(config(48));
    runner
        .run(&(body(), 0..3u8), |(body, room)| {
            let room = match room {
                0 => RoomKind::Direct,
                1 => RoomKind::Configured { answer_all: true },
                _ => RoomKind::Other,
            };
            let mut limiter = limiter();
            let (_, memory, took) = measured(|| pipeline(&text_event(&body), room, &mut limiter));
            prop_assert!(memory < MEMORY_PER_MESSAGE, "{} bytes for {:?}", memory, short(&body));
            worst.lock().unwrap().add(took, memory, body.len());
            Ok(())
        })
        .unwrap();
    worst.lock().unwrap().print("hostile bodies");
}

#[test]
fn events_with_missing_or_odd_fields_never_panic() {
    let worst = Mutex::new(Worst::default());
    let mut runner = proptest::test_runner::TestRunner::new(config(96));
    runner
        .run(&event_json(), |event| {
            let mut limiter = limiter();
            let (_, memory, took) =
                measured(|| pipeline(&event, RoomKind::Configured { answer_all: true }, &mut limiter));
            prop_assert!(memory < MEMORY_PER_MESSAGE, "{} bytes", memory);
            worst.lock().unwrap().add(took, memory, event.to_string().len());
            Ok(())
        })
        .unwrap();
    worst.lock().unwrap().print("odd events");
}

#[test]
fn a_flood_of_hostile_messages_from_one_person_gets_one_notice() {
    // Hostile decoration only: no crisis (which passes the budget), no command.
    const DECORATION: &[&str] = &[
        "<script>alert(1)</script>",
        "**bold** `code`",
        "\u{200F}\u{202E}RTL\u{202C}",
        "\u{200B}\u{200D}\u{FEFF}",
        "👨‍👩‍👧‍👦🇫🇮",
        "e\u{0301}\u{0302}",
    ];
    let a = assistant();
    let notices: Vec<String> =
        Lang::ALL.iter().map(|l| notice::message(*l, "flood-notice", &[], a.locales()).plain).collect();
    let mut limiter = limiter();
    let mut replies = Vec::new();
    for i in 0..40 {
        let body = format!("mistä saa apua velkoihin? {} {}", DECORATION[i % DECORATION.len()], "😀".repeat(i * 50));
        if let Some(content) = pipeline(&text_event(&body), RoomKind::Direct, &mut limiter) {
            replies.push(content["body"].as_str().unwrap_or_default().to_owned());
        }
    }
    assert_eq!(replies.len(), 9, "8 replies and one notice: {replies:#?}");
    assert!(notices.contains(&replies[8]), "the ninth is the flood notice: {}", replies[8]);
}

// ---------------------------------------------------------------------------------------
// The knowledge loader.

/// A knowledge folder with the real areas and `categories`, `crisis` and one service file
/// of the given texts.
fn knowledge_dir(categories: &str, crisis: &str, service: &str) -> tempfile::TempDir {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let dir = tempfile::tempdir().unwrap();
    let areas = dir.path().join("areas");
    std::fs::create_dir_all(&areas).unwrap();
    // The area files as shipped (municipalities, regions, postal areas): only the entry files
    // are broken.
    for entry in std::fs::read_dir(real.join("areas")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, areas.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("categories.toml"), categories).unwrap();
    std::fs::write(dir.path().join("crisis.toml"), crisis).unwrap();
    let services = dir.path().join("services/05-varsinais-suomi");
    std::fs::create_dir_all(&services).unwrap();
    std::fs::write(services.join("fuzzed.toml"), service).unwrap();
    dir
}

fn real(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge").join(path)).unwrap()
}

/// A real text broken: cut, spliced with arbitrary text, lines repeated or dropped.
fn broken(text: String) -> impl Strategy<Value = String> {
    let len = text.chars().count().max(1);
    let (t1, t2, t3) = (text.clone(), text.clone(), text.clone());
    prop_oneof![
        (0..len).prop_map(move |cut| t1.chars().take(cut).collect::<String>()),
        (0..len, 0..len, any::<String>()).prop_map(move |(a, b, junk)| {
            let (a, b) = (a.min(b), a.max(b));
            let head: String = t2.chars().take(a).collect();
            let tail: String = t2.chars().skip(b).collect();
            format!("{head}{junk}{tail}")
        }),
        (proptest::collection::vec(any::<u16>(), 1..20), proptest::sample::select(PIECES)).prop_map(
            move |(picks, piece)| {
                let lines: Vec<&str> = t3.lines().collect();
                let mut out: Vec<String> = picks.iter().map(|p| lines[*p as usize % lines.len()].to_owned()).collect();
                out.push(format!("name.fi = \"{}\"", piece.repeat(500)));
                out.join("\n")
            }
        ),
        any::<String>(),
        Just("[[[[[[[[[[".repeat(10_000)),
        Just(format!("id = \"{}\"", "x".repeat(64 * 1024))),
    ]
}

#[test]
fn broken_knowledge_files_give_diagnostics_never_a_panic() {
    let service = real("services/05-varsinais-suomi/turku-etma-ja-ensikodit.toml");
    let (categories, crisis) = (real("categories.toml"), real("crisis.toml"));
    let which = 0..3u8;
    let worst = Mutex::new(Worst::default());
    let mut runner = proptest::test_runner::TestRunner::new(config(40));
    let strategy = (which, broken(service.clone()), broken(categories.clone()), broken(crisis.clone()));
    runner
        .run(&strategy, |(which, s, c, k)| {
            // One file broken at a time, so that the others' checks run too.
            let (c, k, s) = match which {
                0 => (categories.as_str(), crisis.as_str(), s.as_str()),
                1 => (c.as_str(), crisis.as_str(), service.as_str()),
                _ => (categories.as_str(), k.as_str(), service.as_str()),
            };
            let dir = knowledge_dir(c, k, s);
            let (report, memory, took) = measured(|| knowledge::load(dir.path(), lahiapu::today_in_finland()));
            let report = report.expect("a readable folder always loads");
            for d in &report.diagnostics {
                // Line and column of odd text render.
                let _ = d.to_string();
            }
            let _ = report.into_valid();
            prop_assert!(memory < MEMORY_PER_MESSAGE, "{} bytes", memory);
            worst.lock().unwrap().add(took, memory, s.len() + c.len() + k.len());
            Ok(())
        })
        .unwrap();
    worst.lock().unwrap().print("broken knowledge files");
}

#[test]
fn the_corpus_of_broken_knowledge_files_gives_diagnostics() {
    let (service, categories, crisis) = (
        real("services/05-varsinais-suomi/turku-etma-ja-ensikodit.toml"),
        real("categories.toml"),
        real("crisis.toml"),
    );
    for file in corpus("knowledge") {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned());
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let dir = if name.starts_with("categories") {
            knowledge_dir(&text, &crisis, &service)
        } else if name.starts_with("crisis") {
            knowledge_dir(&categories, &text, &service)
        } else {
            knowledge_dir(&categories, &crisis, &text)
        };
        let report = knowledge::load(dir.path(), lahiapu::today_in_finland()).unwrap();
        assert!(report.errors() > 0, "{name}: a broken file must give an error");
        for d in &report.diagnostics {
            let _ = d.to_string();
        }
    }
}
