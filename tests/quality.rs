//! Answer quality on the golden question set (`tests/golden/questions.jsonl`, 172 questions
//! in fi/sv/en: colloquial, inflected, compounds split and joined, typos, off-topic,
//! crisis), measured with Voikko and without it. The levels asserted here are the ones
//! recorded in `docs/quality.md`, a little below what was measured, so that a real
//! regression fails while a one-question wobble from a knowledge edit does not. Reaching
//! help is held to issue 9's targets on the golden and the held-out sets: at least 95 % of
//! the services a reply lists give a channel, and in at least 85 % of replies all of them do.
//!
//! The Voikko run needs Debian's `libvoikko1` and `voikko-fi`; `scripts/test` installs them.
//! Without them it fails, never skips.

use std::path::Path;
use std::sync::Arc;

use chrono::TimeZone;
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::knowledge;
use lahiapu::search::voikko::Voikko;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Levels {
    category: f64,
    place: f64,
    language: f64,
}

/// The targets for reaching help (issue 9): of the services a reply lists, the share
/// that give a channel, and the share of replies in which every listed one does.
const LISTED_REACHABLE: f64 = 0.95;
const ANSWERS_ALL_REACHABLE: f64 = 0.85;

#[derive(Default, Debug)]
struct Score {
    category: (usize, usize),
    place: (usize, usize),
    language: (usize, usize),
    crisis: (usize, usize),
    refused: (usize, usize),
    /// Listed services (the reply's first three) that give a channel.
    listed_reachable: (usize, usize),
    /// Confident answers whose listed services all give a channel.
    answers_reachable: (usize, usize),
    false_alarms: usize,
    failures: Vec<String>,
}

fn share((ok, n): (usize, usize)) -> f64 {
    if n == 0 { 1.0 } else { ok as f64 / n as f64 }
}

fn assistant(voikko: Option<Arc<Voikko>>) -> Assistant {
    let knowledge =
        knowledge::load(&Path::new(ROOT).join("knowledge"), lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
    Assistant::new(knowledge, voikko).unwrap()
}

fn score(assistant: &Assistant, file: &str) -> Score {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/golden").join(file)).unwrap();
    let mut cx = AskContext::now();
    // A fixed Monday noon, so that nothing depends on when the test runs.
    cx.now = chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let mut s = Score::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let item: Value = serde_json::from_str(line).unwrap();
        let q = item["q"].as_str().unwrap();
        let answer = assistant.ask(q, &cx).unwrap();
        let count = |slot: &mut (usize, usize), ok: bool, why: String, failures: &mut Vec<String>| {
            slot.1 += 1;
            if ok {
                slot.0 += 1;
            } else {
                failures.push(format!("{q:?}: {why}"));
            }
        };
        if item["none"].as_bool() == Some(true) {
            count(
                &mut s.refused,
                !answer.confident,
                format!("answered with {:?}", answer.results.iter().map(|r| &r.id).collect::<Vec<_>>()),
                &mut s.failures,
            );
        } else if let Some(cats) = item["cats"].as_array() {
            let want: Vec<&str> = cats.iter().filter_map(Value::as_str).collect();
            let top: Vec<&lahiapu::assistant::ResultItem> = answer.results.iter().take(3).collect();
            let ok = top.iter().any(|r| r.categories.iter().any(|c| want.contains(&c.as_str())));
            count(
                &mut s.category,
                ok,
                format!("want {want:?}, top-3 {:?}", top.iter().map(|r| &r.id).collect::<Vec<_>>()),
                &mut s.failures,
            );
        }
        if answer.confident && !answer.results.is_empty() {
            let listed: Vec<&lahiapu::assistant::ResultItem> =
                answer.results.iter().take(lahiapu::answer::MAX_SERVICES).collect();
            for r in &listed {
                count(
                    &mut s.listed_reachable,
                    !r.channels.is_empty(),
                    format!("{} gives no channel", r.id),
                    &mut s.failures,
                );
            }
            let all = listed.iter().all(|r| !r.channels.is_empty());
            count(&mut s.answers_reachable, all, "a listed service cannot be contacted".into(), &mut s.failures);
        }
        let want_loc = item["loc"].as_str();
        let got_loc = answer.location.as_ref().map(|l| l.name_fi.as_str());
        count(&mut s.place, want_loc == got_loc, format!("place: want {want_loc:?}, got {got_loc:?}"), &mut s.failures);
        let want_lang = item["lang"].as_str().unwrap();
        count(
            &mut s.language,
            answer.lang.code() == want_lang,
            format!("language: want {want_lang}, got {}", answer.lang),
            &mut s.failures,
        );
        if item["crisis"].as_bool() == Some(true) {
            count(&mut s.crisis, answer.crisis, "crisis not recognised".into(), &mut s.failures);
            assert!(
                answer.reply.starts_with(&assistant.locales().text(answer.lang, "crisis-emergency", &[])),
                "a crisis reply must open with 112: {q:?}\n{}",
                answer.reply
            );
        } else if answer.crisis {
            s.false_alarms += 1;
        }
    }
    s
}

fn check(s: &Score, levels: &Levels) {
    let report = format!(
        "category {:?} place {:?} language {:?} crisis {:?} refused {:?} reach {:?}/{:?} false alarms {}\n{}",
        s.category,
        s.place,
        s.language,
        s.crisis,
        s.refused,
        s.listed_reachable,
        s.answers_reachable,
        s.false_alarms,
        s.failures.join("\n")
    );
    assert!(s.category.1 >= 150 && s.crisis.1 >= 12 && s.refused.1 >= 12, "the golden set is too small: {report}");
    assert!(share(s.category) >= levels.category, "top-3 category hit below {}: {report}", levels.category);
    assert!(share(s.place) >= levels.place, "place below {}: {report}", levels.place);
    assert!(share(s.language) >= levels.language, "language below {}: {report}", levels.language);
    assert_eq!(share(s.crisis), 1.0, "crisis recall must be 100 %: {report}");
    assert_eq!(share(s.refused), 1.0, "every off-topic question must be refused: {report}");
    assert_eq!(s.false_alarms, 0, "no false crisis alarms on the golden questions: {report}");
    check_reach(s, &report);
}

fn check_reach(s: &Score, report: &str) {
    assert!(
        share(s.listed_reachable) >= LISTED_REACHABLE,
        "listed services with a channel {:?} below {LISTED_REACHABLE}: {report}",
        s.listed_reachable
    );
    assert!(
        share(s.answers_reachable) >= ANSWERS_ALL_REACHABLE,
        "answers whose services can all be contacted {:?} below {ANSWERS_ALL_REACHABLE}: {report}",
        s.answers_reachable
    );
}

#[test]
fn golden_questions_with_voikko() {
    let voikko = Voikko::load().expect(
        "Voikko is required for this test: install Debian's libvoikko1 and voikko-fi (scripts/test does it when run as root)",
    );
    let assistant = assistant(Some(Arc::new(voikko)));
    assert!(assistant.has_voikko());
    check(&score(&assistant, "questions.jsonl"), &Levels { category: 0.97, place: 0.98, language: 0.97 });
}

#[test]
fn held_out_answers_say_how_to_reach_help() {
    let assistant = assistant(Voikko::load().ok().map(Arc::new));
    let s = score(&assistant, "heldout.jsonl");
    check_reach(
        &s,
        &format!("listed {:?} answers {:?}\n{}", s.listed_reachable, s.answers_reachable, s.failures.join("\n")),
    );
}

#[test]
fn golden_questions_without_voikko() {
    let assistant = assistant(None);
    assert!(!assistant.has_voikko());
    check(&score(&assistant, "questions.jsonl"), &Levels { category: 0.93, place: 0.98, language: 0.97 });
}
