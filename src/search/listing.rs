//! Every service of a category for a place, nearest first: the list a social or health
//! professional works from when guiding a client (`lahiapu list`, later `!palvelut`).
//!
//! Unlike an answer it does not search words or cut the list short: it takes every active
//! service of the category that serves the place, local before regional before national,
//! and within each the nearest first. A pure function of the knowledge and the place.

use serde::Serialize;

use super::rank::{Scope, place_point, scope_of, service_points};
use crate::geo::{Gazetteer, Place, PlaceFinder};
use crate::knowledge::model::{Chat, Location, Phone, Text, Web};
use crate::knowledge::{Knowledge, Service};

/// Finds a place by name or code, as a front door's `--place` or a command's argument gives
/// it: "Turku", "Åbo", "853", "08", "Pirkanmaa", or an inflected form such as "Turussa".
pub fn resolve_place(gazetteer: &Gazetteer, places: &PlaceFinder, name: &str) -> Option<Place> {
    if let Some(m) = gazetteer.lookup(name) {
        return Some(Place::Municipality(m.code.clone()));
    }
    if let Some(r) = gazetteer.region(name.trim()) {
        return Some(Place::Region(r.code.clone()));
    }
    places.find(name).into_iter().next().map(|m| m.place)
}

/// One service of a listing.
#[derive(Debug, Clone)]
pub struct Listed<'a> {
    pub service: &'a Service,
    pub scope: Scope,
    /// From the place's centre to the service's nearest location, when both are known.
    pub distance_km: Option<f64>,
}

/// The active services of `category` that serve `place`, local first, then regional, then
/// national; within each the nearest first (those with no location last), then by name.
pub fn list<'a>(knowledge: &'a Knowledge, category: &str, place: &Place) -> Vec<Listed<'a>> {
    let g = &knowledge.gazetteer;
    let from = place_point(Some(place), g).map(|m| m.point);
    let mut out: Vec<Listed<'a>> = knowledge
        .services
        .iter()
        .filter(|s| s.is_active() && s.categories.iter().any(|c| c == category))
        .filter_map(|service| {
            let scope = scope_of(service, Some(place), g);
            let distance_km = from
                .and_then(|from| service_points(service, g).into_iter().map(|p| from.distance_km(p)).reduce(f64::min));
            (scope != Scope::Elsewhere).then_some(Listed { service, scope, distance_km })
        })
        .collect();
    let name = |l: &Listed<'_>| l.service.name.fi.clone().unwrap_or_default();
    out.sort_by(|a, b| {
        a.scope
            .cmp(&b.scope)
            .then(a.distance_km.unwrap_or(f64::INFINITY).total_cmp(&b.distance_km.unwrap_or(f64::INFINITY)))
            .then_with(|| name(a).cmp(&name(b)))
    });
    out
}

/// A listed service as `lahiapu list --json` prints it: every channel, as in the file.
#[derive(Debug, Serialize)]
pub struct ListingItem<'a> {
    pub id: &'a str,
    pub name: &'a Text,
    pub categories: &'a [String],
    pub scope: Scope,
    pub distance_km: Option<f64>,
    pub phone: &'a [Phone],
    pub chat: &'a [Chat],
    pub web: &'a [Web],
    pub email: &'a [String],
    pub location: &'a [Location],
    /// Why the service gives no channel, when it gives none.
    pub reach_note: Option<&'a Text>,
}

impl<'a> From<&Listed<'a>> for ListingItem<'a> {
    fn from(l: &Listed<'a>) -> Self {
        let s = l.service;
        ListingItem {
            id: &s.id,
            name: &s.name,
            categories: &s.categories,
            scope: l.scope,
            distance_km: l.distance_km.map(|d| (d * 10.0).round() / 10.0),
            phone: &s.phone,
            chat: &s.chat,
            web: &s.web,
            email: &s.email,
            location: &s.location,
            reach_note: s.reach_note.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::knowledge::categories::{Categories, CrisisLines};
    use crate::knowledge::model::{Area, Location, Status};

    fn service(id: &str, category: &str, area: Area, town: Option<&str>) -> Service {
        Service {
            id: id.into(),
            categories: vec![category.into()],
            name: Text { fi: Some(id.into()), sv: None, en: None },
            area,
            location: town.map(|t| Location { municipality: t.into(), ..Location::default() }).into_iter().collect(),
            ..Service::default()
        }
    }

    fn knowledge(services: Vec<Service>) -> Knowledge {
        Knowledge {
            services,
            categories: Categories::default(),
            crisis: CrisisLines::default(),
            gazetteer: Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap(),
        }
    }

    #[test]
    fn every_service_that_serves_the_place_local_regional_national_nearest_first() {
        let municipalities =
            |c: &[&str]| Area { municipalities: c.iter().map(|s| (*s).into()).collect(), ..Area::default() };
        let region = |r: &str| Area { regions: vec![r.into()], ..Area::default() };
        let nationwide = Area { nationwide: true, ..Area::default() };
        let mut inactive = service("inactive", "domestic-violence", municipalities(&["853"]), None);
        inactive.status = Status::Inactive;
        let k = knowledge(vec![
            service("line", "domestic-violence", nationwide.clone(), None),
            service("shelter-oulu", "domestic-violence", nationwide.clone(), Some("564")),
            service("shelter-lahti", "domestic-violence", nationwide.clone(), Some("398")),
            service("regional", "domestic-violence", region("05"), None),
            service("raisio", "domestic-violence", municipalities(&["680"]), None),
            service("turku", "domestic-violence", municipalities(&["853"]), None),
            service("helsinki-only", "domestic-violence", municipalities(&["091"]), None),
            service("other-category", "debt-counselling", municipalities(&["853"]), None),
            inactive,
        ]);
        let order = |place: Place| -> Vec<String> {
            list(&k, "domestic-violence", &place).iter().map(|l| l.service.id.clone()).collect()
        };
        assert_eq!(
            order(Place::Municipality("853".into())),
            ["turku", "regional", "shelter-lahti", "shelter-oulu", "line"],
            "Turku: its own service, the region's, then shelters by distance and the national line; not Raisio's or Helsinki's"
        );
        assert_eq!(
            order(Place::Region("05".into())),
            ["raisio", "turku", "regional", "line", "shelter-lahti", "shelter-oulu"],
            "a region: its towns' services too; a region has no centre to measure from, so by name"
        );
        let lahti = list(&k, "domestic-violence", &Place::Municipality("398".into()));
        assert_eq!(lahti[0].service.id, "shelter-lahti");
        assert_eq!(lahti[0].scope, Scope::Local);
        assert!(lahti.iter().all(|l| l.service.id != "turku"));
    }
}
