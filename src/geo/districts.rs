//! Districts, villages and former municipalities, by the names residents use for where
//! they live: "Hervanta", "Kallio", "Itäkeskus", "Karis", "Tammisaari", "Lehtimäki".
//!
//! The names come from Statistics Finland's postal-code areas (`postal-areas-2025.csv`,
//! see `knowledge/areas/README.md`): every area has a Finnish and a Swedish name and lies
//! in one municipality. An area's name can list several places ("Itäkeskus - Marjaniemi",
//! "Iisalmi Keskus, Eteläinen"), mark the centre of a former municipality ("Karjaa Keskus",
//! "Lehtimäki Kirkonkylä") or one side of a district ("Pohjois-Lauttasaari", "Norra
//! Drumsö"); each of those gives the name a resident would write ("Itäkeskus",
//! "Marjaniemi", "Karjaa", "Lehtimäki", "Lauttasaari", "Drumsö").

use std::collections::BTreeMap;

use serde::Deserialize;

/// One postal-code area, as the source names it.
#[derive(Debug, Clone, Deserialize)]
pub struct PostalArea {
    pub postal_code: String,
    pub name_fi: String,
    pub name_sv: String,
    /// Municipality code.
    pub municipality: String,
}

/// Words that end an area's name and only say which part of the place it is.
const PART_WORDS: &[&str] =
    &["keskusta", "keskus", "centrum", "kirkonkylä", "kyrkoby", "kyrkby", "asemanseutu", "stationsamhälle", "kk"];

/// Beginnings that name one side of a district.
const SIDES: &[&str] =
    &["etelä-", "pohjois-", "itä-", "länsi-", "keski-", "södra ", "norra ", "östra ", "västra ", "mellersta "];

/// Words that make a name no place a resident says they live in: compass points alone and
/// kinds of area ("Hyvinkää, sairaala-alue", "Tuupakan teollisuusalue", "postikeskus").
const NOT_PLACES: &[&str] = &[
    "eteläinen",
    "pohjoinen",
    "itäinen",
    "läntinen",
    "södra",
    "norra",
    "östra",
    "västra",
    "alue",
    "område",
    "postikeskus",
    "postcentral",
];

/// The names of an area that residents would write.
pub fn place_names(area_name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in area_name.split(" - ").flat_map(|p| p.split(", ")) {
        let mut words: Vec<&str> = part.split_whitespace().collect();
        while words.len() > 1 && words.last().is_some_and(|w| PART_WORDS.contains(&w.to_lowercase().as_str())) {
            words.pop();
        }
        let name = words.join(" ");
        let lower = name.to_lowercase();
        let mut push = |n: &str| {
            let n = n.trim();
            let lower = n.to_lowercase();
            let usable = n.chars().count() >= 4
                && n.split_whitespace().count() <= 2
                && !n.chars().any(|c| c.is_ascii_digit())
                && !lower.starts_with("ja ")
                && !lower.starts_with("och ")
                && !NOT_PLACES.iter().any(|w| lower == *w || lower.ends_with(&format!("-{w}")) || lower.ends_with(w));
            if usable && !out.iter().any(|o: &String| o.to_lowercase() == lower) {
                out.push(n.to_owned());
            }
        };
        push(&name);
        for side in SIDES {
            if lower.starts_with(side) {
                push(&name[side.len()..]);
            }
        }
    }
    out
}

/// Every resident's name of every area, with the municipalities it lies in (one, or a few
/// when the same name is used in several), in both languages.
pub fn names_by_municipality(areas: &[PostalArea]) -> BTreeMap<(String, bool), Vec<String>> {
    let mut out: BTreeMap<(String, bool), Vec<String>> = BTreeMap::new();
    for area in areas {
        for (name, finnish) in [(&area.name_fi, true), (&area.name_sv, false)] {
            for n in place_names(name) {
                let codes = out.entry((n, finnish)).or_default();
                if !codes.contains(&area.municipality) {
                    codes.push(area.municipality.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_gives_the_names_residents_write() {
        let cases: &[(&str, &[&str])] = &[
            ("Hervanta", &["Hervanta"]),
            ("Itäkeskus - Marjaniemi", &["Itäkeskus", "Marjaniemi"]),
            ("Karjaa Keskus", &["Karjaa"]),
            ("Karis centrum", &["Karis"]),
            ("Lehtimäki Kirkonkylä", &["Lehtimäki"]),
            ("Pohjois-Lauttasaari", &["Pohjois-Lauttasaari", "Lauttasaari"]),
            ("Norra Drumsö", &["Norra Drumsö", "Drumsö"]),
            ("Espoon Keskus", &["Espoon"]),
            ("Iisalmi Keskus, Eteläinen", &["Iisalmi"]),
            ("Hyvinkää, sairaala-alue", &["Hyvinkää"]),
            ("Kontula - Vesala - Kivikko", &["Kontula", "Vesala", "Kivikko"]),
            ("Itä- ja Keski-Pasila", &[]),
            ("Ås", &[]),
        ];
        for (area, want) in cases {
            assert_eq!(place_names(area), *want, "{area}");
        }
    }
}
