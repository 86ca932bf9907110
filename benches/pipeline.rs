//! Criterion benchmarks: one question end to end (understanding, search, ranking, reply
//! text) on the shipped knowledge and on a generated 10 000-entry knowledge base, for short
//! questions, long narrative ones and a 64 KiB paste of distinct made-up words; and building
//! the index. Run with `cargo bench --bench pipeline`; figures in docs/performance.md.

mod support;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use lahiapu::assistant::{AskContext, Assistant};

fn ask(c: &mut Criterion) {
    let voikko = Assistant::load_voikko();
    let large = if support::benchmarking() { 10_000 } else { 300 };
    for (name, knowledge) in [("shipped", support::shipped()), ("10k", support::synthetic(large))] {
        let assistant = Assistant::new(knowledge, voikko.clone()).expect("assistant builds");
        let cx = AskContext::now();
        // Warm Voikko's cache as a running bot's would be.
        for q in support::QUESTIONS {
            assistant.ask(q, &cx).expect("answers");
        }
        let mut i = 0;
        c.bench_function(&format!("ask/{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % support::QUESTIONS.len();
                assistant.ask(support::QUESTIONS[i], &cx).expect("answers")
            })
        });
        for q in support::LONG_QUESTIONS {
            assistant.ask(q, &cx).expect("answers");
        }
        let mut i = 0;
        c.bench_function(&format!("ask-long/{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % support::LONG_QUESTIONS.len();
                assistant.ask(support::LONG_QUESTIONS[i], &cx).expect("answers")
            })
        });
        // Distinct made-up words: each one a miss of every cache, at most 32 of them searched.
        let paste = support::paste_64k();
        c.bench_function(&format!("ask-64k-paste/{name}"), |b| b.iter(|| assistant.ask(&paste, &cx).expect("answers")));
    }
}

fn build(c: &mut Criterion) {
    let voikko = Assistant::load_voikko();
    let large = if support::benchmarking() { 10_000 } else { 300 };
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for (name, knowledge) in [("shipped", support::shipped()), ("10k", support::synthetic(large))] {
        // Cloning the knowledge is set-up, not part of the build being measured.
        group.bench_function(name, |b| {
            b.iter_batched(
                || knowledge.clone(),
                |k| Assistant::new(k, voikko.clone()).expect("assistant builds"),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, ask, build);
criterion_main!(benches);
