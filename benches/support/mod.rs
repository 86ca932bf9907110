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
