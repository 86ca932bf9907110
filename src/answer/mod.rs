//! Composing the reply: crisis lines first, then up to three services with how to reach
//! them, then a footer; in the asker's language, as plain text and as safe HTML.
//!
//! The reply is built once as a small document ([`Block`]s of [`Inline`]s) and rendered
//! twice, so the plain and the HTML body always say the same. Every text is escaped in the
//! HTML rendering, whatever its origin; links are only the http(s) URLs the validator
//! accepted in `knowledge/`.

pub mod hours;

use chrono::DateTime;
use chrono_tz::Tz;

use crate::geo::Place;
use crate::i18n::Locales;
use crate::knowledge::Knowledge;
use crate::knowledge::model::{Phone, Service};
use crate::lang::Lang;
use crate::safety::Crisis;
use crate::search::{Ranked, Scope};

/// How many services a reply lists.
pub const MAX_SERVICES: usize = 3;
/// How many phone numbers of one service a reply lists.
const MAX_PHONES: usize = 2;

/// A reply in both renderings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub plain: String,
    pub html: String,
}

/// What the reply is about.
pub struct Input<'a> {
    pub lang: Lang,
    pub crisis: Crisis,
    pub confident: bool,
    pub place: Option<&'a Place>,
    /// The ranked services, best first, with the services themselves.
    pub results: &'a [(&'a Service, Ranked)],
    /// Now, for "open now".
    pub now: DateTime<Tz>,
    /// The question is about something that is not ours (a library, a bus): an unconfident
    /// reply says so and what the bot does know.
    pub not_ours: bool,
    /// A line asking which municipality an ambiguous place name means (instead of asking for
    /// the place in general).
    pub ask_place: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Inline {
    Text(String),
    Bold(String),
    Link(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Para(Vec<Inline>),
    /// A numbered list; each item has a first line and further lines.
    List(Vec<Vec<Vec<Inline>>>),
    /// A bulleted list of single lines.
    Bullets(Vec<Vec<Inline>>),
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// Composes the reply.
pub fn compose(input: &Input<'_>, knowledge: &Knowledge, locales: &Locales) -> Reply {
    let lang = input.lang;
    let t = |id: &str, args: &[(&str, &str)]| locales.text(lang, id, args);
    let mut blocks = Vec::new();

    if input.crisis.any() {
        blocks.push(Block::Para(vec![Inline::Bold(t("crisis-emergency", &[]))]));
        if input.crisis.violence {
            blocks.push(Block::Para(vec![text(t("crisis-violence", &[]))]));
        }
        let lines = crisis_lines(input, knowledge, locales);
        if !lines.is_empty() {
            blocks.push(Block::Para(vec![text(t("crisis-lines", &[]))]));
            blocks.push(Block::Bullets(lines));
        }
    }

    let shown: Vec<&(&Service, Ranked)> = input.results.iter().take(MAX_SERVICES).collect();
    if input.confident && !shown.is_empty() {
        if input.crisis.any() {
            blocks.push(Block::Para(vec![text(t("crisis-not-alone", &[]))]));
        }
        let place_name = input.place.map(|p| place_name(p, lang, knowledge));
        let heading = match (input.place, &place_name) {
            (Some(Place::Municipality(_)), Some(name)) => t("results-for-place", &[("place", name)]),
            (Some(Place::Region(_)), Some(name)) => t("results-for-region", &[("place", name)]),
            _ => t("results-national", &[]),
        };
        blocks.push(Block::Para(vec![Inline::Bold(heading)]));
        let covers = shown.iter().any(|(_, r)| matches!(r.scope, Scope::Local | Scope::Regional));
        if let (Some(name), false) = (&place_name, covers) {
            blocks.push(Block::Para(vec![text(t("results-none-near", &[("place", name)]))]));
        }
        let items =
            shown.iter().map(|(service, ranked)| service_item(service, ranked, input, knowledge, locales)).collect();
        blocks.push(Block::List(items));
        if let Some(line) = &input.ask_place {
            blocks.push(Block::Para(vec![text(line.clone())]));
        } else if input.place.is_none() && shown.iter().any(|(_, r)| r.scope == Scope::Elsewhere) {
            blocks.push(Block::Para(vec![text(t("results-ask-place", &[]))]));
        }
    } else if !input.crisis.any() {
        blocks.push(Block::Para(vec![text(t(if input.not_ours { "not-ours" } else { "not-understood" }, &[]))]));
        if let Some(line) = &input.ask_place {
            blocks.push(Block::Para(vec![text(line.clone())]));
        }
    }
    // How to reach a person, in every reply: the services above, and a line that always
    // answers (a crisis reply has listed it already).
    if !input.crisis.any()
        && let Some(offer) = offer_human(knowledge, lang, locales)
    {
        blocks.push(Block::Para(vec![text(offer)]));
    }
    blocks.push(Block::Para(vec![text(t("footer", &[]))]));
    Reply { plain: render_plain(&blocks), html: render_html(&blocks) }
}

/// The phones of the crisis lines for the kinds of danger detected: those that serve the
/// asker's language and those open around the clock.
fn crisis_lines(input: &Input<'_>, knowledge: &Knowledge, locales: &Locales) -> Vec<Vec<Inline>> {
    let mut ids: Vec<&String> = Vec::new();
    if input.crisis.violence {
        ids.extend(&knowledge.crisis.violence);
    }
    if input.crisis.self_harm {
        ids.extend(&knowledge.crisis.self_harm);
    }
    ids.dedup();
    let mut lines = Vec::new();
    for service in ids.into_iter().filter_map(|id| knowledge.service(id)) {
        let (name, _) = service.name.best(input.lang).unwrap_or((service.id.as_str(), input.lang));
        let phones =
            service.phone.iter().filter(|p| serves(p, input.lang) || p.hours.as_deref().map(str::trim) == Some("24/7"));
        for phone in phones {
            let mut line = vec![Inline::Bold(format!("{name}: {}", phone.number))];
            line.extend(phone_details(phone, input, locales));
            lines.push(line);
        }
    }
    lines
}

fn serves(phone: &Phone, lang: Lang) -> bool {
    phone.languages.is_empty() || phone.languages.iter().any(|l| l == lang.code())
}

/// " (always open) – note", the status and note of a phone.
fn phone_details(phone: &Phone, input: &Input<'_>, locales: &Locales) -> Vec<Inline> {
    let mut out = Vec::new();
    if let Some(status) = phone.hours.as_deref().and_then(|h| hours::status(h, input.now)) {
        out.push(text(format!(" ({})", hours::describe(status, input.now, input.lang, locales))));
    }
    if !serves(phone, input.lang)
        && let Some(marker) = phone.languages.first().and_then(|l| language_marker(l, locales, input.lang))
    {
        out.push(text(format!(" {marker}")));
    }
    if let Some(note) = phone.note.as_ref().and_then(|n| n.best(input.lang)) {
        out.push(text(format!(" – {}", marked(note, input.lang, locales))));
    }
    out
}

fn service_item(
    service: &Service,
    ranked: &Ranked,
    input: &Input<'_>,
    knowledge: &Knowledge,
    locales: &Locales,
) -> Vec<Vec<Inline>> {
    let lang = input.lang;
    let t = |id: &str, args: &[(&str, &str)]| locales.text(lang, id, args);
    let mut lines = Vec::new();

    let (name, _) = service.name.best(lang).unwrap_or((service.id.as_str(), lang));
    let mut first = vec![Inline::Bold(name.to_owned())];
    if let Some(summary) = service.summary.best(lang) {
        first.push(text(format!(" – {}", marked(summary, lang, locales))));
    }
    lines.push(first);

    let mut facts = Vec::new();
    if let Some(scope) = scope_label(service, ranked, input, knowledge, locales) {
        facts.push(scope);
    }
    let access = &service.access;
    for (flag, id) in [
        (access.free, "badge-free"),
        (access.anonymous, "badge-anonymous"),
        (access.referral_needed.map(|r| !r), "badge-no-referral"),
        (access.walk_in, "badge-walk-in"),
    ] {
        if flag == Some(true) {
            facts.push(t(id, &[]));
        }
    }
    if !facts.is_empty() {
        lines.push(vec![text(facts.join(" · "))]);
    }

    let mut phones: Vec<&Phone> = service.phone.iter().filter(|p| serves(p, lang)).collect();
    if phones.is_empty() {
        phones = service.phone.iter().collect();
    }
    for phone in phones.into_iter().take(MAX_PHONES) {
        let mut line = vec![text(t("channel-phone", &[("number", &phone.number)]))];
        line.extend(phone_details(phone, input, locales));
        lines.push(line);
    }
    if let Some(chat) = service.chat.first() {
        let mut line = vec![text(t("channel-chat", &[]))];
        if let Some(status) = chat.hours.as_deref().and_then(|h| hours::status(h, input.now)) {
            line.push(text(format!(" ({})", hours::describe(status, input.now, lang, locales))));
        }
        line.push(text(": "));
        line.push(Inline::Link(chat.url.clone()));
        lines.push(line);
    }
    if let Some((url, _)) = service.web.iter().find_map(|w| w.url.best(lang)) {
        lines.push(vec![text(format!("{}: ", t("channel-web", &[]))), Inline::Link(url.to_owned())]);
    }
    for location in service.location.iter().take(1) {
        let town = knowledge.gazetteer.municipality(&location.municipality).map(|m| match lang {
            Lang::Sv => m.name_sv.as_str(),
            _ => m.name_fi.as_str(),
        });
        let address: Vec<&str> =
            [location.street.as_deref(), location.postal_code.as_deref(), town].into_iter().flatten().collect();
        let mut line = vec![text(format!("{}: {}", t("channel-visit", &[]), address.join(" ")))];
        let hours = location.walk_in_hours.as_deref().or(location.hours.as_deref());
        if let Some(status) = hours.and_then(|h| hours::status(h, input.now)) {
            let walk_in = if location.walk_in_hours.is_some() {
                format!("{}, ", t("channel-walk-in", &[]))
            } else {
                String::new()
            };
            line.push(text(format!(" ({walk_in}{})", hours::describe(status, input.now, lang, locales))));
        }
        lines.push(line);
    }
    lines
}

/// Where a service is, relative to the asker: the town (and distance) of a local or
/// elsewhere service, "your welfare region", "all of Finland".
fn scope_label(
    service: &Service,
    ranked: &Ranked,
    input: &Input<'_>,
    knowledge: &Knowledge,
    locales: &Locales,
) -> Option<String> {
    let lang = input.lang;
    let town = || {
        let code = service.location.first().map(|l| l.municipality.as_str()).or(service
            .area
            .municipalities
            .first()
            .map(String::as_str));
        code.and_then(|c| knowledge.gazetteer.municipality(c))
            .map(|m| place_name(&Place::Municipality(m.code.clone()), lang, knowledge))
    };
    match ranked.scope {
        Scope::National => Some(locales.text(lang, "scope-national", &[])),
        Scope::Regional => Some(locales.text(lang, "scope-regional", &[])),
        Scope::Local => town().map(|place| locales.text(lang, "scope-local", &[("place", &place)])),
        Scope::Elsewhere => {
            let place = town().or_else(|| {
                service.area.regions.first().and_then(|r| knowledge.gazetteer.region(r)).map(|r| match lang {
                    Lang::Sv => r.short_sv.clone(),
                    _ => r.short_fi.clone(),
                })
            })?;
            Some(match ranked.distance_km {
                Some(km) if input.place.is_some() => {
                    locales.text(lang, "scope-elsewhere-km", &[("place", &place), ("km", &format!("{km:.0}"))])
                }
                _ => locales.text(lang, "scope-elsewhere", &[("place", &place)]),
            })
        }
    }
}

/// A municipality's or region's name in the asker's language (Swedish names for Swedish).
pub fn place_name(place: &Place, lang: Lang, knowledge: &Knowledge) -> String {
    let g = &knowledge.gazetteer;
    match place {
        Place::Municipality(code) => {
            g.municipality(code).map(|m| if lang == Lang::Sv { &m.name_sv } else { &m.name_fi }.clone())
        }
        Place::Region(code) => g.region(code).map(|r| if lang == Lang::Sv { &r.short_sv } else { &r.short_fi }.clone()),
    }
    .unwrap_or_default()
}

/// A text in the asker's language, or in another with a marker: "(suomeksi)".
fn marked((text, written_in): (&str, Lang), lang: Lang, locales: &Locales) -> String {
    if written_in == lang {
        return text.to_owned();
    }
    match language_marker(written_in.code(), locales, lang) {
        Some(marker) => format!("{text} {marker}"),
        None => text.to_owned(),
    }
}

fn language_marker(code: &str, locales: &Locales, lang: Lang) -> Option<String> {
    match code {
        "fi" => Some(locales.text(lang, "in-finnish", &[])),
        "sv" => Some(locales.text(lang, "in-swedish", &[])),
        _ => None,
    }
}

/// "Someone answers around the clock": the first crisis line with a 24/7 phone, marked
/// when that phone answers in another language.
pub fn offer_human(knowledge: &Knowledge, lang: Lang, locales: &Locales) -> Option<String> {
    knowledge.crisis.self_harm.iter().filter_map(|id| knowledge.service(id)).find_map(|service| {
        let phone = service.phone.iter().find(|p| p.hours.as_deref().map(str::trim) == Some("24/7"))?;
        let (name, _) = service.name.best(lang)?;
        let mut number = phone.number.clone();
        if !serves(phone, lang)
            && let Some(marker) = phone.languages.first().and_then(|l| language_marker(l, locales, lang))
        {
            number = format!("{number} {marker}");
        }
        Some(locales.text(lang, "offer-human", &[("name", name), ("number", &number)]))
    })
}

fn render_plain(blocks: &[Block]) -> String {
    let line = |inlines: &[Inline]| {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Text(s) | Inline::Bold(s) | Inline::Link(s) => s.as_str(),
            })
            .collect::<String>()
    };
    let mut out = Vec::new();
    for block in blocks {
        out.push(match block {
            Block::Para(inlines) => line(inlines),
            Block::Bullets(lines) => lines.iter().map(|l| format!("• {}", line(l))).collect::<Vec<_>>().join("\n"),
            Block::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, lines)| {
                    lines
                        .iter()
                        .enumerate()
                        .map(
                            |(j, l)| if j == 0 { format!("{}. {}", i + 1, line(l)) } else { format!("   {}", line(l)) },
                        )
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    out.join("\n\n")
}

fn render_html(blocks: &[Block]) -> String {
    let esc = |s: &str| htmlescape::encode_minimal(s);
    let line = |inlines: &[Inline]| {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Text(s) => esc(s),
                Inline::Bold(s) => format!("<b>{}</b>", esc(s)),
                Inline::Link(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(url)),
            })
            .collect::<String>()
    };
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Para(inlines) => out.push_str(&format!("<p>{}</p>", line(inlines))),
            Block::Bullets(lines) => {
                out.push_str("<ul>");
                for l in lines {
                    out.push_str(&format!("<li>{}</li>", line(l)));
                }
                out.push_str("</ul>");
            }
            Block::List(items) => {
                out.push_str("<ol>");
                for lines in items {
                    let parts: Vec<String> = lines.iter().map(|l| line(l)).collect();
                    out.push_str(&format!("<li>{}</li>", parts.join("<br>")));
                }
                out.push_str("</ol>");
            }
        }
    }
    out
}

/// Escapes text for the HTML body of a Matrix message (used by the Matrix glue for echoes
/// of user text, such as a place name a resident typed).
pub fn escape_html(s: &str) -> String {
    htmlescape::encode_minimal(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::model::Text;

    #[test]
    fn plain_and_html_say_the_same_and_html_escapes_everything() {
        let blocks = vec![
            Block::Para(vec![Inline::Bold("<b>112</b>".into()), text(" & more")]),
            Block::List(vec![vec![
                vec![Inline::Bold("A".into()), text(" – x")],
                vec![Inline::Link("https://e.org/?a=1&b=2".into())],
            ]]),
        ];
        assert_eq!(render_plain(&blocks), "<b>112</b> & more\n\n1. A – x\n   https://e.org/?a=1&b=2");
        let html = render_html(&blocks);
        assert!(html.starts_with("<p><b>&lt;b&gt;112&lt;/b&gt;</b> &amp; more</p>"), "{html}");
        assert!(html.contains("<a href=\"https://e.org/?a=1&amp;b=2\">https://e.org/?a=1&amp;b=2</a>"), "{html}");
    }

    #[test]
    fn texts_in_another_language_are_marked() {
        let l = Locales::new().unwrap();
        let t = Text { fi: Some("Vain suomeksi".into()), sv: None, en: None };
        assert_eq!(marked(t.best(Lang::Sv).unwrap(), Lang::Sv, &l), "Vain suomeksi (på finska)");
        assert_eq!(marked(t.best(Lang::Fi).unwrap(), Lang::Fi, &l), "Vain suomeksi");
    }
}
