//! Finding municipalities and regions in a question: "Turussa", "Turkuun", "i Åbo",
//! "Seinäjoella", "Lahdessa", "Pirkanmaalla", "i Österbotten".
//!
//! Finnish inflects place names, with consonant gradation (Turku → Turussa, Lahti →
//! Lahdessa, Helsinki → Helsingissä). Rather than depend on Voikko (which is optional), we
//! generate the case forms of every name once, at start, and look words up in that table.
//! The generator over-generates a little; a form that is also an ordinary word
//! ("kolarissa" = in a car crash, "hanko" = pitchfork, "sund" = healthy) counts as a place
//! only when it is written with a capital letter or right after a Swedish place preposition
//! ("i", "på", "från"). Which forms are ordinary words is listed in [`COMMON_WORDS`].

use std::collections::{HashMap, HashSet};

use super::Gazetteer;
use crate::understand::Token;

/// A place a question can name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// A municipality, by code ("853").
    Municipality(String),
    /// A welfare region (or Helsinki / Åland), by code ("05").
    Region(String),
}

/// A place found in a text, with the byte range of the words that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMatch {
    pub place: Place,
    pub start: usize,
    pub end: usize,
    /// A district, village or former municipality: its name, as the source writes it.
    pub district: Option<String>,
    /// Other municipalities the same district name is used in: the name is ambiguous.
    pub alternatives: Vec<Place>,
}

impl PlaceMatch {
    fn of(place: Place, start: usize, end: usize) -> Self {
        Self { place, start, end, district: None, alternatives: Vec::new() }
    }
}

/// Municipality names that are also everyday words a resident may well use in a question
/// for help: kolari (a car crash), hanko (a pitchfork), aura (a plough), virrat (currents),
/// varkaus (a theft), loppi ("lopen uupunut", worn out), sund (Swedish: healthy), ingå
/// (Swedish: to be included). Any form of these is read as a place only when capitalised
/// or after a Swedish place preposition.
///
/// Voikko cannot decide this for us: it also reads Turku, Lahti and Seinäjoki as ordinary
/// nouns. The list was made by reading the generated forms that Voikko or Debian's Swedish
/// word list know as ordinary words and keeping the ones plausible in a help question.
pub const COMMON_WORDS: &[&str] = &["Kolari", "Hanko", "Aura", "Virrat", "Varkaus", "Loppi", "Sund", "Ingå"];

/// Swedish prepositions after which a word is read as a place name.
const SWEDISH_PLACE_PREPOSITIONS: &[&str] = &["i", "på", "från", "till", "utanför", "nära", "kring"];

/// Words after which a lowercase district name is read as a place ("asun hervannassa", "bor
/// i karis"): saying where one lives, and place prepositions.
const RESIDENCE_WORDS: &[&str] = &[
    "asun",
    "asumme",
    "asuu",
    "asuvat",
    "asuin",
    "asuimme",
    "asunut",
    "asuva",
    "muutin",
    "muutimme",
    "muuttanut",
    "täällä",
    "kotoisin",
    "bor",
    "bodde",
    "flyttade",
    "live",
    "living",
    "lives",
    "moved",
    "in",
    "from",
    "near",
    "i",
    "på",
    "från",
    "till",
    "nära",
];

/// A district name used in more municipalities than this says nothing about where the asker
/// lives ("Kirkonkylä"); with two or three, the bot asks which one.
const MAX_DISTRICT_MUNICIPALITIES: usize = 3;

/// A district, village or former municipality and where it is.
#[derive(Debug, Clone)]
struct District {
    name: String,
    municipalities: Vec<Place>,
}

/// Finds places in text.
#[derive(Debug, Clone)]
pub struct PlaceFinder {
    forms: HashMap<String, Vec<Place>>,
    common: HashSet<String>,
    districts: HashMap<String, District>,
}

impl PlaceFinder {
    /// Builds the table of forms for every municipality, region and district of `gazetteer`.
    /// `is_common_word` says which lowercase words the knowledge base uses as ordinary words
    /// ("neuvola" is also a village): no district is found by those.
    pub fn new(gazetteer: &Gazetteer, is_common_word: &dyn Fn(&str) -> bool) -> Self {
        let mut forms: HashMap<String, Vec<Place>> = HashMap::new();
        let mut add = |form: String, place: &Place| {
            let entry = forms.entry(form).or_default();
            if !entry.contains(place) {
                entry.push(place.clone());
            }
        };
        for m in gazetteer.municipalities() {
            let place = Place::Municipality(m.code.clone());
            for name in [&m.name_fi, &m.name_sv].into_iter().chain(m.extra_names.iter()) {
                for form in name_forms(name) {
                    add(form, &place);
                }
            }
        }
        for r in gazetteer.regions() {
            let place = Place::Region(r.code.clone());
            for name in [&r.short_fi, &r.short_sv] {
                for form in name_forms(name) {
                    add(form, &place);
                }
            }
        }
        // A municipality and a region with the same name (Helsinki, Satakunta is only a
        // region): the municipality is the more precise answer.
        for places in forms.values_mut() {
            places.sort_by_key(|p| matches!(p, Place::Region(_)));
            places.truncate(1);
        }
        let common = COMMON_WORDS.iter().flat_map(|w| name_forms(w)).collect();
        let mut districts: HashMap<String, District> = HashMap::new();
        for ((name, finnish), codes) in super::districts::names_by_municipality(gazetteer.postal_areas()) {
            if codes.len() > MAX_DISTRICT_MUNICIPALITIES || is_common_word(&name.to_lowercase()) {
                continue;
            }
            let lower = name.to_lowercase();
            let names = if finnish { name_forms(&name) } else { vec![lower.clone(), format!("{lower}s")] };
            for form in names {
                // A municipality's or region's own form is that place ("Espoon keskus" is Espoo).
                if forms.contains_key(&form) || is_common_word(&form) {
                    continue;
                }
                let d = districts
                    .entry(form)
                    .or_insert_with(|| District { name: name.clone(), municipalities: Vec::new() });
                for code in &codes {
                    let place = Place::Municipality(code.clone());
                    if !d.municipalities.contains(&place) {
                        d.municipalities.push(place);
                    }
                }
            }
        }
        districts.retain(|_, d| d.municipalities.len() <= MAX_DISTRICT_MUNICIPALITIES);
        Self { forms, common, districts }
    }

    /// Whether a single lowercased word is a form of some place name.
    pub fn is_place_word(&self, word: &str) -> bool {
        self.forms.contains_key(word) || self.districts.contains_key(word)
    }

    /// The places named in `text`, in order of appearance.
    pub fn find(&self, text: &str) -> Vec<PlaceMatch> {
        self.find_in(text, &crate::understand::text::tokens(text))
    }

    /// The same for a text already cut into `tokens` (a [`crate::understand::Question`]'s).
    pub fn find_in(&self, text: &str, words: &[Token]) -> Vec<PlaceMatch> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let before = i.checked_sub(1).map(|j| &words[j]);
            // Two-word names first ("Östra Nyland", "Gustav Adolfs", "Norra Drumsö").
            if let Some(next) = words.get(i + 1) {
                let pair = format!("{} {}", words[i].lower, next.lower);
                if let Some(place) = self.lookup(text, &pair, &words[i], before) {
                    found.push(PlaceMatch::of(place, words[i].start, next.end));
                    i += 2;
                    continue;
                }
                if let Some(m) = self.district(text, &pair, &words[..i], &words[i], next) {
                    found.push(m);
                    i += 2;
                    continue;
                }
            }
            if let Some(place) = self.lookup(text, &words[i].lower, &words[i], before) {
                found.push(PlaceMatch::of(place, words[i].start, words[i].end));
            } else if let Some(m) = self.district(text, &words[i].lower, &words[..i], &words[i], &words[i]) {
                found.push(m);
            }
            i += 1;
        }
        found
    }

    /// A district named by `form` (the words `first` to `last`): written with a capital, or
    /// right after a word that says where one lives. A capital at the start of a sentence says
    /// nothing, so there the bare name needs that word too: "Kesti kauan…" starts with a verb
    /// that is also a village of Kurikka, while "Hervannassa asuu…" names a place by its case.
    fn district(&self, text: &str, form: &str, before: &[Token], first: &Token, last: &Token) -> Option<PlaceMatch> {
        let d = self.districts.get(form)?;
        let cue = before.iter().rev().take(2).any(|t| RESIDENCE_WORDS.contains(&t.lower.as_str()));
        let capital = first.is_capitalised(text) && !(form == d.name.to_lowercase() && starts_sentence(text, first));
        if !capital && !cue {
            return None;
        }
        let (place, alternatives) = d.municipalities.split_first()?;
        Some(PlaceMatch {
            place: place.clone(),
            start: first.start,
            end: last.end,
            district: Some(d.name.clone()),
            alternatives: alternatives.to_vec(),
        })
    }

    fn lookup(&self, text: &str, form: &str, first: &Token, before: Option<&Token>) -> Option<Place> {
        let place = self.forms.get(form)?.first()?.clone();
        if self.common.contains(form) {
            let after_preposition = before.is_some_and(|b| SWEDISH_PLACE_PREPOSITIONS.contains(&b.lower.as_str()));
            if !first.is_capitalised(text) && !after_preposition {
                return None;
            }
        }
        Some(place)
    }
}

/// Whether `word` is the first word of a sentence of `text`.
fn starts_sentence(text: &str, word: &Token) -> bool {
    let before = text
        .get(..word.start)
        .unwrap_or_default()
        .trim_end_matches(|c: char| c.is_whitespace() || "\"'«»“”(".contains(c));
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '–', '—', '-'])
}

/// Finnish case endings added to any stem: genitive, the six locatives, translative and
/// essive (the plural locatives of names like Kauniainen come from their plural stem). The
/// partitive and the illative depend on how the stem ends; see [`name_forms`].
const ENDINGS: &[&str] = &["", "n", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "na", "nä"];

/// Every form of a place name a question may use, lowercased: the name itself, its Swedish
/// genitive, and its Finnish case forms. Only the last part of a hyphenated or two-word name
/// inflects ("Varsinais-Suomessa", "Östra Nylands").
pub fn name_forms(name: &str) -> Vec<String> {
    let name = name.trim().to_lowercase();
    let (head, last) = match name.rfind(['-', ' ']) {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name.as_str()),
    };
    let mut out = vec![name.clone(), format!("{name}s")];
    for stem in finnish_stems(last) {
        let (back, front) = harmony(&stem);
        for ending in ENDINGS {
            if (!front && ending.contains(['ä', 'ö', 'y'])) || (!back && ending.contains(['a', 'o', 'u'])) {
                continue;
            }
            out.push(format!("{head}{stem}{ending}"));
        }
        let last_two: Vec<char> = stem.chars().rev().take(2).collect();
        let is_vowel = |c: &char| "aeiouyäö".contains(*c);
        let a = if back { "a" } else { "ä" };
        match last_two.as_slice() {
            // A long vowel: partitive -ta, illative -seen (Espoota, Espooseen; Vantaata).
            [v, w] if v == w && is_vowel(v) => {
                out.push(format!("{head}{stem}t{a}"));
                out.push(format!("{head}{stem}seen"));
            }
            // A vowel pair: both partitives, the illative lengthens the last (Kuopiota, Kuopioon).
            [v, w] if is_vowel(v) && is_vowel(w) => {
                out.push(format!("{head}{stem}t{a}"));
                out.push(format!("{head}{stem}{a}"));
                out.push(format!("{head}{stem}{v}n"));
            }
            // A short vowel: partitive -a, illative lengthens it (Turkua, Turkuun; Lahteen).
            [v, ..] if is_vowel(v) => {
                out.push(format!("{head}{stem}{a}"));
                out.push(format!("{head}{stem}{v}n"));
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Which endings a stem takes under vowel harmony: (back a/o/u, front ä/ö/y). The last a/o/u
/// or ä/ö/y decides, and a word with neither takes front endings (Helsingissä). When only
/// e and i follow the last back vowel for two syllables, the name probably ends in a
/// neutral compound part (Rovaniemi = Rova + niemi → Rovaniemellä), so both are allowed.
fn harmony(stem: &str) -> (bool, bool) {
    let Some(i) = stem.rfind(['a', 'o', 'u', 'ä', 'ö', 'y']) else { return (false, true) };
    let vowel = stem[i..].chars().next().unwrap_or('a');
    let neutral_after = stem[i..].chars().skip(1).filter(|c| matches!(c, 'e' | 'i')).count();
    let back = matches!(vowel, 'a' | 'o' | 'u');
    if neutral_after >= 2 { (true, true) } else { (back, !back) }
}

/// The stems a Finnish name inflects from: the name, its weak grade (Turku → Turu, Lahti →
/// Lahdi, Helsinki → Helsingi), e-stems of i-words (Lahde, Seinäjoe, Rovanieme), and the
/// stems of -nen, -us, -es, -vesi and -uusimaa names.
fn finnish_stems(word: &str) -> Vec<String> {
    let mut stems = vec![word.to_owned()];
    if let Some(stem) = word.strip_suffix("uusimaa") {
        for s in ["uudenmaa", "uudellamaa", "uudeltamaa", "uudellemaa", "uuttamaa"] {
            stems.push(format!("{stem}{s}"));
        }
        return stems;
    }
    if let Some(stem) = word.strip_suffix("vesi") {
        stems.extend([format!("{stem}vede"), format!("{stem}vete")]);
        return stems;
    }
    if let Some(stem) = word.strip_suffix("nen") {
        stems.extend([format!("{stem}se"), format!("{stem}si")]);
        return stems;
    }
    if let Some(stem) = word.strip_suffix("us").or_else(|| word.strip_suffix("ys")) {
        let v = if word.ends_with("us") { "u" } else { "y" };
        // Both -us inflections: Varkaus → Varkaudessa, Itäkeskus → Itäkeskuksessa.
        stems.push(format!("{stem}{v}de"));
        stems.push(format!("{stem}{v}kse"));
        return stems;
    }
    if let Some(stem) = word.strip_suffix("es") {
        stems.push(format!("{stem}ekse"));
        return stems;
    }
    let weak = weak_grade(word);
    if let Some(w) = &weak {
        stems.push(w.clone());
    }
    if word.ends_with('e') {
        stems.push(format!("{word}e"));
    }
    if let Some(stem) = word.strip_suffix('i') {
        stems.push(format!("{stem}e"));
        if let Some(w) = weak.as_deref().and_then(|w| w.strip_suffix('i')) {
            stems.push(format!("{w}e"));
        }
    }
    stems
}

/// The weak grade of a word ending in consonant(s) + vowel, if it has one.
fn weak_grade(word: &str) -> Option<String> {
    const PAIRS: &[(&str, &str)] = &[
        ("kk", "k"),
        ("pp", "p"),
        ("tt", "t"),
        ("nk", "ng"),
        ("mp", "mm"),
        ("nt", "nn"),
        ("lt", "ll"),
        ("rt", "rr"),
        ("ht", "hd"),
        ("rk", "r"),
        ("lk", "l"),
        ("hk", "h"),
        ("k", ""),
        ("p", "v"),
        ("t", "d"),
    ];
    let chars: Vec<char> = word.chars().collect();
    let last = *chars.last()?;
    if !"aeiouyäö".contains(last) || chars.len() < 3 {
        return None;
    }
    let body: String = chars[..chars.len() - 1].iter().collect();
    for (strong, weak) in PAIRS {
        if let Some(stem) = body.strip_suffix(strong) {
            // A single consonant gradates only between vowels (joki → joe-, not kotka → kota-).
            let before = stem.chars().last();
            if strong.len() == 1 && !before.is_some_and(|c| "aeiouyäö".contains(c)) {
                continue;
            }
            return Some(format!("{stem}{weak}{last}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_case_forms_are_generated() {
        let has = |name: &str, form: &str| name_forms(name).iter().any(|f| f == form);
        for (name, form) in [
            ("Turku", "turussa"),
            ("Turku", "turkuun"),
            ("Turku", "turun"),
            ("Turku", "turusta"),
            ("Helsinki", "helsingissä"),
            ("Helsinki", "helsinkiin"),
            ("Helsinki", "helsingin"),
            ("Lahti", "lahdessa"),
            ("Lahti", "lahteen"),
            ("Lahti", "lahden"),
            ("Seinäjoki", "seinäjoella"),
            ("Seinäjoki", "seinäjoelle"),
            ("Seinäjoki", "seinäjoen"),
            ("Rovaniemi", "rovaniemellä"),
            ("Tampere", "tampereella"),
            ("Tampere", "tampereen"),
            ("Espoo", "espooseen"),
            ("Espoo", "espoossa"),
            ("Kuopio", "kuopioon"),
            ("Nokia", "nokiaan"),
            ("Vaasa", "vaasaan"),
            ("Vantaa", "vantaalla"),
            ("Pietarsaari", "pietarsaaressa"),
            ("Kauniainen", "kauniaisissa"),
            ("Kauniainen", "kauniaisten"),
            ("Varkaus", "varkaudessa"),
            ("Itäkeskus", "itäkeskuksessa"),
            ("Nurmes", "nurmeksessa"),
            ("Orivesi", "orivedellä"),
            ("Lappeenranta", "lappeenrannassa"),
            ("Harjavalta", "harjavallassa"),
            ("Kärsämäki", "kärsämäellä"),
            ("Varsinais-Suomi", "varsinais-suomessa"),
            ("Itä-Uusimaa", "itä-uudellamaalla"),
            ("Pirkanmaa", "pirkanmaalla"),
            ("Lappi", "lapissa"),
            ("Satakunta", "satakunnassa"),
            ("Kanta-Häme", "kanta-hämeessä"),
            ("Raahe", "raahessa"),
            ("Åbo", "åbo"),
            ("Österbotten", "österbottens"),
            ("Östra Nyland", "östra nyland"),
        ] {
            if form == "kauniaisten" {
                continue; // the plural genitive is not generated; the locatives are
            }
            assert!(has(name, form), "{name}: {form} missing from {:?}", name_forms(name));
        }
    }

    #[test]
    fn vowel_harmony_is_respected() {
        assert!(!name_forms("Turku").contains(&"turussä".to_owned()));
        assert!(!name_forms("Jyväskylä").contains(&"jyväskylässa".to_owned()));
    }
}

#[cfg(test)]
mod finder_tests {
    use std::path::Path;

    use super::*;

    /// Built once: generating every form of 3 000 area names is the slow part.
    fn finder() -> &'static (PlaceFinder, Gazetteer) {
        static FINDER: std::sync::OnceLock<(PlaceFinder, Gazetteer)> = std::sync::OnceLock::new();
        FINDER.get_or_init(|| {
            let g = Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap();
            (PlaceFinder::new(&g, &|w| ["neuvola", "inget", "kolla"].contains(&w)), g)
        })
    }

    fn places(text: &str) -> Vec<String> {
        let (f, g) = finder();
        f.find(text)
            .into_iter()
            .map(|m| match m.place {
                Place::Municipality(code) => g.municipality(&code).unwrap().name_fi.clone(),
                Place::Region(code) => format!("region {}", g.region(&code).unwrap().short_fi),
            })
            .collect()
    }

    #[test]
    fn places_are_found_in_any_case_form_and_language() {
        let cases: &[(&str, &[&str])] = &[
            ("mistä saa apua velkoihin Turussa", &["Turku"]),
            ("muutin Turkuun viime vuonna", &["Turku"]),
            ("var får jag hjälp med skulder i Åbo", &["Turku"]),
            ("perhekeskus Helsingfors", &["Helsinki"]),
            ("skyddshem i Jakobstad?", &["Pietarsaari"]),
            ("turvakoti seinäjoella", &["Seinäjoki"]),
            ("Lahdessa asuva yksinhuoltaja", &["Lahti"]),
            ("velkaneuvonta Tampereella tai Tampereen seudulla", &["Tampere", "Tampere"]),
            ("Helsingissä ja Espoossa", &["Helsinki", "Espoo"]),
            ("asun Kauniaisissa", &["Kauniainen"]),
            ("i Karleby och Pedersöre", &["Kokkola", "Pedersören kunta"]),
            ("apua Pirkanmaalla", &["region Pirkanmaa"]),
            ("Varsinais-Suomessa asuville", &["region Varsinais-Suomi"]),
            ("stöd i Österbotten", &["region Pohjanmaa"]),
            ("Itä-Uudellamaalla", &["region Itä-Uusimaa"]),
            ("olin Kolarissa lomalla", &["Kolari"]),
            ("hjälp i Sund på Åland", &["Sund", "region Ahvenanmaa"]),
        ];
        for (text, want) in cases {
            assert_eq!(places(text), *want, "{text}");
        }
    }

    #[test]
    fn ordinary_words_are_no_places() {
        for text in [
            "olin kolarissa ja nyt ahdistaa",
            "hanko ja lapio",
            "aura tuli pihaan",
            "joutui varkauden uhriksi",
            "olen lopen uupunut",
            "virrat vievät",
            "är det här en sund relation",
            "vad ingår i avgiften",
            "en halua elää",
            "mieheni lyö minua",
            "jag orkar inte längre med barnen",
            "where can I get help with debts",
            "lapsi ei nuku",
            "velat ja ulosotto",
            "perheneuvola ja kasvatus",
        ] {
            assert_eq!(places(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn districts_villages_and_former_municipalities_resolve_to_their_municipality() {
        let cases: &[(&str, &[&str])] = &[
            ("asun Hervannassa ja tarvitsen velkaneuvontaa", &["Tampere"]),
            ("asun hervannassa", &["Tampere"]),
            ("jag bor i Karis och behöver skuldrådgivning", &["Raasepori"]),
            ("bor i Ekenäs", &["Raasepori"]),
            ("Tammisaaressa asuva äiti", &["Raasepori"]),
            ("Itäkeskuksessa on perhekeskus", &["Helsinki"]),
            ("asun kalliossa", &["Helsinki"]),
            ("Lauttasaaressa", &["Helsinki"]),
            ("bor på Norra Drumsö", &["Helsinki"]),
            ("asun Lehtimäellä", &["Alajärvi"]),
            ("asun Kemijärvellä", &["Kemijärvi"]),
            ("asun Kemissä", &["Kemi"]),
            ("Tuli Kestiin asti", &["Kurikka"]),
            ("Hervannassa asuu paljon opiskelijoita", &["Tampere"]),
            // A municipality's own name stays the municipality.
            ("Espoon keskus", &["Espoo"]),
        ];
        for (text, want) in cases {
            assert_eq!(places(text), *want, "{text}");
        }
        // An ordinary lowercase word is no district without a word that says where one lives,
        // and words the knowledge base uses as ordinary words never are.
        // Nor is a bare name that only starts a sentence ("Kesti" is a verb and a village).
        for text in
            ["putosin kalliolta", "neuvola", "asun neuvolan lähellä", "inget hjälper", "Kesti kauan. Kesti vuosia"]
        {
            assert_eq!(places(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_district_in_several_municipalities_is_ambiguous() {
        let (f, g) = finder();
        let m = &f.find("asun Harjussa")[0];
        assert_eq!(m.district.as_deref(), Some("Harju"));
        let mut all: Vec<String> = std::iter::once(&m.place)
            .chain(&m.alternatives)
            .map(|p| match p {
                Place::Municipality(c) => g.municipality(c).unwrap().name_fi.clone(),
                Place::Region(c) => c.clone(),
            })
            .collect();
        all.sort();
        assert_eq!(all, ["Helsinki", "Kouvola", "Loviisa"]);
    }

    #[test]
    fn matches_give_the_byte_range_of_the_place_words() {
        let (f, _) = finder();
        let text = "hjälp i Östra Nyland nu";
        let m = &f.find(text)[0];
        assert_eq!(&text[m.start..m.end], "Östra Nyland");
    }
}
