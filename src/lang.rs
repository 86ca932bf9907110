//! The three languages the bot speaks.
//!
//! Finnish and Swedish are the national languages and every knowledge entry has both;
//! English is a courtesy. [`Detector`] decides which of them a message is written in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::understand::Token;

/// A language of the bot's replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The ISO 639-1 code, as used in `locales/` and in knowledge files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "fi" | "suomi" | "finnish" | "fin" => Ok(Lang::Fi),
            "sv" | "svenska" | "swedish" | "ruotsi" | "swe" => Ok(Lang::Sv),
            "en" | "english" | "englanti" | "engelska" | "eng" => Ok(Lang::En),
            other => anyhow::bail!("unknown language {other:?} (expected fi, sv or en)"),
        }
    }
}

/// Decides which language a question is in, also for one- to three-word messages.
///
/// lingua, restricted to Finnish, Swedish and English, is accurate on sentences but short
/// messages fool it ("velat" reads as Swedish, "hemservice" as English). Two more kinds of
/// evidence settle those: words that occur in only one language's texts of the knowledge
/// base or in a short list of everyday words, and, for very short messages, the language
/// the asker or the room used before.
pub struct Detector {
    lingua: lingua::LanguageDetector,
    lexicon: std::collections::HashMap<String, Lang>,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector").field("lexicon", &self.lexicon.len()).finish_non_exhaustive()
    }
}

/// Everyday words that belong to one of the three languages only.
const EVERYDAY_WORDS: &[(Lang, &[&str])] = &[
    (
        Lang::Fi,
        &[
            "mä",
            "mulla",
            "mun",
            "minä",
            "minulla",
            "olen",
            "oon",
            "apua",
            "kiitos",
            "moi",
            "hei",
            "ei",
            "en",
            "ja",
            "mistä",
            "miten",
            "missä",
            "mitä",
            "tarvitsen",
            "tarviin",
            "haluan",
            "jaksa",
            "onko",
            "kuka",
            "mikä",
            "saa",
            "kanssa",
            "mulle",
            "jos",
            "kun",
            "voi",
            "että",
            "et",
            "vaan",
            "tosi",
        ],
    ),
    (
        Lang::Sv,
        &[
            "jag", "och", "är", "inte", "hur", "var", "vad", "hej", "tack", "hjälp", "mig", "har", "behöver", "kan",
            "får", "finns", "vill", "orkar", "med", "för", "om", "någon", "det", "att", "mitt", "mina",
        ],
    ),
    (
        Lang::En,
        &[
            "the", "and", "is", "my", "how", "where", "what", "help", "need", "can", "get", "hello", "hi", "thanks",
            "want", "with", "for", "of", "am", "are", "someone", "please",
        ],
    ),
];

/// Weight of one lexicon word against lingua's confidence (which sums to 1).
const LEXICON_WEIGHT: f64 = 0.35;
/// Weight of the previous language for messages of at most three words.
const PREVIOUS_WEIGHT: f64 = 0.3;

impl Detector {
    /// Builds the detector; `vocabulary` is every (language, text) of the knowledge base.
    pub fn new<'a>(vocabulary: impl IntoIterator<Item = (Lang, &'a str)>) -> Self {
        use std::collections::{HashMap, HashSet};

        let mut seen: HashMap<String, HashSet<Lang>> = HashMap::new();
        for (lang, text) in vocabulary {
            for word in words(text) {
                seen.entry(word).or_default().insert(lang);
            }
        }
        let mut lexicon: HashMap<String, Lang> = seen
            .into_iter()
            .filter(|(_, langs)| langs.len() == 1)
            .filter_map(|(w, langs)| langs.into_iter().next().map(|l| (w, l)))
            .collect();
        for (lang, list) in EVERYDAY_WORDS {
            for word in *list {
                lexicon.insert((*word).to_owned(), *lang);
            }
        }
        let lingua = lingua::LanguageDetectorBuilder::from_languages(&[
            lingua::Language::Finnish,
            lingua::Language::Swedish,
            lingua::Language::English,
        ])
        .with_preloaded_language_models()
        .build();
        Self { lingua, lexicon }
    }

    /// The language of `text`; `previous` is the asker's (or the room's) last language. Only
    /// the start of a very long text is read (a 64 KiB paste costs what a question costs).
    pub fn detect(&self, text: &str, previous: Option<Lang>) -> Lang {
        let text = head(text);
        self.detect_tokens(text, &crate::understand::text::tokens(text), previous)
    }

    /// The same for a text already cut into `tokens` (a [`crate::understand::Question`]'s).
    pub fn detect_tokens(&self, text: &str, tokens: &[Token], previous: Option<Lang>) -> Lang {
        let text = head(text);
        let words: Vec<&str> = tokens.iter().flat_map(Token::parts).collect();
        let mut score = [0.0_f64; 3];
        let slot = |l: Lang| match l {
            Lang::Fi => 0,
            Lang::Sv => 1,
            Lang::En => 2,
        };
        for (language, confidence) in self.lingua.compute_language_confidence_values(text) {
            let lang = match language {
                lingua::Language::Finnish => Lang::Fi,
                lingua::Language::Swedish => Lang::Sv,
                _ => Lang::En,
            };
            score[slot(lang)] += confidence;
        }
        for word in &words {
            if let Some(&lang) = self.lexicon.get(*word) {
                score[slot(lang)] += LEXICON_WEIGHT;
            }
        }
        if let Some(previous) = previous.filter(|_| words.len() <= 3) {
            score[slot(previous)] += PREVIOUS_WEIGHT;
        }
        let best = (0..3).max_by(|&a, &b| score[a].total_cmp(&score[b])).unwrap_or(0);
        if score.iter().all(|&s| s == 0.0) {
            return previous.unwrap_or(Lang::Fi);
        }
        Lang::ALL[best]
    }
}

/// How much of a text [`Detector::detect`] reads.
const DETECTED_CHARS: usize = 2000;

/// The start of `text` that decides its language.
fn head(text: &str) -> &str {
    match text.char_indices().nth(DETECTED_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The lowercased words of a text (the same words a question's tokens split into).
fn words(text: &str) -> Vec<String> {
    crate::understand::text::tokens(text)
        .iter()
        .flat_map(|t| t.parts().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_start_of_a_long_text_decides_its_language() {
        let detector = Detector::new(std::iter::empty());
        let finnish = "mistä saa apua velkoihin, kun rahat eivät riitä mihinkään ";
        let english = "where can I get help with my debts when the money runs out ".repeat(1100);
        assert!(english.len() > 64_000);
        let head = finnish.repeat(40);
        assert!(head.chars().count() > DETECTED_CHARS);
        assert_eq!(detector.detect(&format!("{head}{english}"), None), Lang::Fi);
        assert_eq!(detector.detect(&english, None), Lang::En);
        assert_eq!(detector.detect(&"😀".repeat(3000), Some(Lang::Sv)), Lang::Sv, "no words: the previous language");
    }
}
