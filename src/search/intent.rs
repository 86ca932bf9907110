//! What a question is about, read from the whole of it: which kinds of help it asks for,
//! how clearly, and who needs the help.
//!
//! Every topic word is evidence for the categories its uses point to ([`Profiles`]). Words
//! that name people ("lapsi", "mieheni", "min man", "my daughter") say who is involved,
//! not what the problem is, so they count for little as evidence: in "mieheni juo joka
//! ilta ja lapset näkevät sen" the problem is the drinking, and the children are context.
//! A word counts once however often it is repeated, and a story that mentions money while
//! it tells of violence is still about violence when its violence words are stronger.
//!
//! Who needs help matters for ordering: when someone close to the asker (a partner, a
//! child, a parent, a friend) drinks, uses drugs, gambles or is mentally ill, the asker is
//! the close one, and help for close ones ([`serves_close_ones`]) comes first.

use std::collections::HashMap;

use super::analysis::{Analyzer, QueryWord};
use super::loss;
use super::people::PEOPLE;
pub use super::people::Who;
use super::profile::{Forms, Profiles};
pub use super::side::{self, Side};
use crate::knowledge::Service;
use crate::lang::Lang;
use crate::understand::Token;

/// How much a word that names a person counts as evidence of a kind of help, against a
/// word that names a problem, when the question names a problem clearly.
const PERSON_EVIDENCE: f32 = 0.3;
/// The evidence for parenting support when the asker speaks as a parent ([`asker_is_parent`]).
const PARENT_EVIDENCE: f32 = 0.5;
/// The evidence for crisis help when the asker tells of losing someone close
/// ([`loss::tells_of_losing_someone`]): grief told without its word.
const LOSS_EVIDENCE: f32 = 0.6;
/// The evidence that makes a problem clear.
const CLEAR_PROBLEM: f32 = 0.3;

/// Extra weight for a service in the category the question is most clearly about (services
/// of other categories get this times their category's share).
const TOPIC_BOOST: f32 = 3.0;

/// The least evidence for a kind of help that a question needs to be answered with services.
const MIN_EVIDENCE: f32 = 0.15;
/// The same for a question that names a topic that is not ours.
const NOT_OURS_EVIDENCE: f32 = 1.5;
/// How many topic words a question has for each mention of a topic not ours, at least, to
/// be a story that mentions the topic only in passing ([`Intent::in_passing`]).
const STORY_WORDS_PER_MENTION: usize = 16;
/// The least evidence such a story needs: the topic not ours is its context, yet a need of
/// ours must still be clear ("missbruka droger", not a stray "having").
const IN_PASSING_EVIDENCE: f32 = 0.6;
/// The same for a question that names leisure that is not ours ([`LEISURE`]).
const LEISURE_EVIDENCE: f32 = 0.3;

/// Extra weight for a service that helps close ones when the asker is one.
const CLOSE_ONE_BOOST: f32 = 1.0;
/// How much a service for those who use violence counts for someone who is being harmed.
const WRONG_SIDE: f32 = 0.3;
/// How much it counts when the question does not tell the side: most who write about
/// violence or fear are the ones harmed, so a service only for those who harm comes after
/// the others unless the asker says they are the one ("pelkään että lyön").
const UNKNOWN_SIDE: f32 = 0.6;

/// How much a service counts for an asker outside its ages (a 45-year-old and a chat for
/// 12–29-year-olds).
const WRONG_AGE: f32 = 0.3;
/// The oldest age a service for children and young people is taken to serve when its entry
/// gives no ages: the youth entries that give them end at 17 to 30, most at 29 (Ohjaamo,
/// Sekasin). Only for weighing, never shown.
const YOUTH_AGE_MAX: u8 = 29;
/// How much a line for children and young people themselves counts when a parent asks about
/// their child: the parent is helped first by help for parents (the child's line is among
/// the answers when the question's words are the child's problem's).
const PARENT_ASKS: f32 = 0.5;

/// Beginnings of words in a service's keywords, summary or description that say it helps
/// parents too (a youth station that also sees parents is no line for the young alone).
const PARENT_WORDS: &[(Lang, &[&str])] = &[
    (Lang::Fi, &["vanhem", "huoltaj", "perhe"]),
    (Lang::Sv, &["föräld", "vårdnadshav", "familj"]),
    (Lang::En, &["parent", "famil", "guardian"]),
];

/// The categories of problems a close one can have, for which the asker, as the close one,
/// is helped by services for close ones.
const CLOSE_ONES_PROBLEMS: &[&str] = &["substance-abuse", "mental-health"];

/// Words in a service's keywords that say it helps close ones.
const CLOSE_ONE_WORDS: &[(Lang, &[&str])] = &[
    (Lang::Fi, &["läheinen", "läheisten", "läheiselle", "läheisille", "omainen", "omaisten", "omaisille"]),
    (Lang::Sv, &["anhörig", "anhöriga", "anhörigas", "närstående"]),
    (Lang::En, &["relative", "relatives", "family members", "loved one", "loved ones"]),
];

/// Topics residents ask about that are not ours: libraries, transport, parking, documents,
/// taxes, weather, cars. A question about them is refused with a line on what the bot
/// does know (unless it also asks clearly for a kind of help that is ours). Matched as the
/// beginning of a word.
const NOT_OURS: &[&str] = &[
    // fi
    "kirjasto",
    "lainaus",
    "laina-aika",
    // a book's loan ("uusin kirjan lainan"), not a loan of money
    "kirjan lain",
    "kirjojen lain",
    "bussi",
    "linja-auto",
    "tilausbussi",
    "raitiovaunu",
    "ratikka",
    "juna",
    "matkalippu",
    "pysäköi",
    "parkki",
    "virhemaksu",
    "passi",
    "henkilökortti",
    "ajokortti",
    "veronpalautu",
    "veroilmoitu",
    "verokort",
    "veroprosent",
    "sääennuste",
    "rengas",
    "renkaa",
    "autokoulu",
    // youth health and public transport
    "gynekolog",
    "papa-koe",
    "kuukautis",
    "joukkoliikentee",
    "joukkoliikenne",
    // early childhood education: places and fees are the municipality's, not ours (a child who
    // cries at daycare is a parent's question, and ours)
    "päiväkotipaik",
    "päiväkotihake",
    "päiväkotimaksu",
    "päivähoitopaik",
    "päivähoitomaksu",
    "päivähoitohake",
    "varhaiskasvatu",
    "esikoulu",
    "perhepäivähoi",
    // travel and things to buy
    "lentä",
    "lento",
    "lentokone",
    "rattaat",
    "rattaita",
    "sisarusratta",
    "lastenvaunu",
    // waste and recycling
    "jäteast",
    "jätehuol",
    "jätemaksu",
    "jäteauto",
    "roskis",
    "roska-ast",
    "roskapussi",
    "biojäte",
    "sekajäte",
    "kierrätys",
    "kierrättä",
    // sv
    "bibliotek",
    "lånetid",
    "buss",
    "spårvagn",
    "tåg",
    "biljett",
    "parkering",
    "kontrollavgift",
    "körkort",
    "skatteåterbäring",
    "deklaration",
    "skattekort",
    "väderprognos",
    "däck",
    "reservering",
    "gynekolog",
    "mensen",
    "kollektivtrafik",
    "förskoleplats",
    "dagisplats",
    "daghemsplats",
    "plats på daghem",
    "plats på dagis",
    "plats på förskola",
    "plats i förskola",
    "fritidshem",
    "familjedaghem",
    "småbarnspedagogik",
    "flyg",
    "barnvagn",
    "syskonvagn",
    "sopkärl",
    "soptunn",
    "soppås",
    "sophämtning",
    "avfall",
    "återvinning",
    // en
    "library",
    "bus",
    "tram",
    "train",
    "ticket",
    "parking",
    "passport",
    "driving licen",
    "tax refund",
    "tax card",
    "weather",
    "tyre",
    "tires",
    "daycare place",
    "daycare fee",
    "place in daycare",
    "gynaecolog",
    "gynecolog",
    "menstrua",
    "public transport",
    "day care place",
    "kindergarten",
    "nursery place",
    "flight",
    "flying",
    "stroller",
    "pushchair",
    "garbage",
    "recycling",
    "bin bag",
    "rubbish",
    "waste bin",
    "waste collection",
    // sports
    "ottelu",
    "jääkiekko",
    "jalkapallo",
    "match",
    "fotboll",
    "ishockey",
    "hockey",
    "football",
];

/// Leisure that is not ours: films, concerts, theatre, restaurants. A question about them is
/// refused like one of [`NOT_OURS`], but they are also the context of many stories of
/// loneliness ("ei ole ketään, joka lähtisi teatteriin tai ravintolaan"), so a clear need
/// of ours outweighs them sooner.
const LEISURE: &[&str] = &[
    "ravintola",
    "pizzeria",
    "restaurang",
    "restaurant",
    "konsertti",
    "elokuva",
    "teatteri",
    "konsert",
    "teater",
    "concert",
    "movie",
    "theatre",
    "theater",
];

/// Problems that make others context: when a message has clear evidence of the first, the
/// evidence for the others counts half. Money in a story of violence is part of the
/// violence ("hän ottaa kaikki rahani"), and so is the drinking of the one who hits ("lyö
/// kun on juonut": safety first); drinking in a story of a child's upbringing is the
/// problem, not the upbringing.
const DOMINANT: &[(&str, &[&str])] = &[
    ("domestic-violence", &["debt-counselling", "divorce-support", "parenting-support", "home-help", "children-youth"]),
    ("substance-abuse", &["parenting-support", "children-youth", "home-help", "debt-counselling"]),
    ("crisis-help", &["children-youth", "home-help", "divorce-support"]),
];
/// The evidence one word gives all the kinds of help it is used by that shows a need on its
/// own, however it is shared among them ([`Intent::clearest_word`]).
pub const CLEAR_WORD: f32 = 0.3;
/// What the evidence for violence in the home keeps when it is a child who hits or rages
/// ([`Side::Child`]); the rest speaks for help for parents.
const CHILD_VIOLENCE: f32 = 0.3;
/// How much a service only for the young counts when the asker does not say they are young
/// and the question is hardly about a youth topic: a service for all ages comes first.
const AGE_UNTOLD: f32 = 0.7;
/// The share of the evidence for children's and young people's help below which a question
/// is hardly about a youth topic.
const YOUTH_TOPIC: f32 = 0.5;
/// The share of the evidence for home help that the evidence for mental health must have for
/// a short question to tell of a feeling as well as tiredness.
const FEELING_SHARE: f32 = 0.5;
/// The topic words of a question long enough to be a story, which tells who is in it.
const STORY_WORDS: usize = 8;
/// What the evidence for home help keeps when the question tells of no children or family
/// ([`tells_of_a_family`]); the rest is the asker's own strain, evidence for mental health.
const NO_FAMILY: f32 = 0.3;
/// The evidence a dominant problem needs to make others context.
const DOMINANT_EVIDENCE: f32 = 0.3;
/// And its share of the other problem's evidence.
const DOMINANT_SHARE: f32 = 0.5;

/// The intent of a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intent {
    /// The categories the question is evidence for, strongest first, each with its share of
    /// the strongest one's evidence (the strongest has 1).
    pub categories: Vec<(String, f32)>,
    /// The evidence for the strongest category, in words' worth: how clearly the question
    /// asks for some kind of help at all.
    pub strength: f32,
    /// The most evidence one problem word gives all categories together: a word several
    /// kinds of help share ("yksinäinen", lonely: friends' visits and mental health) is weak
    /// evidence for each of them, and still a clear sign of a need.
    pub clearest_word: f32,
    pub who: Who,
    /// The question names a topic that is not ours (a library, a bus, parking …).
    pub not_ours: bool,
    /// It is a long story that names a topic not ours only in passing.
    pub in_passing: bool,
    /// The question names leisure that is not ours (a film, a concert, a restaurant).
    pub leisure: bool,
    /// The asker's side of the violence the question tells of.
    pub side: Side,
    /// The asker's age, when they tell it ("olen 45", "jag är 16", "I'm 24", "eläkeläinen").
    pub age: Option<u8>,
    /// The asker is most likely the parent of the child the question is about: they say "my
    /// child" ([`asker_is_parent`]), tell of a child's problem or of a baby, and do not say
    /// they are young themselves ([`speaks_as_young`]).
    pub parent: bool,
    /// The asker says they are young ([`speaks_as_young`], or an age of the young), or the
    /// question is about a child of theirs.
    pub young: bool,
}

/// What a service is for, beyond its categories: read once per service, for [`Intent::weight`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Serves {
    /// It helps the close ones of someone with a problem ([`serves_close_ones`]).
    pub close_ones: bool,
    /// It serves only those who use violence ([`side::serves_only_those_who_harm`]).
    pub only_those_who_harm: bool,
    /// It is for children and young people themselves ([`serves_only_the_young`]).
    pub only_the_young: bool,
}

impl Serves {
    pub fn of(service: &Service, analyzer: &Analyzer) -> Self {
        Self {
            close_ones: serves_close_ones(service, analyzer),
            only_those_who_harm: side::serves_only_those_who_harm(service),
            only_the_young: serves_only_the_young(service, analyzer),
        }
    }
}

impl Intent {
    /// Whether the question is about a close one's problem that services for close ones help
    /// with (the asker is the close one).
    pub fn for_close_one(&self) -> bool {
        self.who != Who::Asker
            && self.categories.first().is_some_and(|(c, _)| CLOSE_ONES_PROBLEMS.contains(&c.as_str()))
    }

    /// How much a service's match counts for this question: its best category's share of
    /// the evidence, and, when the asker is the close one of someone with a problem, whether
    /// the service helps close ones.
    ///
    /// A service only for those who use violence counts for little when the asker is the
    /// one being harmed, and comes first when the asker is the one who harms.
    pub fn weight(&self, service: &Service, serves: Serves) -> f32 {
        // Squared, so that the category the question is most clearly about stands out from
        // close seconds.
        let share = service.categories.iter().map(|c| self.share(c)).fold(0.0, f32::max).powi(2);
        let close = if serves.close_ones && self.for_close_one() { CLOSE_ONE_BOOST } else { 0.0 };
        let mut weight = 1.0 + TOPIC_BOOST * share + close;
        if !self.for_their_ages(service) {
            weight *= WRONG_AGE;
        }
        if self.parent && serves.only_the_young {
            weight *= PARENT_ASKS;
        } else if serves.only_the_young && !self.young && self.share("children-youth") < YOUTH_TOPIC {
            // Someone who does not say they are young, asking about no youth topic ("tarvitsen
            // jonkun jolle puhua"), is first helped by a service for all ages.
            weight *= AGE_UNTOLD;
        }
        match (self.side, serves.only_those_who_harm) {
            (Side::Harmed, true) => weight * WRONG_SIDE,
            (Side::Unknown | Side::Child, true) => weight * UNKNOWN_SIDE,
            (Side::Harming, true) => weight + CLOSE_ONE_BOOST,
            _ => weight,
        }
    }

    /// Whether the asker, when they tell their age, is of the ages the service is for. A
    /// question about one's child is not asked for oneself: a 45-year-old asking for their
    /// son is served by the youth station.
    fn for_their_ages(&self, service: &Service) -> bool {
        let Some(age) = self.age.filter(|_| self.who != Who::Child) else {
            return true;
        };
        let access = &service.access;
        let youth = service.categories.iter().any(|c| c == "children-youth").then_some(YOUTH_AGE_MAX);
        let max = access.age_max.or(youth);
        !(max.is_some_and(|max| age > max) || access.age_min.is_some_and(|min| age < min))
    }

    /// Whether the question asks clearly enough for a kind of help that is ours to be
    /// answered with services: some evidence at all, and more of it when the question also
    /// names a topic that is not ours.
    ///
    /// Without such a topic, one word that shows a need however it is shared among kinds of
    /// help ([`Intent::clearest_word`]) is enough too.
    pub fn is_ours(&self) -> bool {
        let needed = if self.in_passing {
            IN_PASSING_EVIDENCE
        } else if self.not_ours {
            NOT_OURS_EVIDENCE
        } else if self.leisure {
            LEISURE_EVIDENCE
        } else {
            MIN_EVIDENCE
        };
        let plain_question = !(self.in_passing || self.not_ours || self.leisure);
        self.strength >= needed || (plain_question && self.clearest_word >= CLEAR_WORD)
    }

    /// The share of the strongest category's evidence that `category` has.
    pub fn share(&self, category: &str) -> f32 {
        self.categories.iter().find(|(c, _)| c == category).map_or(0.0, |(_, s)| *s)
    }
}

/// The people words analysed once, for [`Intent::of`].
#[derive(Debug, Clone, Default)]
pub struct People {
    forms: HashMap<String, Who>,
}

impl People {
    pub fn new(analyzer: &Analyzer) -> Self {
        let mut forms = HashMap::new();
        for (who, lang, words) in PEOPLE {
            for word in *words {
                analyzer.visit(word, *lang, |t| {
                    for form in t.exact.iter().chain(&t.base).chain(t.stem.iter().filter(|s| s.chars().count() >= 4)) {
                        forms.entry(form.clone()).or_insert(*who);
                    }
                });
            }
        }
        Self { forms }
    }

    /// The role of a question word that names a person.
    fn role(&self, w: &QueryWord) -> Option<Who> {
        std::iter::once(&w.exact).chain(&w.bases).find_map(|f| self.forms.get(f).copied())
    }
}

impl Intent {
    /// The intent of a question with these tokens and topic words.
    pub fn of(tokens: &[Token], words: &[QueryWord], lang: Lang, profiles: &Profiles, people: &People) -> Self {
        let slugs = profiles.slugs();
        // Problem words and people words apart: people words count for little next to a
        // problem, but they are the topic when nothing else is ("nuorten chat").
        let mut problem = vec![0.0_f32; slugs.len()];
        let mut person = vec![0.0_f32; slugs.len()];
        let mut roles: Vec<Who> = Vec::new();
        let mut clearest_word = 0.0_f32;
        let forms = Forms::of(words, tokens, lang);
        let themselves = what_they_are(tokens);
        for w in words {
            let role = people.role(w);
            // "olen surkea äiti": the asker is the mother, no close one of theirs.
            if let Some(who) = role
                && !roles.contains(&who)
                && !themselves.contains(&w.exact.as_str())
            {
                roles.push(who);
            }
            // A word that names a topic not ours ("kirjastossa") is no evidence of a need of
            // ours, even where a service's text uses it ("neuvontaa kirjastossa"): else the
            // topic itself would outweigh its own refusal.
            if word_names_topic(NOT_OURS, &w.exact) || word_names_topic(LEISURE, &w.exact) {
                continue;
            }
            let Some(shares) = profiles.of(w, lang, &forms) else { continue };
            // For tuning (`RUST_LOG=lahiapu::search::intent=trace`): which word speaks for what.
            // Words of the message, so never above trace.
            if tracing::enabled!(tracing::Level::TRACE) {
                let named: Vec<(&str, f32)> =
                    slugs.iter().map(String::as_str).zip(shares.iter().copied()).filter(|(_, s)| *s > 0.0).collect();
                tracing::trace!(word = %w.exact, person = role.is_some(), evidence = ?named, "topic word");
            }
            if role.is_none() {
                clearest_word = clearest_word.max(shares.iter().sum());
            }
            let into = if role.is_some() { &mut person } else { &mut problem };
            for (e, s) in into.iter_mut().zip(shares) {
                *e += s;
            }
        }
        let clear_problem = problem.iter().copied().fold(0.0, f32::max) >= CLEAR_PROBLEM;
        let person_weight = if clear_problem { PERSON_EVIDENCE } else { 1.0 };
        let mut evidence: Vec<f32> = problem.iter().zip(&person).map(|(p, q)| p + person_weight * q).collect();
        let slot = |slug: &str| slugs.iter().position(|s| s == slug);
        let side = side::of_tokens(tokens);
        // A parent asking about their child: help for parents is among the answers, whatever
        // the child's problem is. A child who hits or rages is such a question too, and the
        // blows are its context, not violence in the home.
        // The partner or a close one over a child: "mies juo ja lapset näkevät" is about the man.
        // A child who hits or rages is the one the question is about, whoever else it names.
        let who = if side == Side::Child {
            Who::Child
        } else {
            [Who::Partner, Who::CloseOne, Who::Child].into_iter().find(|w| roles.contains(w)).unwrap_or_default()
        };
        let age = asker_age(tokens);
        let own_child = asker_is_parent(tokens);
        // Someone who tells of a child's problem and is not young themselves is most often
        // its parent ("nuorten chat" names no problem: it asks for the young one's line).
        let says_young = speaks_as_young(tokens);
        let parent = (own_child || (who == Who::Child && clear_problem) || tells_of_a_baby(tokens))
            && age.is_none_or(|a| a > YOUTH_AGE_MAX)
            && !says_young;
        let young = says_young || age.is_some_and(|a| a <= YOUTH_AGE_MAX) || who == Who::Child;
        if let Some(p) = slot("parenting-support") {
            if side == Side::Child || own_child {
                evidence[p] += PARENT_EVIDENCE;
            } else if parent {
                evidence[p] += PARENT_EVIDENCE / 2.0;
            }
        }
        if let Some(c) = slot("crisis-help").filter(|_| loss::tells_of_losing_someone(tokens)) {
            evidence[c] += LOSS_EVIDENCE;
        }
        // Home help is for families with children: tiredness in a story that tells of no child
        // or family ("jag är trött hela tiden och orkar inte plugga") is the asker's own
        // strain. A short "arki ei suju" says too little to tell, and is asked here by families,
        // unless it also names a feeling ("trött och dåligt samvete").
        let feeling = match (slot("home-help"), slot("mental-health")) {
            (Some(h), Some(m)) => evidence[m] >= FEELING_SHARE * evidence[h] && evidence[m] > 0.0,
            _ => false,
        };
        let told = words.len() >= STORY_WORDS || feeling;
        let no_family = told && !tells_of_a_family(tokens, &roles, &themselves) && !names_home_help(tokens);
        if let Some(h) = slot("home-help").filter(|_| no_family) {
            if let Some(m) = slot("mental-health") {
                evidence[m] += evidence[h] * (1.0 - NO_FAMILY);
            }
            evidence[h] *= NO_FAMILY;
        }
        // A child's blows and rages are a question of upbringing: their words speak for help
        // for parents more than for violence in the home.
        if let Some(v) = slot("domestic-violence").filter(|_| side == Side::Child) {
            if let Some(p) = slot("parenting-support") {
                evidence[p] += evidence[v] * (1.0 - CHILD_VIOLENCE);
            }
            evidence[v] *= CHILD_VIOLENCE;
        }
        // Someone hitting the asker while drunk: the violence first (safety), the drinking is
        // its context. Fear or quarrels in a story of drinking ("pelkäsin kun isä tuli
        // humalassa kotiin") leave the drinking the problem.
        let harmed = (side == Side::Harmed).then_some(("domestic-violence", &["substance-abuse"][..]));
        for (dominant, others) in DOMINANT.iter().copied().chain(harmed) {
            let Some(d) = slot(dominant).filter(|d| evidence[*d] >= DOMINANT_EVIDENCE) else { continue };
            for o in others.iter().filter_map(|o| slot(o)) {
                // A stray word of the dominant problem in a story clearly about another ("things"
                // in a story of debts) makes nothing context.
                if evidence[d] >= DOMINANT_SHARE * evidence[o] {
                    evidence[o] *= 0.5;
                }
            }
        }
        let strength = evidence.iter().copied().fold(0.0, f32::max);
        let mut categories: Vec<(String, f32)> = slugs
            .iter()
            .zip(&evidence)
            .filter(|(_, e)| **e > 0.0)
            .map(|(slug, e)| (slug.clone(), e / strength))
            .collect();
        categories.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mentions = mentions_of(NOT_OURS, tokens);
        let not_ours = mentions > 0;
        // "han har tappat sitt körkort" among thirty words of a son's drug use.
        let in_passing = not_ours && mentions * STORY_WORDS_PER_MENTION <= words.len();
        let leisure = mentions_of(LEISURE, tokens) > 0;
        Self { categories, strength, clearest_word, who, not_ours, in_passing, leisure, side, age, parent, young }
    }
}

/// Whether a service helps the close ones of someone with a problem: it is a peer-support
/// service, or its keywords name close ones ("läheinen juo", "anhörig till missbrukare").
pub fn serves_close_ones(service: &Service, analyzer: &Analyzer) -> bool {
    if service.categories.iter().any(|c| c == "peer-support") {
        return true;
    }
    CLOSE_ONE_WORDS.iter().any(|(lang, words)| {
        service.keywords.get(*lang).iter().any(|k| analyzer.tokens(k).iter().any(|w| words.contains(&w.as_str())))
    })
}

/// Whether a service is for children and young people themselves: it is of the children's
/// and young people's kind of help and of no kind for parents or families, and nothing in
/// its keywords, summary or description names parents.
pub fn serves_only_the_young(service: &Service, analyzer: &Analyzer) -> bool {
    let has = |c: &str| service.categories.iter().any(|s| s == c);
    if !has("children-youth") || has("parenting-support") || has("family-centre") {
        return false;
    }
    let names_parents = PARENT_WORDS.iter().any(|(lang, words)| {
        let texts = service
            .keywords
            .get(*lang)
            .iter()
            .map(String::as_str)
            .chain(service.summary.get(*lang))
            .chain(service.description.as_ref().and_then(|d| d.get(*lang)));
        texts.into_iter().any(|k| analyzer.tokens(k).iter().any(|w| words.iter().any(|p| w.starts_with(p))))
    });
    !names_parents
}

/// How often the tokens name a topic of `topics` ([`NOT_OURS`], [`LEISURE`]): a word that
/// begins like one (or, for a long one, has it inside: "kouvolankirjastoista"), or for a
/// topic of several words ("public transport"), consecutive words that do. Counted by the
/// token a mention starts at, so two topics met by one word ("kirjasto", "kirjastokortti")
/// are one mention.
fn mentions_of(topics: &[&str], tokens: &[Token]) -> usize {
    let mut starts = vec![false; tokens.len()];
    for topic in topics {
        let parts: Vec<&str> = topic.split(' ').collect();
        let last = parts.len() - 1;
        for (at, window) in tokens.windows(parts.len()).enumerate() {
            let named = window.iter().zip(&parts).enumerate().all(|(i, (t, p))| match (parts.len(), i == last) {
                (1, _) => word_meets_topic(&t.lower, p),
                (_, true) => t.lower.starts_with(p),
                (_, false) => t.lower == *p,
            });
            starts[at] |= named;
        }
    }
    starts.iter().filter(|s| **s).count()
}

/// Whether one lowercased word names a one-word topic of `topics`.
fn word_names_topic(topics: &[&str], word: &str) -> bool {
    topics.iter().filter(|t| !t.contains(' ')).any(|topic| word_meets_topic(word, topic))
}

/// A word meets a one-word topic by beginning like it, or, for a long topic, by having it
/// inside ("kouvolankirjastoista"): shorter ones ("juna", "buss") would meet unrelated words.
fn word_meets_topic(word: &str, topic: &str) -> bool {
    const INSIDE: usize = 8;
    if topic.chars().count() >= INSIDE { word.contains(topic) } else { word.starts_with(topic) }
}

/// Whether the asker speaks as a parent: of "my" or "our" child ("poikani", "mitt barn",
/// "our son"), of their teenager, or "as a parent". A parent asking about a child's anger,
/// school or drinking is helped by services for parents, not only by those for children.
pub fn asker_is_parent(tokens: &[Token]) -> bool {
    /// Finnish possessive forms, matched as the beginning of a word ("poikani", "poikamme",
    /// "lapsellemme"), and words a parent uses of their child or of themselves.
    const FI: &[&str] = &[
        "lapseni",
        "lapsemme",
        "lapsellani",
        "lapsellemme",
        "poikani",
        "poikamme",
        "pojalleni",
        "poikaani",
        "tyttäreni",
        "tyttäremme",
        "tyttärelleni",
        "nuoreni",
        "nuorellani",
        "teini",
        "vauvani",
        "vanhempana",
        "äitinä",
        "isänä",
        "lastemme",
        "lasteni",
        // The first-born, the youngest, "murkku" (a teenager).
        "esikoi",
        "kuopus",
        "murkku",
    ];
    /// Swedish definite forms a parent uses of their own child without "min": "dottern är
    /// ledsen", "yngsta sonen".
    const SV_OWN: &[&str] = &["dottern", "sonen", "döttrarna", "sönerna", "minstingen"];
    /// Swedish and English possessives before a child word.
    const OWNERS: &[&str] = &["min", "mitt", "mina", "vår", "vårt", "våra", "my", "our"];
    const CHILDREN: &[&str] = &[
        "son",
        "dotter",
        "barn",
        "barnet",
        "tonåring",
        "pojke",
        "flicka",
        "son's",
        "daughter",
        "child",
        "kid",
        "kids",
        "children",
        "teenager",
        "teen",
        "boy",
        "girl",
        "sons",
        "daughters",
    ];
    let words: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    // "mitt barn", also with words between ("vår åttaåriga son", "my eldest son").
    let possessed = words
        .iter()
        .enumerate()
        .any(|(i, w)| OWNERS.contains(w) && words.iter().skip(i + 1).take(3).any(|c| CHILDREN.contains(c)));
    let as_parent = words.windows(2).any(|w| matches!((w[0], w[1]), ("som", "förälder" | "mamma" | "pappa")))
        || words.windows(3).any(|w| w == ["as", "a", "parent"]);
    // "olen teini" is a teenager speaking of themselves.
    let finnish = words.iter().enumerate().any(|(i, w)| {
        FI.iter().any(|f| w.starts_with(f)) && !(i > 0 && matches!(words[i - 1], "olen" | "oon" | "olin"))
    });
    let own = words.iter().any(|w| SV_OWN.contains(w));
    possessed || as_parent || finnish || own
}

/// Whether the message tells of a pregnancy, a birth or a baby ("synnytyksen jälkeen",
/// "efter förlossningen", "my baby"): the asker is most often its parent.
fn tells_of_a_baby(tokens: &[Token]) -> bool {
    /// Beginnings of words.
    const BABY: &[&str] = &[
        "vauva",
        "synnyty",
        "synnytt",
        "raskau",
        "raskaana",
        "imety",
        "bebis",
        "förlossning",
        "gravid",
        "amning",
        "baby",
        "babies",
        "pregnan",
        "breastfeed",
    ];
    tokens.iter().any(|t| BABY.iter().any(|b| t.lower.starts_with(b)))
}

/// Whether the asker tells of children or a family of theirs: a child or young person in the
/// story, a baby, or they say they are a parent, or name their family.
fn tells_of_a_family(tokens: &[Token], roles: &[Who], themselves: &[&str]) -> bool {
    /// Beginnings of words.
    const FAMILY: &[&str] = &[
        "perhe",
        "lapsi",
        "lapse",
        "lasten",
        "esikoi",
        "keskimmäi",
        "kuopus",
        "kaksos",
        "poika",
        "pojan",
        "pojat",
        "tyttö",
        "tytö",
        "tytär",
        "tyttär",
        "sisarus",
        "vanhemp",
        "yksinhuolt",
        "famil",
        "barn",
        "småbarn",
        "föräld",
        "ensamstående",
        "parent",
    ];
    /// Whole words: children ("kid", not "kidney"; "child", not "childhood"), and a parent of
    /// the asker's child ("äiti jaksaa", "pappa är trött").
    const WHOLE: &[&str] =
        &["child", "children", "kid", "kids", "isä", "mamma", "pappa", "mum", "mom", "mother", "dad", "father"];
    /// Beginnings of the words for mothers and fathers in Finnish ("äitien", "isien").
    const PARENTS: &[&str] = &["äiti", "äidi", "isie", "isill", "isän"];
    roles.contains(&Who::Child)
        || !themselves.is_empty()
        || tells_of_a_baby(tokens)
        || tokens.iter().any(|t| {
            let w = t.lower.as_str();
            FAMILY.iter().chain(PARENTS).any(|f| w.starts_with(f)) || WHOLE.contains(&w)
        })
}

/// Whether the question names home help itself ("hemservice", "kotipalvelu"), not only the
/// strain that home help eases: then it is asked for, family or not.
fn names_home_help(tokens: &[Token]) -> bool {
    /// Beginnings of words.
    const NAMES: &[&str] = &[
        "kotipalvelu",
        "kotiapu",
        "kotiavu",
        "kotihoi",
        "kodinhoit",
        "perhetyö",
        "lastenhoito",
        "hemservice",
        "hemtjänst",
        "hemhjälp",
        "familjearbete",
        "barnpassning",
        "avlastning",
        "respite",
    ];
    let named = tokens.iter().any(|t| NAMES.iter().any(|n| t.lower.starts_with(n)));
    named || tokens.windows(2).any(|w| w[0].lower == "home" && w[1].lower == "help")
}

/// The words for people the asker says they are: "olen surkea äiti", "jag är ensamstående
/// pappa", "I'm a single mum" (a parent's word in its base form at most three words after
/// "I am"; "olen huolissani äidistä" is about the mother).
fn what_they_are(tokens: &[Token]) -> Vec<&str> {
    const WHO: &[&str] = &[
        "äiti",
        "isä",
        "vanhempi",
        "yksinhuoltaja",
        "mamma",
        "pappa",
        "förälder",
        "mother",
        "father",
        "mum",
        "mom",
        "dad",
        "parent",
    ];
    said_of_themselves(tokens).filter(|w| WHO.contains(w)).collect()
}

/// The words at most three after "I am" ("olen", "jag är", "I'm"): what the asker says they are.
fn said_of_themselves(tokens: &[Token]) -> impl Iterator<Item = &str> {
    const I_AM: &[&str] = &["olen", "oon", "olin", "är", "var", "am", "i'm", "im", "was"];
    let at = tokens.iter().enumerate().filter(|(_, t)| I_AM.contains(&t.lower.as_str())).map(|(i, _)| i);
    at.flat_map(|i| tokens.iter().skip(i + 1).take(3)).map(|t| t.lower.as_str())
}

/// Whether the asker says they are young: "olen nuori", "oon vielä lapsi", "jag är tonåring",
/// "I'm a teenager" (a word of [`YOUNG`] at most three words after "I am").
pub fn speaks_as_young(tokens: &[Token]) -> bool {
    /// Beginnings of words for the young.
    const YOUNG: &[&str] = &[
        "nuori",
        "teini",
        "lapsi",
        "koululai",
        "opiskelija",
        "ung",
        "tonåring",
        "barn",
        "young",
        "teen",
        "kid",
        "child",
    ];
    said_of_themselves(tokens).any(|w| YOUNG.iter().any(|y| w.starts_with(y)))
}

/// Verbs of a problem, and the words near them that make them none: drinking coffee is no
/// drinking problem ("joisi kahvit", "dricka kaffe"), playing computer games no gambling
/// ("spelar dator hela nätterna", "pelaa konsolilla"), and a barking dog no abuse. The verbs are whole words; the words
/// near them are matched as the beginning of a word with at most so many letters more.
type Harmless = (&'static [&'static str], &'static [&'static str], usize);
const NOT_THE_PROBLEM: &[Harmless] = &[
    (
        &["juo", "joi", "joisi", "juoda", "juodaan", "dricka", "dricker", "drack", "drink", "drinking", "drank"],
        &[
            "kahvi", "kahvei", "tee", "teetä", "vet", "vesi", "mehu", "maito", "maido", "kaakao", "kaffe", "te",
            "vatten", "saft", "mjölk", "coffee", "tea", "water", "juice", "milk",
        ],
        3,
    ),
    (
        &[
            "pelaa",
            "pelasi",
            "pelaavat",
            "pelata",
            "pelaamaan",
            "spelar",
            "spela",
            "spelade",
            "plays",
            "playing",
            "played",
        ],
        &[
            "tietokone",
            "konsoli",
            "videopel",
            "playstatio",
            "xbox",
            "fortnite",
            "minecraft",
            "dator",
            "tv-spel",
            "konsol",
            "computer",
            "video",
            "games",
            "gaming",
        ],
        6,
    ),
    // "et saa edes rahalla": not even for money, which is no money question.
    (&["rahalla", "rahallakaan"], &["edes"], 0),
    // A baby screams at the top of its lungs ("vauva huutaa kurkku suorana"); a man who
    // screams at the baby ("huutaa vauvalle") is another matter.
    (
        &["huutaa", "huusi", "huutavat", "huutaen", "kiljuu", "skriker", "skrek", "screams", "screaming", "screamed"],
        &["vauva", "kurkku", "bebis", "baby"],
        1,
    ),
    // "haukkua" is also to call someone names; dogs only bark.
    (
        &[
            "haukkuu",
            "haukkuvat",
            "haukkui",
            "haukkuivat",
            "haukkua",
            "skäller",
            "skällde",
            "barks",
            "barking",
            "barked",
        ],
        &["koir", "hauva", "hund", "dog"],
        5,
    ),
];

/// The asker's age when they tell it: a number after "olen", "oon", "jag är", "I am", "I'm"
/// ("olen 25-vuotias", "jag är 16 år"), or a word for a time of life ("keski-ikäinen",
/// "pensionär", "retired"). A child's age ("lapseni on 4") is not the asker's.
pub fn asker_age(tokens: &[Token]) -> Option<u8> {
    const I_AM: &[&[&str]] = &[&["olen"], &["oon"], &["olin"], &["jag", "är"], &["i", "am"], &["i'm"], &["im"]];
    /// Times of life, with an age inside them.
    const LIFE: &[(&str, u8)] = &[
        ("keski-ikäinen", 45),
        ("keski-ikäisenä", 45),
        ("eläkeläinen", 65),
        ("eläkeläisenä", 65),
        ("eläkkeellä", 65),
        ("medelålders", 45),
        ("pensionär", 65),
        ("pensionerad", 65),
        ("middle-aged", 45),
        ("retired", 65),
        ("pensioner", 65),
    ];
    let words: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    let number = |w: &str| -> Option<u8> {
        let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
        let rest = &w[digits.len()..];
        let unit = rest.is_empty() || rest.starts_with("-v") || rest.starts_with("v") || rest.starts_with("-år");
        digits.parse::<u8>().ok().filter(|n| (10..=100).contains(n) && unit)
    };
    /// After a number, a length of time: "olen 20 vuotta tehnyt", "I'm 30 minutes away".
    const DURATION: &[&str] = &[
        "vuotta",
        "vuoden",
        "kuukautta",
        "viikkoa",
        "päivää",
        "minuter",
        "veckor",
        "månader",
        "dagar",
        "minutes",
        "weeks",
        "months",
        "days",
        "hours",
    ];
    let duration = |at: usize| {
        let next = words.get(at + 1).copied();
        next.is_some_and(|w| DURATION.contains(&w)) || (next == Some("years") && words.get(at + 2) != Some(&"old"))
    };
    for i in 0..words.len() {
        for phrase in I_AM {
            let end = i + phrase.len();
            if words.get(i..end) == Some(phrase)
                && let Some(age) = words.get(end).and_then(|w| number(w)).filter(|_| !duration(end))
            {
                return Some(age);
            }
        }
    }
    words.iter().find_map(|w| LIFE.iter().find(|(word, _)| word == w).map(|(_, age)| *age))
}

/// The tokens that are only part of an idiom and name no kind of help: "päästä eroon
/// jostakin" (to get rid of something) is no divorce, nor "mikä ero on" (what is the
/// difference), nor drinking coffee a drinking problem.
pub fn idiom_tokens(tokens: &[Token]) -> Vec<usize> {
    /// Beginnings of the elative of partner words: "eroon miehestä" is a separation.
    const PARTNER_ELATIVES: &[&str] =
        &["mieh", "vaimo", "puoliso", "kumppani", "avomieh", "poikaystäv", "tyttöystäv", "exä"];
    // The elative, also with a possessive suffix ("miehestäni", "alkoholista").
    const ELATIVE_ENDINGS: &[&str] =
        &["sta", "stä", "stani", "stäni", "stasi", "stäsi", "staan", "stään", "stamme", "stämme"];
    let elative = |w: &str| ELATIVE_ENDINGS.iter().any(|e| w.ends_with(e));
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let before: Vec<&str> = tokens[i.saturating_sub(2)..i].iter().map(|t| t.lower.as_str()).collect();
        match t.lower.as_str() {
            "eroon" => {
                let after: Vec<&str> = tokens.iter().skip(i + 1).take(2).map(|t| t.lower.as_str()).collect();
                let from_partner = before
                    .iter()
                    .chain(&after)
                    .any(|w| elative(w) && PARTNER_ELATIVES.iter().any(|p| w.starts_with(p)));
                let rid_of = before.iter().any(|w| w.starts_with("pääs") || elative(w))
                    || after.first().is_some_and(|w| elative(w));
                if rid_of && !from_partner {
                    out.push(i);
                }
            }
            "ero" | "eroa" | "eron"
                if before
                    .iter()
                    .any(|w| matches!(*w, "mikä" | "mitä" | "iso" | "suuri" | "pieni" | "selvä" | "välinen")) =>
            {
                out.push(i);
            }
            // "Mikä on Al-Anonin ja AA:n ero?": the difference between two things.
            "ero" | "eroa"
                if before.last().is_some_and(|w| w.ends_with('n'))
                    && tokens[i.saturating_sub(4)..i].iter().any(|t| t.lower == "ja")
                    && tokens[..i].iter().any(|t| matches!(t.lower.as_str(), "mikä" | "mitä")) =>
            {
                out.push(i);
            }
            // "pelkään, että lapset löytävät ne": a worry about what may happen, not fear of
            // someone ("pelkään miestäni"); what is feared speaks for itself ("pelkään, että
            // hän lyö").
            "pelkään" | "pelkäsin" | "pelkää" | "pelottaa"
                if tokens.get(i + 1).is_some_and(|t| matches!(t.lower.as_str(), "että" | "ettei" | "etten")) =>
            {
                out.push(i);
            }
            verb if NOT_THE_PROBLEM.iter().any(|(verbs, _, _)| verbs.contains(&verb)) => {
                let near = &tokens[i.saturating_sub(2)..tokens.len().min(i + 3)];
                let harmless =
                    NOT_THE_PROBLEM.iter().filter(|(verbs, _, _)| verbs.contains(&verb)).any(|(_, words, more)| {
                        near.iter().any(|t| {
                            words
                                .iter()
                                .any(|w| t.lower.starts_with(w) && t.lower.chars().count() <= w.chars().count() + more)
                        })
                    });
                if harmless {
                    out.push(i);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::text::tokens;

    #[test]
    fn a_service_counts_less_for_an_asker_outside_its_ages_unless_the_help_is_for_their_child() {
        use crate::knowledge::model::Access;
        let service = |category: &str, age_min, age_max| Service {
            categories: vec![category.into()],
            access: Access { age_min, age_max, ..Access::default() },
            ..Service::default()
        };
        let intent = |age, who| Intent { age, who, ..Intent::default() };
        for (age, who, s, fits) in [
            (None, Who::Asker, service("children-youth", Some(12), Some(29)), true),
            (Some(45), Who::Asker, service("children-youth", Some(12), Some(29)), false),
            (Some(24), Who::Asker, service("children-youth", Some(12), Some(29)), true),
            (Some(10), Who::Asker, service("children-youth", Some(12), Some(29)), false),
            // A youth service without ages is for the young all the same.
            (Some(65), Who::Asker, service("children-youth", None, None), false),
            (Some(17), Who::Asker, service("children-youth", None, None), true),
            (Some(65), Who::Asker, service("peer-support", None, None), true),
            (Some(16), Who::Asker, service("mental-health", Some(18), None), false),
            // A parent asking for their son.
            (Some(45), Who::Child, service("children-youth", Some(13), Some(23)), true),
            (Some(45), Who::Partner, service("children-youth", Some(13), Some(23)), false),
        ] {
            assert_eq!(intent(age, who).for_their_ages(&s), fits, "{age:?} {who:?} {:?}", s.access);
        }
    }

    #[test]
    fn what_the_asker_says_they_are_is_no_close_one() {
        assert_eq!(what_they_are(&tokens("välillä olen surkea äiti")), ["äiti"]);
        assert_eq!(what_they_are(&tokens("jag är ensamstående pappa")), ["pappa"]);
        assert!(what_they_are(&tokens("olen huolissani äidistä")).is_empty());
        assert!(what_they_are(&tokens("äiti juo joka ilta")).is_empty());
    }

    #[test]
    fn a_baby_or_a_birth_tells_of_a_parent() {
        assert!(tells_of_a_baby(&tokens("Jag mår så dåligt efter förlossningen")));
        assert!(tells_of_a_baby(&tokens("synnytyksen jälkeen itkettää")));
        assert!(tells_of_a_baby(&tokens("my baby won't stop crying")));
        assert!(!tells_of_a_baby(&tokens("mår dåligt och gråter")));
    }

    #[test]
    fn the_young_say_so() {
        for (text, young) in [
            ("olen nuori ja mulla on paha olla", true),
            ("oon vielä lapsi", true),
            ("Olen melko nuori nainen", true),
            ("jag är tonåring", true),
            ("I'm a teenager and my mum drinks", true),
            ("lapsi ei nuku ja olen poikki", false),
            ("nuori ei puhu minulle", false),
            ("jag är orolig för mitt barn", false),
        ] {
            assert_eq!(speaks_as_young(&tokens(text)), young, "{text}");
        }
    }

    #[test]
    fn a_line_for_the_young_alone_counts_less_when_a_parent_asks() {
        use crate::knowledge::model::Text;
        let analyzer = Analyzer::new(None, []);
        let service = |categories: &[&str], summary: &str| Service {
            categories: categories.iter().map(|c| c.to_string()).collect(),
            summary: Text { fi: Some(summary.into()), ..Text::default() },
            ..Service::default()
        };
        let youth_line = service(&["children-youth", "mental-health"], "Puhelin lapsille ja nuorille");
        let youth_station = service(&["children-youth", "substance-abuse"], "Nuorille ja heidän vanhemmilleen");
        let for_parents = service(&["children-youth", "parenting-support"], "Tukea");
        assert!(serves_only_the_young(&youth_line, &analyzer));
        assert!(!serves_only_the_young(&youth_station, &analyzer));
        assert!(!serves_only_the_young(&for_parents, &analyzer));
        let serves = Serves::of(&youth_line, &analyzer);
        let parent = Intent { parent: true, ..Intent::default() };
        let young = Intent::default();
        assert!(parent.weight(&youth_line, serves) < young.weight(&youth_line, serves));
    }

    #[test]
    fn idioms_with_ero_are_no_divorce() {
        let idioms = |text: &str| {
            let t = tokens(text);
            idiom_tokens(&t).into_iter().map(|i| t[i].lower.clone()).collect::<Vec<_>>()
        };
        assert_eq!(idioms("miten päästä eroon kannabiksesta"), ["eroon"]);
        assert_eq!(idioms("Mikä auttaa nuorta pääsemään kannabiksesta eroon?"), ["eroon"]);
        assert_eq!(idioms("mikä ero on kodinhoitajalla ja perhetyöntekijällä"), ["ero"]);
        assert_eq!(idioms("päästä eroon alkoholista"), ["eroon"]);
        assert!(idioms("haluan eroon miehestäni ja ero on edessä").is_empty());
        assert!(idioms("haluan päästä eroon vaimostani").is_empty());
        assert!(idioms("ero tuli keväällä").is_empty());
        assert!(idioms("mietin eroa").is_empty());
        assert_eq!(idioms("Mikä on kriisikeskuksen ja sosiaalipäivystyksen ero?"), ["ero"]);
        assert_eq!(idioms("mikä on näiden kahden välinen ero"), ["ero"]);
        assert!(idioms("mitä teen kun ero tuli yllättäen").is_empty());
        assert_eq!(idioms("ei ole ketään kenen kanssa joisi kahvit"), ["joisi"]);
        assert_eq!(idioms("vi brukar dricka kaffe ihop"), ["dricka"]);
        assert!(idioms("mieheni juo joka ilta").is_empty());
        assert!(idioms("hän juo teinien kanssa").is_empty());
        assert_eq!(idioms("han spelar dator hela nätterna"), ["spelar"]);
        assert_eq!(idioms("poika pelaa tietokoneella aamuun asti"), ["pelaa"]);
        assert!(idioms("mieheni pelaa nettikasinolla").is_empty());
        assert!(idioms("han spelar bort lönen på nätcasino").is_empty());
        assert_eq!(idioms("naapurin koira haukkuu öisin"), ["haukkuu"]);
        assert_eq!(idioms("jos hän huutaa vaan kurkku suorana"), ["huutaa"]);
        assert_eq!(idioms("vauva huutaa koko illan"), ["huutaa"]);
        assert!(idioms("mieheni huutaa vauvalle").is_empty());
        assert_eq!(idioms("apua et saa edes rahalla"), ["rahalla"]);
        assert!(idioms("mitä rahalla saa").is_empty());
        assert_eq!(idioms("grannens hundar skäller hela natten"), ["skäller"]);
        assert!(idioms("mieheni haukkuu minua tyhmäksi").is_empty());
        assert_eq!(idioms("pelkään että lapset löytävät ne"), ["pelkään"]);
        assert!(idioms("pelkään miestäni").is_empty());
    }

    #[test]
    fn topics_that_are_not_ours_are_named_by_words_or_phrases() {
        let not_ours = |t: &[Token]| mentions_of(NOT_OURS, t) > 0;
        assert!(not_ours(&tokens("missä on lähin kirjasto")));
        assert!(not_ours(&tokens("saako kouvolankirjastoista lainata ilmaiseksi")));
        assert!(not_ours(&tokens("miten jäteastia tulisi sijoittaa")));
        assert!(!not_ours(&tokens("mieheni juo joka ilta")));
        assert!(not_ours(&tokens("is public transport free with a pram")));
        assert!(not_ours(&tokens("miten uusin kirjan lainan")));
        assert!(not_ours(&tokens("tarvitsenko uuden muutosverokortin")));
        assert!(!not_ours(&tokens("en pysty maksamaan lainan lyhennyksiä")));
        assert!(not_ours(&tokens("how do I get a tax refund")));
        assert!(not_ours(&tokens("voiko vauvan kanssa lentää")));
        assert!(not_ours(&tokens("which stroller should we buy")));
        assert!(!not_ours(&tokens("my partner controls the public and the transport")));
        assert!(!not_ours(&tokens("velkaneuvontaa Turussa")));
        assert!(mentions_of(LEISURE, &tokens("mikä on paras ravintola Turussa")) > 0);
        assert!(!not_ours(&tokens("mikä on paras ravintola Turussa")));
    }

    #[test]
    fn a_family_is_told_of_by_children_parents_or_the_family_itself() {
        let family = |q: &str| tells_of_a_family(&tokens(q), &[], &[]);
        assert!(family("kolmen lapsen kanssa arki ei suju"));
        assert!(family("keskimmäinen taistelee vastaan joka asiassa"));
        assert!(family("väsyneiden äitien ja isien itkumuuri"));
        assert!(family("vi är en familj på fem"));
        assert!(family("pappa är trött"));
        assert!(!family("jag orkar inte plugga och är trött hela tiden"));
        assert!(!family("olen uupunut töissä ja kotona"));
        assert!(!family("my childhood was hard and I am so tired"));
        assert!(tells_of_a_family(&tokens("olen väsynyt"), &[Who::Child], &[]));
        assert!(names_home_help(&tokens("vi ansökte om hemtjänst")));
        assert!(names_home_help(&tokens("can we get home help")));
        assert!(!names_home_help(&tokens("olen väsynyt kotona")));
    }

    #[test]
    fn a_clear_need_outweighs_leisure_sooner_than_a_topic_that_is_not_ours() {
        let intent = |strength, not_ours, leisure| Intent { strength, not_ours, leisure, ..Intent::default() };
        assert!(intent(0.4, false, true).is_ours());
        assert!(!intent(0.8, true, false).is_ours());
        assert!(!intent(0.1, false, true).is_ours());
        assert!(intent(0.2, false, false).is_ours());
        let story = |strength| Intent { strength, not_ours: true, in_passing: true, ..Intent::default() };
        assert!(story(0.8).is_ours(), "a clear need in a story that mentions a topic not ours");
        assert!(!story(0.3).is_ours(), "a stray word is no need, story or not");
        let shared = |strength, clearest_word| Intent { strength, clearest_word, ..Intent::default() };
        assert!(shared(0.1, CLEAR_WORD).is_ours(), "one word that several kinds of help share");
        assert!(!shared(0.1, 0.2).is_ours(), "everyday words of a long text");
    }

    #[test]
    fn mentions_of_topics_not_ours_are_counted_by_where_they_start() {
        for (text, mentions) in [
            ("missä on lähin kirjasto", 1),
            ("kirjasto ja toinen kirjasto", 2),
            ("is public transport free, or is all public transport late", 2),
            ("han har tappat sitt körkort och sitter hemma", 1),
            ("mieheni juo joka ilta", 0),
            ("my partner controls the public and the transport", 0),
        ] {
            assert_eq!(mentions_of(NOT_OURS, &tokens(text)), mentions, "{text}");
        }
    }

    #[test]
    fn the_askers_age_is_read_from_what_they_say_of_themselves() {
        for (text, age) in [
            ("olen 25-vuotias äiti", Some(25)),
            ("oon 15 ja mua kiusataan", Some(15)),
            ("jag är 16 år och mår dåligt", Some(16)),
            ("I'm 45 and feel lonely", Some(45)),
            ("I am 17", Some(17)),
            ("olen jo keski-ikäinen nainen", Some(45)),
            ("jag är pensionär och ensam", Some(65)),
            ("lapseni on 4-vuotias", None),
            ("olen ollut 3 vuotta työttömänä", None),
            ("I am 2 weeks late with rent", None),
            ("olen 20 vuotta ollut naimisissa", None),
            ("I am 16 years old", Some(16)),
            ("I'm 30 minutes from the shelter", None),
            ("olen yksinäinen", None),
        ] {
            assert_eq!(asker_age(&tokens(text)), age, "{text}");
        }
    }

    #[test]
    fn a_parent_is_told_by_how_they_name_the_child() {
        for (text, parent) in [
            ("poikani polttaa kannabista", true),
            ("miten puhun teinin kanssa", true),
            ("vanhempana en tiedä mitä tehdä", true),
            ("Hur kan jag prata med mitt barn om droger?", true),
            ("vår son får utbrott varje dag", true),
            ("Vår åttaåriga son är så himla arg", true),
            ("my eldest daughter refuses to eat", true),
            ("my daughter refuses to go to school", true),
            ("olen 15 ja mua kiusataan koulussa", false),
            ("äiti juo joka ilta", false),
            ("jag är ett barn och vill prata", false),
            ("I am 16 and I feel down", false),
            ("olen teini ja mulla on paha olla", false),
            ("kuopus ei suostu nukkumaan", true),
            ("murkku ei puhu mulle", true),
            ("olen kuopus ja vanhempani riitelevät", false),
            ("Yngsta dottern är ledsen varje morgon", true),
            ("sonen vill inte gå till skolan", true),
            ("jag och min son", true),
        ] {
            assert_eq!(asker_is_parent(&tokens(text)), parent, "{text}");
        }
    }
}
