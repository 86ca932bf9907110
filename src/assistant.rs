//! The bot's brain: from a question to an answer, with no Matrix in it.
//!
//! `lahiapu ask`, `lahiapu chat` and the Matrix bot all call [`Assistant::ask`], so the
//! same question gets the same answer at every front door.
//!
//! ```text
//! question ─► safety ─► language ─► places ─► analysis ─► index ─► rank ─► compose
//! ```

use std::sync::Arc;

use anyhow::{Context as _, Result};
use chrono::DateTime;
use chrono_tz::Tz;
use serde::Serialize;

use crate::answer::{self, Reply};
use crate::geo::{Place, PlaceFinder};
use crate::i18n::Locales;
use crate::knowledge::{Channel, Knowledge, Service};
use crate::lang::{Detector, Lang};
use crate::safety::{self, Crisis};
use crate::search::voikko::Voikko;
use crate::search::{Analyzer, Mode, Ranked, Scope, SearchIndex, rank};

/// How many candidates the index returns before ranking by place.
const CANDIDATES: usize = 50;
/// How many results an answer carries (the reply lists [`answer::MAX_SERVICES`]).
const RESULTS: usize = 5;
/// Only the start of a very long message is analysed (a 64 KiB paste gets a calm answer
/// in the same time as a short question); safety reads all of it.
const ANALYSED_CHARS: usize = 2000;

/// What the front door knows besides the question.
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

/// The place of an answer, as `ask --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    pub region_code: String,
    /// "municipality" or "region".
    pub kind: &'static str,
}

/// One service of an answer, as `ask --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultItem {
    pub id: String,
    pub name: String,
    pub categories: Vec<String>,
    pub scope: Scope,
    pub distance_km: Option<f64>,
    pub score: f32,
    /// How a resident can reach it ("phone", "chat", "visit", "email", "web"); empty when
    /// the entry publishes none.
    pub channels: Vec<Channel>,
}

/// Everything the bot concluded about a question, and its reply.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub lang: Lang,
    pub location: Option<Location>,
    pub crisis: bool,
    pub confident: bool,
    pub results: Vec<ResultItem>,
    pub reply: String,
    #[serde(skip)]
    pub reply_html: String,
    #[serde(skip)]
    pub crisis_kind: Crisis,
    #[serde(skip)]
    pub place: Option<Place>,
}

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
    pub fn with_mode(knowledge: Knowledge, voikko: Option<Arc<Voikko>>, mode: Mode) -> Result<Self> {
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
        let analyzer = Analyzer::with_mode(mode, voikko, vocabulary.iter().copied());
        let detector = Detector::new(vocabulary.iter().copied());
        let services: Vec<&Service> = active.iter().map(|&i| &knowledge.services[i]).collect();
        let places = PlaceFinder::new(&knowledge.gazetteer);
        let is_place = |word: &str| places.is_place_word(word);
        let index = SearchIndex::build(&services, &knowledge.categories, &analyzer, &is_place)
            .context("cannot build the search index")?;
        analyzer.clear_cache();
        let locales = Locales::new()?;
        Ok(Self { knowledge, active, analyzer, index, places, detector, locales })
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

    pub fn has_voikko(&self) -> bool {
        self.analyzer.has_voikko()
    }

    /// Finds a place by name or code ("Turku", "Åbo", "853", "Pirkanmaa", "08").
    pub fn resolve_place(&self, name: &str) -> Option<Place> {
        crate::search::listing::resolve_place(&self.knowledge.gazetteer, &self.places, name)
    }

    /// The language of a text.
    pub fn detect_language(&self, text: &str, previous: Option<Lang>) -> Lang {
        self.detector.detect(text, previous)
    }

    /// Answers a question.
    pub fn ask(&self, question: &str, cx: &AskContext) -> Result<Answer> {
        let crisis = safety::assess(question);
        let analysed = head(question, ANALYSED_CHARS);
        let lang = cx.force_lang.unwrap_or_else(|| self.detector.detect(analysed, cx.previous_lang));

        let found = self.places.find(analysed);
        let named = found
            .iter()
            .find(|m| matches!(m.place, Place::Municipality(_)))
            .or_else(|| found.first())
            .map(|m| m.place.clone());
        let place = named.or_else(|| cx.default_place.clone());
        // Place words are not topics: "paras pizzeria Turussa" must not match Turku's services.
        let mut topic = analysed.to_owned();
        for m in found.iter().rev() {
            topic.replace_range(m.start..m.end, " ");
        }

        let words = self.analyzer.question(&topic);
        let topical = self.index.is_topical(&words)?;
        let hits = self.index.search(&words, CANDIDATES)?;
        let services: Vec<&Service> = self.active.iter().map(|&i| &self.knowledge.services[i]).collect();
        let intent = self.index.intent(&words);
        let mut ranked = rank::rank(&hits, &services, place.as_ref(), &intent, &self.knowledge.gazetteer);
        let mut confident = topical && !ranked.is_empty();
        let mut results: Vec<(&Service, Ranked)> =
            if confident { ranked.drain(..).take(RESULTS).map(|r| (services[r.ord], r)).collect() } else { Vec::new() };
        if crisis.any() {
            // A crisis message always gets help, even when its words match no service: the
            // crisis lines first, then what else fits the danger.
            let fits = |s: &Service| {
                let wanted: &[&str] = if crisis.violence {
                    &["domestic-violence", "crisis-help"]
                } else {
                    &["crisis-help", "mental-health"]
                };
                s.categories.iter().any(|c| wanted.contains(&c.as_str()))
            };
            let mut first = self.crisis_services(crisis);
            first.extend(
                results
                    .into_iter()
                    .filter(|(s, _)| fits(s) && !first.iter().any(|(f, _)| f.id == s.id))
                    .collect::<Vec<_>>(),
            );
            first.truncate(RESULTS);
            results = first;
            confident = !results.is_empty();
        }

        let reply = answer::compose(
            &answer::Input { lang, crisis, confident, place: place.as_ref(), results: &results, now: cx.now },
            &self.knowledge,
            &self.locales,
        );
        Ok(self.answer(question, lang, place, crisis, confident, &results, reply))
    }

    fn crisis_services(&self, crisis: Crisis) -> Vec<(&Service, Ranked)> {
        let lines = &self.knowledge.crisis;
        let violence = lines.violence.iter().filter(|_| crisis.violence);
        let self_harm = lines.self_harm.iter().filter(|_| crisis.self_harm);
        let ids = violence.chain(self_harm);
        let mut out: Vec<(&Service, Ranked)> = Vec::new();
        for id in ids {
            if let Some(service) = self.knowledge.service(id).filter(|s| !out.iter().any(|(o, _)| o.id == s.id)) {
                out.push((service, Ranked { ord: 0, score: 0.0, scope: Scope::National, distance_km: None }));
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &self,
        question: &str,
        lang: Lang,
        place: Option<Place>,
        crisis: Crisis,
        confident: bool,
        results: &[(&Service, Ranked)],
        reply: Reply,
    ) -> Answer {
        let g = &self.knowledge.gazetteer;
        let location = place.as_ref().and_then(|p| match p {
            Place::Municipality(code) => g.municipality(code).map(|m| Location {
                code: m.code.clone(),
                name_fi: m.name_fi.clone(),
                name_sv: m.name_sv.clone(),
                region_code: m.region.clone(),
                kind: "municipality",
            }),
            Place::Region(code) => g.region(code).map(|r| Location {
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
                name: s.name.best(lang).map(|(n, _)| n.to_owned()).unwrap_or_else(|| s.id.clone()),
                categories: s.categories.clone(),
                scope: r.scope,
                distance_km: r.distance_km.map(|d| (d * 10.0).round() / 10.0),
                score: (r.score * 1000.0).round() / 1000.0,
                channels: s.channels(),
            })
            .collect();
        Answer {
            question: question.to_owned(),
            lang,
            location,
            crisis: crisis.any(),
            confident,
            results,
            reply: reply.plain,
            reply_html: reply.html,
            crisis_kind: crisis,
            place,
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

/// The first `chars` characters of `s`.
fn head(s: &str, chars: usize) -> &str {
    match s.char_indices().nth(chars) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
