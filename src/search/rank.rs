//! Ordering matched services by the asker's place.
//!
//! Relevance decides which services are candidates; place decides their order. When the
//! place is known, a service that covers it always comes before one that does not, and
//! local help (the asker's municipality) before regional (their welfare region) before
//! national; within a tier, clearly better matches first, then the nearest physical
//! location. Pure functions over plain data, tested below.

use std::cmp::Ordering;

use serde::Serialize;

use super::index::Hit;
use crate::geo::{Gazetteer, Municipality, Place, Point};
use crate::knowledge::Service;

/// Candidates scoring below this share of the best match are dropped: they matched a word
/// or two of the question by chance.
const RELEVANCE_FLOOR: f32 = 0.3;

/// How a service relates to the asker's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Offered in the asker's municipality.
    Local,
    /// Offered in the asker's welfare region.
    Regional,
    /// Offered everywhere.
    National,
    /// Not known to cover the asker's place.
    Elsewhere,
}

/// A service in its final position.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub ord: usize,
    pub score: f32,
    pub scope: Scope,
    /// Distance from the asker's place to the service's nearest physical location.
    pub distance_km: Option<f64>,
}

/// The scope of `service` for someone at `place`.
pub fn scope_of(service: &Service, place: Option<&Place>, gazetteer: &Gazetteer) -> Scope {
    let area = &service.area;
    if area.nationwide {
        return Scope::National;
    }
    match place {
        None => Scope::Elsewhere,
        Some(Place::Municipality(code)) => {
            let in_location = service.location.iter().any(|l| &l.municipality == code);
            if area.municipalities.contains(code) || in_location {
                return Scope::Local;
            }
            let region = gazetteer.municipality(code).map(|m| m.region.as_str());
            if region.is_some_and(|r| area.regions.iter().any(|a| a == r)) { Scope::Regional } else { Scope::Elsewhere }
        }
        Some(Place::Region(region)) => {
            if area.regions.contains(region) {
                Scope::Regional
            } else if area.municipalities.iter().filter_map(|m| gazetteer.municipality(m)).any(|m| &m.region == region)
            {
                Scope::Local
            } else {
                Scope::Elsewhere
            }
        }
    }
}

/// Where a service can be visited: its locations (their coordinates, or their
/// municipality's centre), or else the municipalities it is limited to.
pub fn service_points(service: &Service, gazetteer: &Gazetteer) -> Vec<Point> {
    let located: Vec<Point> = service
        .location
        .iter()
        .filter_map(|l| match (l.lat, l.lon) {
            (Some(lat), Some(lon)) => Some(Point { lat, lon }),
            _ => gazetteer.municipality(&l.municipality).map(|m| m.point),
        })
        .collect();
    if !located.is_empty() || service.area.nationwide {
        return located;
    }
    service.area.municipalities.iter().filter_map(|m| gazetteer.municipality(m)).map(|m| m.point).collect()
}

/// The point a place is measured from: a municipality's centre. A region has none.
pub fn place_point<'a>(place: Option<&Place>, gazetteer: &'a Gazetteer) -> Option<&'a Municipality> {
    match place {
        Some(Place::Municipality(code)) => gazetteer.municipality(code),
        _ => None,
    }
}

/// Orders `hits` (best first, as the index returns them) for someone at `place`; `topic`
/// weighs each hit's score by how well the service's kinds of help fit what the question is
/// about ([`crate::search::intent::Intent::weight`]): category words are repeated in every
/// service of a category, so BM25 gives them little weight, and this restores it.
pub fn rank(
    hits: &[Hit],
    services: &[&Service],
    place: Option<&Place>,
    topic: &dyn Fn(usize, &Service) -> f32,
    gazetteer: &Gazetteer,
) -> Vec<Ranked> {
    let boosted: Vec<Hit> = hits
        .iter()
        .filter_map(|h| {
            let service = services.get(h.ord)?;
            Some(Hit { ord: h.ord, score: h.score * topic(h.ord, service) })
        })
        .collect();
    let Some(best) = boosted.iter().map(|h| h.score).reduce(f32::max) else { return Vec::new() };
    let from = place_point(place, gazetteer).map(|m| m.point);
    let mut ranked: Vec<Ranked> = boosted
        .iter()
        .filter(|h| h.score >= best * RELEVANCE_FLOOR)
        .filter_map(|h| {
            let service = services.get(h.ord)?;
            let distance_km = from.and_then(|from| {
                service_points(service, gazetteer).into_iter().map(|p| from.distance_km(p)).reduce(f64::min)
            });
            Some(Ranked { ord: h.ord, score: h.score, scope: scope_of(service, place, gazetteer), distance_km })
        })
        .collect();
    ranked.sort_by(|a, b| compare(a, b, best));
    ranked
}

/// Scope first; then how clearly a service matches (three bands, so that near-equal
/// scores do not override distance); then distance; then score.
fn compare(a: &Ranked, b: &Ranked, best: f32) -> Ordering {
    let band = |r: &Ranked| {
        let share = r.score / best;
        if share >= 0.66 {
            0
        } else if share >= 0.4 {
            1
        } else {
            2
        }
    };
    let distance = |r: &Ranked| r.distance_km.unwrap_or(f64::INFINITY);
    a.scope
        .cmp(&b.scope)
        .then(band(a).cmp(&band(b)))
        .then(distance(a).total_cmp(&distance(b)))
        .then(b.score.total_cmp(&a.score))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::knowledge::model::{Area, Location, Status, Text};

    fn gazetteer() -> Gazetteer {
        Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap()
    }

    fn service(id: &str, area: Area, locations: &[&str]) -> Service {
        Service {
            id: id.into(),
            status: Status::Active,
            categories: vec!["debt-counselling".into()],
            name: Text { fi: Some(id.into()), sv: Some(id.into()), en: None },
            summary: Text::default(),
            description: None,
            keywords: Default::default(),
            organization: None,
            area,
            access: Default::default(),
            phone: vec![],
            chat: vec![],
            web: vec![],
            location: locations
                .iter()
                .map(|m| Location {
                    name: None,
                    street: None,
                    postal_code: None,
                    municipality: (*m).into(),
                    lat: None,
                    lon: None,
                    hours: None,
                    walk_in_hours: None,
                    note: None,
                })
                .collect(),
            source: Default::default(),
        }
    }

    fn municipalities(codes: &[&str]) -> Area {
        Area { municipalities: codes.iter().map(|c| (*c).into()).collect(), ..Area::default() }
    }

    fn region(code: &str) -> Area {
        Area { regions: vec![code.into()], ..Area::default() }
    }

    fn nationwide() -> Area {
        Area { nationwide: true, ..Area::default() }
    }

    #[test]
    fn scope_follows_area_and_locations() {
        let g = gazetteer();
        let turku = Place::Municipality("853".into());
        let cases = [
            (service("a", municipalities(&["853"]), &[]), Scope::Local),
            (service("b", region("05"), &["853"]), Scope::Local),
            (service("c", region("05"), &[]), Scope::Regional),
            (service("d", nationwide(), &[]), Scope::National),
            (service("e", municipalities(&["091"]), &[]), Scope::Elsewhere),
            (service("f", region("90"), &[]), Scope::Elsewhere),
        ];
        for (s, want) in cases {
            assert_eq!(scope_of(&s, Some(&turku), &g), want, "{}", s.id);
        }
        // Without a place only nationwide services are known to fit.
        assert_eq!(scope_of(&service("a", municipalities(&["853"]), &[]), None, &g), Scope::Elsewhere);
        assert_eq!(scope_of(&service("d", nationwide(), &[]), None, &g), Scope::National);
        // A region as the place: its regional services, and its towns' services as local.
        let region05 = Place::Region("05".into());
        assert_eq!(scope_of(&service("c", region("05"), &[]), Some(&region05), &g), Scope::Regional);
        assert_eq!(scope_of(&service("a", municipalities(&["853"]), &[]), Some(&region05), &g), Scope::Local);
    }

    #[test]
    fn covering_services_come_first_then_local_regional_national() {
        let g = gazetteer();
        let services = [
            service("national", nationwide(), &[]),
            service("helsinki", municipalities(&["091"]), &[]),
            service("regional", region("05"), &[]),
            service("turku", municipalities(&["853"]), &[]),
        ];
        let refs: Vec<&Service> = services.iter().collect();
        // The index liked the national and the Helsinki service best.
        let hits = [
            Hit { ord: 0, score: 10.0 },
            Hit { ord: 1, score: 9.0 },
            Hit { ord: 2, score: 6.0 },
            Hit { ord: 3, score: 5.0 },
        ];
        let order: Vec<&str> = rank(&hits, &refs, Some(&Place::Municipality("853".into())), &|_, _| 1.0, &g)
            .iter()
            .map(|r| refs[r.ord].id.as_str())
            .collect();
        assert_eq!(order, ["turku", "regional", "national", "helsinki"]);
    }

    #[test]
    fn weak_chance_matches_are_dropped_and_elsewhere_is_ordered_by_distance() {
        let g = gazetteer();
        let services = [
            service("oulu", municipalities(&["564"]), &[]),
            service("espoo", municipalities(&["049"]), &[]),
            service("chance", municipalities(&["853"]), &[]),
        ];
        let refs: Vec<&Service> = services.iter().collect();
        let hits = [Hit { ord: 0, score: 10.0 }, Hit { ord: 1, score: 9.5 }, Hit { ord: 2, score: 1.0 }];
        // Someone in Raasepori: nothing local; Espoo is nearer than Oulu.
        let ranked = rank(&hits, &refs, Some(&Place::Municipality("710".into())), &|_, _| 1.0, &g);
        let order: Vec<&str> = ranked.iter().map(|r| refs[r.ord].id.as_str()).collect();
        assert_eq!(order, ["espoo", "oulu"]);
        assert!(ranked[0].distance_km.unwrap() < 100.0);
        assert!(ranked.iter().all(|r| r.scope == Scope::Elsewhere));
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(rank(&[], &[], None, &|_, _| 1.0, &gazetteer()).is_empty());
    }

    #[test]
    fn the_category_the_question_names_wins_over_a_chance_better_match() {
        let g = gazetteer();
        let mut crisis = service("crisis", nationwide(), &[]);
        crisis.categories = vec!["crisis-help".into()];
        let other = service("other", nationwide(), &[]);
        let refs = [&other, &crisis];
        let hits = [Hit { ord: 0, score: 10.0 }, Hit { ord: 1, score: 7.0 }];
        let order: Vec<&str> = rank(
            &hits,
            &refs,
            None,
            &|_, s: &Service| if s.categories.iter().any(|c| c == "crisis-help") { 2.0 } else { 1.0 },
            &g,
        )
        .iter()
        .map(|r| refs[r.ord].id.as_str())
        .collect();
        assert_eq!(order, ["crisis", "other"]);
    }
}
