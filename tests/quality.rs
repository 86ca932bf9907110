//! Answer quality on the golden question sets, measured with Voikko and without it, with
//! the metrics of `lahiapu eval` (`src/eval.rs`). The levels asserted here are the ones
//! recorded in `docs/quality.md`, a little below what was measured, so that a real
//! regression fails while a one-question wobble from a knowledge edit does not. Reaching
//! help is held to issue 9's targets on the golden and the held-out sets: at least 95 % of
//! the services a reply lists give a channel, and in at least 85 % of replies all of them do.
//!
//! The full run needs Debian's `libvoikko1`, `voikko-fi` and `hunspell-sv`; `scripts/test`
//! installs them. Without them it fails, never skips.

use std::path::Path;
use std::sync::Arc;

use chrono::TimeZone;
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::eval::{self, Score};
use lahiapu::knowledge;
use lahiapu::search::Mode;
use lahiapu::search::swedish::SwedishWords;
use lahiapu::search::voikko::Voikko;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The targets for reaching help (issue 9): of the services a reply lists, the share
/// that give a channel, and the share of replies in which every listed one does.
const LISTED_REACHABLE: f64 = 0.95;
const ANSWERS_ALL_REACHABLE: f64 = 0.85;

struct Levels {
    top1: f64,
    top3: f64,
    place: f64,
    language: f64,
}

fn assistant(voikko: Option<Arc<Voikko>>, swedish: Option<Arc<SwedishWords>>) -> Assistant {
    let knowledge =
        knowledge::load(&Path::new(ROOT).join("knowledge"), lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
    Assistant::with_parts(knowledge, voikko, swedish, Mode::Full).unwrap()
}

fn score(assistant: &Assistant, file: &str) -> Score {
    let items = eval::read(&Path::new(ROOT).join("tests/golden").join(file)).unwrap();
    let mut cx = AskContext::now();
    // A fixed Monday noon, so that nothing depends on when the test runs.
    cx.now = chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    eval::score(assistant, &items, &cx).unwrap()
}

fn check(s: &Score, levels: &Levels) {
    let report = format!("{}{}", s.table(), s.failures.join("\n"));
    assert!(s.top3.n >= 150 && s.crisis.n >= 12 && s.refused.n >= 12, "the golden set is too small: {report}");
    assert!(s.top1.share() >= levels.top1, "top-1 category hit below {}: {report}", levels.top1);
    assert!(s.top3.share() >= levels.top3, "top-3 category hit below {}: {report}", levels.top3);
    assert!(s.place.share() >= levels.place, "place below {}: {report}", levels.place);
    assert!(s.language.share() >= levels.language, "language below {}: {report}", levels.language);
    assert_eq!(s.crisis.share(), 1.0, "crisis recall must be 100 % (and every crisis reply opens with 112): {report}");
    assert_eq!(s.refused.share(), 1.0, "every off-topic question must be refused: {report}");
    assert_eq!(s.false_alarms, 0, "no false crisis alarms on the golden questions: {report}");
    check_reach(s, &report);
}

fn check_reach(s: &Score, report: &str) {
    assert!(
        s.reach.share() >= LISTED_REACHABLE,
        "listed services with a channel {:?} below {LISTED_REACHABLE}: {report}",
        s.reach
    );
    assert!(
        s.reachable.share() >= ANSWERS_ALL_REACHABLE,
        "answers whose services can all be contacted {:?} below {ANSWERS_ALL_REACHABLE}: {report}",
        s.reachable
    );
}

#[test]
fn golden_questions_with_voikko() {
    let voikko = Voikko::load().expect(
        "Voikko is required for this test: install Debian's libvoikko1 and voikko-fi (scripts/test does it when run as root)",
    );
    let swedish = SwedishWords::load().expect(
        "Debian's Swedish dictionary is required for this test: install hunspell-sv (scripts/test does it when run as root)",
    );
    let assistant = assistant(Some(Arc::new(voikko)), Some(Arc::new(swedish)));
    assert!(assistant.has_voikko() && assistant.has_swedish_dictionary());
    check(&score(&assistant, "questions.jsonl"), &Levels { top1: 0.9, top3: 0.97, place: 0.98, language: 0.97 });
}

#[test]
fn held_out_answers_say_how_to_reach_help() {
    let voikko = Voikko::load().ok().map(Arc::new);
    let swedish = SwedishWords::load().ok().map(Arc::new);
    let s = score(&assistant(voikko, swedish), "heldout.jsonl");
    check_reach(&s, &format!("{}{}", s.table(), s.failures.join("\n")));
}

#[test]
fn golden_questions_without_voikko() {
    // As on a fresh machine: neither Voikko nor the Swedish dictionary.
    let assistant = assistant(None, None);
    assert!(!assistant.has_voikko() && !assistant.has_swedish_dictionary());
    check(&score(&assistant, "questions.jsonl"), &Levels { top1: 0.85, top3: 0.93, place: 0.98, language: 0.97 });
}
