//! The understand step and the conversation, through the library as every front door uses
//! it: what a Question holds, and what carries over between messages.

use std::path::Path;
use std::sync::OnceLock;

use chrono::TimeZone;
use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::conversation::Conversation;
use lahiapu::geo::Place;
use lahiapu::knowledge;
use lahiapu::lang::Lang;

fn assistant() -> &'static Assistant {
    static ASSISTANT: OnceLock<Assistant> = OnceLock::new();
    ASSISTANT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = knowledge::load(&dir, lahiapu::today_in_finland()).unwrap().into_valid().unwrap();
        Assistant::new(knowledge, Assistant::load_voikko()).unwrap()
    })
}

fn noon() -> chrono::DateTime<chrono_tz::Tz> {
    chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn municipality(code: &str) -> Option<Place> {
    Some(Place::Municipality(code.into()))
}

#[test]
fn a_question_is_read_once_into_its_parts() {
    let q = assistant().understand("Mistä saa apua velkoihin Turussa? Velat velat velat!", &AskContext::now());
    assert_eq!(q.lang, Lang::Fi);
    assert_eq!(q.place, municipality("853"));
    assert!(q.place_named);
    assert!(!q.crisis.any());
    let words: Vec<&str> = q.words.iter().map(|w| w.exact.as_str()).collect();
    assert_eq!(words, ["velkoihin", "velat"], "place and help words are no topics, and each word counts once");
    assert_eq!(q.tokens.len(), 8);
    assert_eq!(&q.text[q.tokens[4].start..q.tokens[4].end], "Turussa");
    assert!(q.looks_like_question());
}

#[test]
fn a_long_paste_is_bounded_and_still_read_for_crisis() {
    let mut text: String = (0..20_000).map(|i| format!("sana{i} ")).collect();
    text.push_str("en halua enää elää");
    let q = assistant().understand(&text, &AskContext::now());
    assert!(q.text.chars().count() <= lahiapu::understand::MAX_CHARS);
    assert!(q.words.len() <= lahiapu::understand::MAX_TOPIC_WORDS);
    let tail: String = (0..9000).map(|i| format!("x{i} ")).collect::<String>() + "en halua enää elää";
    assert!(assistant().understand(&tail, &AskContext::now()).crisis.self_harm, "the end of a long message counts");
}

#[test]
fn a_conversation_carries_the_named_place_and_the_language() {
    let a = assistant();
    let mut c = Conversation::new(None);
    let first = c.ask(a, "jag bor i Vasa och behöver hjälp med skulder", noon()).unwrap();
    assert_eq!(first.lang, Lang::Sv);
    assert_eq!(c.place(), municipality("905").as_ref());
    // A short follow-up: the place and the language carry over.
    let next = c.ask(a, "skilsmässa", noon()).unwrap();
    assert_eq!(next.lang, Lang::Sv);
    assert_eq!(next.place, municipality("905"));
    // Naming another place moves the conversation there.
    c.ask(a, "entä Oulussa?", noon()).unwrap();
    assert_eq!(c.place(), municipality("564").as_ref());
    // A chosen language wins over the written one.
    c.choose_lang(Some(Lang::En));
    assert_eq!(c.ask(a, "velkaneuvonta", noon()).unwrap().lang, Lang::En);
}
