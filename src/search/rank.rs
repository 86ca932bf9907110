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
///
/// A nationwide service with a location is a place that takes people from anywhere (a
/// shelter): local to its own town, regional in its own region, national elsewhere, where
/// its distance orders it among the other places.
pub fn scope_of(service: &Service, place: Option<&Place>, gazetteer: &Gazetteer) -> Scope {
    let area = &service.area;
    if area.nationwide {
        return located_scope(service, place, gazetteer).unwrap_or(Scope::National);
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

/// Local or regional for a located nationwide service in the asker's town or region.
fn located_scope(service: &Service, place: Option<&Place>, gazetteer: &Gazetteer) -> Option<Scope> {
    let region_of = |code: &str| gazetteer.municipality(code).map(|m| m.region.as_str());
    let towns = || service.location.iter().map(|l| l.municipality.as_str());
    match place? {
        Place::Municipality(code) if towns().any(|t| t == code) => Some(Scope::Local),
        Place::Municipality(code) => {
            let region = region_of(code)?;
            towns().any(|t| region_of(t) == Some(region)).then_some(Scope::Regional)
        }
        Place::Region(region) => towns().any(|t| region_of(t) == Some(region.as_str())).then_some(Scope::Local),
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
    reachable_first(one_place_elsewhere(ranked, services), services)
}

/// The service behind a ranked hit.
fn service_of<'a>(r: &Ranked, services: &[&'a Service]) -> Option<&'a Service> {
    services.get(r.ord).copied()
}

/// Places elsewhere that take people from anywhere (a nationwide service with a location in
/// another region: a shelter) would otherwise stand, best match first, between the asker's
/// own help and the national lines. When no place of the same kind covers the asker, the
/// nearest of them (of the best-matching place's kinds of help) takes the best one's spot;
/// the others follow the national lines, so that one shelter, the nearest, not three, stands
/// between a resident of a town without a shelter and the lines that always answer.
pub fn one_place_elsewhere(ranked: Vec<Ranked>, services: &[&Service]) -> Vec<Ranked> {
    let categories = |r: &Ranked| service_of(r, services).map(|s| s.categories.as_slice()).unwrap_or_default();
    let is_place = |r: &Ranked| service_of(r, services).is_some_and(|s| !s.location.is_empty());
    // Without the asker's place there is no nearest: all such places follow the lines.
    let elsewhere: Vec<bool> = ranked.iter().map(|r| r.scope == Scope::National && is_place(r)).collect();
    let covered: Vec<&String> = ranked
        .iter()
        .filter(|r| matches!(r.scope, Scope::Local | Scope::Regional) && is_place(r))
        .flat_map(&categories)
        .collect();
    let best = (0..ranked.len()).find(|&i| {
        elsewhere[i] && ranked[i].distance_km.is_some() && !categories(&ranked[i]).iter().any(|c| covered.contains(&c))
    });
    let nearest = best.and_then(|b| {
        let kinds = categories(&ranked[b]);
        (0..ranked.len())
            .filter(|&i| elsewhere[i] && categories(&ranked[i]).iter().any(|c| kinds.contains(c)))
            .min_by(|&a, &b| distance(&ranked[a]).total_cmp(&distance(&ranked[b])))
    });
    let mut slots: Vec<Option<Ranked>> = ranked.into_iter().map(Some).collect();
    let mut chosen = nearest.and_then(|i| slots[i].take());
    let (mut out, mut later) = (Vec::with_capacity(slots.len()), Vec::new());
    for (i, slot) in slots.into_iter().enumerate() {
        if Some(i) == best
            && let Some(c) = chosen.take()
        {
            out.push(c);
        }
        match slot {
            Some(r) if elsewhere[i] => later.push(r),
            Some(r) => out.push(r),
            None => {}
        }
    }
    let at = out.iter().position(|r| r.scope == Scope::Elsewhere).unwrap_or(out.len());
    out.splice(at..at, later);
    out
}

fn distance(r: &Ranked) -> f64 {
    r.distance_km.unwrap_or(f64::INFINITY)
}

/// A service that gives no channel (its file says `reach = "none-published"`) is never the
/// first result when a reachable one of the same category covers the asker: the first such
/// one moves to the front. One that neither can be contacted nor serves the asker's place
/// helps no one, so it goes last. Everything else keeps its order.
pub fn reachable_first(ranked: Vec<Ranked>, services: &[&Service]) -> Vec<Ranked> {
    let reachable = |r: &Ranked| service_of(r, services).is_some_and(Service::is_reachable);
    let (mut ranked, dead_ends): (Vec<Ranked>, Vec<Ranked>) =
        ranked.into_iter().partition(|r| r.scope != Scope::Elsewhere || reachable(r));
    ranked.extend(dead_ends);
    let Some(first) = ranked.first().and_then(|r| service_of(r, services)) else { return ranked };
    if first.is_reachable() {
        return ranked;
    }
    let better = ranked.iter().position(|r| {
        r.scope != Scope::Elsewhere
            && service_of(r, services)
                .is_some_and(|s| s.is_reachable() && s.categories.iter().any(|c| first.categories.contains(c)))
    });
    if let Some(i) = better {
        ranked[..=i].rotate_right(1);
    }
    ranked
}

/// A question about two problems gets help for both: when none of the first `shown` ranked
/// services is of the second problem's `category` and serves the asker's place, `extra` (its
/// best service) takes the last of those places. The order is kept otherwise.
pub fn with_second_problem(
    mut ranked: Vec<Ranked>,
    extra: Ranked,
    category: &str,
    services: &[&Service],
    shown: usize,
) -> Vec<Ranked> {
    // One for another place does not count: it does not serve the asker.
    let of_kind = |r: &Ranked| {
        r.scope != Scope::Elsewhere
            && service_of(r, services).is_some_and(|s| s.categories.iter().any(|c| c == category))
    };
    if ranked.iter().take(shown).any(of_kind) {
        return ranked;
    }
    ranked.retain(|r| r.ord != extra.ord);
    let at = ranked.len().min(shown - 1);
    ranked.insert(at, extra);
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
    use crate::knowledge::model::{Area, Location, Status, Text, Web};

    fn gazetteer() -> Gazetteer {
        Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap()
    }

    fn service(id: &str, area: Area, locations: &[&str]) -> Service {
        Service {
            id: id.into(),
            status: Status::Active,
            categories: vec!["debt-counselling".into()],
            name: Text { fi: Some(id.into()), sv: Some(id.into()), en: None },
            area,
            location: locations.iter().map(|m| Location { municipality: (*m).into(), ..Location::default() }).collect(),
            ..Service::default()
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
    fn a_second_problem_gets_the_last_shown_place_unless_one_of_its_kind_is_shown() {
        let mut services: Vec<Service> = ["divorce-1", "divorce-2", "divorce-3", "substance"]
            .iter()
            .map(|id| service(id, nationwide(), &[]))
            .collect();
        for s in &mut services[..3] {
            s.categories = vec!["divorce-support".into()];
        }
        services[3].categories = vec!["substance-abuse".into()];
        let refs: Vec<&Service> = services.iter().collect();
        let ranked = |ords: &[usize]| -> Vec<Ranked> {
            ords.iter().map(|&ord| Ranked { ord, score: 1.0, scope: Scope::National, distance_km: None }).collect()
        };
        let ids = |r: Vec<Ranked>| r.iter().map(|r| refs[r.ord].id.clone()).collect::<Vec<_>>();
        let extra = ranked(&[3]).remove(0);
        let mixed = with_second_problem(ranked(&[0, 1, 2, 3]), extra.clone(), "substance-abuse", &refs, 3);
        assert_eq!(ids(mixed), ["divorce-1", "divorce-2", "substance", "divorce-3"]);
        let short = with_second_problem(ranked(&[0]), extra.clone(), "substance-abuse", &refs, 3);
        assert_eq!(ids(short), ["divorce-1", "substance"]);
        // Already shown: nothing moves.
        let shown = with_second_problem(ranked(&[0, 3, 1, 2]), extra, "substance-abuse", &refs, 3);
        assert_eq!(ids(shown), ["divorce-1", "substance", "divorce-2", "divorce-3"]);
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

    /// A shelter: nationwide (it takes people from anywhere) with its town as its location.
    fn shelter(id: &str, town: &str) -> Service {
        let mut s = service(id, nationwide(), &[town]);
        s.categories = vec!["domestic-violence".into()];
        s
    }

    fn reachable(mut s: Service) -> Service {
        s.web.push(Web { url: Text { fi: Some(format!("https://example.org/{}", s.id)), sv: None, en: None } });
        s
    }

    fn ids(ranked: &[Ranked], refs: &[&Service]) -> Vec<String> {
        ranked.iter().map(|r| refs[r.ord].id.clone()).collect()
    }

    #[test]
    fn a_place_that_takes_anyone_is_local_in_its_town_regional_in_its_region_national_elsewhere() {
        let g = gazetteer();
        let tampere = shelter("tampere", "837");
        let cases = [
            (Place::Municipality("837".into()), Scope::Local),    // Tampere
            (Place::Municipality("536".into()), Scope::Regional), // Nokia, Pirkanmaa
            (Place::Region("08".into()), Scope::Local),
            (Place::Municipality("285".into()), Scope::National), // Kotka
        ];
        for (place, want) in cases {
            assert_eq!(scope_of(&tampere, Some(&place), &g), want, "{place:?}");
        }
        assert_eq!(scope_of(&tampere, None, &g), Scope::National);
    }

    #[test]
    fn a_resident_of_a_town_without_a_shelter_sees_the_nearest_one_then_the_national_lines() {
        let g = gazetteer();
        let services = [
            reachable(shelter("helsinki", "091")),
            reachable(shelter("lahti", "398")),
            reachable(shelter("oulu", "564")),
            reachable(Service { categories: vec!["domestic-violence".into()], ..service("line", nationwide(), &[]) }),
            reachable(Service {
                categories: vec!["domestic-violence".into()],
                ..service("turku-only", municipalities(&["853"]), &[])
            }),
        ];
        let refs: Vec<&Service> = services.iter().collect();
        let hits: Vec<Hit> = (0..refs.len()).map(|ord| Hit { ord, score: 10.0 }).collect();
        // (asker's town, expected order)
        let cases: [(&str, &[&str]); 4] = [
            // Kotka has no shelter: the nearest (Lahti) first, the line, then the farther ones.
            ("285", &["lahti", "line", "helsinki", "oulu", "turku-only"]),
            // In Helsinki the town's own shelter covers the asker: the others follow the line.
            ("091", &["helsinki", "line", "lahti", "oulu", "turku-only"]),
            // Nokia (Pirkanmaa, no shelter here): Lahti is nearer than Helsinki.
            ("536", &["lahti", "line", "helsinki", "oulu", "turku-only"]),
            // In Turku a local (non-shelter) service comes first; the nearest shelter next.
            ("853", &["turku-only", "helsinki", "line", "lahti", "oulu"]),
        ];
        for (town, want) in cases {
            let ranked = rank(&hits, &refs, Some(&Place::Municipality(town.into())), &|_, _| 1.0, &g);
            assert_eq!(ids(&ranked, &refs), want, "asker in {town}");
        }
        // Without the asker's place there is no nearest shelter: the lines come first.
        let ranked = rank(&hits, &refs, None, &|_, _| 1.0, &g);
        assert_eq!(ids(&ranked, &refs)[0], "line");
        // Nearness, not the closeness of the match, picks the one shelter shown first: Oulu's
        // text matched best, Lahti is nearest to Kotka.
        let hits = [Hit { ord: 2, score: 10.0 }, Hit { ord: 3, score: 8.0 }, Hit { ord: 1, score: 4.5 }];
        let ranked = rank(&hits, &refs, Some(&Place::Municipality("285".into())), &|_, _| 1.0, &g);
        assert_eq!(ids(&ranked, &refs), ["lahti", "line", "oulu"]);
    }

    #[test]
    fn an_unreachable_service_never_comes_first_when_a_reachable_one_of_its_category_covers_the_asker() {
        let g = gazetteer();
        let turku = Place::Municipality("853".into());
        let mut other_category = reachable(service("other-category", nationwide(), &[]));
        other_category.categories = vec!["crisis-help".into()];
        let services = [
            service("local-unreachable", municipalities(&["853"]), &[]),
            other_category,
            reachable(service("national-reachable", nationwide(), &[])),
            reachable(service("helsinki-reachable", municipalities(&["091"]), &[])),
        ];
        let refs: Vec<&Service> = services.iter().collect();
        let hit = |ord| Hit { ord, score: 10.0 };
        // (hits, expected order)
        let cases: [(Vec<Hit>, &[&str]); 3] = [
            // The national reachable one of the same category moves to the front.
            (
                vec![hit(0), hit(1), hit(2), hit(3)],
                &["national-reachable", "local-unreachable", "other-category", "helsinki-reachable"],
            ),
            // A reachable one of another category, or one that does not cover Turku, does not.
            (vec![hit(0), hit(1), hit(3)], &["local-unreachable", "other-category", "helsinki-reachable"]),
            // A reachable first result stays first.
            (vec![hit(1), hit(2)], &["other-category", "national-reachable"]),
        ];
        // Helsinki's unreachable service, for someone in Turku: it serves them no more than
        // it can be contacted, so it goes last.
        let mut dead_end = service("helsinki-unreachable", municipalities(&["091"]), &[]);
        dead_end.categories = vec!["crisis-help".into()];
        let more = [dead_end, reachable(service("oulu-reachable", municipalities(&["564"]), &[]))];
        let refs2: Vec<&Service> = more.iter().collect();
        let both = [Hit { ord: 0, score: 10.0 }, Hit { ord: 1, score: 9.0 }];
        assert_eq!(
            ids(&rank(&both, &refs2, Some(&turku), &|_, _| 1.0, &g), &refs2),
            ["oulu-reachable", "helsinki-unreachable"]
        );
        for (hits, want) in &cases {
            assert_eq!(ids(&rank(hits, &refs, Some(&turku), &|_, _| 1.0, &g), &refs), *want);
        }
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
