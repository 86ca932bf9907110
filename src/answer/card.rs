//! The lines of one service: its name, then how to reach it, then where it is and what it
//! costs, then its other channels. Replies, service cards (`!palvelu`) and listings for
//! professionals (`lahiapu list`, `!palvelut`) all show a service this way.
//!
//! The line right after the name always says how to get in touch: a phone (open or closed
//! now), a chat, a place to walk in, an e-mail address, or, when only a web page is known,
//! that web page and plainly that nothing else is; a service with no channel says so and
//! where to turn instead. A resident should never have to scroll to find out whom to call.

use chrono::DateTime;
use chrono_tz::Tz;

use super::{Inline, hours, marked, place_name, text};
use crate::geo::Place;
use crate::i18n::Locales;
use crate::knowledge::Knowledge;
use crate::knowledge::model::{Chat, Location, Phone, Service};
use crate::lang::Lang;
use crate::search::Scope;

/// How many phone numbers of one service a reply lists.
const REPLY_PHONES: usize = 2;

/// How much of a service a text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// A reply: two phones and one of each other kind of channel.
    Reply,
    /// A service card or a listing: every channel.
    Full,
}

/// What showing a service needs besides the service.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub lang: Lang,
    /// Now, for "open now".
    pub now: DateTime<Tz>,
    pub knowledge: &'a Knowledge,
    pub locales: &'a Locales,
}

impl View<'_> {
    fn t(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.locales.text(self.lang, id, args)
    }

    fn status(&self, hours: Option<&str>) -> Option<String> {
        let status = hours::status(hours?, self.now)?;
        Some(hours::describe(status, self.now, self.lang, self.locales))
    }
}

/// The service's lines: name and summary; how to reach it; where it is (`place`, when
/// known) and its badges; its other channels.
pub(super) fn lines(service: &Service, place: Option<String>, view: &View<'_>, detail: Detail) -> Vec<Vec<Inline>> {
    let lang = view.lang;
    let mut out = Vec::new();
    let (name, _) = service.name.best(lang).unwrap_or((service.id.as_str(), lang));
    let mut first = vec![Inline::Bold(name.to_owned())];
    if let Some(summary) = service.summary.best(lang) {
        first.push(text(format!(" – {}", marked(summary, lang, view.locales))));
    }
    out.push(first);

    let mut channels = channel_lines(service, view, detail);
    out.push(if channels.is_empty() { no_channel_line(service, view) } else { channels.remove(0) });

    let mut facts: Vec<String> = place.into_iter().collect();
    if service.area.nationwide && !service.location.is_empty() {
        facts.push(view.t("badge-anywhere", &[]));
    }
    let access = &service.access;
    for (flag, id) in [
        (access.free, "badge-free"),
        (access.anonymous, "badge-anonymous"),
        (access.referral_needed.map(|r| !r), "badge-no-referral"),
        (access.referral_needed, "badge-referral"),
        (access.walk_in, "badge-walk-in"),
    ] {
        if flag == Some(true) {
            facts.push(view.t(id, &[]));
        }
    }
    if !facts.is_empty() {
        out.push(vec![text(facts.join(" · "))]);
    }
    out.extend(channels);
    out
}

/// Every channel as a line, best first: phones (those in the asker's language first), chats,
/// places to visit, e-mail, web pages. When the web is all there is, its line says so.
fn channel_lines(service: &Service, view: &View<'_>, detail: Detail) -> Vec<Vec<Inline>> {
    let lang = view.lang;
    let some = |n: usize| if detail == Detail::Full { usize::MAX } else { n };
    let mut out = Vec::new();
    let (mine, others): (Vec<&Phone>, Vec<&Phone>) = service.phone.iter().partition(|p| serves(p, lang));
    let phones: Vec<&Phone> =
        if detail == Detail::Full || mine.is_empty() { mine.into_iter().chain(others).collect() } else { mine };
    for phone in phones.into_iter().take(some(REPLY_PHONES)) {
        let mut line = vec![text(view.t("channel-phone", &[("number", &phone.number)]))];
        line.extend(phone_details(phone, view));
        out.push(line);
    }
    for chat in service.chat.iter().take(some(1)) {
        out.push(chat_line(chat, view));
    }
    for location in service.location.iter().filter(|l| l.is_visitable()).take(some(1)) {
        out.push(location_line(location, view));
    }
    for address in service.email.iter().take(some(1)) {
        out.push(vec![text(format!("{}: {address}", view.t("channel-email", &[])))]);
    }
    let webs: Vec<&str> = service.web.iter().filter_map(|w| w.url.best(lang).map(|(u, _)| u)).collect();
    let only_web = out.is_empty();
    for url in webs.into_iter().take(some(1)) {
        let label = if only_web { "channel-web-only" } else { "channel-web" };
        out.push(vec![text(format!("{}: ", view.t(label, &[]))), Inline::Link(url.to_owned())]);
    }
    out
}

/// "No contact details are published" and the file's note on where to turn instead.
fn no_channel_line(service: &Service, view: &View<'_>) -> Vec<Inline> {
    let mut line = vec![text(view.t("channel-none", &[]))];
    if let Some(note) = service.reach_note.as_ref().and_then(|n| n.best(view.lang)) {
        line.push(text(format!(" {}", marked(note, view.lang, view.locales))));
    }
    line
}

fn chat_line(chat: &Chat, view: &View<'_>) -> Vec<Inline> {
    let mut line = vec![text(view.t("channel-chat", &[]))];
    if let Some(status) = view.status(chat.hours.as_deref()) {
        line.push(text(format!(" ({status})")));
    }
    line.push(text(": "));
    line.push(Inline::Link(chat.url.clone()));
    if let Some(note) = chat.note.as_ref().and_then(|n| n.best(view.lang)) {
        line.push(text(format!(" – {}", marked(note, view.lang, view.locales))));
    }
    line
}

fn location_line(location: &Location, view: &View<'_>) -> Vec<Inline> {
    let lang = view.lang;
    let town = view.knowledge.gazetteer.municipality(&location.municipality).map(|m| match lang {
        Lang::Sv => m.name_sv.as_str(),
        _ => m.name_fi.as_str(),
    });
    let name = location.name.as_ref().and_then(|n| n.best(lang)).map(|(n, _)| n);
    let street: Vec<&str> =
        [location.street.as_deref(), location.postal_code.as_deref(), town].into_iter().flatten().collect();
    let address: Vec<String> = name.map(str::to_owned).into_iter().chain([street.join(" ")]).collect();
    let mut line = vec![text(format!("{}: {}", view.t("channel-visit", &[]), address.join(", ")))];
    let hours = location.walk_in_hours.as_deref().or(location.hours.as_deref());
    if let Some(status) = view.status(hours) {
        let walk_in = if location.walk_in_hours.is_some() {
            format!("{}, ", view.t("channel-walk-in", &[]))
        } else {
            String::new()
        };
        line.push(text(format!(" ({walk_in}{status})")));
    }
    if let Some(note) = location.note.as_ref().and_then(|n| n.best(lang)) {
        line.push(text(format!(" – {}", marked(note, lang, view.locales))));
    }
    line
}

pub(super) fn serves(phone: &Phone, lang: Lang) -> bool {
    phone.languages.is_empty() || phone.languages.iter().any(|l| l == lang.code())
}

/// " (always open) (in Finnish) – note", the status, language and note of a phone.
pub(super) fn phone_details(phone: &Phone, view: &View<'_>) -> Vec<Inline> {
    let mut out = Vec::new();
    if let Some(status) = view.status(phone.hours.as_deref()) {
        out.push(text(format!(" ({status})")));
    }
    if !serves(phone, view.lang)
        && let Some(marker) = phone.languages.first().and_then(|l| super::language_marker(l, view.locales, view.lang))
    {
        out.push(text(format!(" {marker}")));
    }
    if let Some(note) = phone.note.as_ref().and_then(|n| n.best(view.lang)) {
        out.push(text(format!(" – {}", marked(note, view.lang, view.locales))));
    }
    out
}

/// Where a service is, relative to the asker: "Turku", "your welfare region", "all of
/// Finland", "Lahti, about 90 km". A place that takes people from anywhere is named by its
/// town (and distance) wherever the asker is; `asker_has_place` says whether a distance
/// means anything.
pub(super) fn scope_label(
    service: &Service,
    scope: Scope,
    distance_km: Option<f64>,
    asker_has_place: bool,
    view: &View<'_>,
) -> Option<String> {
    let town = town_of(service, view);
    let with_km = |place: String| match distance_km {
        Some(km) if asker_has_place && km >= 1.0 => {
            view.t("scope-elsewhere-km", &[("place", &place), ("km", &format!("{km:.0}"))])
        }
        _ => view.t("scope-elsewhere", &[("place", &place)]),
    };
    let place_that_takes_anyone = service.area.nationwide && !service.location.is_empty();
    match scope {
        Scope::Local => town.map(|place| view.t("scope-local", &[("place", &place)])),
        Scope::National | Scope::Regional if place_that_takes_anyone => town.map(with_km),
        Scope::National => Some(view.t("scope-national", &[])),
        Scope::Regional => Some(view.t("scope-regional", &[])),
        Scope::Elsewhere => {
            let place = town.or_else(|| {
                service.area.regions.first().map(|r| place_name(&Place::Region(r.clone()), view.lang, view.knowledge))
            })?;
            Some(with_km(place))
        }
    }
}

/// What a service covers, for a card shown without an asker's place: "all of Finland",
/// "Varsinais-Suomi", "Turku, Raisio", or a shelter's town.
pub(super) fn area_label(service: &Service, view: &View<'_>) -> Option<String> {
    let area = &service.area;
    if area.nationwide {
        return Some(match town_of(service, view) {
            Some(town) => view.t("scope-local", &[("place", &town)]),
            None => view.t("scope-national", &[]),
        });
    }
    let names: Vec<String> = area
        .regions
        .iter()
        .map(|r| Place::Region(r.clone()))
        .chain(area.municipalities.iter().map(|m| Place::Municipality(m.clone())))
        .map(|p| place_name(&p, view.lang, view.knowledge))
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| view.t("scope-local", &[("place", &names.join(", "))]))
}

/// The town of a service: its first location's, or its first municipality's.
fn town_of(service: &Service, view: &View<'_>) -> Option<String> {
    let code = service.location.first().map(|l| l.municipality.as_str()).or(service
        .area
        .municipalities
        .first()
        .map(String::as_str))?;
    view.knowledge.gazetteer.municipality(code)?;
    Some(place_name(&Place::Municipality(code.to_owned()), view.lang, view.knowledge))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::TimeZone;

    use super::*;
    use crate::geo::Gazetteer;
    use crate::knowledge::categories::{Categories, CrisisLines};
    use crate::knowledge::model::{Area, Text, Web};

    fn knowledge() -> Knowledge {
        Knowledge {
            services: vec![],
            categories: Categories::default(),
            crisis: CrisisLines::default(),
            gazetteer: Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap(),
        }
    }

    fn text_of(lines: &[Vec<Inline>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.iter()
                    .map(|i| match i {
                        Inline::Text(s) | Inline::Bold(s) | Inline::Link(s) => s.as_str(),
                    })
                    .collect()
            })
            .collect()
    }

    fn fi(s: &str) -> Text {
        Text { fi: Some(s.into()), sv: None, en: None }
    }

    fn phone(number: &str, hours: Option<&str>) -> Phone {
        Phone { number: number.into(), hours: hours.map(str::to_owned), languages: vec![], note: None }
    }

    #[test]
    fn the_line_after_the_name_says_how_to_reach_the_service() {
        let k = knowledge();
        let l = Locales::new().unwrap();
        // Monday 23 November 2026 at noon.
        let now = chrono_tz::Europe::Helsinki.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let view = View { lang: Lang::Fi, now, knowledge: &k, locales: &l };
        let base =
            Service { name: fi("Palvelu"), area: Area { nationwide: true, ..Area::default() }, ..Service::default() };
        let web = Web { url: fi("https://example.org/") };
        let street = Location {
            street: Some("Kousankatu 1".into()),
            municipality: "853".into(),
            hours: Some("Mo-Fr 10:00-14:00".into()),
            ..Location::default()
        };
        // (service, the second line)
        let cases = [
            (
                Service {
                    phone: vec![phone("09 2525 0111", Some("Mo-Fr 09:00-15:00"))],
                    web: vec![web.clone()],
                    ..base.clone()
                },
                "Puhelin 09 2525 0111 (auki nyt, sulkeutuu klo 15.00)",
            ),
            (
                Service {
                    chat: vec![Chat {
                        url: "https://example.org/chat".into(),
                        hours: None,
                        languages: vec![],
                        note: None,
                    }],
                    web: vec![web.clone()],
                    ..base.clone()
                },
                "Chat: https://example.org/chat",
            ),
            (
                Service { location: vec![street], web: vec![web.clone()], ..base.clone() },
                "Käyntiosoite: Kousankatu 1 Turku (auki nyt, sulkeutuu klo 14.00)",
            ),
            (
                Service { web: vec![web.clone()], ..base.clone() },
                "Vain verkkosivu, puhelinta tai osoitetta ei ole tiedossa: https://example.org/",
            ),
            (
                Service { reach_note: Some(fi("Soita Nollalinjaan.")), ..base.clone() },
                "Yhteystietoja ei ole julkaistu. Soita Nollalinjaan.",
            ),
        ];
        for (service, want) in cases {
            let lines = text_of(&lines(&service, None, &view, Detail::Reply));
            assert_eq!(lines[0], "Palvelu");
            assert_eq!(lines[1], want);
        }
    }

    #[test]
    fn a_reply_lists_two_phones_a_card_every_channel() {
        let k = knowledge();
        let l = Locales::new().unwrap();
        let view = View {
            lang: Lang::Sv,
            now: chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki),
            knowledge: &k,
            locales: &l,
        };
        let service = Service {
            name: fi("Linja"),
            phone: vec![phone("09 2525 0111", None), phone("09 2525 0112", None), phone("09 2525 0113", None)],
            web: vec![Web { url: fi("https://example.org/a") }, Web { url: fi("https://example.org/b") }],
            email: vec!["info@example.org".into()],
            ..Service::default()
        };
        let reply = text_of(&lines(&service, None, &view, Detail::Reply));
        assert_eq!(reply.iter().filter(|l| l.starts_with("Telefon")).count(), 2, "{reply:?}");
        assert_eq!(reply.iter().filter(|l| l.starts_with("På webben")).count(), 1, "{reply:?}");
        let card = text_of(&lines(&service, None, &view, Detail::Full));
        assert_eq!(card.iter().filter(|l| l.starts_with("Telefon")).count(), 3, "{card:?}");
        assert_eq!(card.iter().filter(|l| l.starts_with("På webben")).count(), 2, "{card:?}");
        assert!(card.contains(&"E-post: info@example.org".to_owned()), "{card:?}");
        assert!(card[0].starts_with("Linja"), "the Finnish name stands in for a missing Swedish one");
    }
}
