//! The in-RAM tantivy index over the knowledge base, rebuilt at every start.
//!
//! One document per service holds every language's text. The terms are computed by
//! [`Analyzer`] and stored in fields with a plain whitespace tokenizer, so tantivy only
//! counts them. A question's words are matched in every field at once with these weights:
//!
//! | field   | what                                              | weight |
//! |---------|---------------------------------------------------|--------|
//! | `kw`    | the service's keywords and its categories' words  | 3.0    |
//! | `topic` | the same and the name, whole words only           | –      |
//! | `name`  | the service's name                                | 1.5    |
//! | `lemma` | Voikko base forms, compound parts                 | 1.5    |
//! | `exact` | exact word forms                                  | 1.0    |
//! | `stem`  | Snowball stems                                    | 1.0    |
//! | `tri`   | trigrams of keywords, category words and names; 60 % of a word's grams must match | 0.3 |
//!
//! `topic` only decides whether a question is about help at all: a word must match a
//! keyword, a category word or a name as a whole word (exactly, by stem or base form, or
//! with one typo); a compound part is not enough ("pääkaupunki" shares "kaupunki" with
//! "pääkaupunkiseutu" but is no topic of ours).
//!
//! Keywords carry the most weight because they are the words residents actually type and
//! the only thing that bridges "en jaksa enää" to "kotipalvelu" (see `docs/quality.md`).

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{DocSet, Index, IndexReader, ReloadPolicy, TERMINATED, TantivyDocument, Term};

use super::analysis::{Analyzer, QueryWord, Terms};
use super::profile::Profiles;
use crate::knowledge::{Categories, Service};
use crate::lang::Lang;

const TOKENIZER: &str = "terms";
const W_KEYWORD: f32 = 3.0;
const W_NAME: f32 = 1.5;
const W_LEMMA: f32 = 1.5;
const W_EXACT: f32 = 1.0;
const W_STEM: f32 = 1.0;
const W_TRIGRAM: f32 = 0.3;
const W_FUZZY: f32 = 1.0;
/// Share of a word's trigrams that must match for the trigram clause to count.
const TRIGRAM_SHARE: f32 = 0.6;
/// Weight of a keyword that an unknown word begins like.
const W_BEGINNING: f32 = 2.0;
/// The most keywords one unknown word may meet by its beginning.
const MAX_BEGINNINGS: usize = 8;
/// Words this long or longer may match a keyword with one typo ("velkaneuvonda").
const FUZZY_MIN_CHARS: usize = 6;

#[derive(Clone, Copy)]
struct Fields {
    ord: Field,
    exact: Field,
    stem: Field,
    lemma: Field,
    tri: Field,
    kw: Field,
    name: Field,
    topic: Field,
    topic_pair: Field,
}

/// A service that matched, by its position in the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub ord: usize,
    pub score: f32,
}

/// The index.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Which categories each word is evidence for ([`Profiles`]).
    profiles: Profiles,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchIndex")
    }
}

impl SearchIndex {
    /// Indexes `services` (their order defines [`Hit::ord`]). `is_place` tells place names
    /// ("Turussa") apart from topics in keywords.
    pub fn build(
        services: &[&Service],
        categories: &Categories,
        analyzer: &Analyzer,
        is_place: &dyn Fn(&str) -> bool,
    ) -> Result<Self> {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            ord: builder.add_u64_field("ord", NumericOptions::default().set_fast()),
            exact: builder.add_text_field("exact", text.clone()),
            stem: builder.add_text_field("stem", text.clone()),
            lemma: builder.add_text_field("lemma", text.clone()),
            tri: builder.add_text_field("tri", text.clone()),
            kw: builder.add_text_field("kw", text.clone()),
            name: builder.add_text_field("name", text.clone()),
            topic: builder.add_text_field("topic", text.clone()),
            topic_pair: builder.add_text_field("topic_pair", text),
        };
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(TOKENIZER, TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
        // One thread and an arena large enough that 10 000 services end up in a single
        // segment (a query over several segments is measurably slower).
        let mut writer = index.writer_with_num_threads(1, 50_000_000).context("cannot create the index writer")?;
        let per_category = category_terms(categories, analyzer, is_place);
        let profiles = Profiles::build(categories, services, analyzer, is_place);
        for (ord, service) in services.iter().enumerate() {
            writer.add_document(document(ord, service, &per_category, analyzer, is_place, fields))?;
        }
        writer.commit().context("cannot commit the index")?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { reader, fields, profiles })
    }

    /// Which categories each word is evidence for.
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// The best `limit` services for the words of a question.
    pub fn search(&self, words: &[QueryWord], limit: usize) -> Result<Vec<Hit>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut clauses = Vec::with_capacity(words.len());
        for w in words {
            // Trigrams and one-typo matches are for words the index does not know (typos,
            // unknown forms); for known words they only add work and noise.
            let known = self.known(&searcher, w, f)?;
            clauses.push((Occur::Should, self.word_query(w, f, !known)));
        }
        self.run(&BooleanQuery::new(clauses), limit)
    }

    /// Whether any word of the question is one residents use for a kind of help: a
    /// keyword, a category word or a service's name, as a whole word (exactly, by stem or
    /// base form, or with one typo). A question with no such word ("paras pizzeria") is
    /// off topic.
    ///
    /// Words of a category's words or of a one-word keyword count alone; words of longer
    /// keywords and of names ("vill berätta för någon", "Turun ensi- ja turvakoti") count
    /// only when two of them occur in the question.
    pub fn is_topical(&self, words: &[QueryWord]) -> Result<bool> {
        let f = self.fields;
        // Any one word as a whole word: one query for all of them.
        let alone: Vec<(Occur, Box<dyn Query>)> =
            words.iter().filter_map(|w| word_topic_query(w, f.topic, true)).map(|q| (Occur::Should, q)).collect();
        if !alone.is_empty() && self.any(&BooleanQuery::new(alone))? {
            return Ok(true);
        }
        // Two words of the same service's longer keywords or name.
        let pairs: Vec<(Occur, Box<dyn Query>)> =
            words.iter().filter_map(|w| word_topic_query(w, f.topic_pair, false)).map(|q| (Occur::Should, q)).collect();
        if pairs.len() < 2 {
            return Ok(false);
        }
        self.any(&BooleanQuery::with_minimum_required_clauses(pairs, 2))
    }

    /// Whether the index has the word in any form (exact, stem, base form).
    fn known(&self, searcher: &tantivy::Searcher, w: &QueryWord, f: Fields) -> Result<bool> {
        let probes = std::iter::once((f.exact, w.exact.as_str()))
            .chain(w.stems.iter().map(|s| (f.stem, s.as_str())))
            .chain(w.bases.iter().map(|b| (f.lemma, b.as_str())))
            .chain(std::iter::once((f.kw, w.exact.as_str())));
        for (field, term) in probes {
            if searcher.doc_freq(&Term::from_field_text(field, term))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn word_query(&self, w: &QueryWord, f: Fields, unknown: bool) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |field: Field, term: &str, weight: f32| {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(term_query(field, term), weight))));
        };
        add(f.exact, &w.exact, W_EXACT);
        for s in &w.stems {
            add(f.stem, s, W_STEM);
        }
        for l in w.bases.iter().chain(&w.parts) {
            add(f.lemma, l, W_LEMMA);
        }
        for t in terms_of(w) {
            add(f.kw, t, W_KEYWORD);
            add(f.name, t, W_NAME);
        }
        if unknown && !w.grams.is_empty() {
            let grams: Vec<(Occur, Box<dyn Query>)> =
                w.grams.iter().map(|g| (Occur::Should, term_query(f.tri, g))).collect();
            let required = ((grams.len() as f32) * TRIGRAM_SHARE).ceil() as usize;
            let trigram = BooleanQuery::with_minimum_required_clauses(grams, required.max(1));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(trigram), W_TRIGRAM))));
        }
        if unknown && w.fuzzy && w.exact.chars().count() >= FUZZY_MIN_CHARS {
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.kw, &w.exact), 1, true);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), W_FUZZY))));
        }
        if unknown && w.fuzzy && !w.lemmatised {
            // An inflected form no analysis relates to a keyword meets the keyword it begins
            // like ("velkoihi" → velka): the keywords, never the names, so that "apuu" finds
            // no service merely because its name is "Apuu".
            for term in self.profiles.beginning_terms(&w.exact).into_iter().take(MAX_BEGINNINGS) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(term_query(f.kw, term), W_BEGINNING))));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn run(&self, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        // The service's position comes from a fast field: no stored document is read.
        top.into_iter()
            .map(|(score, address)| {
                let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("ord")?;
                let ord = column.first(address.doc_id).context("document without ord")?;
                Ok(Hit { ord: usize::try_from(ord)?, score })
            })
            .collect()
    }

    /// Whether anything matches, without ranking.
    /// Whether any service matches `query`. It stops at the first match: counting every
    /// match of a common word over 10 000 services was a measurable part of each question.
    /// The index has no deleted documents, so the first document of a scorer is a match.
    fn any(&self, query: &dyn Query) -> Result<bool> {
        let searcher = self.reader.searcher();
        let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
        for segment in searcher.segment_readers() {
            if weight.scorer(segment, 1.0)?.doc() != TERMINATED {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// One word against a topic field as a whole word (or, with `parts`, by a part of a
/// compound: "paniikkikohtaus" is about "paniikki"); `None` when the word has no usable form.
fn word_topic_query(w: &QueryWord, field: Field, parts: bool) -> Option<Box<dyn Query>> {
    let parts = w.parts.iter().map(String::as_str).filter(move |p| parts && p.chars().count() >= 3);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        topic_words(w).chain(parts).map(|term| (Occur::Should, term_query(field, term))).collect();
    if w.fuzzy && w.exact.chars().count() >= FUZZY_MIN_CHARS {
        clauses.push((Occur::Should, Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &w.exact), 1, true))));
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

fn term_query(field: Field, term: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs))
}

/// The distinct forms of a question word: exact, stems, base forms, compound parts.
fn terms_of(w: &QueryWord) -> impl Iterator<Item = &str> {
    let mut seen = HashSet::new();
    whole_words(w).chain(w.parts.iter().map(String::as_str)).filter(move |t| seen.insert(*t))
}

/// The forms that stand for the whole word: exact, stems, base forms.
fn whole_words(w: &QueryWord) -> impl Iterator<Item = &str> {
    std::iter::once(w.exact.as_str())
        .chain(w.stems.iter().map(String::as_str))
        .chain(w.bases.iter().map(String::as_str))
}

/// Whole-word forms specific enough to decide a topic: stems of three letters or fewer
/// ("pel", "van") match too much.
fn topic_words(w: &QueryWord) -> impl Iterator<Item = &str> {
    std::iter::once(w.exact.as_str())
        .chain(w.stems.iter().map(String::as_str).filter(|s| s.chars().count() >= 4))
        .chain(w.bases.iter().map(String::as_str))
        .filter(|t| t.chars().count() >= 3)
}

/// A field's terms, space-separated, as the whitespace tokenizer reads them.
#[derive(Default)]
struct Buffer(String);

impl Buffer {
    fn push<'a>(&mut self, terms: impl IntoIterator<Item = &'a String>) {
        for t in terms {
            self.0.push_str(t);
            self.0.push(' ');
        }
    }
}

/// A category's words, analysed once for all its services: the keyword terms, and the
/// whole-word terms that make a question topical.
#[derive(Default)]
struct CategoryTerms {
    kw: Buffer,
    topic: Buffer,
    tri: Buffer,
}

/// Analyses every category's words once: the terms each of its services is indexed with.
fn category_terms(
    categories: &Categories,
    analyzer: &Analyzer,
    is_place: &dyn Fn(&str) -> bool,
) -> HashMap<String, CategoryTerms> {
    let mut per_category = HashMap::new();
    for category in categories.iter() {
        let mut terms = CategoryTerms::default();
        for lang in Lang::ALL {
            for phrase in category.synonyms.get(lang).iter().map(String::as_str).chain(category.name.get(lang)) {
                analyzer.visit(phrase, lang, |t| {
                    terms.kw.push(t.whole_words().chain(&t.part));
                    terms.tri.push(&t.tri);
                });
                for word in analyzer.tokens(phrase).into_iter().filter(|w| !is_place(w)) {
                    analyzer.visit(&word, lang, |t| terms.topic.push(t.whole_words()));
                }
            }
        }
        per_category.insert(category.slug.clone(), terms);
    }
    per_category
}

fn document(
    ord: usize,
    service: &Service,
    categories: &HashMap<String, CategoryTerms>,
    analyzer: &Analyzer,
    is_place: &dyn Fn(&str) -> bool,
    f: Fields,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.ord, ord as u64);
    let (mut exact, mut stem, mut lemma, mut tri) =
        (Buffer::default(), Buffer::default(), Buffer::default(), Buffer::default());
    let (mut kw, mut name, mut strong, mut pair) =
        (Buffer::default(), Buffer::default(), Buffer::default(), Buffer::default());
    let mut body = |t: &Terms| {
        exact.push(&t.exact);
        stem.push(&t.stem);
        lemma.push(t.lemmas());
    };
    // Topic words: one-word keywords count alone, words of longer ones and of names only
    // two together.
    let topic = |phrase: &str, lang: Lang, strong: &mut Buffer, pair: &mut Buffer| {
        let into = if phrase.split_whitespace().count() == 1 { strong } else { pair };
        for word in analyzer.tokens(phrase).into_iter().filter(|w| !is_place(w)) {
            analyzer.visit(&word, lang, |t| into.push(t.whole_words()));
        }
    };
    for lang in Lang::ALL {
        let texts = [
            service.summary.get(lang),
            service.description.as_ref().and_then(|d| d.get(lang)),
            service.organization.as_ref().and_then(|o| o.name.get(lang)),
        ];
        for text in texts.into_iter().flatten() {
            analyzer.visit(text, lang, &mut body);
        }
        if let Some(n) = service.name.get(lang) {
            // The name is body text too, so that a word of the name also counts as an ordinary match.
            analyzer.visit(n, lang, |t| {
                body(t);
                name.push(t.whole_words().chain(&t.part));
                tri.push(&t.tri);
            });
            topic(n, lang, &mut strong, &mut pair);
        }
        for word in service.keywords.get(lang) {
            analyzer.visit(word, lang, |t| {
                kw.push(t.whole_words().chain(&t.part));
                tri.push(&t.tri);
            });
            topic(word, lang, &mut strong, &mut pair);
        }
    }
    for slug in &service.categories {
        if let Some(terms) = categories.get(slug) {
            kw.0.push_str(&terms.kw.0);
            strong.0.push_str(&terms.topic.0);
            tri.0.push_str(&terms.tri.0);
        }
    }
    for (field, buffer) in [
        (f.exact, exact),
        (f.stem, stem),
        (f.lemma, lemma),
        (f.tri, tri),
        (f.kw, kw),
        (f.name, name),
        (f.topic, strong),
        (f.topic_pair, pair),
    ] {
        if !buffer.0.is_empty() {
            doc.add_text(field, buffer.0);
        }
    }
    doc
}
