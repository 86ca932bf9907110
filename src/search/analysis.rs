//! Turning Finnish, Swedish and English text into search terms.
//!
//! All analysis happens here, in application code, and the index stores the finished terms:
//! the same functions analyse the knowledge base and the residents' questions, so the two
//! can never drift apart. For every word we produce
//!
//! - the **exact** lowercased form (exact forms are the strongest evidence),
//! - **Snowball stems** (frostem, the stemmer tantivy 0.27 uses) in the text's language, or
//!   in all three for a question, whose language we do not trust for retrieval,
//! - **lemmas**: for Finnish the base forms and compound parts from Voikko when it is
//!   installed ("lähisuhdeväkivaltaa" → lähisuhdeväkivalta, lähi, suhde, väki, valta); for
//!   Swedish, and for Finnish without Voikko, the parts of compounds split against the
//!   knowledge base's own vocabulary ("skuldrådgivning" → skuld, rådgivning), and Swedish
//!   ones also against Debian's Swedish dictionary ([`super::swedish`]: "alkoholfritt" →
//!   alkohol, fritt),
//! - **trigrams**, a low-weight net for typos and compounds nothing else catches.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TokenStream,
};

use super::filters::{CompoundParts, Expand, Expander, Trigrams, VoikkoBaseForms, VoikkoParts};

use super::swedish::SwedishWords;
use super::voikko::Voikko;
use crate::lang::Lang;

/// Words that say "I need help" in every question but say nothing about which help. They
/// are dropped from questions (the knowledge base mentions help everywhere), so that "mistä
/// saa apua" alone is recognised as a question without a topic.
const GENERIC_WORDS: &[&str] = &[
    // fi
    "apu",
    "apua",
    "avun",
    "apuun",
    "avuksi",
    "auttaa",
    "auttakaa",
    "tuki",
    "tukea",
    "tuen",
    "palvelu",
    "palvelua",
    "palvelut",
    "palveluja",
    "tarvitsen",
    "tarviin",
    "tarvii",
    "tarvis",
    "tarvitsisin",
    "haluan",
    "haluisin",
    "haluaisin",
    "mistä",
    "mihin",
    "missä",
    "miten",
    "mitä",
    "milloin",
    "entä",
    "entäs",
    "miksi",
    "kuinka",
    "paljonko",
    "millainen",
    "saa",
    "saan",
    "saada",
    "voi",
    "voin",
    "voisi",
    "joku",
    "jonkun",
    "jostain",
    "kuka",
    "onko",
    "mulla",
    "mä",
    "mää",
    "mun",
    "mua",
    "mulle",
    "meillä",
    "kiitos",
    "moi",
    "hei",
    "terve",
    "pliis",
    "kiitti",
    "jne",
    "yms",
    "kans",
    "vaan",
    "suomi",
    "suomen",
    "suomessa",
    "suomeen",
    "teen",
    "tehdä",
    "teet",
    "tekee",
    "pitäis",
    "pitäisi",
    // fi: everyday verbs and adverbs that every kind of question uses
    "tiedä",
    "tiedän",
    "tietää",
    "tiedetään",
    "osaa",
    "osaan",
    "tee",
    "teemme",
    "tehdään",
    "tekisin",
    "tehdä",
    "mennä",
    "menee",
    "tulee",
    "tuli",
    "tulla",
    "oon",
    "ollut",
    "olla",
    "ihan",
    "tosi",
    "aina",
    "vielä",
    "nyt",
    "sitten",
    // "in my opinion", which Voikko reads as a form of "mieli" (the mind, a word of mental
    // health); a troubled mind is "paha mieli", which keeps "mieli"
    "mielestä",
    "mielestäni",
    "mielestäsi",
    "mielestään",
    "mielestämme",
    "mielestänne",
    // "gladly" and "to mind" ("tuli mieleen"), read as forms of "mieli" too
    "mielelläni",
    "mielellään",
    "mielellämme",
    "mieleen",
    "mieleeni",
    // "then", which Voikko also reads as a plural of "silta" (a bridge, and the name of a
    // divorce service)
    "silloin",
    "silloinkin",
    "silloinkaan",
    "sillon",
    "myös",
    "kyllä",
    "joka",
    "asia",
    "asiat",
    "asioita",
    "tilanne",
    "tilanteessa",
    "aika",
    "kerran",
    "paljon",
    "vähän",
    // fi: "can", "manage to": a modal verb, whatever the problem ("en pysty maksamaan", "en
    // pysty nukkumaan")
    "pysty",
    "pystyn",
    "pystyy",
    "pystyä",
    "pystyisi",
    "pystyisin",
    "pystynyt",
    // fi: "come", in every kind of story ("tulin kotiin", "mitä tulisi tehdä"); "joku tulisi
    // kotiin" speaks for home help by its other words
    "tulla",
    "tulee",
    "tulen",
    "tulet",
    "tulemme",
    "tulevat",
    "tuli",
    "tulin",
    "tulit",
    "tulimme",
    "tulivat",
    "tulisi",
    "tulis",
    "tulisin",
    "tulisivat",
    "tullut",
    "tulleet",
    "tule",
    // fi: saying where one lives, which every question may do
    "asun",
    "asumme",
    "asuu",
    "asuvat",
    "asua",
    "asunut",
    "asuin",
    "asuva",
    "muutin",
    "muutimme",
    // fi: home, where every story happens ("turvakoti" and "kotipalvelu" are words of their own)
    "koti",
    "kotona",
    "kotiin",
    "kotoa",
    // fi: times of day and week, context in every story ("joka ilta")
    "ilta",
    "illalla",
    "iltaisin",
    "aamu",
    "aamulla",
    "päivä",
    "päivällä",
    "päivittäin",
    "viikko",
    "viikossa",
    "kuukausi",
    "vuosi",
    // fi: spoken forms of "apua" (the children's chat "Apuu" is found by "chat")
    "apuu",
    "avuks",
    "apuva",
    // sv
    "hjälp",
    "hjälpen",
    "hjälpa",
    "stöd",
    "stödet",
    "tjänst",
    "tjänster",
    "behöver",
    "vill",
    "skulle",
    "kan",
    "får",
    "var",
    "vart",
    "hur",
    "vem",
    "när",
    "varför",
    "vilken",
    "vilka",
    "finns",
    "någon",
    "något",
    "hej",
    "tack",
    "snälla",
    "mig",
    "min",
    "mitt",
    "mina",
    "finland",
    "finlands",
    // sv: everyday verbs and adverbs
    "gör",
    "göra",
    "gjort",
    "gjorde",
    "vet",
    "veta",
    "ska",
    "fått",
    "få",
    "går",
    "gå",
    "kommer",
    "komma",
    "blir",
    "bli",
    "bara",
    "också",
    "alltid",
    "fortfarande",
    "mycket",
    "lite",
    "sätt",
    "saker",
    "situation",
    // sv: where one lives
    "bor",
    "bodde",
    "bo",
    "flyttade",
    // sv: home
    "hem",
    "hemma",
    "hemifrån",
    // sv: times
    "kväll",
    "kvällen",
    "kvällar",
    "morgon",
    "morgonen",
    "dag",
    "dagar",
    "dagligen",
    "vecka",
    "veckan",
    // en
    "help",
    "helps",
    "support",
    "service",
    "services",
    "need",
    "want",
    "where",
    "how",
    "who",
    "when",
    "why",
    "which",
    "get",
    "can",
    "please",
    "hi",
    "hello",
    "thanks",
    "someone",
    "somebody",
    "anyone",
    "find",
    "finnish",
    // en: everyday words, and the particles of phrasal verbs ("puts me down", "pick myself
    // up"), which name no kind of help on their own
    "down",
    "up",
    "out",
    "off",
    "back",
    "away",
    "last",
    "first",
    "people",
    "person",
    "much",
    "many",
    "does",
    "cost",
    "costs",
    "do",
    "does",
    "know",
    "go",
    "going",
    "got",
    "really",
    "live",
    "lives",
    "living",
    "home",
    "evening",
    "morning",
    "day",
    "days",
    "week",
    "just",
    "also",
    // en: pronouns and function words that the short English stop list keeps
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "you",
    "your",
    "yours",
    "yourself",
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "we",
    "us",
    "our",
    "them",
    "own",
    "from",
    "here",
    "once",
    "have",
    "has",
    "had",
    "been",
    "am",
    "all",
    "any",
    "every",
    "what",
    "about",
    "some",
    "so",
    "very",
    "would",
    "could",
    "should",
];

/// The most word analyses kept; past it the cache starts afresh.
const CACHE_LIMIT: usize = 20_000;

/// One word of a question with everything it may match.
#[derive(Debug, Clone, Default)]
pub struct QueryWord {
    pub exact: String,
    pub stems: Vec<String>,
    /// The Snowball stem in Finnish, Swedish and English ([`Lang::ALL`] order).
    pub stem_in: [String; 3],
    /// Whether Voikko knows the word (then `bases` are its base forms).
    pub lemmatised: bool,
    /// Base forms of the whole word (Voikko), or its stem when Voikko does not know it.
    pub bases: Vec<String>,
    /// Parts of a compound.
    pub parts: Vec<String>,
    pub grams: Vec<String>,
    /// Whether the word may match a keyword with one typo.
    pub fuzzy: bool,
}

/// How much analysis to do. `SnowballOnly` is the baseline `docs/quality.md` measures the
/// full analysis against: exact forms and Snowball stems, nothing else, and plain BM25
/// ranking by place without weighing the question's intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Full,
    SnowballOnly,
}

/// The terms of a text, by kind.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub exact: Vec<String>,
    pub stem: Vec<String>,
    /// Base forms of whole words.
    pub base: Vec<String>,
    /// Parts of compounds.
    pub part: Vec<String>,
    pub tri: Vec<String>,
    /// Whether Voikko analysed the word (Finnish only).
    pub lemmatised: bool,
}

impl Terms {
    pub fn extend(&mut self, other: Terms) {
        self.exact.extend(other.exact);
        self.stem.extend(other.stem);
        self.base.extend(other.base);
        self.part.extend(other.part);
        self.tri.extend(other.tri);
        self.lemmatised |= other.lemmatised;
    }

    /// The terms that stand for whole words: what a question must match to be on topic.
    pub fn whole_words(&self) -> impl Iterator<Item = &String> {
        self.exact.iter().chain(&self.stem).chain(&self.base)
    }

    /// Base forms and compound parts together.
    pub fn lemmas(&self) -> impl Iterator<Item = &String> {
        self.base.iter().chain(&self.part)
    }
}

/// The analyser shared by the index and the questions.
pub struct Analyzer {
    mode: Mode,
    voikko: Option<Arc<Voikko>>,
    words: TextAnalyzer,
    /// [`GENERIC_WORDS`], dropped from questions.
    generic: HashSet<&'static str>,
    fi: frostem::Stemmer,
    sv: frostem::Stemmer,
    en: frostem::Stemmer,
    sv_split: Arc<CompoundSplitter>,
    fi_split: Arc<CompoundSplitter>,
    /// Debian's Swedish dictionary, when installed, for compounds the vocabulary cannot split.
    swedish: Option<Arc<SwedishWords>>,
    /// The analysis of one word as chains of token filters ([`super::filters`]).
    chains: Chains,
    /// The terms of words already analysed, per language: a knowledge base and its
    /// questions use the same few thousand words over and over.
    cache: RwLock<HashMap<(String, Lang), Arc<Terms>>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("voikko", &self.voikko.is_some()).finish_non_exhaustive()
    }
}

impl Analyzer {
    /// An analyser that splits compounds against `vocabulary` (every (language, text) of the
    /// knowledge base) and uses Voikko for Finnish when given.
    pub fn new<'a>(voikko: Option<Arc<Voikko>>, vocabulary: impl IntoIterator<Item = (Lang, &'a str)>) -> Self {
        Self::with_mode(Mode::Full, voikko, vocabulary)
    }

    /// An analyser doing only as much as `mode` says (Voikko is not used in the baseline).
    pub fn with_mode<'a>(
        mode: Mode,
        voikko: Option<Arc<Voikko>>,
        vocabulary: impl IntoIterator<Item = (Lang, &'a str)>,
    ) -> Self {
        let voikko = voikko.filter(|_| mode == Mode::Full);
        let stop = |lang| StopWordFilter::new(lang).expect("tantivy ships Finnish, Swedish and English stop words");
        let words = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(stop(Language::Finnish))
            .filter(stop(Language::Swedish))
            .filter(stop(Language::English))
            .build();
        let mut this = Self {
            mode,
            voikko,
            words,
            generic: GENERIC_WORDS.iter().copied().collect(),
            fi: frostem::Stemmer::new(frostem::Algorithm::Finnish),
            sv: frostem::Stemmer::new(frostem::Algorithm::Swedish),
            en: frostem::Stemmer::new(frostem::Algorithm::English),
            sv_split: Arc::default(),
            fi_split: Arc::default(),
            swedish: None,
            chains: Chains::default(),
            cache: RwLock::new(HashMap::new()),
        };
        let mut sv_vocab = HashSet::new();
        let mut fi_vocab = HashSet::new();
        // Each distinct word is stemmed once: ten thousand services repeat the same words.
        let mut seen: HashSet<(Lang, String)> = HashSet::new();
        for (lang, text) in vocabulary {
            for word in this.tokens(text) {
                if lang == Lang::En || !seen.insert((lang, word.clone())) {
                    continue;
                }
                let (vocab, stem) = match lang {
                    Lang::Sv => (&mut sv_vocab, this.sv.stem(&word).into_owned()),
                    Lang::Fi => (&mut fi_vocab, this.fi.stem(&word).into_owned()),
                    Lang::En => continue,
                };
                vocab.insert(stem);
                vocab.insert(word);
            }
        }
        this.sv_split = Arc::new(CompoundSplitter::new(sv_vocab));
        this.fi_split = Arc::new(CompoundSplitter::new(fi_vocab));
        this.chains = Chains::new(&this);
        this
    }

    /// Splits Swedish compounds also against `swedish` (not in the Snowball-only baseline).
    pub fn with_swedish(mut self, swedish: Option<Arc<SwedishWords>>) -> Self {
        self.swedish = swedish.filter(|_| self.mode == Mode::Full);
        self.chains = Chains::new(&self);
        self
    }

    /// Whether Swedish compounds are split against Debian's Swedish dictionary.
    pub fn has_swedish_dictionary(&self) -> bool {
        self.swedish.is_some()
    }

    /// How much analysis this analyser does.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether Finnish is analysed with Voikko (otherwise with Snowball stems only).
    pub fn has_voikko(&self) -> bool {
        self.voikko.is_some()
    }

    /// Whether a word only asks for help and names none ("apua", "hjälp", "please"), also
    /// with a Finnish clitic that adds a tone and no meaning ("mitähän", "onkohan",
    /// "voinkin"): a base form would not do, as Voikko reads "mitähän" as "mikä".
    pub fn is_generic(&self, word: &str) -> bool {
        self.generic.contains(word) || without_clitic(word).is_some_and(|w| self.generic.contains(w))
    }

    /// Lowercased words of `text` without stop words.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        collect(&mut self.words.clone(), text)
    }

    /// Analyses the words of a question (already cut into words, in order): each with its
    /// forms in all three languages. Stop words and words that only ask for help are left
    /// out, and each word counts once; at most `limit` words are kept, the first ones.
    pub fn query_words<'a>(&self, words: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<QueryWord> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for word in words.into_iter().flat_map(|w| self.tokens(w)) {
            if out.len() >= limit {
                break;
            }
            if self.is_generic(&word) || !seen.insert(word.clone()) {
                continue;
            }
            let t = self.word_terms(&word, &Lang::ALL);
            let stem_in = Lang::ALL.map(|l| self.stemmer(l).stem(&word).into_owned());
            out.push(QueryWord {
                stem_in,
                lemmatised: t.lemmatised,
                exact: word,
                stems: dedup(t.stem),
                bases: dedup(t.base),
                parts: dedup(t.part),
                grams: dedup(t.tri),
                fuzzy: self.mode == Mode::Full,
            });
        }
        out
    }

    /// Analyses the text of a question (see [`Analyzer::query_words`]).
    pub fn question(&self, text: &str) -> Vec<QueryWord> {
        self.query_words([text], usize::MAX)
    }

    /// Calls `f` with the terms of every word of `text`, read as `lang`, without copying
    /// them: the fast path for indexing.
    pub fn visit(&self, text: &str, lang: Lang, mut f: impl FnMut(&Terms)) {
        for word in self.tokens(text) {
            f(&self.cached(&word, lang));
        }
    }

    fn cached(&self, word: &str, lang: Lang) -> Arc<Terms> {
        let key = (word.to_owned(), lang);
        if let Some(t) = self.cache.read().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return t.clone();
        }
        let t = Arc::new(self.analyse_word(word, lang));
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        // Bounded: questions full of made-up words must not grow memory without end.
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, t.clone());
        t
    }

    /// Frees the analyses cached while indexing; questions fill the cache again with the
    /// words they actually use.
    pub fn clear_cache(&self) {
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        *cache = HashMap::new();
        if let Some(voikko) = &self.voikko {
            voikko.clear_cache();
        }
    }

    fn word_terms(&self, word: &str, langs: &[Lang]) -> Terms {
        let mut all = Terms::default();
        for &lang in langs {
            all.extend((*self.cached(word, lang)).clone());
        }
        // The exact form and trigrams are the same in every language.
        dedup_in_place(&mut all.exact);
        dedup_in_place(&mut all.tri);
        all
    }

    /// The terms of one word read as `lang`: each kind of term from its chain of filters.
    fn analyse_word(&self, word: &str, lang: Lang) -> Terms {
        let c = &self.chains;
        let slot = lang_slot(lang);
        let mut terms = Terms { exact: vec![word.to_owned()], stem: run(&c.stem[slot], word), ..Terms::default() };
        if self.mode == Mode::SnowballOnly {
            return terms;
        }
        terms.tri = run(&c.trigrams, word);
        terms.part = dedup(run(&c.parts[slot], word));
        if lang == Lang::Fi && c.fi_bases.is_some() {
            terms.base = run(&c.fi_bases, word);
            terms.lemmatised = !terms.base.is_empty();
            // A word Voikko does not know (a spoken form): its stem stands for its base.
            if !terms.lemmatised {
                terms.base = terms.stem.clone();
            }
        }
        terms
    }

    fn stemmer(&self, lang: Lang) -> &frostem::Stemmer {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Fi => 0,
        Lang::Sv => 1,
        Lang::En => 2,
    }
}

/// The analysis of one word, by kind of term, as chains of tantivy token filters over the
/// word as one token:
///
/// | terms       | Finnish                                 | Swedish                                   | English |
/// |-------------|-----------------------------------------|-------------------------------------------|---------|
/// | stems       | `Stemmer(Finnish)`                      | `Stemmer(Swedish)`                        | `Stemmer(English)` |
/// | base forms  | `VoikkoBaseForms`                       | –                                         | – |
/// | parts       | `VoikkoParts`, or without Voikko `CompoundParts` → `Stemmer(Finnish)` | `CompoundParts` (vocabulary, dictionary) → `Stemmer(Swedish)` | – |
/// | trigrams    | `Trigrams`                              | `Trigrams`                                | `Trigrams` |
#[derive(Clone, Default)]
struct Chains {
    stem: [Option<TextAnalyzer>; 3],
    fi_bases: Option<TextAnalyzer>,
    parts: [Option<TextAnalyzer>; 3],
    trigrams: Option<TextAnalyzer>,
}

impl Chains {
    fn new(a: &Analyzer) -> Self {
        let word = || TextAnalyzer::builder(RawTokenizer::default());
        let stem = |lang| Some(word().filter(Stemmer::new(lang)).build());
        let (fi_bases, fi_parts) = match &a.voikko {
            Some(v) => (
                Some(word().filter(Expand(VoikkoBaseForms(v.clone()))).build()),
                word().filter(Expand(VoikkoParts(v.clone()))).build(),
            ),
            None => (
                None,
                word()
                    .filter(Expand(CompoundParts::new(a.fi_split.clone(), None)))
                    .filter(Stemmer::new(Language::Finnish))
                    .build(),
            ),
        };
        let sv_parts = word()
            .filter(Expand(CompoundParts::new(a.sv_split.clone(), a.swedish.clone())))
            .filter(Stemmer::new(Language::Swedish))
            .build();
        Self {
            stem: [stem(Language::Finnish), stem(Language::Swedish), stem(Language::English)],
            fi_bases,
            parts: [Some(fi_parts), Some(sv_parts), None],
            trigrams: Some(word().filter(Expand(Trigrams)).build()),
        }
    }
}

/// The terms a chain gives for one word.
fn run(chain: &Option<TextAnalyzer>, word: &str) -> Vec<String> {
    match chain {
        Some(chain) => collect(&mut chain.clone(), word),
        None => Vec::new(),
    }
}

/// A Finnish word without its tone clitic ("-hän", "-han", "-kin"), if it has one.
fn without_clitic(word: &str) -> Option<&str> {
    ["hän", "han", "kin"].iter().find_map(|c| word.strip_suffix(c)).filter(|w| !w.is_empty())
}

fn collect(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn dedup_in_place(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|t| seen.insert(t.clone()));
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    v.retain(|t| seen.insert(t.clone()));
    v
}

/// Character trigrams of a word of four letters or more ("velka" → vel, elk, lka).
pub fn trigrams(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    Trigrams.expand(word, &mut out);
    out
}

/// Splits compounds into words of a vocabulary: "skuldrådgivning" → skuld, rådgivning;
/// "våldsutsatt" → våld, utsatt (with the linking -s). tantivy's `SplitCompoundWords` does
/// the first but knows no linking letters and drops the whole word, so this small dynamic
/// program is our own.
#[derive(Debug, Clone, Default)]
pub struct CompoundSplitter {
    vocabulary: HashSet<String>,
}

impl CompoundSplitter {
    /// The shortest part worth splitting off.
    const MIN_PART: usize = 3;

    pub fn new(vocabulary: HashSet<String>) -> Self {
        let vocabulary = vocabulary.into_iter().filter(|w| w.chars().count() >= Self::MIN_PART).collect();
        Self { vocabulary }
    }

    /// The parts of `word` if all of it splits into two or more vocabulary words, each but the
    /// last optionally followed by a linking "s" or "e"; the split with the fewest parts wins.
    /// Empty when there is no such split.
    pub fn split(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        if n < 2 * Self::MIN_PART || self.vocabulary.is_empty() {
            return Vec::new();
        }
        // A word of the vocabulary itself is one part: not split.
        if self.vocabulary.contains(word) {
            return Vec::new();
        }
        let known = |part: &str| self.vocabulary.contains(part);
        fewest_parts(&chars, Self::MIN_PART, known, known)
    }
}

/// The split of a word (its `chars`) into the fewest parts of at least `min_part` letters:
/// each part but the last one that `is_part` accepts, optionally followed by a linking "s"
/// or "e", and a last one that `is_last` accepts. Empty unless there are two parts or more.
/// A small dynamic program shared by [`CompoundSplitter`] and the Swedish dictionary's
/// splitter ([`super::swedish::SwedishWords::split`]).
pub(crate) fn fewest_parts(
    chars: &[char],
    min_part: usize,
    is_part: impl Fn(&str) -> bool,
    is_last: impl Fn(&str) -> bool,
) -> Vec<String> {
    let n = chars.len();
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    // best[i] = (parts, start, end) of the split of chars[..i] with the fewest parts, where
    // chars[start..end] is its last part (a linking letter may follow it).
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0, 0));
    for start in 0..n {
        let Some((parts, ..)) = best[start] else { continue };
        if start > 0
            && n - start >= min_part
            && best[n].is_none_or(|(p, ..)| parts + 1 < p)
            && is_last(&piece(start, n))
        {
            best[n] = Some((parts + 1, start, n));
        }
        for end in start + min_part..n {
            if !is_part(&piece(start, end)) {
                continue;
            }
            let mut relax = |to: usize| {
                if to < n && best[to].is_none_or(|(p, ..)| parts + 1 < p) {
                    best[to] = Some((parts + 1, start, end));
                }
            };
            relax(end);
            let linking = chars.get(end).is_some_and(|c| matches!(c, 's' | 'e'));
            if linking && end + 1 + min_part <= n {
                relax(end + 1);
            }
        }
    }
    let Some((count, ..)) = best[n] else { return Vec::new() };
    if count < 2 {
        return Vec::new();
    }
    let mut parts = Vec::with_capacity(count);
    let mut at = n;
    while at > 0 {
        let Some((_, start, end)) = best[at] else { break };
        parts.push(piece(start, end));
        at = start;
    }
    parts.reverse();
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter(words: &[&str]) -> CompoundSplitter {
        CompoundSplitter::new(words.iter().map(|w| (*w).to_owned()).collect())
    }

    #[test]
    fn compounds_split_into_vocabulary_words() {
        let s = splitter(&["skuld", "rådgivning", "våld", "utsatt", "familj", "kris", "telefon", "velka", "neuvonta"]);
        assert_eq!(s.split("skuldrådgivning"), ["skuld", "rådgivning"]);
        assert_eq!(s.split("våldsutsatt"), ["våld", "utsatt"]);
        assert_eq!(s.split("familjevåld"), ["familj", "våld"]);
        assert_eq!(s.split("kristelefon"), ["kris", "telefon"]);
        assert_eq!(s.split("velkaneuvonta"), ["velka", "neuvonta"]);
        // Not all of it is known: no split, no guessing.
        assert!(s.split("skuldsanering").is_empty());
        // A known word is not a compound of itself.
        assert!(s.split("rådgivning").is_empty());
        assert!(s.split("").is_empty());
    }

    #[test]
    fn the_fewest_parts_win() {
        let s = splitter(&["barn", "familj", "barnfamilj", "stöd"]);
        assert_eq!(s.split("barnfamiljstöd"), ["barnfamilj", "stöd"]);
    }

    #[test]
    fn in_my_opinion_is_no_word_of_the_mind() {
        let analyzer = Analyzer::new(None, []);
        let words = analyzer.query_words(["mielestäni", "mieli", "mielelläni", "masentaa"], 10);
        let kept: Vec<&str> = words.iter().map(|w| w.exact.as_str()).collect();
        assert_eq!(kept, ["mieli", "masentaa"]);
    }

    #[test]
    fn a_tone_clitic_is_cut_off_and_only_that() {
        for (word, without) in [
            ("mitähän", Some("mitä")),
            ("onkohan", Some("onko")),
            ("voinkin", Some("voin")),
            ("velka", None),
            ("hän", None),
            ("kin", None),
        ] {
            assert_eq!(without_clitic(word), without, "{word}");
        }
    }

    #[test]
    fn trigrams_cover_words_of_four_letters_or_more() {
        assert_eq!(trigrams("velka"), ["vel", "elk", "lka"]);
        assert!(trigrams("apu").is_empty());
        assert_eq!(trigrams("väki"), ["väk", "äki"]);
    }
}
