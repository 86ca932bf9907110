//! Municipalities, welfare regions and distances.
//!
//! The gazetteer is read from `knowledge/areas/` (Statistics Finland's 2026 classification):
//! 308 municipalities, each in one of 23 region codes (21 welfare regions, the City of
//! Helsinki and Åland). It knows nothing of services; `knowledge` uses it to validate area
//! codes and `search` uses it to rank services by place.

pub mod districts;
mod places;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

pub use districts::PostalArea;
pub use places::{COMMON_WORDS, Place, PlaceFinder, PlaceMatch, name_forms};

/// A point in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// Great-circle distance in kilometres (haversine; plenty for ranking by nearness).
    pub fn distance_km(self, other: Point) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }

    /// Whether the point lies in Finland's bounding box (mainland, archipelago and Åland).
    pub fn in_finland(self) -> bool {
        (59.45..=70.10).contains(&self.lat) && (19.05..=31.60).contains(&self.lon)
    }
}

/// The language status of a municipality for 2023–2032.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageStatus {
    Finnish,
    Swedish,
    /// Bilingual with a Finnish majority.
    FinnishSwedish,
    /// Bilingual with a Swedish majority.
    SwedishFinnish,
}

/// One municipality.
#[derive(Debug, Clone)]
pub struct Municipality {
    /// Three-digit Statistics Finland code, e.g. "853".
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    pub languages: LanguageStatus,
    /// Two-digit region code, e.g. "05".
    pub region: String,
    /// Administrative centre (or area centroid), used for distances.
    pub point: Point,
    /// Names residents use besides the official ones ("Pedersöre" for "Pedersören kunta").
    pub extra_names: Vec<String>,
}

/// One welfare region (or Helsinki / Åland).
#[derive(Debug, Clone)]
pub struct Region {
    /// Two-digit code, e.g. "05".
    pub code: String,
    /// Official names: "Varsinais-Suomen hyvinvointialue".
    pub name_fi: String,
    pub name_sv: String,
    /// The short names residents use: "Varsinais-Suomi", "Egentliga Finland".
    pub short_fi: String,
    pub short_sv: String,
}

/// All municipalities and regions, indexed by code.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    municipalities: Vec<Municipality>,
    regions: Vec<Region>,
    by_code: HashMap<String, usize>,
    region_by_code: HashMap<String, usize>,
    /// Postal-code areas, whose names give districts, villages and former municipalities.
    postal_areas: Vec<PostalArea>,
}

#[derive(Deserialize)]
struct MunicipalityRow {
    code: String,
    name_fi: String,
    name_sv: String,
    languages: String,
    region_code: String,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    name_fi: String,
    name_sv: String,
}

/// Municipality names with a word residents leave out ("Pedersören kunta" → "Pedersöre").
const NAME_SUFFIXES: &[&str] = &[" kunta", " kommun"];

impl Gazetteer {
    /// Reads `municipalities-2026.csv`, `welfare-regions-2026.csv`, `region-names.csv` and
    /// `postal-areas-2025.csv` from `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let regions: Vec<RegionRow> = read_csv(&dir.join("welfare-regions-2026.csv"))?;
        let short_names: Vec<RegionRow> = read_csv(&dir.join("region-names.csv"))?;
        let municipalities: Vec<MunicipalityRow> = read_csv(&dir.join("municipalities-2026.csv"))?;
        let regions = regions
            .into_iter()
            .map(|r| {
                let short = short_names
                    .iter()
                    .find(|s| s.code == r.code)
                    .with_context(|| format!("region-names.csv has no row for region {}", r.code))?;
                Ok(Region {
                    short_fi: short.name_fi.clone(),
                    short_sv: short.name_sv.clone(),
                    code: r.code,
                    name_fi: r.name_fi,
                    name_sv: r.name_sv,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let municipalities = municipalities
            .into_iter()
            .map(|m| {
                let languages = match m.languages.as_str() {
                    "fi" => LanguageStatus::Finnish,
                    "sv" => LanguageStatus::Swedish,
                    "fi+sv" => LanguageStatus::FinnishSwedish,
                    "sv+fi" => LanguageStatus::SwedishFinnish,
                    other => bail!("municipality {}: unknown language status {other:?}", m.code),
                };
                let extra_names = [&m.name_fi, &m.name_sv]
                    .into_iter()
                    .filter_map(|n| NAME_SUFFIXES.iter().find_map(|s| n.strip_suffix(s)))
                    .map(str::to_owned)
                    .collect();
                Ok(Municipality {
                    extra_names,
                    code: m.code,
                    name_fi: m.name_fi,
                    name_sv: m.name_sv,
                    languages,
                    region: m.region_code,
                    point: Point { lat: m.lat, lon: m.lon },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut this = Self::new(municipalities, regions)?;
        let areas: Vec<PostalArea> = read_csv(&dir.join("postal-areas-2025.csv"))?;
        for a in &areas {
            if this.municipality(&a.municipality).is_none() {
                bail!("postal-areas-2025.csv: area {} names unknown municipality {}", a.postal_code, a.municipality);
            }
        }
        this.postal_areas = areas;
        Ok(this)
    }

    /// Builds a gazetteer, checking that every municipality's region exists.
    pub fn new(municipalities: Vec<Municipality>, regions: Vec<Region>) -> Result<Self> {
        let region_by_code: HashMap<_, _> = regions.iter().enumerate().map(|(i, r)| (r.code.clone(), i)).collect();
        let by_code: HashMap<_, _> = municipalities.iter().enumerate().map(|(i, m)| (m.code.clone(), i)).collect();
        for m in &municipalities {
            if !region_by_code.contains_key(&m.region) {
                bail!("municipality {} names unknown region {}", m.code, m.region);
            }
        }
        Ok(Self { municipalities, regions, by_code, region_by_code, postal_areas: Vec::new() })
    }

    pub fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The postal-code areas (empty for a gazetteer built with [`Gazetteer::new`]).
    pub fn postal_areas(&self) -> &[PostalArea] {
        &self.postal_areas
    }

    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.by_code.get(code).map(|&i| &self.municipalities[i])
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.region_by_code.get(code).map(|&i| &self.regions[i])
    }

    /// Finds a municipality by code or by its Finnish or Swedish name in base form
    /// (case-insensitive): "853", "Turku", "åbo".
    pub fn lookup(&self, name_or_code: &str) -> Option<&Municipality> {
        let wanted = name_or_code.trim();
        if let Some(m) = self.municipality(wanted) {
            return Some(m);
        }
        let wanted = wanted.to_lowercase();
        self.municipalities.iter().find(|m| m.name_fi.to_lowercase() == wanted || m.name_sv.to_lowercase() == wanted)
    }
}

fn read_csv<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.with_context(|| format!("{}: row {}", path.display(), i + 2)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap()
    }

    #[test]
    fn shipped_areas_have_308_municipalities_in_23_regions() {
        let g = gazetteer();
        assert_eq!(g.municipalities().len(), 308);
        assert_eq!(g.regions().len(), 23);
        let turku = g.municipality("853").unwrap();
        assert_eq!((turku.name_fi.as_str(), turku.name_sv.as_str(), turku.region.as_str()), ("Turku", "Åbo", "05"));
        // Trailing spaces in the source CSV are trimmed.
        assert_eq!(g.region("13").unwrap().name_sv, "Norra Savolax välfärdsområde");
        assert!(g.municipalities().iter().all(|m| m.point.in_finland()), "every admin centre lies in Finland");
        assert!(g.postal_areas().len() > 3000, "Statistics Finland has about 3 000 postal-code areas");
    }

    #[test]
    fn lookup_by_code_and_either_name() {
        let g = gazetteer();
        assert_eq!(g.lookup("Åbo").unwrap().code, "853");
        assert_eq!(g.lookup("jakobstad").unwrap().code, "598");
        assert_eq!(g.lookup("091").unwrap().name_fi, "Helsinki");
        assert!(g.lookup("Atlantis").is_none());
    }

    #[test]
    fn distances_are_plausible() {
        let g = gazetteer();
        let helsinki = g.municipality("091").unwrap().point;
        let turku = g.municipality("853").unwrap().point;
        let d = helsinki.distance_km(turku);
        assert!((140.0..175.0).contains(&d), "Helsinki–Turku is about 150 km as the crow flies, got {d}");
        assert_eq!(helsinki.distance_km(helsinki), 0.0);
        assert!(!Point { lat: 59.3, lon: 18.1 }.in_finland(), "Stockholm is not in Finland");
    }
}
