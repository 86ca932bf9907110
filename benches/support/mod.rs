//! Shared by the benchmarks: the shipped knowledge, a generated large knowledge base, and
//! questions to ask.

#![allow(dead_code)]

use std::path::Path;

use lahiapu::knowledge::{self, Knowledge};
use lahiapu::lang::Lang;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Questions of every kind: fi/sv/en, with and without a place, inflected, off-topic, crisis.
pub const QUESTIONS: &[&str] = &[
    "mistä saa apua velkoihin Turussa",
    "mulla on ulosotossa monta laskua",
    "var får jag hjälp med skulder i Åbo",
    "lähisuhde väkivalta",
    "jag orkar inte längre med barnen",
    "en halua enää elää",
    "perhekeskus Espoossa",
    "turvakoti Vaasassa",
    "stöd vid skilsmässa i Vasa",
    "nuori käyttää päihteitä, mitä teen",
    "where can I get help with debts in Helsinki",
    "paras pizzeria Turussa",
    "tukipuhelin teini-ikäisten vanhemmille",
    "tarviin jonkun jolle puhua kun ahdistaa",
    "lapsiperheen kotipalvelu Tampereella",
    "vertaistukea omaisille Oulussa",
];

/// Long, narrative questions of several sentences (made up for the benchmark).
pub const LONG_QUESTIONS: &[&str] = &[
    "Olemme olleet naimisissa kymmenen vuotta ja meillä on kolme lasta. Viime vuonna mieheni menetti työnsä, \
     ja sen jälkeen laskut ovat jääneet maksamatta. Nyt perintätoimisto soittaa joka viikko ja pelkään, että \
     asia menee ulosottoon. Mieheni juo iltaisin enemmän kuin ennen, enkä tiedä, mistä aloittaa. Asun Hervannassa.",
    "Jag har två små barn och sover knappt. Min sambo jobbar borta hela veckorna och jag har ingen släkt i \
     närheten. Vi bråkar mycket när han är hemma och jag funderar på om vi ska gå skilda vägar. Jag orkar inte \
     längre med vardagen och vet inte vart jag ska vända mig. Vi bor i Karis.",
    "My partner controls our money and checks my phone every evening. Last week he screamed at me in front of \
     the children and broke a chair. I am afraid of what happens next, but I have nowhere to go. We live in Espoo.",
    "Tyttäreni on 15-vuotias ja hän on alkanut jäädä pois koulusta. Luulen, että hän polttaa kannabista kavereiden \
     kanssa, ja hän on usein tosi ahdistunut. Olen yksinhuoltaja ja yritän jaksaa töiden ohella, mutta en tiedä, \
     kenelle voisin puhua. Mitä vanhempi voi tehdä?",
];

/// A 64 KiB paste of distinct made-up words: the most work one message can ask for.
pub fn paste_64k() -> String {
    let mut rng = StdRng::seed_from_u64(64);
    let mut out = String::new();
    let letters: Vec<char> = "abdefghijklmnoprstuvyäö".chars().collect();
    while out.len() < 64 * 1024 - 16 {
        let len = rng.random_range(4..12);
        out.extend((0..len).map(|_| *letters.choose(&mut rng).unwrap_or(&'a')));
        out.push(' ');
    }
    out
}

pub fn shipped() -> Knowledge {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    knowledge::load(&dir, lahiapu::today_in_finland())
        .expect("knowledge loads")
        .into_valid()
        .expect("knowledge is valid")
}

/// A knowledge base of `n` services made from the shipped ones: each copy gets its own id,
/// a random municipality or region as its area, and a few words from other services added
/// to its texts, so that documents and vocabulary grow as in a real large catalogue.
/// Deterministic (fixed seed).
pub fn synthetic(n: usize) -> Knowledge {
    let base = shipped();
    let mut rng = StdRng::seed_from_u64(2026);
    let codes: Vec<String> = base.gazetteer.municipalities().iter().map(|m| m.code.clone()).collect();
    let regions: Vec<String> = base.gazetteer.regions().iter().map(|r| r.code.clone()).collect();
    let mut words: Vec<(Lang, String)> = Vec::new();
    for s in &base.services {
        for lang in Lang::ALL {
            if let Some(d) = s.description.as_ref().and_then(|d| d.get(lang)) {
                words.extend(d.split_whitespace().map(|w| (lang, w.to_owned())));
            }
        }
    }
    let mut services = Vec::with_capacity(n);
    for i in 0..n {
        let mut s = base.services[i % base.services.len()].clone();
        s.id = format!("{}-{i}", s.id);
        if !s.area.nationwide || i >= base.services.len() {
            s.area.nationwide = false;
            s.area.regions.clear();
            s.area.municipalities.clear();
            if rng.random_bool(0.3) {
                s.area.regions.push(regions.choose(&mut rng).cloned().unwrap_or_default());
            } else {
                s.area.municipalities.push(codes.choose(&mut rng).cloned().unwrap_or_default());
            }
            s.location.retain(|_| false);
        }
        for lang in Lang::ALL {
            let extra: Vec<&str> = (0..12)
                .filter_map(|_| words.choose(&mut rng))
                .filter(|(l, _)| *l == lang)
                .map(|(_, w)| w.as_str())
                .collect();
            let text = match lang {
                Lang::Fi => &mut s.summary.fi,
                Lang::Sv => &mut s.summary.sv,
                Lang::En => &mut s.summary.en,
            };
            if let Some(t) = text {
                t.push(' ');
                t.push_str(&extra.join(" "));
            }
        }
        services.push(s);
    }
    Knowledge { services, ..base }
}

/// Whether this run is a real benchmark (`cargo bench`) rather than `cargo test` checking
/// that the benchmark still runs; the latter uses small sizes.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}
