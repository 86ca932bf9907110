//! Criterion benchmarks: one question end to end (analysis, search, ranking, reply text)
//! on the shipped knowledge and on a generated 10 000-entry knowledge base, and building the
//! index. Run with `cargo bench --bench pipeline`; figures in docs/performance.md.

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
