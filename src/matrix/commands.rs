//! The residents' commands: `!apu` / `!hjälp` / `!help`, `!kieli` / `!språk` / `!lang`,
//! `!paikka` / `!ort` / `!place`, and for the hand-over to volunteers `!ihminen` /
//! `!människa` / `!human` and `!peru` / `!avbryt` / `!cancel`. Parsing and the reply are
//! pure; the caller stores the settings change a command asks for.

use super::store::Prefs;
use crate::answer::{self, Reply, notice};
use crate::assistant::Assistant;
use crate::geo::Place;
use crate::lang::Lang;

/// A command, read in the language its word was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    /// Show (None) or set the reply language in this room (`auto` = follow the writing).
    Language(Option<String>),
    /// Show (None) or set the asker's place in this room.
    Place(Option<String>),
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
            _ => Command::Place(arg),
        };
        Some((command, lang))
    }
}

/// The reply to a command in `lang`, and the settings change it asks for. `private` says
/// whether the room is a direct chat (the help text says how private the room is). The
/// hand-over's commands have no reply of their own here (`None`): the escalation glue
/// answers them.
pub fn reply(
    command: &Command,
    lang: Lang,
    prefs: &Prefs,
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
    })
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
        ];
        for (body, want) in cases {
            assert_eq!(Command::parse(body), want, "{body}");
        }
    }
}
