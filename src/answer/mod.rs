//! Composing the reply: crisis lines first, then up to three services with how to reach
//! them, then a footer; in the asker's language, as plain text and as safe HTML.
//!
//! The reply is built once as a small document ([`Block`]s of [`Inline`]s) and rendered
//! twice, so the plain and the HTML body always say the same. Every text is escaped in the
//! HTML rendering, whatever its origin; links are only the http(s) URLs the validator
//! accepted in `knowledge/`.

mod card;
pub mod escalation;
pub mod hours;
pub mod notice;

use chrono::DateTime;
use chrono_tz::Tz;

use crate::geo::Place;
use crate::i18n::Locales;
use crate::knowledge::Knowledge;
use crate::knowledge::Service;
use crate::lang::Lang;
use crate::safety::Crisis;
use crate::search::listing::Listed;
use crate::search::{Ranked, Scope};

pub use card::{Detail, View};

/// How many services a reply lists.
pub const MAX_SERVICES: usize = 3;

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
    /// Lines that belong together (a service card), without numbers or bullets.
    Lines(Vec<Vec<Inline>>),
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
        let view = View { lang, now: input.now, knowledge, locales };
        let items = shown
            .iter()
            .map(|(service, ranked)| {
                let place = card::scope_label(service, ranked.scope, ranked.distance_km, input.place.is_some(), &view);
                card::lines(service, place, &view, Detail::Reply)
            })
            .collect();
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
    let view = View { lang: input.lang, now: input.now, knowledge, locales };
    let mut lines = Vec::new();
    for service in first_occurrences(ids).into_iter().filter_map(|id| knowledge.service(id)) {
        let (name, _) = service.name.best(input.lang).unwrap_or((service.id.as_str(), input.lang));
        let phones = service.phone.iter().filter(|p| card::serves(p, input.lang) || p.always_open());
        for phone in phones {
            let mut line = vec![Inline::Bold(format!("{name}: {}", phone.number))];
            line.extend(card::phone_details(phone, &view));
            lines.push(line);
        }
    }
    lines
}

/// The ids in order, each once: a line listed under both kinds of crisis is shown once
/// (`Vec::dedup` would keep duplicates that are not adjacent).
fn first_occurrences(ids: Vec<&String>) -> Vec<&String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
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
        let phone = service.phone.iter().find(|p| p.always_open())?;
        let (name, _) = service.name.best(lang)?;
        let mut number = phone.number.clone();
        if !card::serves(phone, lang)
            && let Some(marker) = phone.languages.first().and_then(|l| language_marker(l, locales, lang))
        {
            number = format!("{number} {marker}");
        }
        Some(locales.text(lang, "offer-human", &[("name", name), ("number", &number)]))
    })
}

/// One knowledge entry the way a reply shows it, with every channel: what the volunteers'
/// `!palvelu ID` sends. Where it is comes from its area, as no asker's place is known.
pub fn render_service(service: &Service, view: &View<'_>) -> Reply {
    let place = card::area_label(service, view);
    let blocks = vec![Block::Lines(card::lines(service, place, view, Detail::Full))];
    Reply { plain: render_plain(&blocks), html: render_html(&blocks) }
}

/// Every service of a category for a place, nearest first, with every channel: what a
/// professional gets from `lahiapu list` (and, later, `!palvelut`).
pub fn render_listing(category: &str, place: &Place, listed: &[Listed<'_>], view: &View<'_>) -> Reply {
    let category_name = view
        .knowledge
        .categories
        .get(category)
        .and_then(|c| c.name.best(view.lang))
        .map_or_else(|| category.to_owned(), |(name, _)| name.to_owned());
    let place = place_name(place, view.lang, view.knowledge);
    let args = [("category", category_name.as_str()), ("place", place.as_str())];
    let mut blocks = Vec::new();
    if listed.is_empty() {
        blocks.push(Block::Para(vec![text(view.locales.text(view.lang, "list-empty", &args))]));
    } else {
        blocks.push(Block::Para(vec![Inline::Bold(view.locales.text(view.lang, "list-heading", &args))]));
        let items = listed
            .iter()
            .map(|l| {
                let label = card::scope_label(l.service, l.scope, l.distance_km, true, view);
                card::lines(l.service, label, view, Detail::Full)
            })
            .collect();
        blocks.push(Block::List(items));
    }
    Reply { plain: render_plain(&blocks), html: render_html(&blocks) }
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
            Block::Lines(lines) => lines.iter().map(|l| line(l)).collect::<Vec<_>>().join("\n"),
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
    let esc = |s: &str| escape_html(s);
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
            Block::Lines(lines) => {
                let parts: Vec<String> = lines.iter().map(|l| line(l)).collect();
                out.push_str(&format!("<p>{}</p>", parts.join("<br>")));
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

/// Escapes text for the HTML body of a Matrix message: `&`, `<`, `>` and both quotes, so
/// that the same function is safe in element text and in a quoted `href`.
pub fn escape_html(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
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
    fn a_service_card_shows_the_entry_as_a_reply_does_in_both_renderings() {
        let knowledge = crate::knowledge::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
        .unwrap()
        .knowledge;
        let locales = Locales::new().unwrap();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono_tz::Europe::Helsinki, 2026, 11, 23, 12, 0, 0).unwrap();
        let view = View { lang: Lang::Fi, now, knowledge: &knowledge, locales: &locales };
        let service = knowledge.service("nollalinja").unwrap();
        let card = render_service(service, &view);
        let lines: Vec<&str> = card.plain.lines().collect();
        assert!(lines[0].starts_with("Nollalinja – "), "{}", card.plain);
        assert!(lines[1].starts_with("Puhelin 080 005 005 (auki aina)"), "{}", card.plain);
        assert!(card.plain.contains("Chat"), "every channel: {}", card.plain);
        assert!(card.html.starts_with("<p><b>Nollalinja</b>") && card.html.contains("<br>"), "{}", card.html);
    }

    #[test]
    fn a_crisis_line_listed_twice_is_shown_once() {
        let (a, b) = ("a".to_owned(), "b".to_owned());
        assert_eq!(first_occurrences(vec![&a, &b, &a, &b, &a]), [&a, &b]);
    }

    #[test]
    fn texts_in_another_language_are_marked() {
        let l = Locales::new().unwrap();
        let t = Text { fi: Some("Vain suomeksi".into()), sv: None, en: None };
        assert_eq!(marked(t.best(Lang::Sv).unwrap(), Lang::Sv, &l), "Vain suomeksi (på finska)");
        assert_eq!(marked(t.best(Lang::Fi).unwrap(), Lang::Fi, &l), "Vain suomeksi");
    }
}
