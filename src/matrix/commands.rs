//! The residents' commands: `!apu` / `!hjälp` / `!help`, `!kieli` / `!språk` / `!lang`,
//! `!paikka` / `!ort` / `!place`, for professionals guiding clients `!palvelut` /
//! `!tjänster` / `!services` (every service of a kind for a place), and for the hand-over
//! to volunteers `!ihminen` / `!människa` / `!human` and `!peru` / `!avbryt` / `!cancel`.
//! Parsing and the reply are pure; the caller stores the settings change a command asks for.

use super::store::Prefs;
use crate::answer::{self, Reply, View, notice};
use crate::assistant::{AskContext, Assistant};
use crate::geo::Place;
use crate::lang::Lang;
use crate::search::listing;

/// The most services one `!palvelut` reply lists (nearest first); the rest are counted.
const MAX_LISTED: usize = 12;

/// A command, read in the language its word was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    /// Show (None) or set the reply language in this room (`auto` = follow the writing).
    Language(Option<String>),
    /// Show (None) or set the asker's place in this room.
    Place(Option<String>),
    /// Every service of a category for a place: "velkaneuvonta Tampere" (None: how to use it).
    Services(Option<String>),
    /// Talk to a person: the hand-over to volunteers.
    Human,
    /// End the hand-over.
    Cancel,
    /// Admins: read the knowledge again.
    Reload,
    /// Admins: the bot's state.
    Status,
}

/// A settings change a command asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Lang(Option<Lang>),
    /// A municipality or region code.
    Place(String),
}

impl Command {
    /// Reads a command at the start of a message, in any case, with the language of its word.
    pub fn parse(body: &str) -> Option<(Command, Lang)> {
        let rest = body.trim().strip_prefix('!')?;
        let (word, arg) = match rest.split_once(char::is_whitespace) {
            Some((w, a)) => (w, Some(a.trim()).filter(|a| !a.is_empty()).map(str::to_owned)),
            None => (rest, None),
        };
        let lower = word.to_lowercase();
        if crate::escalation::intent::is_person_command(&lower) {
            let lang = match lower.chars().next() {
                Some('m' | 'f') => Lang::Sv,
                Some('h') if lower.starts_with("hum") => Lang::En,
                Some('p' | 'v') if !lower.starts_with("vapaa") => Lang::En,
                _ => Lang::Fi,
            };
            return Some((Command::Human, lang));
        }
        let (kind, lang) = match lower.as_str() {
            "apu" | "ohje" => ("help", Lang::Fi),
            "hjälp" | "hjalp" => ("help", Lang::Sv),
            "help" => ("help", Lang::En),
            "kieli" => ("lang", Lang::Fi),
            "språk" | "sprak" => ("lang", Lang::Sv),
            "lang" | "language" => ("lang", Lang::En),
            "paikka" | "paikkakunta" => ("place", Lang::Fi),
            "ort" => ("place", Lang::Sv),
            "place" => ("place", Lang::En),
            "palvelut" => ("services", Lang::Fi),
            "tjänster" | "tjanster" => ("services", Lang::Sv),
            "services" => ("services", Lang::En),
            "peru" | "peruuta" | "peruutan" => ("cancel", Lang::Fi),
            "avbryt" => ("cancel", Lang::Sv),
            "cancel" => ("cancel", Lang::En),
            "lataa" => ("reload", Lang::Fi),
            "ladda" => ("reload", Lang::Sv),
            "reload" => ("reload", Lang::En),
            "tila" => ("status", Lang::Fi),
            "läge" | "lage" => ("status", Lang::Sv),
            "status" => ("status", Lang::En),
            _ => return None,
        };
        let command = match kind {
            "help" => Command::Help,
            "lang" => Command::Language(arg),
            "cancel" => Command::Cancel,
            "reload" => Command::Reload,
            "status" => Command::Status,
            "services" => Command::Services(arg),
            _ => Command::Place(arg),
        };
        Some((command, lang))
    }
}

/// The reply to a command in `lang`, and the settings change it asks for. `private` says
/// whether the room is a direct chat (the help text says how private the room is); `place`
/// is the asker's place or else the room's. The hand-over's commands have no reply of their
/// own here (`None`): the escalation glue answers them.
pub fn reply(
    command: &Command,
    lang: Lang,
    prefs: &Prefs,
    place: Option<&Place>,
    private: bool,
    assistant: &Assistant,
) -> Option<(Reply, Option<Change>)> {
    let locales = assistant.locales();
    let knowledge = assistant.knowledge();
    let msg = |lang: Lang, id: &str, args: &[(&str, &str)]| notice::message(lang, id, args, locales);
    Some(match command {
        Command::Human | Command::Cancel | Command::Reload | Command::Status => return None,
        Command::Help => (notice::help(lang, private, knowledge, locales), None),
        Command::Language(None) => match prefs.lang.as_deref().and_then(|l| l.parse::<Lang>().ok()) {
            Some(chosen) => {
                let parts = [locales.text(chosen, "lang-set", &[]), locales.text(chosen, "lang-auto-hint", &[])];
                (notice::paragraphs(parts), None)
            }
            None => (msg(lang, "lang-current", &[]), None),
        },
        Command::Language(Some(arg)) if arg.eq_ignore_ascii_case("auto") => {
            (msg(lang, "lang-auto-set", &[]), Some(Change::Lang(None)))
        }
        Command::Language(Some(arg)) => match arg.parse::<Lang>() {
            Ok(chosen) => (msg(chosen, "lang-set", &[]), Some(Change::Lang(Some(chosen)))),
            Err(_) => (msg(lang, "lang-unknown", &[]), None),
        },
        Command::Place(None) => match prefs.place.as_deref().and_then(|p| assistant.resolve_place(p)) {
            Some(p) => (msg(lang, "place-current", &[("place", &answer::place_name(&p, lang, knowledge))]), None),
            None => (msg(lang, "place-none", &[]), None),
        },
        Command::Place(Some(arg)) => match assistant.resolve_place(arg) {
            Some(place) => {
                let name = answer::place_name(&place, lang, knowledge);
                let (Place::Municipality(code) | Place::Region(code)) = place;
                (msg(lang, "place-set", &[("place", &name)]), Some(Change::Place(code)))
            }
            None => (msg(lang, "place-unknown", &[]), None),
        },
        Command::Services(arg) => (services(arg.as_deref(), lang, place, assistant), None),
    })
}

/// `!palvelut velkaneuvonta Tampere`: every service of the category for the place (the one
/// named, else the asker's or the room's), nearest first, with all their channels.
fn services(arg: Option<&str>, lang: Lang, place: Option<&Place>, assistant: &Assistant) -> Reply {
    let locales = assistant.locales();
    let knowledge = assistant.knowledge();
    let names: Vec<&str> = knowledge.categories.iter().filter_map(|c| c.name.best(lang).map(|(n, _)| n)).collect();
    let names = names.join(", ");
    let msg = |id: &str, args: &[(&str, &str)]| notice::message(lang, id, args, locales);
    let Some(arg) = arg else { return msg("services-usage", &[("categories", &names)]) };
    let (topic, named) = split_place(arg, |p| assistant.resolve_place(p));
    let Some(category) = find_category(topic, assistant) else {
        return msg("services-unknown-category", &[("categories", &names)]);
    };
    let Some(place) = named.or_else(|| place.cloned()) else {
        return msg("services-no-place", &[]);
    };
    let listed = listing::list(knowledge, &category, &place);
    let view = View { lang, now: super::worker::helsinki_now(), knowledge, locales };
    let shown = listed.len().min(MAX_LISTED);
    let reply = answer::render_listing(&category, &place, &listed[..shown], &view);
    if listed.len() > shown {
        let (shown, total) = (shown.to_string(), listed.len().to_string());
        return notice::join(reply, msg("services-more", &[("shown", &shown), ("total", &total)]));
    }
    reply
}

/// Splits a command's argument into its topic and the place it ends (or else starts) with:
/// "velkaneuvonta Espoon keskus" → ("velkaneuvonta", Espoo). The shortest place wins, so
/// that "velkoihin Turussa" is not read as one place phrase.
fn split_place(arg: &str, resolve: impl Fn(&str) -> Option<Place>) -> (&str, Option<Place>) {
    let arg = arg.trim();
    let starts: Vec<usize> = arg.match_indices(char::is_whitespace).map(|(i, _)| i).collect();
    // The place as the last one, two or three words.
    for &at in starts.iter().rev().take(3) {
        if let Some(place) = resolve(arg[at..].trim()) {
            return (arg[..at].trim(), Some(place));
        }
    }
    // Or as the first one, two or three words.
    for &at in starts.iter().take(3) {
        if let Some(place) = resolve(arg[..at].trim()) {
            return (arg[at..].trim(), Some(place));
        }
    }
    (arg, None)
}

/// A category by its slug, name or synonym; else the kind of help the words are about
/// ("velat", "skulder"), if they clearly are about one.
fn find_category(topic: &str, assistant: &Assistant) -> Option<String> {
    if topic.is_empty() {
        return None;
    }
    if let Some(c) = assistant.knowledge().categories.find(topic) {
        return Some(c.slug.clone());
    }
    let intent = assistant.understand(topic, &AskContext::now()).intent;
    intent.is_ours().then(|| intent.categories.first().map(|(slug, _)| slug.clone())).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_three_languages() {
        let cases = [
            ("!apu", Some((Command::Help, Lang::Fi))),
            ("!HELP", Some((Command::Help, Lang::En))),
            ("!hjälp", Some((Command::Help, Lang::Sv))),
            ("!kieli sv", Some((Command::Language(Some("sv".into())), Lang::Fi))),
            ("!språk", Some((Command::Language(None), Lang::Sv))),
            ("!lang auto", Some((Command::Language(Some("auto".into())), Lang::En))),
            ("!paikka Turku", Some((Command::Place(Some("Turku".into())), Lang::Fi))),
            ("!ort  Jakobstad ", Some((Command::Place(Some("Jakobstad".into())), Lang::Sv))),
            ("  !place", Some((Command::Place(None), Lang::En))),
            ("!pizza", None),
            ("apu", None),
            ("mistä apua!", None),
            ("!", None),
            ("!ihminen", Some((Command::Human, Lang::Fi))),
            ("!ihmiselle", Some((Command::Human, Lang::Fi))),
            ("!vapaaehtoinen", Some((Command::Human, Lang::Fi))),
            ("!människa", Some((Command::Human, Lang::Sv))),
            ("!manniska", Some((Command::Human, Lang::Sv))),
            ("!human", Some((Command::Human, Lang::En))),
            ("!person", Some((Command::Human, Lang::En))),
            ("!peru", Some((Command::Cancel, Lang::Fi))),
            ("!avbryt", Some((Command::Cancel, Lang::Sv))),
            ("!cancel", Some((Command::Cancel, Lang::En))),
            ("!lataa", Some((Command::Reload, Lang::Fi))),
            ("!reload", Some((Command::Reload, Lang::En))),
            ("!tila", Some((Command::Status, Lang::Fi))),
            ("!läge", Some((Command::Status, Lang::Sv))),
            ("!palvelut velka Turku", Some((Command::Services(Some("velka Turku".into())), Lang::Fi))),
            ("!tjänster", Some((Command::Services(None), Lang::Sv))),
            ("!services debt Espoo", Some((Command::Services(Some("debt Espoo".into())), Lang::En))),
            ("!palvelu nollalinja", None),
        ];
        for (body, want) in cases {
            assert_eq!(Command::parse(body), want, "{body}");
        }
    }

    #[test]
    fn the_place_of_a_services_command_is_its_last_or_first_words() {
        let resolve = |name: &str| match name.to_lowercase().as_str() {
            "turku" | "turussa" => Some(Place::Municipality("853".into())),
            "espoon keskus" => Some(Place::Municipality("049".into())),
            "pirkanmaa" => Some(Place::Region("08".into())),
            _ => None,
        };
        let turku = Some(Place::Municipality("853".into()));
        let cases = [
            ("velkaneuvonta Turku", ("velkaneuvonta", turku.clone())),
            ("apua velkoihin Turussa", ("apua velkoihin", turku.clone())),
            ("Turku velkaneuvonta", ("velkaneuvonta", turku.clone())),
            ("kotipalvelu Espoon keskus", ("kotipalvelu", Some(Place::Municipality("049".into())))),
            ("lähisuhdeväkivalta  Pirkanmaa ", ("lähisuhdeväkivalta", Some(Place::Region("08".into())))),
            ("velkaneuvonta", ("velkaneuvonta", None)),
            ("debt advice", ("debt advice", None)),
            ("Turku", ("Turku", None)),
        ];
        for (arg, want) in cases {
            assert_eq!(split_place(arg, resolve), want, "{arg}");
        }
    }
}
