//! The analysis steps as tantivy token filters, composable in a `TextAnalyzer` the way
//! tantivy's own `Stemmer` and `SplitCompoundWords` are:
//!
//! ```text
//! TextAnalyzer::builder(RawTokenizer::default())
//!     .filter(Expand(CompoundParts::swedish(vocabulary, dictionary)))  // skuldrådgivning → skuld, rådgivning
//!     .filter(Stemmer::new(Language::Swedish))                          // → skuld, rådgivning
//!     .build()
//! ```
//!
//! Each of them replaces a token by the words one step of analysis gives for it: Voikko's
//! base forms ([`VoikkoBaseForms`]) or compound parts ([`VoikkoParts`]), the parts of a
//! compound split against a vocabulary and Debian's Swedish dictionary ([`CompoundParts`]),
//! or the trigrams of a word ([`Trigrams`]). A token with no such words is dropped, so a
//! chain's output is exactly the terms of its kind. Every word keeps its token's position
//! and offsets, as tantivy's synonym-like filters do.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::analysis::CompoundSplitter;
use super::swedish::SwedishWords;
use super::voikko::Voikko;

/// One step of analysis: the words it gives for a word (none, one or several).
pub trait Expander: Clone + Send + Sync + 'static {
    fn expand(&self, word: &str, out: &mut Vec<String>);
}

/// The token filter of an [`Expander`].
#[derive(Clone)]
pub struct Expand<E>(pub E);

impl<E: Expander> TokenFilter for Expand<E> {
    type Tokenizer<T: Tokenizer> = ExpandFilter<T, E>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ExpandFilter<T, E> {
        ExpandFilter { inner: tokenizer, expander: self.0 }
    }
}

#[derive(Clone)]
pub struct ExpandFilter<T, E> {
    inner: T,
    expander: E,
}

impl<T: Tokenizer, E: Expander> Tokenizer for ExpandFilter<T, E> {
    type TokenStream<'a> = ExpandStream<'a, T::TokenStream<'a>, E>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ExpandStream {
            tail: self.inner.token_stream(text),
            expander: &self.expander,
            pending: Vec::new(),
            words: Vec::new(),
            current: Token::default(),
        }
    }
}

pub struct ExpandStream<'a, S, E> {
    tail: S,
    expander: &'a E,
    /// The words still to emit for the current input token, last first.
    pending: Vec<Token>,
    words: Vec<String>,
    current: Token,
}

impl<S: TokenStream, E: Expander> TokenStream for ExpandStream<'_, S, E> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(next) = self.pending.pop() {
                self.current = next;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            self.words.clear();
            self.expander.expand(&token.text, &mut self.words);
            self.pending.extend(self.words.drain(..).rev().map(|text| Token { text, ..token.clone() }));
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// Voikko's base forms of a Finnish word, every reading ("avusta" → apu, avustaa); none
/// when Voikko does not know the word.
#[derive(Clone)]
pub struct VoikkoBaseForms(pub Arc<Voikko>);

impl Expander for VoikkoBaseForms {
    fn expand(&self, word: &str, out: &mut Vec<String>) {
        for a in self.0.analyze(word).iter() {
            if !out.contains(&a.baseform) {
                out.push(a.baseform.clone());
            }
        }
    }
}

/// The base forms of a Finnish compound's parts, from Voikko ("lähisuhdeväkivaltaa" →
/// lähi, suhde, väki, valta).
#[derive(Clone)]
pub struct VoikkoParts(pub Arc<Voikko>);

impl Expander for VoikkoParts {
    fn expand(&self, word: &str, out: &mut Vec<String>) {
        for part in self.0.analyze(word).iter().flat_map(|a| a.parts.iter()) {
            if !out.contains(part) {
                out.push(part.clone());
            }
        }
    }
}

/// The parts of a compound: split against the knowledge base's own vocabulary, else (for
/// Swedish) against Debian's Swedish dictionary.
#[derive(Clone)]
pub struct CompoundParts {
    vocabulary: Arc<CompoundSplitter>,
    dictionary: Option<Arc<SwedishWords>>,
}

impl CompoundParts {
    pub fn new(vocabulary: Arc<CompoundSplitter>, dictionary: Option<Arc<SwedishWords>>) -> Self {
        Self { vocabulary, dictionary }
    }
}

impl Expander for CompoundParts {
    fn expand(&self, word: &str, out: &mut Vec<String>) {
        let mut parts = self.vocabulary.split(word);
        if parts.is_empty()
            && let Some(dictionary) = &self.dictionary
        {
            parts = dictionary.split(word);
        }
        out.extend(parts);
    }
}

/// Character trigrams of a word of four letters or more ("velka" → vel, elk, lka).
#[derive(Clone, Default)]
pub struct Trigrams;

impl Expander for Trigrams {
    fn expand(&self, word: &str, out: &mut Vec<String>) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() >= 4 {
            out.extend(chars.windows(3).map(|w| w.iter().collect::<String>()));
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    fn run(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn filters_compose_into_a_chain_and_keep_positions() {
        let vocabulary: std::collections::HashSet<String> =
            ["skuld", "rådgivning", "familj", "våld"].into_iter().map(str::to_owned).collect();
        let parts = CompoundParts::new(Arc::new(CompoundSplitter::new(vocabulary)), None);
        let mut chain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Expand(parts))
            .filter(Stemmer::new(Language::Swedish))
            .build();
        assert_eq!(
            run(&mut chain, "Skuldrådgivning mot familjevåld"),
            [("skuld".to_owned(), 0), ("rådgivning".to_owned(), 0), ("familj".to_owned(), 2), ("våld".to_owned(), 2)]
        );
        let mut grams = TextAnalyzer::builder(SimpleTokenizer::default()).filter(Expand(Trigrams)).build();
        let got: Vec<String> = run(&mut grams, "velka apu").into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, ["vel", "elk", "lka"]);
    }
}
