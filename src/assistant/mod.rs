//! The bot's brain: from a question to an answer, with no Matrix in it.
//!
//! `lahiapu ask`, `lahiapu chat` and the Matrix bot all call [`Assistant::understand`] and
//! [`Assistant::answer`] (or [`Assistant::ask`], both in one), so the same question gets the
//! same answer at every front door.
//!
//! ```text
//! message ─► understand (Question) ─► search ─► rank ─► compose ─► Answer
//! ```

mod json;

use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::answer::{self, Reply};
use crate::geo::{Place, PlaceFinder};
use crate::i18n::Locales;
use crate::knowledge::{Knowledge, Service};
use crate::lang::{Detector, Lang};
use crate::safety::Crisis;
use crate::search::intent::{self, People};
use crate::search::swedish::SwedishWords;
use crate::search::voikko::Voikko;
use crate::search::{Analyzer, Hit, Mode, Ranked, SearchIndex, rank};
pub use crate::understand::AskContext;
use crate::understand::{Question, Understander};
pub use json::{Answer, JsonLocation, ResultItem};

/// How many candidates the index returns before ranking by place.
const CANDIDATES: usize = 50;
/// Evidence for a kind of help that makes a question topical even when no word of it is a
/// keyword as a whole ([`crate::search::intent::Intent::strength`]); or one word that shows a
/// need however it is shared among kinds of help ([`intent::CLEAR_WORD`]).
const TOPICAL_EVIDENCE: f32 = 0.3;
/// Candidates whose kinds of help weigh less than this share of the best fitting one's are
/// dropped before ranking by place (see [`crate::search::intent::Intent::weight`]).
const TOPIC_FLOOR: f32 = 0.5;
/// A kind of help with at least this share of the strongest one's evidence is a second
/// problem of the question ("vill ha ett alkoholfritt hem, ska vi skiljas?"): when none of
/// the services shown is of that kind, its best one takes the last place.
const SECOND_PROBLEM: f32 = 0.5;

/// The loaded knowledge with everything built from it.
pub struct Assistant {
    knowledge: Knowledge,
    /// Positions in `knowledge.services` of the active services, in index order.
    active: Vec<usize>,
    analyzer: Analyzer,
    index: SearchIndex,
    places: PlaceFinder,
    detector: Detector,
    locales: Locales,
    people: People,
    /// Whether each active service (by index order) helps the close ones of someone with a problem.
    /// What each active service is for beyond its categories (close ones, those who harm).
    serves: Vec<intent::Serves>,
}

impl std::fmt::Debug for Assistant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assistant")
            .field("services", &self.active.len())
            .field("analyzer", &self.analyzer)
            .finish_non_exhaustive()
    }
}

impl Assistant {
    /// Builds the index and the helpers from validated knowledge.
    pub fn new(knowledge: Knowledge, voikko: Option<Arc<Voikko>>) -> Result<Self> {
        Self::with_mode(knowledge, voikko, Mode::Full)
    }

    /// The same with a chosen analysis (the Snowball-only baseline is for measurements).
    /// Debian's Swedish dictionary is used when it is installed ([`SwedishWords::shared`]).
    pub fn with_mode(knowledge: Knowledge, voikko: Option<Arc<Voikko>>, mode: Mode) -> Result<Self> {
        Self::with_parts(knowledge, voikko, SwedishWords::shared(), mode)
    }

    /// The same with every optional part given: Voikko, the Swedish dictionary, the analysis.
    pub fn with_parts(
        knowledge: Knowledge,
        voikko: Option<Arc<Voikko>>,
        swedish: Option<Arc<SwedishWords>>,
        mode: Mode,
    ) -> Result<Self> {
        let active: Vec<usize> =
            knowledge.services.iter().enumerate().filter(|(_, s)| s.is_active()).map(|(i, _)| i).collect();
        let category_words: Vec<(Lang, &str)> = knowledge
            .categories
            .iter()
            .flat_map(|c| {
                Lang::ALL.into_iter().flat_map(move |l| c.synonyms.get(l).iter().map(move |w| (l, w.as_str())))
            })
            .collect();
        let vocabulary: Vec<(Lang, &str)> =
            knowledge.services.iter().flat_map(service_texts).chain(category_words.iter().copied()).collect();
        let analyzer = Analyzer::with_mode(mode, voikko, vocabulary.iter().copied()).with_swedish(swedish);
        let detector = Detector::new(vocabulary.iter().copied());
        let services: Vec<&Service> = active.iter().map(|&i| &knowledge.services[i]).collect();
        // Words the knowledge base writes in lowercase are ordinary words, never districts.
        let ordinary: std::collections::HashSet<String> = vocabulary
            .iter()
            .flat_map(|(_, text)| text.split(|c: char| !c.is_alphanumeric() && c != '-'))
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_owned)
            .collect();
        let places = PlaceFinder::new(&knowledge.gazetteer, &|w| ordinary.contains(w));
        let is_place = |word: &str| places.is_place_word(word);
        let index = SearchIndex::build(&services, &knowledge.categories, &analyzer, &is_place)
            .context("cannot build the search index")?;
        let people = People::new(&analyzer);
        let serves = services.iter().map(|s| intent::Serves::of(s, &analyzer)).collect();
        analyzer.clear_cache();
        let locales = Locales::new()?;
        Ok(Self { knowledge, active, analyzer, index, places, detector, locales, people, serves })
    }

    /// Loads Voikko if it is installed; otherwise logs one warning and returns `None`.
    pub fn load_voikko() -> Option<Arc<Voikko>> {
        match Voikko::load() {
            Ok(v) => Some(Arc::new(v)),
            Err(e) => {
                tracing::warn!("Finnish analysis without Voikko, with Snowball stems instead: {e:#}");
                None
            }
        }
    }

    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    pub fn locales(&self) -> &Locales {
        &self.locales
    }

    /// Which categories each word is evidence for (for `lahiapu ask --explain`).
    pub fn profiles(&self) -> &crate::search::profile::Profiles {
        self.index.profiles()
    }

    pub fn has_voikko(&self) -> bool {
        self.analyzer.has_voikko()
    }

    /// Whether Swedish compounds are split against Debian's Swedish dictionary.
    pub fn has_swedish_dictionary(&self) -> bool {
        self.analyzer.has_swedish_dictionary()
    }

    /// Finds a place by name or code ("Turku", "Åbo", "853", "Pirkanmaa", "08").
    pub fn resolve_place(&self, name: &str) -> Option<Place> {
        crate::search::listing::resolve_place(&self.knowledge.gazetteer, &self.places, name)
    }

    /// The language of a text.
    pub fn detect_language(&self, text: &str, previous: Option<Lang>) -> Lang {
        self.detector.detect(text, previous)
    }

    /// Understands a message: everything the rest of the pipeline (and the Matrix
    /// admission step) reads about it, computed once.
    pub fn understand(&self, text: &str, cx: &AskContext) -> Question {
        Understander {
            detector: &self.detector,
            places: &self.places,
            analyzer: &self.analyzer,
            index: &self.index,
            people: &self.people,
        }
        .understand(text, cx)
    }

    /// Answers a message: [`Assistant::understand`] and then [`Assistant::answer`].
    pub fn ask(&self, text: &str, cx: &AskContext) -> Result<Answer> {
        self.answer(&self.understand(text, cx), cx)
    }

    /// Answers an understood question.
    pub fn answer(&self, q: &Question, cx: &AskContext) -> Result<Answer> {
        let place = q.place.as_ref();
        let topical = self.index.is_topical(&q.words)?;
        let hits = self.index.search(&q.words, CANDIDATES)?;
        let services: Vec<&Service> = self.active.iter().map(|&i| &self.knowledge.services[i]).collect();
        // The baseline ranks by BM25 and place alone.
        let plain = self.analyzer.mode() == Mode::SnowballOnly;
        let topic = |ord: usize, s: &Service| {
            if plain { 1.0 } else { q.intent.weight(s, self.serves.get(ord).copied().unwrap_or_default()) }
        };
        // Services of kinds of help the question is hardly about are no candidates, however
        // near they are: someone in Hanko asking about violence gets the violence services
        // before a local debt advice that matched "pengar".
        let best_topic = hits.iter().filter_map(|h| services.get(h.ord).map(|s| topic(h.ord, s))).fold(0.0, f32::max);
        // BM25 sums every word's matches, so a long story's everyday words can outweigh its one
        // problem word; the square root keeps the order of the matches and leaves the kind of
        // help more say across categories.
        let hits: Vec<Hit> =
            hits.into_iter().map(|h| if plain { h } else { Hit { score: h.score.sqrt(), ..h } }).collect();
        let (hits, others): (Vec<Hit>, Vec<Hit>) = hits
            .into_iter()
            .partition(|h| services.get(h.ord).is_some_and(|s| topic(h.ord, s) >= best_topic * TOPIC_FLOOR));
        let ranked = rank::rank(&hits, &services, place, &topic, &self.knowledge.gazetteer);
        // The best service for a second problem the question names, ranked among its own kind.
        let second = q.intent.categories.get(1).filter(|(_, share)| !plain && *share >= SECOND_PROBLEM).and_then(
            |(category, _)| {
                let of_kind = |h: &&Hit| services.get(h.ord).is_some_and(|s| s.categories.contains(category));
                let candidates: Vec<Hit> = hits.iter().chain(&others).filter(of_kind).cloned().collect();
                let best = rank::rank(&candidates, &services, place, &topic, &self.knowledge.gazetteer);
                best.into_iter().find(|r| r.scope != rank::Scope::Elsewhere).map(|r| (category.clone(), r))
            },
        );
        let ranked = match second {
            Some((category, extra)) => {
                rank::with_second_problem(ranked, extra, &category, &services, answer::MAX_SERVICES)
            }
            None => ranked,
        };
        // On topic: a word the index knows as a kind of help, or clear evidence from the words'
        // profiles (which also meet inflected forms by their beginning).
        let topical = topical
            || (!plain && (q.intent.strength >= TOPICAL_EVIDENCE || q.intent.clearest_word >= intent::CLEAR_WORD));
        let mut confident = topical && (plain || q.intent.is_ours()) && !ranked.is_empty();
        let mut results: Vec<(&Service, Ranked)> = if confident {
            ranked.into_iter().take(answer::MAX_SERVICES).map(|r| (services[r.ord], r)).collect()
        } else {
            Vec::new()
        };
        if q.crisis.any() {
            // A crisis message always gets help, even when its words match no service: the
            // crisis lines first, then what else fits the danger.
            let fits = |s: &Service| {
                let wanted: &[&str] = if q.crisis.violence {
                    &["domestic-violence", "crisis-help"]
                } else {
                    &["crisis-help", "mental-health"]
                };
                s.categories.iter().any(|c| wanted.contains(&c.as_str()))
            };
            let mut first = self.crisis_services(q.crisis, place);
            first.extend(
                results
                    .into_iter()
                    .filter(|(s, _)| fits(s) && !first.iter().any(|(f, _)| f.id == s.id))
                    .collect::<Vec<_>>(),
            );
            first.truncate(answer::MAX_SERVICES);
            results = first;
            confident = !results.is_empty();
        }

        let reply = answer::compose(
            &answer::Input {
                lang: q.lang,
                crisis: q.crisis,
                confident,
                place,
                results: &results,
                now: cx.now,
                not_ours: q.intent.not_ours || q.intent.leisure,
                ask_place: self.ask_place(q),
            },
            &self.knowledge,
            &self.locales,
        );
        Ok(self.to_answer(q, confident, &results, reply))
    }

    /// "Harju is in several municipalities (Helsinki, Loviisa, Mikkeli)…", when the question
    /// names a district that several municipalities have and nothing settles which.
    fn ask_place(&self, q: &Question) -> Option<String> {
        let m = q.ambiguous_place.as_ref().filter(|_| q.place.is_none())?;
        let name = m.district.as_deref()?;
        let places: Vec<String> = std::iter::once(&m.place)
            .chain(&m.alternatives)
            .map(|p| answer::place_name(p, q.lang, &self.knowledge))
            .collect();
        Some(self.locales.text(q.lang, "place-ambiguous", &[("name", name), ("place", &places.join(", "))]))
    }

    /// The services of the crisis lines for the kinds of danger detected, with their real
    /// scope for the asker's place.
    fn crisis_services(&self, crisis: Crisis, place: Option<&Place>) -> Vec<(&Service, Ranked)> {
        let lines = &self.knowledge.crisis;
        let violence = lines.violence.iter().filter(|_| crisis.violence);
        let self_harm = lines.self_harm.iter().filter(|_| crisis.self_harm);
        let ids = violence.chain(self_harm);
        let mut out: Vec<(&Service, Ranked)> = Vec::new();
        for id in ids {
            if let Some(service) = self.knowledge.service(id).filter(|s| !out.iter().any(|(o, _)| o.id == s.id)) {
                let scope = rank::scope_of(service, place, &self.knowledge.gazetteer);
                out.push((service, Ranked { ord: 0, score: 0.0, scope, distance_km: None }));
            }
        }
        out
    }

    fn to_answer(&self, q: &Question, confident: bool, results: &[(&Service, Ranked)], reply: Reply) -> Answer {
        let g = &self.knowledge.gazetteer;
        let location = q.place.as_ref().and_then(|p| match p {
            Place::Municipality(code) => g.municipality(code).map(|m| JsonLocation {
                code: m.code.clone(),
                name_fi: m.name_fi.clone(),
                name_sv: m.name_sv.clone(),
                region_code: m.region.clone(),
                kind: "municipality",
            }),
            Place::Region(code) => g.region(code).map(|r| JsonLocation {
                code: r.code.clone(),
                name_fi: r.short_fi.clone(),
                name_sv: r.short_sv.clone(),
                region_code: r.code.clone(),
                kind: "region",
            }),
        });
        let results = results
            .iter()
            .map(|(s, r)| ResultItem {
                id: s.id.clone(),
                name: s.name.best(q.lang).map(|(n, _)| n.to_owned()).unwrap_or_else(|| s.id.clone()),
                categories: s.categories.clone(),
                scope: r.scope,
                distance_km: r.distance_km.map(|d| (d * 10.0).round() / 10.0),
                score: (r.score * 1000.0).round() / 1000.0,
                channels: s.channels(),
            })
            .collect();
        Answer {
            question: q.text.clone(),
            lang: q.lang,
            location,
            crisis: q.crisis.any(),
            confident,
            results,
            reply: reply.plain,
            reply_html: reply.html,
            crisis_kind: q.crisis,
            place: q.place.clone(),
        }
    }
}

/// Every text of a service with its language: the vocabulary for compound splitting and
/// language evidence.
fn service_texts(s: &Service) -> Vec<(Lang, &str)> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        for t in [Some(&s.name), Some(&s.summary), s.description.as_ref()].into_iter().flatten() {
            if let Some(text) = t.get(lang) {
                out.push((lang, text));
            }
        }
        out.extend(s.keywords.get(lang).iter().map(|k| (lang, k.as_str())));
    }
    out
}
