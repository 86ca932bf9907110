//! The load scenarios: residents ask in public rooms at a given rate, the bot and the echo
//! bot answer; faults (a stop, `kill -9`, Synapse away) or a flood in the middle.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::understand::looks_like_question;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::clients::{self, EchoStats, Sink};
use crate::procs::{self, BotProc, Synapse};
use crate::stats::{self, Latency};
use crate::{Args, Scenario};

/// What residents ask: every one is answered with confidence (or is a crisis) in every
/// room's place, which the run checks before it starts.
const QUESTIONS: &[&str] = &[
    "mistä saa apua velkoihin?",
    "var får jag hjälp med skulder?",
    "where can I get help with debts?",
    "tarvitsen velkaneuvontaa",
    "mistä saa apua kun puoliso lyö?",
    "mistä apua kun ei jaksa lasten kanssa?",
    "var kan jag prata med någon om min ångest?",
    "where can I talk to someone about my drinking?",
    "mistä apua peliriippuvuuteen?",
    "where can I find a shelter?",
    "en halua enää elää",
];

/// The rooms' places, in turn.
const PLACES: &[&str] = &["Turku", "Helsinki", "Tampere", "Oulu", "Vaasa", "Kuopio", "Jyväskylä", "Lahti"];

/// Quiet time after the last answer, for a late duplicate to show up.
const SETTLE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy)]
enum Fault {
    /// SIGTERM, restart after the pause.
    Stop(f64),
    /// `kill -9`, restart after the pause.
    Kill(f64),
    /// Synapse down for this long.
    Synapse(f64),
}

/// A fault as it happened: what, when it began, when the bot or Synapse was back.
struct Happened {
    what: &'static str,
    start: Instant,
    end: Instant,
    /// How long stopping took (Synapse finishes its requests first).
    stopping: f64,
}

struct Asked {
    room: usize,
    asker: usize,
    sent_at: Instant,
    flood: bool,
}

#[derive(Default)]
struct Book {
    questions: HashMap<String, Asked>,
    /// Per question: (observer, from the bot (else the echo bot), when its sync showed it).
    seen: HashMap<String, Vec<(usize, bool, Instant)>>,
}

struct Tracker {
    bot: String,
    echo: String,
    book: Mutex<Book>,
    send_failed: AtomicU64,
    skipped: AtomicU64,
    sync_errors: Arc<AtomicU64>,
}

impl Tracker {
    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sink(self: &Arc<Self>) -> Sink {
        let t = self.clone();
        Arc::new(move |observer, _room, json: &Value, at| {
            let sender = json["sender"].as_str().unwrap_or_default();
            let from_bot = sender == t.bot;
            if !(from_bot || sender == t.echo) || json["type"] != "m.room.message" {
                return;
            }
            if let Some(q) = clients::answered(json) {
                t.book().seen.entry(q.to_owned()).or_default().push((observer, from_bot, at));
            }
        })
    }

    /// When `asker` first saw an answer to `q` from the bot (or the echo bot).
    fn first_seen(&self, q: &str, asker: usize, from_bot: bool) -> Option<Instant> {
        tracker_first(&self.book(), q, asker, from_bot)
    }
}

/// A resident: its client, and the rooms it asks in.
struct Resident {
    client: Client,
    rooms: Vec<Room>,
}

pub async fn run(args: &Args, dir: &Path, bot_bin: &Path) -> Result<bool> {
    let places: Vec<&str> = (0..args.rooms).map(|i| PLACES[i % PLACES.len()]).collect();
    eprintln!("loadtest: checking that every question is answerable in every place");
    preflight(&args.repo, &places)?;

    let hs = Synapse::start(&args.repo, &dir.join("hs")).context("cannot start Synapse")?;
    let tag = format!("{:x}", crate::stamp() % 0xfffff);
    let bot_name = format!("ltbot{tag}");
    let echo_name = format!("ltecho{tag}");
    let flood_name = format!("ltflood{tag}");
    let names: Vec<String> = (0..args.residents).map(|i| format!("ltres{tag}x{i}")).collect();
    let mut everyone = names.clone();
    everyone.extend([bot_name.clone(), echo_name.clone(), flood_name.clone()]);
    hs.register(&everyone)?;
    let bot_user: OwnedUserId = format!("@{bot_name}:localhost").parse().context("bot user")?;
    let echo_user: OwnedUserId = format!("@{echo_name}:localhost").parse().context("echo user")?;

    // The clients, logged in and synced once.
    eprintln!("loadtest: {} residents log in; {} rooms", args.residents, args.rooms);
    let mut logins = tokio::task::JoinSet::new();
    for (i, name) in names.iter().enumerate() {
        let (url, name) = (hs.url.clone(), name.clone());
        logins.spawn(async move {
            let c = clients::login(&url, &name).await?;
            clients::first_sync(&c).await?;
            anyhow::Ok((i, c))
        });
    }
    let mut resident_clients: Vec<Option<Client>> = vec![None; args.residents];
    while let Some(r) = logins.join_next().await {
        let (i, c) = r.context("a login task failed")??;
        resident_clients[i] = Some(c);
    }
    let resident_clients: Vec<Client> =
        resident_clients.into_iter().map(|c| c.context("a resident is missing")).collect::<Result<_>>()?;
    let echo = clients::login(&hs.url, &echo_name).await?;
    clients::first_sync(&echo).await?;
    let flooder = clients::login(&hs.url, &flood_name).await?;

    // Rooms: created by their first asker; each room's askers join it, and the echo bot.
    let askers: Vec<Vec<usize>> = (0..args.rooms)
        .map(|m| {
            if args.residents >= args.rooms {
                (0..args.residents).filter(|r| r % args.rooms == m).collect()
            } else {
                vec![m % args.residents]
            }
        })
        .collect();
    let mut room_ids: Vec<OwnedRoomId> = Vec::new();
    let mut residents: Vec<Resident> =
        resident_clients.iter().map(|c| Resident { client: c.clone(), rooms: Vec::new() }).collect();
    let mut asker_rooms: Vec<Vec<Room>> = Vec::new();
    for (m, room_askers) in askers.iter().enumerate() {
        let owner = &residents[room_askers[0]].client;
        let room = clients::public_room(owner).await?;
        let id = room.room_id().to_owned();
        let mut per_asker = Vec::new();
        for &a in room_askers {
            let room =
                if a == room_askers[0] { room.clone() } else { clients::join(&residents[a].client, &id).await? };
            residents[a].rooms.push(room.clone());
            per_asker.push(room);
        }
        clients::join(&echo, &id).await?;
        if m == 0 && args.scenario == Scenario::Flood {
            clients::join(&flooder, &id).await?;
        }
        asker_rooms.push(per_asker);
        room_ids.push(id);
    }

    // The bot's config.
    let window_s = 60.0;
    let per_resident_per_window = args.rate * window_s / args.residents as f64;
    let per_user = match args.scenario {
        // Room for the others to ask; the flood is cut off.
        Scenario::Flood => ((per_resident_per_window * 2.0).ceil() as u64).max(8),
        _ => 1_000_000,
    };
    let config = bot_config(args, &hs.url, &bot_name, dir, &room_ids, &places, per_user);
    let config_path = dir.join("lahiapu.toml");
    std::fs::write(&config_path, config).context("cannot write the bot's config")?;
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs)?;
    let bot = Arc::new(Mutex::new(BotProc::new(bot_bin, &config_path, &logs, &args.bot_log)));
    lock(&bot).spawn()?;

    // Everyone watches their syncs from now on.
    let tracker = Arc::new(Tracker {
        bot: bot_user.to_string(),
        echo: echo_user.to_string(),
        book: Mutex::new(Book::default()),
        send_failed: AtomicU64::new(0),
        skipped: AtomicU64::new(0),
        sync_errors: Arc::new(AtomicU64::new(0)),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut watchers = Vec::new();
    for (i, r) in residents.iter().enumerate() {
        watchers.push(clients::watch_sync(
            r.client.clone(),
            i,
            tracker.sink(),
            stop_rx.clone(),
            tracker.sync_errors.clone(),
        ));
    }
    let echo_stats = Arc::new(EchoStats::default());
    let ignore: HashSet<String> = [format!("@{flood_name}:localhost")].into();
    watchers.push(clients::echo_bot(echo.clone(), ignore, stop_rx.clone(), echo_stats.clone()));

    // Wait for the bot in every room, then one warm-up question per room.
    eprintln!("loadtest: waiting for the bot to join and answer once in every room");
    for (m, rooms) in asker_rooms.iter().enumerate() {
        clients::wait_joined(&rooms[0], &bot_user).await.with_context(|| bot_log_tail(&bot, &format!("room {m}")))?;
        clients::wait_joined(&rooms[0], &echo_user).await?;
    }
    let mut warmups = Vec::new();
    for (m, rooms) in asker_rooms.iter().enumerate() {
        let asker = askers[m][0];
        let sent_at = Instant::now();
        let id = send(&rooms[0], QUESTIONS[m % QUESTIONS.len()]).await.context("a warm-up question")?;
        tracker.book().questions.insert(id.clone(), Asked { room: m, asker, sent_at, flood: false });
        warmups.push((id, asker));
    }
    let deadline = Instant::now() + clients::SETUP_WAIT;
    while !warmups
        .iter()
        .all(|(q, a)| tracker.first_seen(q, *a, true).is_some() && tracker.first_seen(q, *a, false).is_some())
    {
        if Instant::now() > deadline {
            bail!("{}", bot_log_tail(&bot, "the warm-up questions were not all answered"));
        }
        if let Some(why) = lock(&bot).exited() {
            bail!("{}", bot_log_tail(&bot, &why));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let warmup_ids: HashSet<String> = warmups.iter().map(|(q, _)| q.clone()).collect();

    // The load.
    let hs = Arc::new(Mutex::new(hs));
    let hs_down = Arc::new(AtomicBool::new(false));
    let total = (args.rate * args.seconds as f64).round() as usize;
    let faults: Vec<(f64, Fault)> = match args.scenario {
        Scenario::Kill => vec![(0.5, Fault::Kill(args.restart_after))],
        Scenario::Synapse => vec![(0.5, Fault::Synapse(args.outage))],
        // Synapse before the kill: it may take a while to stop, and questions must keep
        // coming after every fault.
        Scenario::Faults => vec![
            (0.2, Fault::Stop(args.restart_after)),
            (0.4, Fault::Synapse(args.outage)),
            (0.75, Fault::Kill(args.restart_after)),
        ],
        _ => vec![],
    };
    eprintln!(
        "loadtest: {total} questions at {} per second over {} s in {} rooms{}",
        args.rate,
        args.seconds,
        args.rooms,
        if faults.is_empty() { String::new() } else { format!(", faults: {faults:?}") }
    );
    let cpu0 = Cpu::now(&bot, &hs);
    let start = Instant::now();
    let schedule = {
        let tracker = tracker.clone();
        let asker_rooms = asker_rooms.clone();
        let askers = askers.clone();
        let hs_down = hs_down.clone();
        let rate = args.rate;
        tokio::spawn(async move {
            let mut sends = tokio::task::JoinSet::new();
            for i in 0..total {
                tokio::time::sleep_until((start + Duration::from_secs_f64(i as f64 / rate)).into()).await;
                if hs_down.load(Ordering::SeqCst) {
                    tracker.skipped.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                let m = i % asker_rooms.len();
                let k = (i / asker_rooms.len()) % askers[m].len();
                let (room, asker) = (asker_rooms[m][k].clone(), askers[m][k]);
                let tracker = tracker.clone();
                sends.spawn(async move {
                    let sent_at = Instant::now();
                    match send(&room, QUESTIONS[i % QUESTIONS.len()]).await {
                        Ok(id) => {
                            tracker.book().questions.insert(id, Asked { room: m, asker, sent_at, flood: false });
                        }
                        Err(_) => {
                            tracker.send_failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
                while sends.try_join_next().is_some() {}
            }
            while sends.join_next().await.is_some() {}
            Instant::now()
        })
    };
    let flood = if args.scenario == Scenario::Flood {
        let flood_room = clients::joined_room(&flooder, &room_ids[0]).await?;
        let tracker = tracker.clone();
        let (n, rate) = (args.flood, args.flood_rate.clamp(1.0, 1000.0));
        let begin = start + Duration::from_secs_f64(args.seconds as f64 * 0.5);
        Some(tokio::spawn(async move {
            tokio::time::sleep_until(begin.into()).await;
            let mut sends = tokio::task::JoinSet::new();
            for i in 0..n {
                tokio::time::sleep_until((begin + Duration::from_secs_f64(i as f64 / rate)).into()).await;
                let (room, tracker) = (flood_room.clone(), tracker.clone());
                sends.spawn(async move {
                    let sent_at = Instant::now();
                    match send(&room, QUESTIONS[i % QUESTIONS.len()]).await {
                        Ok(id) => {
                            tracker
                                .book()
                                .questions
                                .insert(id, Asked { room: 0, asker: usize::MAX, sent_at, flood: true });
                        }
                        Err(_) => {
                            tracker.send_failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
            while sends.join_next().await.is_some() {}
            (begin, Instant::now())
        }))
    } else {
        None
    };

    // The faults, in order.
    let mut happened: Vec<Happened> = Vec::new();
    for (at, fault) in &faults {
        tokio::time::sleep_until((start + Duration::from_secs_f64(args.seconds as f64 * at)).into()).await;
        if let Some(why) = lock(&bot).exited() {
            bail!("{}", bot_log_tail(&bot, &why));
        }
        let begin = Instant::now();
        match *fault {
            Fault::Stop(pause) | Fault::Kill(pause) => {
                let kill = matches!(fault, Fault::Kill(_));
                let b = bot.clone();
                tokio::task::spawn_blocking(move || {
                    let mut b = lock(&b);
                    if kill { b.kill9() } else { b.terminate(Duration::from_secs(15)) }
                })
                .await?;
                let stopping = begin.elapsed().as_secs_f64();
                tokio::time::sleep(Duration::from_secs_f64(pause)).await;
                lock(&bot).spawn()?;
                happened.push(Happened {
                    what: if kill { "kill -9" } else { "stop" },
                    start: begin,
                    end: Instant::now(),
                    stopping,
                });
            }
            Fault::Synapse(outage) => {
                hs_down.store(true, Ordering::SeqCst);
                let h = hs.clone();
                tokio::task::spawn_blocking(move || lock(&h).down()).await??;
                let stopping = begin.elapsed().as_secs_f64();
                // Down for the whole outage from the moment it has stopped (Synapse may take
                // a few seconds to stop).
                tokio::time::sleep(Duration::from_secs_f64(outage)).await;
                let h = hs.clone();
                tokio::task::spawn_blocking(move || lock(&h).up()).await??;
                hs_down.store(false, Ordering::SeqCst);
                happened.push(Happened { what: "Synapse down", start: begin, end: Instant::now(), stopping });
            }
        }
    }
    let last_send = schedule.await.context("the sending task failed")?;
    let flood_span = match flood {
        Some(f) => Some(f.await.context("the flooding task failed")?),
        None => None,
    };
    let cpu1 = Cpu::now(&bot, &hs);
    eprintln!("loadtest: all sent after {:.1} s; waiting for the last answers", start.elapsed().as_secs_f64());

    // Drain: until every question the bot should answer has an answer in its asker's sync.
    let catch_up = Duration::from_secs(args.catch_up_minutes * 60);
    let expired = |a: &Asked| happened.iter().any(|h| a.sent_at < h.end && h.end.duration_since(a.sent_at) > catch_up);
    let deadline = Instant::now() + Duration::from_secs(args.drain);
    loop {
        let pending = {
            let book = tracker.book();
            book.questions
                .iter()
                .filter(|(_, a)| !a.flood && !expired(a))
                .filter(|(q, a)| !book.seen.get(*q).is_some_and(|s| s.iter().any(|(o, b, _)| *o == a.asker && *b)))
                .count()
        };
        if pending == 0 || Instant::now() > deadline {
            break;
        }
        if let Some(why) = lock(&bot).exited() {
            bail!("{}", bot_log_tail(&bot, &why));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(SETTLE).await;
    let drained = Instant::now();

    // The count: every room's history, as its first asker reads it.
    let mut bot_answers: HashMap<String, Vec<String>> = HashMap::new();
    let mut echo_answers: HashMap<String, Vec<String>> = HashMap::new();
    for rooms in &asker_rooms {
        bot_answers.extend(clients::answers_by_question(&clients::history_of(&rooms[0], bot_user.as_str()).await?));
        echo_answers.extend(clients::answers_by_question(&clients::history_of(&rooms[0], echo_user.as_str()).await?));
    }
    let _ = stop_tx.send(true);
    for w in watchers {
        let _ = tokio::time::timeout(Duration::from_secs(5), w).await;
    }
    {
        let b = bot.clone();
        tokio::task::spawn_blocking(move || lock(&b).terminate(Duration::from_secs(15))).await?;
    }

    // Figures.
    let book = tracker.book();
    let mut r = Figures::default();
    let mut lat_bot = Vec::new();
    let mut lat_echo = Vec::new();
    let mut phases: Vec<(String, Instant, Instant)> = Vec::new();
    if let Some((b, e)) = flood_span {
        phases.push(("before the flood".into(), start, b));
        phases.push(("during the flood".into(), b, e + Duration::from_secs(5)));
    }
    for h in &happened {
        phases.push((format!("sent in 10 s before {}", h.what), h.start - Duration::from_secs(10), h.start));
        phases.push((format!("sent during {} + 10 s", h.what), h.start, h.end + Duration::from_secs(10)));
    }
    let mut per_phase: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); phases.len()];
    let mut flood_replies = 0;
    let mut unseen = 0;
    for (q, a) in book.questions.iter() {
        if warmup_ids.contains(q) {
            continue;
        }
        let n = bot_answers.get(q).map_or(0, Vec::len);
        if a.flood {
            r.flood_sent += 1;
            flood_replies += n;
            continue;
        }
        r.sent += 1;
        match n {
            0 if expired(a) => r.expired += 1,
            0 => r.lost.push(q.clone()),
            1 => r.once += 1,
            _ => r.twice.push(q.clone()),
        }
        if n > 0 && expired(a) {
            r.answered_late += 1;
        }
        match echo_answers.get(q).map_or(0, Vec::len) {
            0 => r.echo_lost += 1,
            1 => r.echo_once += 1,
            _ => r.echo_twice += 1,
        }
        let ours = tracker_first(&book, q, a.asker, true).map(|t| t.duration_since(a.sent_at).as_secs_f64() * 1e3);
        let theirs = tracker_first(&book, q, a.asker, false).map(|t| t.duration_since(a.sent_at).as_secs_f64() * 1e3);
        if n > 0 && ours.is_none() {
            unseen += 1;
        }
        if let Some(x) = ours {
            lat_bot.push(x);
        }
        if let Some(x) = theirs {
            lat_echo.push(x);
        }
        for (i, (_, from, to)) in phases.iter().enumerate() {
            if a.sent_at >= *from && a.sent_at < *to {
                if let Some(x) = ours {
                    per_phase[i].0.push(x);
                }
                if let Some(x) = theirs {
                    per_phase[i].1.push(x);
                }
            }
        }
        let _ = a.room;
    }
    let send_span = last_send.duration_since(start).as_secs_f64();
    let last_answer = book
        .seen
        .values()
        .flat_map(|v| v.iter().filter(|(_, b, _)| *b).map(|(_, _, t)| *t))
        .filter(|t| *t <= drained)
        .max()
        .unwrap_or(last_send);
    drop(book);
    let bot_usage = lock(&bot);
    let report = Report {
        args: args.clone(),
        figures: r,
        ours: Latency::of(&lat_bot),
        echo: Latency::of(&lat_echo),
        phases: phases
            .iter()
            .zip(&per_phase)
            .map(|((label, _, _), (o, e))| (label.clone(), Latency::of(o), Latency::of(e)))
            .collect(),
        send_rate: tracker_sent(&tracker) as f64 / send_span.max(1e-9),
        answer_rate: lat_bot.len() as f64 / last_answer.duration_since(start).as_secs_f64().max(1e-9),
        bot_cpu_s: bot_usage.cpu_seconds(),
        bot_cpu_load_s: cpu1.bot - cpu0.bot,
        bot_peak_rss_kib: bot_usage.peak_rss_kib(),
        bot_starts: bot_usage.starts,
        synapse_cpu_load_s: cpu1.synapse - cpu0.synapse,
        harness_cpu_load_s: cpu1.harness - cpu0.harness,
        load_s: cpu1.at.duration_since(cpu0.at).as_secs_f64(),
        send_failed: tracker.send_failed.load(Ordering::Relaxed),
        skipped: tracker.skipped.load(Ordering::Relaxed),
        sync_errors: tracker.sync_errors.load(Ordering::Relaxed),
        echo_send_failed: echo_stats.failed.load(Ordering::Relaxed),
        unseen,
        flood_replies,
        per_user,
        loadavg: (cpu0.loadavg.clone(), cpu1.loadavg.clone()),
        faults: happened
            .iter()
            .map(|h| {
                let at = h.start.duration_since(start).as_secs_f64();
                (h.what, at, h.end.duration_since(h.start).as_secs_f64(), h.stopping)
            })
            .collect(),
    };
    drop(bot_usage);
    report.print();
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report.json())?).context("cannot write the JSON report")?;
    }
    let ok = report.figures.lost.is_empty() && report.figures.twice.is_empty();
    if !ok {
        eprintln!(
            "loadtest: FAILED: lost {:?}; answered more than once {:?}",
            report.figures.lost, report.figures.twice
        );
        eprintln!("loadtest: the bot's logs are in {}", logs.display());
    }
    drop(hs);
    Ok(ok)
}

fn tracker_first(book: &Book, q: &str, asker: usize, from_bot: bool) -> Option<Instant> {
    book.seen.get(q)?.iter().filter(|(o, b, _)| *o == asker && *b == from_bot).map(|(_, _, at)| *at).min()
}

fn tracker_sent(t: &Tracker) -> usize {
    t.book().questions.values().filter(|a| !a.flood).count()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn bot_log_tail(bot: &Mutex<BotProc>, what: &str) -> String {
    let path = lock(bot).log_path();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    format!("{what}; the end of the bot's log ({}):\n{}", path.display(), tail.join("\n"))
}

async fn send(room: &Room, body: &str) -> Result<String> {
    let response = room
        .send_raw("m.room.message", json!({"msgtype": "m.text", "body": body}))
        .await
        .context("sending a question failed")?;
    Ok(response.response.event_id.to_string())
}

/// Every question gets a confident answer (or is a crisis) in every place, and reads as a
/// question in an `answer_all` room: otherwise "lost" would mean nothing.
fn preflight(repo: &Path, places: &[&str]) -> Result<()> {
    let knowledge = lahiapu::knowledge::load(&repo.join("knowledge"), lahiapu::today_in_finland())?.into_valid()?;
    let assistant = Assistant::new(knowledge, Assistant::load_voikko())?;
    let mut seen = HashSet::new();
    for place in places {
        if !seen.insert(*place) {
            continue;
        }
        let p = assistant.resolve_place(place).with_context(|| format!("unknown place {place}"))?;
        for q in QUESTIONS {
            let mut cx = AskContext::now();
            cx.default_place = Some(p.clone());
            let answer = assistant.ask(q, &cx)?;
            anyhow::ensure!(answer.confident || answer.crisis, "{q:?} has no confident answer in {place}");
            anyhow::ensure!(answer.crisis || looks_like_question(q), "{q:?} does not read as a question");
        }
    }
    Ok(())
}

fn bot_config(
    args: &Args,
    url: &str,
    bot: &str,
    dir: &Path,
    rooms: &[OwnedRoomId],
    places: &[&str],
    per_user: u64,
) -> String {
    let mut text = format!(
        "[matrix]\nhomeserver = \"{url}\"\nuser = \"@{bot}:localhost\"\npassword = \"{bot}\"\nstore = \"{}\"\n\n\
         [bot]\nknowledge = \"{}\"\ncatch_up_minutes = {}\n\n\
         [limits]\nper_user = {per_user}\nper_room = 1000000\nglobal = 10000000\nwindow_seconds = 60\n\n",
        dir.join("bot-store").display(),
        args.repo.join("knowledge").display(),
        args.catch_up_minutes,
    );
    if args.bot_in_flight.is_some() || args.bot_per_room.is_some() {
        text.push_str("[sending]\n");
        if let Some(n) = args.bot_in_flight {
            text.push_str(&format!("in_flight = {n}\n"));
        }
        if let Some(n) = args.bot_per_room {
            text.push_str(&format!("per_room = {n}\n"));
        }
        text.push('\n');
    }
    for (id, place) in rooms.iter().zip(places) {
        text.push_str(&format!("[[rooms]]\nroom = \"{id}\"\nplace = \"{place}\"\nanswer_all = true\n\n"));
    }
    text
}

/// CPU seconds of the bot, Synapse and the harness at one moment.
struct Cpu {
    at: Instant,
    loadavg: String,
    bot: f64,
    synapse: f64,
    harness: f64,
}

impl Cpu {
    fn now(bot: &Mutex<BotProc>, hs: &Mutex<Synapse>) -> Self {
        Self {
            at: Instant::now(),
            loadavg: procs::loadavg(),
            bot: lock(bot).cpu_seconds(),
            synapse: lock(hs).cpu_seconds_total(),
            harness: procs::own_cpu_seconds(),
        }
    }
}

#[derive(Debug, Default)]
struct Figures {
    sent: usize,
    once: usize,
    twice: Vec<String>,
    lost: Vec<String>,
    expired: usize,
    answered_late: usize,
    echo_once: usize,
    echo_twice: usize,
    echo_lost: usize,
    flood_sent: usize,
}

struct Report {
    args: Args,
    figures: Figures,
    ours: Latency,
    echo: Latency,
    phases: Vec<(String, Latency, Latency)>,
    send_rate: f64,
    answer_rate: f64,
    bot_cpu_s: f64,
    bot_cpu_load_s: f64,
    bot_peak_rss_kib: u64,
    bot_starts: u32,
    synapse_cpu_load_s: f64,
    harness_cpu_load_s: f64,
    load_s: f64,
    send_failed: u64,
    skipped: u64,
    sync_errors: u64,
    echo_send_failed: u64,
    unseen: usize,
    flood_replies: usize,
    per_user: u64,
    /// What, when (s into the load), back after (s), stopping took (s).
    faults: Vec<(&'static str, f64, f64, f64)>,
    loadavg: (String, String),
}

impl Report {
    fn print(&self) {
        let a = &self.args;
        let f = &self.figures;
        println!();
        println!(
            "scenario {:?}: {} rooms, {} residents, {} questions/s for {} s; {} build; catch-up window {} min; bot sends in flight {} ({} per room)",
            a.scenario,
            a.rooms,
            a.residents,
            a.rate,
            a.seconds,
            crate::build(),
            a.catch_up_minutes,
            a.bot_in_flight.map_or("default".to_string(), |n| n.to_string()),
            a.bot_per_room.map_or("default".to_string(), |n| n.to_string())
        );
        for (what, at, took, stopping) in &self.faults {
            println!("fault: {what} at {at:.1} s (stopping took {stopping:.1} s), back after {took:.1} s");
        }
        println!(
            "questions: sent {} (send failed {}, not sent while Synapse was down {})",
            f.sent, self.send_failed, self.skipped
        );
        println!(
            "bot:  answered once {}, more than once {}, lost {}, older than the catch-up window when the bot could act again {} (of them answered {})",
            f.once,
            f.twice.len(),
            f.lost.len(),
            f.expired,
            f.answered_late
        );
        println!(
            "echo: answered once {}, more than once {}, unanswered {} (send failures {})",
            f.echo_once, f.echo_twice, f.echo_lost, self.echo_send_failed
        );
        if f.flood_sent > 0 {
            println!(
                "flood: {} messages from one user, {} replies from the bot (per-user budget {} a minute, then one notice)",
                f.flood_sent, self.flood_replies, self.per_user
            );
        }
        println!("{}", stats::header());
        println!("{}", self.ours.row("bot"));
        println!("{}", self.echo.row("echo bot"));
        println!("{}", stats::ratio_row(&self.ours, &self.echo));
        for (label, o, e) in &self.phases {
            println!("  {label}:");
            println!("{}", o.row("  bot"));
            println!("{}", e.row("  echo bot"));
            println!("{}", stats::ratio_row(o, e));
        }
        println!(
            "throughput: questions sent {:.1}/s, answers seen {:.1}/s (first question to last answer)",
            self.send_rate, self.answer_rate
        );
        println!(
            "bot: CPU {:.1} s in all ({} process{}), {:.1} s during the {:.0} s of load; peak RSS {:.0} MiB",
            self.bot_cpu_s,
            self.bot_starts,
            if self.bot_starts == 1 { "" } else { "es" },
            self.bot_cpu_load_s,
            self.load_s,
            self.bot_peak_rss_kib as f64 / 1024.0
        );
        println!(
            "during the load: Synapse CPU {:.1} s, harness CPU (residents, echo bot) {:.1} s; resident sync errors {}; answers not seen in a sync (only in the history) {}",
            self.synapse_cpu_load_s, self.harness_cpu_load_s, self.sync_errors, self.unseen
        );
        println!("machine load average (1/5/15 min) before the load {}, after it {}", self.loadavg.0, self.loadavg.1);
    }

    fn json(&self) -> Value {
        let a = &self.args;
        let f = &self.figures;
        json!({
            "scenario": format!("{:?}", a.scenario).to_lowercase(),
            "build": crate::build(),
            "rooms": a.rooms, "residents": a.residents, "rate": a.rate, "seconds": a.seconds,
            "catch_up_minutes": a.catch_up_minutes,
            "bot_in_flight": a.bot_in_flight, "bot_per_room": a.bot_per_room,
            "faults": self.faults.iter().map(|(w, at, took, stopping)| json!({"what": w, "at_s": at, "back_after_s": took, "stopping_s": stopping})).collect::<Vec<_>>(),
            "sent": f.sent, "send_failed": self.send_failed, "skipped_while_down": self.skipped,
            "answered_once": f.once, "answered_twice_or_more": f.twice.len(), "lost": f.lost.len(),
            "expired": f.expired, "expired_but_answered": f.answered_late,
            "echo": {"answered_once": f.echo_once, "more": f.echo_twice, "unanswered": f.echo_lost},
            "flood": {"sent": f.flood_sent, "replies": self.flood_replies, "per_user": self.per_user},
            "latency_bot": self.ours.json(), "latency_echo": self.echo.json(),
            "phases": self.phases.iter().map(|(l, o, e)| json!({"phase": l, "bot": o.json(), "echo": e.json()})).collect::<Vec<_>>(),
            "send_rate": self.send_rate, "answer_rate": self.answer_rate,
            "bot_cpu_s": self.bot_cpu_s, "bot_cpu_during_load_s": self.bot_cpu_load_s,
            "bot_peak_rss_mib": self.bot_peak_rss_kib as f64 / 1024.0,
            "synapse_cpu_during_load_s": self.synapse_cpu_load_s, "harness_cpu_during_load_s": self.harness_cpu_load_s,
            "load_s": self.load_s, "loadavg_before": self.loadavg.0, "loadavg_after": self.loadavg.1, "unseen_in_sync": self.unseen, "sync_errors": self.sync_errors,
        })
    }
}
