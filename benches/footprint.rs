//! Latency percentiles and resident memory at 10 000 entries, which criterion does not
//! report: builds the assistant once, asks every benchmark question many times, and prints
//! p50/p99/max per question, the build time and the process's peak resident memory.
//! Run with `cargo bench --bench footprint`; figures in docs/performance.md.

mod support;

use std::time::{Duration, Instant};

use lahiapu::assistant::{AskContext, Assistant};

fn main() {
    let (entries, rounds) = if support::benchmarking() { (10_000, 200) } else { (300, 2) };
    let base_rss = rss_kb();
    let knowledge = support::synthetic(entries);
    let knowledge_rss = rss_kb();
    let voikko = Assistant::load_voikko();
    let started = Instant::now();
    let assistant = Assistant::new(knowledge, voikko).expect("assistant builds");
    let build = started.elapsed();
    let built_rss = rss_kb();

    let cx = AskContext::now();
    for q in support::QUESTIONS {
        assistant.ask(q, &cx).expect("answers");
    }
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..rounds {
        for q in support::QUESTIONS {
            let t = Instant::now();
            let answer = assistant.ask(q, &cx).expect("answers");
            times.push(t.elapsed());
            std::hint::black_box(answer);
        }
    }
    let mut long: Vec<Duration> = Vec::new();
    for q in support::LONG_QUESTIONS {
        assistant.ask(q, &cx).expect("answers");
    }
    for _ in 0..rounds {
        for q in support::LONG_QUESTIONS {
            let t = Instant::now();
            std::hint::black_box(assistant.ask(q, &cx).expect("answers"));
            long.push(t.elapsed());
        }
    }
    println!(
        "entries {entries}, voikko {}, swedish dictionary {}, questions {} short + {} long",
        assistant.has_voikko(),
        assistant.has_swedish_dictionary(),
        times.len(),
        long.len()
    );
    println!("build {:.2} s", build.as_secs_f64());
    for (kind, times) in [("short", &mut times), ("long", &mut long)] {
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        println!(
            "ask {kind}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            ms(pct(0.50)),
            ms(pct(0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO))
        );
    }
    println!(
        "resident memory: at start {} MB, with the knowledge loaded {} MB, after the build {} MB, after the questions {} MB, peak {} MB",
        base_rss / 1000,
        knowledge_rss / 1000,
        built_rss / 1000,
        rss_kb() / 1000,
        status_kb("VmHWM") / 1000
    );
}

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn rss_kb() -> u64 {
    status_kb("VmRSS")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
