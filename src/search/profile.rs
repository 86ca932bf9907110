//! Which kinds of help a word is evidence for: every word of the categories' own words
//! (`knowledge/categories.toml`) and of the services' keywords, with how its uses spread
//! over the categories.
//!
//! "ulosotto" is used only by debt-counselling services, so it is strong evidence for that
//! category; "lapsi" is used by six categories and says little about any one of them. A
//! question's word is looked up by any of its forms (exact, Snowball stems, Voikko base
//! forms), then by its compound parts, and, when no form is known, by a known word it
//! begins like ("velkoihi" → "velka"), which is how an inflected form meets its lemma
//! without Voikko.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::analysis::{Analyzer, QueryWord};
use crate::knowledge::{Categories, Service};
use crate::lang::Lang;
use crate::understand::Token;

/// Weight of one use in a category's own words (the synonyms and the name), as a share of
/// the services of an average category: a category's own word counts as if that many of its
/// services had it as a keyword, so that it keeps its say as the knowledge base grows.
const CATEGORY_WORD: f32 = 0.25;
/// Weight of a word's use in one service's summary and description: everyday words
/// ("kotoa", "perhe", "saada") occur in the texts of every kind of service, which spreads
/// their evidence over all categories, while a problem word ("ulosotto") stays with its own.
const TEXT_WORD: f32 = 0.15;
/// Evidence from a compound part ("huumeidenkäyttö" → huume) or a shared beginning, against
/// a form of the whole word.
const PART_EVIDENCE: f32 = 0.6;
/// The letters a word Voikko knows and the knowledge does not use must share with a known
/// word to meet it by its beginning ("ahdistava" and "ahdistaa"); shorter shared beginnings
/// meet other words ("laskee", count, and "lasku", a bill).
const DERIVED_SHARED: usize = 6;
/// The shortest known word a question word may meet by its beginning (four-letter stems
/// such as "pela" would meet too much).
const MIN_PREFIX_TERM: usize = 5;

/// The categories' share of the uses of each word.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    slugs: Vec<String>,
    /// Uses per category, by term.
    terms: BTreeMap<String, Vec<f32>>,
    /// The weight of one use in a category's own words ([`CATEGORY_WORD`] of a category).
    unit: f32,
    /// The languages of the category words and keywords each term is used in (a bit per
    /// [`Lang::ALL`] position). Only Finnish ones are met by their beginning.
    langs: std::collections::HashMap<String, u8>,
    /// For a term chosen only inside phrases ("other" in "meet other parents", "pysty" in "en
    /// pysty maksamaan laskuja"), the forms of its companions in them: the phrase speaks for
    /// a kind of help, and the word alone, without any of its companions, says much less.
    companions: HashMap<String, HashSet<String>>,
    /// Terms that are only the names of services ("Silta", "Piste", "Keidas"): a question's
    /// word meets them as written, not through another reading Voikko gives it ("silloin",
    /// then, is also a plural of "silta").
    names: HashSet<String>,
    /// The categories' own phrases whose every word the analysis drops as a stop word or a
    /// word that only asks for help ("apua kotiin", "help at home"), met as written, word for
    /// word; each with the category's first phrase in its language that has a word the
    /// analysis keeps ("kotipalvelu"), which stands in for it ([`Profiles::stand_ins`]).
    plain_phrases: Vec<(Vec<String>, String)>,
}

/// What a term chosen only inside phrases counts for when none of its companions is in the
/// question ([`Profiles::companions`]).
const LONE_PHRASE_WORD: f32 = 0.4;

/// The chosen words' phrases, for [`Profiles::companions`].
#[derive(Default)]
struct Phrases {
    /// Terms chosen on their own somewhere (a one-word keyword or category word).
    solo: HashSet<String>,
    /// For each term of a phrase, the terms of the phrase's other words.
    companions: HashMap<String, HashSet<String>>,
}

impl Phrases {
    /// Records a chosen phrase, given the terms of each of its words.
    fn record(&mut self, per_word: &[Vec<String>]) {
        for (i, terms) in per_word.iter().enumerate() {
            for term in terms {
                if per_word.len() == 1 {
                    self.solo.insert(term.clone());
                } else {
                    let others = per_word.iter().enumerate().filter(|(j, _)| *j != i).flat_map(|(_, t)| t);
                    self.companions.entry(term.clone()).or_default().extend(others.cloned());
                }
            }
        }
    }

    /// The companions of the terms chosen only inside phrases.
    fn companions_of_phrase_words(mut self) -> HashMap<String, HashSet<String>> {
        self.companions.retain(|term, _| !self.solo.contains(term));
        self.companions
    }
}

/// The words of one-word keywords written as names ("Silta", "Keidas") that no other keyword
/// or category word uses.
fn names_only<'a>(
    keywords: impl Iterator<Item = &'a str>,
    categories: &Categories,
    analyzer: &Analyzer,
) -> HashSet<String> {
    let is_name = |k: &str| !k.contains(char::is_whitespace) && k.chars().next().is_some_and(char::is_uppercase);
    let mut names = HashSet::new();
    let mut others = HashSet::new();
    let synonyms = categories
        .iter()
        .flat_map(|c| Lang::ALL.into_iter().flat_map(move |l| c.synonyms.get(l).iter().map(String::as_str)));
    for keyword in keywords {
        let into = if is_name(keyword) { &mut names } else { &mut others };
        into.extend(analyzer.tokens(keyword));
    }
    others.extend(synonyms.flat_map(|s| analyzer.tokens(s)));
    names.retain(|n| !others.contains(n));
    names
}

/// Every form of a question's topic words, for telling whether a phrase word came with its
/// companions ([`Profiles::of`]).
#[derive(Debug, Default)]
pub struct Forms<'a>(HashSet<&'a str>);

impl<'a> Forms<'a> {
    /// The forms of `words` read in `lang` (the stem of another language would find
    /// companions that are not there: "here" has the Swedish stem "her"), and every word of
    /// the message as written, for the generic ones that are no topic words ("samma
    /// situation").
    pub fn of(words: &'a [QueryWord], tokens: &'a [Token], lang: Lang) -> Self {
        let slot = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
        let forms = words
            .iter()
            .flat_map(|w| std::iter::once(&w.exact).chain(&w.stem_in[slot..=slot]).chain(&w.bases).chain(&w.parts));
        Self(forms.chain(tokens.iter().map(|t| &t.lower)).map(String::as_str).collect())
    }
}

impl Profiles {
    /// Counts the uses of every word of `categories`' own words and `services`' keywords.
    /// `is_place` leaves place names out ("Turussa" in a keyword is no evidence of a kind
    /// of help).
    pub fn build(
        categories: &Categories,
        services: &[&Service],
        analyzer: &Analyzer,
        is_place: &dyn Fn(&str) -> bool,
    ) -> Self {
        let slugs: Vec<String> = categories.iter().map(|c| c.slug.clone()).collect();
        let mut this = Self { slugs, terms: BTreeMap::new(), unit: 1.0, ..Self::default() };
        let mut langs: HashMap<String, u8> = HashMap::new();
        let mut phrases = Phrases::default();
        let slots = this.slugs.len();
        // The words of a phrase share its weight: in "pakoon kotoa" the word "kotoa" alone is
        // half the evidence the whole phrase is. `weights` is the phrase's weight in each
        // category; the languages are recorded for `chosen` words (keywords, category words).
        let add = |terms: &mut BTreeMap<String, Vec<f32>>,
                   langs: &mut HashMap<String, u8>,
                   mut phrases: Option<&mut Phrases>,
                   phrase: &str,
                   lang: Lang,
                   weights: &[f32]| {
            let chosen = phrases.is_some();
            let all: Vec<String> = analyzer.tokens(phrase).into_iter().filter(|w| !is_place(w)).collect();
            // A generic word is no evidence, but it is still a companion: "feeling" in
            // "feeling down" is a phrase word, and "I feel down" has its companion.
            let words: Vec<String> = all.iter().filter(|w| !analyzer.is_generic(w)).cloned().collect();
            let share = 1.0 / words.len().max(1) as f32;
            // The distinct terms of each word of the phrase.
            let mut per_word: Vec<Vec<String>> = Vec::with_capacity(all.len());
            for word in &all {
                let mut seen: Vec<String> = Vec::new();
                analyzer.visit(word, lang, |t| {
                    for term in t.whole_words().filter(|term| term.chars().count() >= 3) {
                        if !seen.contains(term) {
                            seen.push(term.clone());
                        }
                    }
                });
                per_word.push(seen);
            }
            if let Some(phrases) = phrases.as_mut() {
                phrases.record(&per_word);
            }
            let evidence = all.iter().zip(&per_word).filter(|(w, _)| !analyzer.is_generic(w)).map(|(_, t)| t);
            for word_terms in evidence {
                for term in word_terms {
                    // The languages of the chosen words (keywords and category words) only:
                    // an English text may say "full" without meaning drunk.
                    if chosen {
                        *langs.entry(term.clone()).or_default() |= lang_bit(lang);
                    }
                    let counts = terms.entry(term.clone()).or_insert_with(|| vec![0.0; slots]);
                    for (count, weight) in counts.iter_mut().zip(weights) {
                        *count += weight * share;
                    }
                }
            }
        };
        // The services' uses, counted apart and scaled by category size below: in their
        // keywords, and in their texts. Each distinct phrase is weighed per category over all
        // services first and analysed once: ten thousand services repeat the same words.
        let mut keyword_weights: BTreeMap<(Lang, &str), Vec<f32>> = BTreeMap::new();
        let mut text_weights: BTreeMap<(Lang, String), Vec<f32>> = BTreeMap::new();
        let mut sizes = vec![0.0_f32; slots];
        for service in services {
            let slots_of: Vec<usize> =
                service.categories.iter().filter_map(|c| this.slugs.iter().position(|s| s == c)).collect();
            if slots_of.is_empty() {
                continue;
            }
            let weight = 1.0 / slots_of.len() as f32;
            for &slot in &slots_of {
                sizes[slot] += weight;
            }
            for lang in Lang::ALL {
                for keyword in service.keywords.get(lang) {
                    let weights = keyword_weights.entry((lang, keyword.as_str())).or_insert_with(|| vec![0.0; slots]);
                    for &slot in &slots_of {
                        weights[slot] += weight;
                    }
                }
                // Each distinct word of the texts once per service, not as one phrase.
                let texts = [service.summary.get(lang), service.description.as_ref().and_then(|d| d.get(lang))];
                let mut words: Vec<String> = texts.into_iter().flatten().flat_map(|t| analyzer.tokens(t)).collect();
                words.sort();
                words.dedup();
                for word in words {
                    let weights = text_weights.entry((lang, word)).or_insert_with(|| vec![0.0; slots]);
                    for &slot in &slots_of {
                        weights[slot] += weight * TEXT_WORD;
                    }
                }
            }
        }
        let mut uses: BTreeMap<String, Vec<f32>> = BTreeMap::new();
        for ((lang, keyword), weights) in &keyword_weights {
            add(&mut uses, &mut langs, Some(&mut phrases), keyword, *lang, weights);
        }
        // Words of the texts alone are never met by their beginning: only chosen words are.
        let mut text_uses: BTreeMap<String, Vec<f32>> = BTreeMap::new();
        for ((lang, word), weights) in &text_weights {
            add(&mut text_uses, &mut langs, None, word, *lang, weights);
        }
        // A category with many services uses every word more often; what counts is how much
        // of a category's services use it, so each category's uses are scaled to the size of
        // an average category.
        let mean = sizes.iter().sum::<f32>() / slots.max(1) as f32;
        this.unit = (CATEGORY_WORD * mean).max(1.0);
        for (slot, category) in categories.iter().enumerate() {
            for lang in Lang::ALL {
                let own = category.synonyms.get(lang).iter().map(String::as_str).chain(category.name.get(lang));
                let plain = |phrase: &str| analyzer.tokens(phrase).iter().all(|w| analyzer.is_generic(w));
                if let Some(stand_in) = own.clone().find(|p| !plain(p)) {
                    for phrase in own.clone().filter(|p| plain(p)) {
                        let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
                        this.plain_phrases.push((words, stand_in.to_owned()));
                    }
                }
                for phrase in own {
                    let mut weights = vec![0.0; slots];
                    weights[slot] = this.unit;
                    add(&mut this.terms, &mut langs, Some(&mut phrases), phrase, lang, &weights);
                }
            }
        }
        let scaled = |counts: Vec<f32>| -> Vec<f32> {
            counts.into_iter().zip(&sizes).map(|(c, size)| if *size > 0.0 { c * mean / size } else { 0.0 }).collect()
        };
        let chosen: Vec<String> = this.terms.keys().cloned().collect();
        let add_to = |terms: &mut BTreeMap<String, Vec<f32>>, term: String, counts: Vec<f32>| {
            let target = terms.entry(term).or_insert_with(|| vec![0.0; slots]);
            for (t, c) in target.iter_mut().zip(counts) {
                *t += c;
            }
        };
        for (term, counts) in uses {
            add_to(&mut this.terms, term, scaled(counts));
        }
        // A word the categories chose as their own keeps their choice; the texts only spread
        // the words nobody chose, such as "kotoa" in the keyword "pakoon kotoa".
        for (term, counts) in text_uses {
            if chosen.binary_search(&term).is_err() {
                add_to(&mut this.terms, term, scaled(counts));
            }
        }
        this.langs = langs;
        this.companions = phrases.companions_of_phrase_words();
        this.names = names_only(keyword_weights.keys().map(|(_, k)| *k), categories, analyzer);
        this
    }

    /// The stand-ins of the plain phrases ([`Profiles::plain_phrases`]) the question has word
    /// for word ("Mistä apua kotiin?" → "kotipalvelu"): the analysis drops each of their words,
    /// so without a stand-in the question would have no topic at all.
    pub fn stand_ins(&self, tokens: &[Token]) -> Vec<&str> {
        let has = |words: &[String]| {
            !words.is_empty() && tokens.windows(words.len()).any(|w| w.iter().zip(words).all(|(t, p)| t.lower == *p))
        };
        self.plain_phrases.iter().filter(|(words, _)| has(words)).map(|(_, s)| s.as_str()).collect()
    }

    /// The category slugs, in the order of [`Profiles::of`]'s shares.
    pub fn slugs(&self) -> &[String] {
        &self.slugs
    }

    /// How much a question word is evidence for each category; `None` when the word is not
    /// known at all.
    ///
    /// The evidence is the share of the word's uses in each category, scaled by how
    /// concentrated those uses are (a word used by one category alone counts fully, one
    /// used evenly by four counts a quarter) and by how much it is used (a word of one
    /// service's keyword phrase counts less than a category's own word). A compound part or
    /// a shared beginning counts [`PART_EVIDENCE`] of a form of the whole word, and a word
    /// known only from phrases none of whose other words `question` has counts
    /// [`LONE_PHRASE_WORD`].
    pub fn of(&self, w: &QueryWord, lang: Lang, question: &Forms) -> Option<Vec<f32>> {
        // The stem in the question's language only: "pelas" read as English is "pela", a
        // Finnish gambling stem, and says nothing.
        let slot = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
        let stem = Some(w.stem_in[slot].as_str()).filter(|s| s.chars().count() >= 4);
        let bases = w
            .bases
            .iter()
            .map(String::as_str)
            .filter(|_| w.lemmatised)
            .filter(|b| *b == w.exact || !self.names.contains(*b));
        let whole: Vec<&str> = std::iter::once(w.exact.as_str()).chain(stem).chain(bases).collect();
        let mut best = self.sum_in(&whole, lang).map(|uses| evidence(uses, self.alone(&whole, question), self.unit));
        // A compound part, or for a Finnish word Voikko does not know (a spoken form, or no
        // Voikko at all) a known word it begins like, when either says more than the whole
        // word: a rare inflected form used once in a text says little on its own.
        let parts: Vec<&str> = w.parts.iter().map(String::as_str).filter(|p| p.chars().count() >= 3).collect();
        // Also for a word Voikko knows whose forms none of the knowledge uses: a derived word
        // ("ahdistava", distressing) is its own base form, yet means what "ahdistaa" does.
        // Then only a long known word that the word has all but the last letter of.
        let beginning = if lang == Lang::Fi && !w.lemmatised {
            self.beginning_terms(&w.exact)
        } else if lang == Lang::Fi && best.is_none() {
            let derived = |t: &&str| {
                let shared = t.chars().zip(w.exact.chars()).take_while(|(a, b)| a == b).count();
                shared >= DERIVED_SHARED && shared + 1 >= t.chars().count()
            };
            self.beginning_terms(&w.exact).into_iter().filter(derived).collect()
        } else {
            Vec::new()
        };
        // A Swedish or English compound no splitter took apart ("inkassokrav" is a word of
        // the dictionary, "psychotherapy" has no splitter): a known word it starts or ends with.
        let weak = best.as_ref().is_none_or(|b| total(b) < WEAK_EVIDENCE);
        let affix = if lang != Lang::Fi && weak { self.affix_terms(&w.exact) } else { Vec::new() };
        let candidates =
            [(self.sum_in(&parts, lang), &parts), (self.sum(&beginning), &beginning), (self.sum(&affix), &affix)];
        // Each part on its own too: in "perheasiainsovittelu" the spread of "perhe" over every
        // kind of help would drown "sovittelu", which alone says what is asked.
        let single_parts = parts.iter().map(|p| (self.sum_in(std::slice::from_ref(p), lang), std::slice::from_ref(p)));
        for (uses, terms) in candidates.into_iter().map(|(u, t)| (u, t.as_slice())).chain(single_parts) {
            let Some(uses) = uses else { continue };
            let candidate = evidence(uses, PART_EVIDENCE * self.alone(terms, question), self.unit);
            if best.as_ref().is_none_or(|b| total(&candidate) > total(b)) {
                best = Some(candidate);
            }
        }
        best
    }

    /// [`LONE_PHRASE_WORD`] when every known one of `terms` is chosen only inside phrases and
    /// the question has none of their companions; else 1.
    fn alone(&self, terms: &[&str], question: &Forms) -> f32 {
        let mut known = terms.iter().filter(|t| self.terms.contains_key(**t)).peekable();
        let lone = known.peek().is_some()
            && known
                .all(|t| self.companions.get(*t).is_some_and(|c| !c.iter().any(|x| question.0.contains(x.as_str()))));
        if lone { LONE_PHRASE_WORD } else { 1.0 }
    }

    /// Whether a Finnish category word or keyword uses `term`.
    fn is_finnish(&self, term: &str) -> bool {
        self.langs.get(term).is_some_and(|bits| bits & lang_bit(Lang::Fi) != 0)
    }

    /// The uses of `forms` for a question in `lang`: a term the knowledge base uses only in
    /// other languages counts [`OTHER_LANGUAGE`] ("full" is drunk in Swedish, not in English).
    fn sum_in(&self, forms: &[&str], lang: Lang) -> Option<Vec<f32>> {
        self.sum_by(forms, |form| {
            let own = self.langs.get(form).is_none_or(|bits| bits & lang_bit(lang) != 0);
            if own { 1.0 } else { OTHER_LANGUAGE }
        })
    }

    fn sum(&self, forms: &[&str]) -> Option<Vec<f32>> {
        self.sum_by(forms, |_| 1.0)
    }

    /// The uses of each distinct form, times its `factor`, added up; `None` when no form is known.
    fn sum_by(&self, forms: &[&str], factor: impl Fn(&str) -> f32) -> Option<Vec<f32>> {
        let mut total: Option<Vec<f32>> = None;
        let mut seen: Vec<&str> = Vec::new();
        for &form in forms {
            if seen.contains(&form) {
                continue;
            }
            seen.push(form);
            if let Some(uses) = self.terms.get(form) {
                let f = factor(form);
                let t = total.get_or_insert_with(|| vec![0.0; self.slugs.len()]);
                for (a, b) in t.iter_mut().zip(uses) {
                    *a += b * f;
                }
            }
        }
        total
    }

    /// The longest known word, not a Finnish one, of at least [`MIN_AFFIX`] letters that
    /// `word` starts with, and the longest it ends with, each leaving at least three letters
    /// of `word` over: "inkasso" in "inkassokrav", "therapy" in "psychotherapy".
    fn affix_terms<'w>(&self, word: &'w str) -> Vec<&'w str> {
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(MIN_AFFIX).collect();
        let known = |t: &str| self.terms.contains_key(t) && !self.is_finnish(t);
        let count = |s: &str| s.chars().count();
        // A long start may leave a single letter: "självskade" is "självskad(a)".
        let longest_start = bounds
            .iter()
            .rev()
            .map(|&i| &word[..i])
            .find(|p| (count(&word[p.len()..]) >= 3 || count(p) >= LONG_AFFIX) && known(p));
        let longest_end = bounds
            .iter()
            .map(|&i| &word[i..])
            .find(|s| count(s) >= MIN_AFFIX && count(&word[..word.len() - s.len()]) >= 3 && known(s));
        longest_start.into_iter().chain(longest_end).collect()
    }

    /// The known Finnish words that `word` begins like: they share all but the last letter of
    /// the known word ("velkoihi" and "velka" share "velk"), or at least five letters and all
    /// but the last three ("paniikkikohtauksia" and "paniikkikohtaus"). Finnish inflection
    /// changes the end of a word and keeps its beginning; a compound that only shares its
    /// first part ("kauppahalli", "kauppakatu") is another word.
    pub fn beginning_terms(&self, word: &str) -> Vec<&str> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 5 {
            return Vec::new();
        }
        let prefix: String = chars[..4].iter().collect();
        self.terms
            .range(prefix.clone()..)
            .take_while(|(t, _)| t.starts_with(&prefix))
            .take(64)
            .map(|(t, _)| t.as_str())
            .filter(|term| self.is_finnish(term))
            .filter_map(|term| {
                let term_len = term.chars().count();
                let shared = term.chars().zip(&chars).take_while(|(a, b)| a == *b).count();
                let close = shared + 3 >= term_len && (shared >= 5 || shared + 1 >= term_len);
                (term_len >= MIN_PREFIX_TERM && shared >= 4 && close).then_some((term, shared))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .fold(Vec::new(), |mut best: Vec<(&str, usize)>, (term, shared)| {
                // Only the words that share the most: "kriisipuhelimen" is "kriisipuhelin",
                // not also "kriisi".
                match best.first().map(|(_, s)| *s) {
                    Some(s) if shared < s => {}
                    Some(s) if shared > s => best = vec![(term, shared)],
                    _ => best.push((term, shared)),
                }
                best
            })
            .into_iter()
            .map(|(term, _)| term)
            .collect()
    }
}

/// How much a term counts for a question in a language the knowledge base never uses it in.
const OTHER_LANGUAGE: f32 = 0.1;

fn lang_bit(lang: Lang) -> u8 {
    1 << Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)
}

/// Evidence below this lets a Swedish or English word be met by its start or end too.
const WEAK_EVIDENCE: f32 = 0.1;
/// A known start this long may leave fewer than three letters of the word over.
const LONG_AFFIX: usize = 8;

/// The shortest known word a Swedish or English compound may start or end with.
const MIN_AFFIX: usize = 5;

fn total(evidence: &[f32]) -> f32 {
    evidence.iter().sum()
}

/// The evidence of a word with these uses per category (see [`Profiles::of`]).
fn evidence(mut uses: Vec<f32>, strength: f32, unit: f32) -> Vec<f32> {
    let sum: f32 = uses.iter().sum();
    if sum <= 0.0 {
        return uses;
    }
    let concentration: f32 = uses.iter().map(|u| (u / sum).powi(2)).sum();
    let confidence = (sum / unit).min(1.0);
    for u in &mut uses {
        *u *= strength * concentration * confidence / sum;
    }
    uses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_only_a_service_is_named_by_is_a_name() {
        let analyzer = Analyzer::new(None, []);
        let keywords = ["Silta", "Piste", "ero", "Keidas", "MLL", "mll-chat", "piste ja pilkku"];
        let names = names_only(keywords.into_iter(), &Categories::default(), &analyzer);
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        names.sort();
        // "piste" is in another keyword, "mll" in "mll-chat".
        assert_eq!(names, ["keidas", "silta"]);
    }

    #[test]
    fn a_word_known_only_from_phrases_counts_less_without_its_companions() {
        let mut phrases = Phrases::default();
        // "meet other parents", and "parents" on its own elsewhere.
        phrases.record(&[vec!["meet".into()], vec!["other".into()], vec!["parents".into(), "parent".into()]]);
        phrases.record(&[vec!["parents".into()]]);
        let companions = phrases.companions_of_phrase_words();
        assert!(companions.contains_key("other") && companions.contains_key("meet"));
        assert!(!companions.contains_key("parents"), "used on its own too");
        let terms = [("other".to_owned(), vec![1.0]), ("parents".to_owned(), vec![1.0])].into();
        let profiles = Profiles { terms, companions, ..Profiles::default() };
        let question = |words: &[&'static str]| Forms(words.iter().copied().collect());
        assert_eq!(profiles.alone(&["other"], &question(&["other", "stroller"])), LONE_PHRASE_WORD);
        assert_eq!(profiles.alone(&["other"], &question(&["other", "parent"])), 1.0);
        assert_eq!(profiles.alone(&["parents"], &question(&["parents"])), 1.0);
        assert_eq!(profiles.alone(&["unknown"], &question(&["unknown"])), 1.0);
    }
}
