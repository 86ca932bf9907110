//! Criterion benchmarks of bad input: a 64 KiB question of distinct made-up words through
//! what the bot does with a message, beside a normal question. Run with
//! `cargo bench --bench adversarial`; figures in docs/performance.md.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::escalation::intent;
use lahiapu::matrix::event::{self, Parsed};
use serde_json::{Value, json};

/// Distinct words no dictionary knows (a counter spelled in letters), 64 KiB in all.
fn made_up_words() -> String {
    let mut out = String::new();
    let mut n: u64 = 0;
    while out.len() < 64 * 1024 - 16 {
        let mut x = n;
        loop {
            out.push(char::from(b'a' + (x % 26) as u8));
            x /= 26;
            if x == 0 {
                break;
            }
        }
        out.push_str("ksi ");
        n += 1;
    }
    out.push('?');
    out
}

fn event_of(body: &str) -> Value {
    json!({"type": "m.room.message", "sender": "@res:localhost", "event_id": "$q:localhost",
        "origin_server_ts": 1_700_000_000_000u64, "content": {"msgtype": "m.text", "body": body}})
}

/// What the worker does with a question: parse the event, understand it once (crisis,
/// question shape), check for a request for a person, answer.
fn worker_steps(assistant: &Assistant, json: &Value, cx: &AskContext) -> usize {
    let Parsed::Message(a) = event::parse(json, "!room:localhost", "@lahiapu:localhost") else { return 0 };
    let q = assistant.understand(&a.body, cx);
    let (crisis, question_like) = (q.crisis, q.looks_like_question());
    let person = intent::asks_for_person(&a.body);
    let answer = assistant.answer(&q, cx).expect("answers");
    answer.reply.len() + usize::from(crisis.any()) + usize::from(question_like) + usize::from(person)
}

fn adversarial(c: &mut Criterion) {
    let assistant = Assistant::new(support::shipped(), Assistant::load_voikko()).expect("assistant builds");
    let mut cx = AskContext::now();
    cx.default_place = assistant.resolve_place("Turku");
    let long = made_up_words();
    assert!(long.len() <= 64 * 1024);
    let normal = "mistä saa apua velkoihin?";
    for q in support::QUESTIONS {
        assistant.ask(q, &cx).expect("answers");
    }
    let (long_event, normal_event) = (event_of(&long), event_of(normal));
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(20);
    group.bench_function("worker/normal-question", |b| b.iter(|| worker_steps(&assistant, &normal_event, &cx)));
    group.bench_function("worker/64k-made-up-words", |b| b.iter(|| worker_steps(&assistant, &long_event, &cx)));
    group.bench_function("ask/64k-made-up-words", |b| b.iter(|| assistant.ask(&long, &cx).expect("answers")));
    // The language of a short notice (a flood notice, a command's reply) is read from the
    // whole message.
    group.bench_function("detect-language/64k-made-up-words", |b| b.iter(|| assistant.detect_language(&long, None)));
    group.bench_function("parse/64k-event", |b| {
        b.iter(|| event::parse(&long_event, "!room:localhost", "@lahiapu:localhost"))
    });
    group.finish();
}

criterion_group!(benches, adversarial);
criterion_main!(benches);
