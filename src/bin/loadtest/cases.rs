//! Escalation under a `kill -9`: residents open cases (consent, a private chat, a case root
//! in the volunteers' room); volunteers answer in the case threads and residents write
//! follow-ups while the bot is killed and restarted; every relay must arrive exactly once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::Args;
use crate::clients::{self, Sink};
use crate::procs::{BotProc, Synapse};
use crate::stats::{self, Latency};

/// Per marker: when it was sent, and when its relay was first seen by its addressee.
#[derive(Default)]
struct Relays {
    sent: HashMap<String, Instant>,
    seen: HashMap<String, Instant>,
}

/// Relays of one direction: sent, relayed once, relayed more than once, lost, latencies.
type Tally = (usize, usize, Vec<String>, Vec<String>, Vec<f64>);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub async fn run(args: &Args, dir: &Path, bot_bin: &Path) -> Result<bool> {
    let n = args.cases.clamp(1, 200);
    let replies = args.replies.clamp(1, 1000);
    let hs = Synapse::start(&args.repo, &dir.join("hs")).context("cannot start Synapse")?;
    let tag = format!("{:x}", crate::stamp() % 0xfffff);
    let bot_name = format!("ltbot{tag}");
    let volunteers = [format!("ltvol{tag}a"), format!("ltvol{tag}b")];
    let names: Vec<String> = (0..n).map(|i| format!("ltcase{tag}x{i}")).collect();
    let mut everyone = names.clone();
    everyone.push(bot_name.clone());
    everyone.extend(volunteers.iter().cloned());
    hs.register(&everyone)?;
    let bot_user: OwnedUserId = format!("@{bot_name}:localhost").parse().context("bot user")?;

    let mut residents = Vec::new();
    for name in &names {
        let c = clients::login(&hs.url, name).await?;
        clients::first_sync(&c).await?;
        residents.push(c);
    }
    let v1 = clients::login(&hs.url, &volunteers[0]).await?;
    let v2 = clients::login(&hs.url, &volunteers[1]).await?;
    clients::first_sync(&v1).await?;
    clients::first_sync(&v2).await?;
    let v2_user = v2.user_id().context("no user ID")?.to_owned();
    let v1_user = v1.user_id().context("no user ID")?.to_owned();
    let room = clients::private_room(&v1, &[bot_user.clone(), v2_user.clone()]).await?;
    let room_id: OwnedRoomId = room.room_id().to_owned();
    let v2_room = clients::join(&v2, &room_id).await?;

    let config = format!(
        "[matrix]\nhomeserver = \"{}\"\nuser = \"{bot_user}\"\npassword = \"{bot_name}\"\nstore = \"{}\"\n\n\
         [bot]\nknowledge = \"{}\"\ncatch_up_minutes = {}\n\n\
         [limits]\nper_user = 100000\nper_room = 100000\nglobal = 1000000\n\n\
         [escalation]\nvolunteers_room = \"{room_id}\"\norganisations = [\"Testijärjestö ry\"]\n\
         volunteers = [\"{v1_user}\", \"{v2_user}\"]\n",
        hs.url,
        dir.join("bot-store").display(),
        args.repo.join("knowledge").display(),
        args.catch_up_minutes
    );
    let config_path = dir.join("lahiapu.toml");
    std::fs::write(&config_path, config).context("cannot write the bot's config")?;
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs)?;
    let bot = Arc::new(Mutex::new(BotProc::new(bot_bin, &config_path, &logs, &args.bot_log)));
    lock(&bot).spawn()?;

    // Residents watch their private chats, volunteer 1 the volunteers' room.
    let relays = Arc::new(Mutex::new(Relays::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let errors = Arc::new(AtomicU64::new(0));
    let sink: Sink = {
        let (relays, bot) = (relays.clone(), bot_user.to_string());
        Arc::new(move |_observer, _room, json: &Value, at| {
            if json["sender"] != bot.as_str() || json["type"] != "m.room.message" {
                return;
            }
            for token in clients::tokens(json["content"]["body"].as_str().unwrap_or_default()) {
                lock(&relays).seen.entry(token).or_insert(at);
            }
        })
    };
    let mut watchers = Vec::new();
    for (i, c) in residents.iter().chain([&v1]).enumerate() {
        watchers.push(clients::watch_sync(c.clone(), i, sink.clone(), stop_rx.clone(), errors.clone()));
    }
    let v1_room = clients::joined_room(&v1, &room_id).await?;
    clients::wait_joined(&v1_room, &bot_user).await?;

    // Each resident asks for a person in a private chat, consents and writes the first message.
    eprintln!("loadtest: {n} residents open cases");
    let mut opening = tokio::task::JoinSet::new();
    for (k, c) in residents.iter().enumerate() {
        let (c, bot) = (c.clone(), bot_user.clone());
        opening.spawn(async move { open_case(&c, &bot, k).await.map(|dm| (k, dm)) });
    }
    let mut dms: Vec<Option<Room>> = vec![None; n];
    while let Some(r) = opening.join_next().await {
        let (k, dm) = r.context("a case task failed")??;
        dms[k] = Some(dm);
    }
    let dms: Vec<Room> = dms.into_iter().map(|d| d.context("a private chat is missing")).collect::<Result<_>>()?;
    let deadline = Instant::now() + clients::SETUP_WAIT;
    let roots: HashMap<usize, String> = loop {
        let found = case_roots(&v1_room, bot_user.as_str()).await?;
        if found.len() == n {
            break found;
        }
        if Instant::now() > deadline {
            bail!("only {} of {n} case roots appeared in the volunteers' room", found.len());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };

    // The conversation: volunteers answer in the threads, residents follow up, and the bot
    // is killed in the middle.
    let total = n * replies * 2;
    let span = Duration::from_secs(args.seconds);
    eprintln!("loadtest: {total} messages to relay over {} s; kill -9 of the bot in the middle", args.seconds);
    let start = Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    let mut killed = None;
    let mut i = 0;
    let send_failed = Arc::new(AtomicU64::new(0));
    for j in 1..=replies {
        for k in 0..n {
            for from_volunteer in [true, false] {
                tokio::time::sleep_until((start + span.mul_f64(i as f64 / total as f64)).into()).await;
                if killed.is_none() && i >= total / 2 {
                    let b = bot.clone();
                    let begin = Instant::now();
                    tokio::task::spawn_blocking(move || lock(&b).kill9()).await?;
                    tokio::time::sleep(Duration::from_secs_f64(args.restart_after)).await;
                    lock(&bot).spawn()?;
                    killed = Some((begin.duration_since(start).as_secs_f64(), begin.elapsed().as_secs_f64()));
                }
                i += 1;
                let (room, content, token) = if from_volunteer {
                    let token = format!("LT-v-{k}-{j}");
                    let room = if j % 2 == 0 { v2_room.clone() } else { v1_room.clone() };
                    let root = &roots[&k];
                    let content = json!({"msgtype": "m.text", "body": format!("{token} vastaus vapaaehtoiselta"),
                        "m.relates_to": {"rel_type": "m.thread", "event_id": root, "is_falling_back": true,
                            "m.in_reply_to": {"event_id": root}}});
                    (room, content, token)
                } else {
                    let token = format!("LT-r-{k}-{j}");
                    let content = json!({"msgtype": "m.text", "body": format!("{token} kiitos, vielä yksi asia")});
                    (dms[k].clone(), content, token)
                };
                let (relays, failed) = (relays.clone(), send_failed.clone());
                sends.spawn(async move {
                    let at = Instant::now();
                    match room.send_raw("m.room.message", content).await {
                        Ok(_) => {
                            lock(&relays).sent.insert(token, at);
                        }
                        Err(_) => {
                            failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            }
        }
    }
    while sends.join_next().await.is_some() {}

    let deadline = Instant::now() + Duration::from_secs(args.drain);
    loop {
        let pending = {
            let r = lock(&relays);
            r.sent.keys().filter(|t| !r.seen.contains_key(*t)).count()
        };
        if pending == 0 || Instant::now() > deadline {
            break;
        }
        if let Some(why) = lock(&bot).exited() {
            bail!("{why}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;

    // The count, from the rooms' histories.
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut histories = Vec::new();
    for dm in &dms {
        histories.extend(clients::history_of(dm, bot_user.as_str()).await?);
    }
    histories.extend(clients::history_of(&v1_room, bot_user.as_str()).await?);
    for m in &histories {
        let mut in_this: Vec<String> = clients::tokens(m["content"]["body"].as_str().unwrap_or_default());
        in_this.dedup();
        for t in in_this {
            *counts.entry(t).or_default() += 1;
        }
    }
    let _ = stop_tx.send(true);
    for w in watchers {
        let _ = tokio::time::timeout(Duration::from_secs(5), w).await;
    }
    {
        let b = bot.clone();
        tokio::task::spawn_blocking(move || lock(&b).terminate(Duration::from_secs(15))).await?;
    }

    let r = lock(&relays);
    let mut figures: HashMap<&str, Tally> = HashMap::new();
    for (token, sent_at) in &r.sent {
        let to = if token.starts_with("LT-v-") { "to residents" } else { "to volunteers" };
        let e = figures.entry(to).or_default();
        e.0 += 1;
        match counts.get(token).copied().unwrap_or(0) {
            0 => e.3.push(token.clone()),
            1 => e.1 += 1,
            _ => e.2.push(token.clone()),
        }
        if let Some(seen) = r.seen.get(token) {
            e.4.push(seen.duration_since(*sent_at).as_secs_f64() * 1e3);
        }
    }
    let b = lock(&bot);
    println!();
    println!(
        "scenario Cases: {n} cases, {replies} volunteer answers and {replies} follow-ups each over {} s; {} build",
        args.seconds,
        crate::build()
    );
    if let Some((at, took)) = killed {
        println!("fault: kill -9 at {at:.1} s, back after {took:.1} s");
    }
    println!("case roots: {} of {n} (one each)", roots.len());
    let mut ok = roots.len() == n;
    let mut out = json!({"scenario": "cases", "build": crate::build(), "cases": n, "replies": replies,
        "seconds": args.seconds, "send_failed": send_failed.load(std::sync::atomic::Ordering::Relaxed)});
    println!("{}", stats::header());
    for to in ["to residents", "to volunteers"] {
        let (sent, once, twice, lost, lat) = figures.remove(to).unwrap_or_default();
        let l = Latency::of(&lat);
        println!("relays {to}: sent {sent}, relayed once {once}, more than once {}, lost {}", twice.len(), lost.len());
        println!("{}", l.row(&format!("relay {to}")));
        if !twice.is_empty() || !lost.is_empty() {
            eprintln!("loadtest: FAILED relays {to}: lost {lost:?}, doubled {twice:?}");
            ok = false;
        }
        out[to.replace(' ', "_")] = json!({"sent": sent, "once": once, "twice": twice.len(), "lost": lost.len(),
            "latency": l.json()});
    }
    println!(
        "bot: CPU {:.1} s in all ({} processes), peak RSS {:.0} MiB; send failures {}",
        b.cpu_seconds(),
        b.starts,
        b.peak_rss_kib() as f64 / 1024.0,
        send_failed.load(std::sync::atomic::Ordering::Relaxed)
    );
    out["bot_cpu_s"] = json!(b.cpu_seconds());
    out["bot_peak_rss_mib"] = json!(b.peak_rss_kib() as f64 / 1024.0);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&out)?).context("cannot write the JSON report")?;
    }
    drop(hs);
    Ok(ok)
}

/// A private chat with the bot, `!ihminen`, consent, and the first message (marker
/// `LT-c-k-0`); returns the chat.
async fn open_case(client: &Client, bot: &OwnedUserId, k: usize) -> Result<Room> {
    let dm = client.create_dm(bot).await.context("cannot create a direct chat")?;
    clients::wait_joined(&dm, bot).await?;
    say(&dm, "!ihminen").await?;
    wait_text(&dm, bot, "Välitänkö viestisi?").await?;
    say(&dm, "kyllä").await?;
    wait_text(&dm, bot, "Kirjoita nyt viestisi").await?;
    say(&dm, &format!("LT-c-{k}-0 Tarvitsen apua velkojen kanssa, en tiedä mistä aloittaa.")).await?;
    wait_text(&dm, bot, "Viestisi on välitetty vapaaehtoisille").await?;
    Ok(dm)
}

async fn say(room: &Room, body: &str) -> Result<()> {
    room.send_raw("m.room.message", json!({"msgtype": "m.text", "body": body})).await.context("cannot send")?;
    Ok(())
}

async fn wait_text(room: &Room, bot: &OwnedUserId, text: &str) -> Result<()> {
    let deadline = Instant::now() + clients::SETUP_WAIT;
    loop {
        let seen = clients::history_of(room, bot.as_str()).await?;
        if seen.iter().any(|m| m["content"]["body"].as_str().is_some_and(|b| b.contains(text))) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the bot never said {text:?} in {}", room.room_id());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The case roots in the volunteers' room, by the case's marker number.
async fn case_roots(room: &Room, bot: &str) -> Result<HashMap<usize, String>> {
    let mut out = HashMap::new();
    for m in clients::history_of(room, bot).await? {
        if !m["content"]["fi.lahiapu.case"].is_number() {
            continue;
        }
        let body = m["content"]["body"].as_str().unwrap_or_default();
        for t in clients::tokens(body) {
            if let Some(k) = t.strip_prefix("LT-c-").and_then(|r| r.split('-').next()).and_then(|k| k.parse().ok())
                && let Some(id) = m["event_id"].as_str()
            {
                out.insert(k, id.to_owned());
            }
        }
    }
    Ok(out)
}
