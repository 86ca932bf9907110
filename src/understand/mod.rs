//! Understanding a message, once: everything downstream reads the [`Question`] built here.
//!
//! ```text
//! text ─► bound + normalise ─► tokens (offsets) ─► crisis ─► places ─► language ─► topic words ─► intent
//! ```
//!
//! The message is cut to [`MAX_CHARS`] and tokenised once; the crisis rules read its
//! normalised form, the place finder and the language detector read its tokens, and the
//! search reads its topic words: analysed, without place names, distinct and at most
//! [`MAX_TOPIC_WORDS`] of them, so that a 64 KiB paste costs no more than a long question.

pub mod text;

use chrono::DateTime;
use chrono_tz::Tz;

use crate::geo::{Place, PlaceFinder, PlaceMatch};
use crate::lang::{Detector, Lang};
use crate::safety::{self, Crisis};
use crate::search::intent::{self, Intent, People};
use crate::search::{Analyzer, QueryWord, SearchIndex};
pub use text::{ANALYSED_CHARS, MAX_CHARS, Token};

/// The most distinct topic words of one message that are searched for.
pub const MAX_TOPIC_WORDS: usize = 32;

/// What the front door knows besides the message.
#[derive(Debug, Clone)]
pub struct AskContext {
    /// The room's place, or the place the asker gave earlier.
    pub default_place: Option<Place>,
    /// The language the asker (or the room) used before; breaks ties for short messages.
    pub previous_lang: Option<Lang>,
    /// The language the asker chose to be answered in (`!kieli`), whatever they write in.
    pub force_lang: Option<Lang>,
    /// Now, in Finland.
    pub now: DateTime<Tz>,
}

impl AskContext {
    pub fn now() -> Self {
        Self {
            default_place: None,
            previous_lang: None,
            force_lang: None,
            now: chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki),
        }
    }
}

/// One message, understood.
#[derive(Debug, Clone)]
pub struct Question {
    /// The message, cut to [`MAX_CHARS`].
    pub text: String,
    /// The whole (bounded) message lowercased, punctuation as single spaces: what the crisis
    /// rules read.
    pub normalised: String,
    /// The words of the first [`ANALYSED_CHARS`] characters, with offsets into `text`.
    pub tokens: Vec<Token>,
    /// The language to answer in.
    pub lang: Lang,
    /// The places the message names, in order.
    pub places: Vec<PlaceMatch>,
    /// The place to look for help in: the one the message names, else the context's.
    pub place: Option<Place>,
    /// Whether `place` was named in this message (rather than carried from the context).
    pub place_named: bool,
    /// A district name the message uses that lies in several municipalities, none of which
    /// the message or the context settles ("Harju"): the answer asks which one.
    pub ambiguous_place: Option<PlaceMatch>,
    /// Whether the message signals a risk to life.
    pub crisis: Crisis,
    /// The topic words: analysed, distinct, without places and words that only ask for help.
    pub words: Vec<QueryWord>,
    /// Who needs help and which kinds of help the message is about.
    pub intent: Intent,
}

impl Question {
    /// Whether a message that is not addressed to the bot reads as a question to answer: it
    /// has a question mark, a question or help word, or is as short as a search query.
    pub fn looks_like_question(&self) -> bool {
        looks_like_question(&self.text)
    }

    /// Whether the message has no words at all.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// The parts of the assistant that understanding needs.
pub struct Understander<'a> {
    pub detector: &'a Detector,
    pub places: &'a PlaceFinder,
    pub analyzer: &'a Analyzer,
    pub index: &'a SearchIndex,
    pub people: &'a People,
}

impl Understander<'_> {
    /// Builds the [`Question`] for `message`.
    pub fn understand(&self, message: &str, cx: &AskContext) -> Question {
        let text = text::head(message.trim(), MAX_CHARS).to_owned();
        let normalised = text::normalise(&text);
        let crisis = safety::assess_normalised(&normalised);
        let analysed = text::head(&text, ANALYSED_CHARS).len();
        let tokens: Vec<Token> = text::tokens(&text[..analysed]);

        let places = self.places.find_in(&text, &tokens);
        let (named, ambiguous_place) = choose_place(&places, cx.default_place.as_ref());
        let place_named = named.is_some();
        let place = named.or_else(|| cx.default_place.clone());

        let lang =
            cx.force_lang.unwrap_or_else(|| self.detector.detect_tokens(&text[..analysed], &tokens, cx.previous_lang));

        // Place words are not topics: "paras pizzeria Turussa" must not match Turku's services;
        // nor are words that are only part of an idiom ("päästä eroon" is no divorce).
        let in_place = |t: &Token| places.iter().any(|m| t.start >= m.start && t.end <= m.end);
        let idioms = intent::idiom_tokens(&tokens);
        let topic =
            tokens.iter().enumerate().filter(|(i, t)| !in_place(t) && !idioms.contains(i)).flat_map(|(_, t)| t.parts());
        // A kind of help's phrase of words that are each dropped ("apua kotiin") stands for it.
        let stand_ins = self.index.profiles().stand_ins(&tokens);
        let topic = topic.chain(stand_ins.iter().flat_map(|s| s.split_whitespace()));
        let words = self.analyzer.query_words(topic, MAX_TOPIC_WORDS);
        let intent = Intent::of(&tokens, &words, lang, self.index.profiles(), self.people);
        Question { text, normalised, tokens, lang, places, place, place_named, ambiguous_place, crisis, words, intent }
    }
}

/// The place a message names: a municipality named outright; else a district whose
/// municipality is clear, or which lies in the context's municipality; else a region. A
/// district name used in several municipalities, none of them settled, is returned apart.
fn choose_place(found: &[PlaceMatch], context: Option<&Place>) -> (Option<Place>, Option<PlaceMatch>) {
    let municipality = |m: &&PlaceMatch| m.district.is_none() && matches!(m.place, Place::Municipality(_));
    if let Some(m) = found.iter().find(municipality) {
        return (Some(m.place.clone()), None);
    }
    let mut ambiguous = None;
    for m in found.iter().filter(|m| m.district.is_some()) {
        if m.alternatives.is_empty() {
            return (Some(m.place.clone()), None);
        }
        let candidates = || std::iter::once(&m.place).chain(&m.alternatives);
        if let Some(c) = context.filter(|c| candidates().any(|p| p == *c)) {
            return (Some(c.clone()), None);
        }
        ambiguous.get_or_insert_with(|| m.clone());
    }
    let region = found.iter().find(|m| m.district.is_none()).map(|m| m.place.clone());
    let ambiguous = ambiguous.filter(|_| region.is_none());
    (region, ambiguous)
}

/// Question words and words asking for help, in Finnish, Swedish and English. Words that
/// are as often something else are left out ("var" is also "was", "is" is everywhere).
const QUESTION_WORDS: &[&str] = &[
    "mistä",
    "mihin",
    "missä",
    "miten",
    "mitä",
    "mikä",
    "kuka",
    "kenelle",
    "minne",
    "onko",
    "voiko",
    "saako",
    "voinko",
    "saanko",
    "apua",
    "tarvitsen",
    "tarviin",
    "tarvis",
    "auttakaa",
    "auttaisiko",
    "neuvoa",
    "vart",
    "hur",
    "vem",
    "vad",
    "finns",
    "behöver",
    "hjälp",
    "hjälpa",
    "where",
    "how",
    "who",
    "what",
    "can",
    "could",
    "need",
    "help",
];

/// Messages of this many words or fewer are read as search-like questions ("lähisuhde
/// väkivalta", "velat Turku"); whether the bot has an answer decides if it speaks.
const SHORT_QUESTION_WORDS: usize = 4;

/// Whether a message reads as a question to answer: it has a question mark, a question or
/// help word, or is as short as a search query. The same as [`Question::looks_like_question`],
/// for a text not yet understood.
pub fn looks_like_question(body: &str) -> bool {
    if body.contains('?') {
        return true;
    }
    let words: Vec<&str> = body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.len() <= SHORT_QUESTION_WORDS || words.iter().any(|w| QUESTION_WORDS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_like_messages() {
        for q in [
            "mistä saa apua velkoihin",
            "var får jag hjälp",
            "help with debts",
            "velat?",
            "tarviin apua",
            "lähisuhde väkivalta",
            "onko täällä ketään joka tietää turvakodeista",
            "could someone tell me about shelters near me",
        ] {
            assert!(looks_like_question(q), "{q}");
        }
        for s in [
            "hyvää huomenta kaikille, täällä paistaa aurinko",
            "tack för senast, det var en trevlig kväll",
            "ok sounds good to me then",
        ] {
            assert!(!looks_like_question(s), "{s}");
        }
    }
}
