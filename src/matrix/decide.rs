//! Should the bot answer this event, and how? Pure functions over plain facts, so that
//! every rule of the bot's Matrix manners is tested without a homeserver.

use crate::lang::Lang;

/// What kind of room an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomKind {
    /// A direct conversation with the bot: every message is for it.
    Direct,
    /// A room from the config.
    Configured { answer_all: bool },
    /// Any other room the bot is in: only mentions, replies and commands.
    Other,
}

/// The message type of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgKind {
    Text,
    Notice,
    Other,
}

/// The facts about one incoming message that the decision needs.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    pub from_self: bool,
    pub kind: MsgKind,
    /// An edit (`m.replace`) of an earlier message.
    pub is_edit: bool,
    /// The body with any reply fallback removed.
    pub body: &'a str,
    pub sent_at_ms: u64,
    pub room: RoomKind,
    /// Mentions the bot (`m.mentions`, or its name in the body of a legacy client).
    pub mentions_bot: bool,
    /// A reply to the bot, or a message in a thread the bot answered.
    pub replies_to_bot: bool,
    /// The message signals a risk to life ([`crate::safety`]): it is always answered.
    pub urgent: bool,
    pub already_answered: bool,
    /// When the bot joined the room; earlier events are history, not questions.
    pub joined_at_ms: Option<u64>,
    pub now_ms: u64,
    /// Events older than this are not answered (questions sent while the bot was down are,
    /// if they are more recent).
    pub catch_up_ms: u64,
}

/// Why an event is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    OwnMessage,
    Notice,
    NotText,
    Edit,
    BeforeJoin,
    TooOld,
    AlreadyAnswered,
    NotAddressed,
    Empty,
}

/// A command, in the language its word was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    /// Show (None) or set the asker's language in this room.
    Language(Option<String>),
    /// Show (None) or set the asker's place in this room.
    Place(Option<String>),
}

/// What to do with an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Skip(Skip),
    Command(Command, Lang),
    /// Answer the question. With `always = false` (a question-like message in an
    /// `answer_all` room, not addressed to the bot) answer only when the bot has something
    /// to say: a confident answer or a crisis.
    Answer {
        always: bool,
    },
}

/// The decision for one message.
pub fn decide(m: &Incoming<'_>) -> Decision {
    if m.from_self {
        return Decision::Skip(Skip::OwnMessage);
    }
    match m.kind {
        MsgKind::Notice => return Decision::Skip(Skip::Notice),
        MsgKind::Other => return Decision::Skip(Skip::NotText),
        MsgKind::Text => {}
    }
    if m.is_edit {
        return Decision::Skip(Skip::Edit);
    }
    if m.joined_at_ms.is_some_and(|joined| m.sent_at_ms < joined) {
        return Decision::Skip(Skip::BeforeJoin);
    }
    if m.now_ms.saturating_sub(m.sent_at_ms) > m.catch_up_ms {
        return Decision::Skip(Skip::TooOld);
    }
    if m.already_answered {
        return Decision::Skip(Skip::AlreadyAnswered);
    }
    if m.body.trim().is_empty() {
        return Decision::Skip(Skip::Empty);
    }
    if let Some((command, lang)) = parse_command(m.body) {
        return Decision::Command(command, lang);
    }
    let addressed = m.mentions_bot || m.replies_to_bot || m.urgent;
    match m.room {
        RoomKind::Direct => Decision::Answer { always: true },
        _ if addressed => Decision::Answer { always: true },
        RoomKind::Configured { answer_all: true } if looks_like_question(m.body) => Decision::Answer { always: false },
        _ => Decision::Skip(Skip::NotAddressed),
    }
}

/// Whether to accept an invite: direct conversations from anyone, other rooms only from
/// the admins of the config.
pub fn accept_invite(is_direct: bool, inviter_is_admin: bool) -> bool {
    is_direct || inviter_is_admin
}

/// Reads `!apu` / `!hjälp` / `!help`, `!kieli` / `!språk` / `!lang [fi|sv|en]` and `!paikka` /
/// `!ort` / `!place [name]`, in any case, with the language of the word used.
pub fn parse_command(body: &str) -> Option<(Command, Lang)> {
    let body = body.trim();
    let rest = body.strip_prefix('!')?;
    let (word, arg) = match rest.split_once(char::is_whitespace) {
        Some((w, a)) => (w, Some(a.trim()).filter(|a| !a.is_empty()).map(str::to_owned)),
        None => (rest, None),
    };
    let (kind, lang) = match word.to_lowercase().as_str() {
        "apu" | "ohje" => ("help", Lang::Fi),
        "hjälp" | "hjalp" => ("help", Lang::Sv),
        "help" => ("help", Lang::En),
        "kieli" => ("lang", Lang::Fi),
        "språk" | "sprak" => ("lang", Lang::Sv),
        "lang" | "language" => ("lang", Lang::En),
        "paikka" | "paikkakunta" => ("place", Lang::Fi),
        "ort" => ("place", Lang::Sv),
        "place" => ("place", Lang::En),
        _ => return None,
    };
    let command = match kind {
        "help" => Command::Help,
        "lang" => Command::Language(arg),
        _ => Command::Place(arg),
    };
    Some((command, lang))
}

/// Question words and words asking for help, in Finnish, Swedish and English. Words that
/// are as often something else are left out ("var" is also "was", "is" is everywhere).
const QUESTION_WORDS: &[&str] = &[
    "mistä",
    "mihin",
    "missä",
    "miten",
    "mitä",
    "mikä",
    "kuka",
    "kenelle",
    "minne",
    "onko",
    "voiko",
    "saako",
    "voinko",
    "saanko",
    "apua",
    "tarvitsen",
    "tarviin",
    "tarvis",
    "auttakaa",
    "auttaisiko",
    "neuvoa",
    "vart",
    "hur",
    "vem",
    "vad",
    "finns",
    "behöver",
    "hjälp",
    "hjälpa",
    "where",
    "how",
    "who",
    "what",
    "can",
    "could",
    "need",
    "help",
];

/// Messages of this many words or fewer are read as search-like questions ("lähisuhde
/// väkivalta", "velat Turku"); whether the bot has an answer decides if it speaks.
const SHORT_QUESTION_WORDS: usize = 4;

/// Whether a message in an `answer_all` room reads as a question to answer: it has a
/// question mark, a question or help word, or is as short as a search query.
pub fn looks_like_question(body: &str) -> bool {
    if body.contains('?') {
        return true;
    }
    let words: Vec<&str> = body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.len() <= SHORT_QUESTION_WORDS || words.iter().any(|w| QUESTION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Whether the body of a message from a client without `m.mentions` names the bot: its
/// full ID, `@localpart`, or a `Name:` address at the start.
pub fn body_mentions(body: &str, user_id: &str, names: &[&str]) -> bool {
    let lower = body.to_lowercase();
    let localpart = user_id.trim_start_matches('@').split(':').next().unwrap_or_default().to_lowercase();
    lower.contains(&user_id.to_lowercase())
        || (!localpart.is_empty() && lower.contains(&format!("@{localpart}")))
        || names.iter().any(|n| lower.trim_start().starts_with(&n.to_lowercase()))
}

/// The question without the address to the bot ("@lahiapu: mistä apua" → "mistä apua").
pub fn strip_mention(body: &str, user_id: &str, names: &[&str]) -> String {
    let mut text = body.replace(user_id, " ");
    let localpart = user_id.trim_start_matches('@').split(':').next().unwrap_or_default();
    if !localpart.is_empty() {
        text = text.replace(&format!("@{localpart}"), " ");
    }
    let trimmed = text.trim_start();
    for name in names {
        if trimmed.to_lowercase().starts_with(&name.to_lowercase()) {
            let rest = trimmed.get(name.len()..).unwrap_or_default();
            return rest.trim_start_matches([':', ',', ' ']).trim().to_owned();
        }
    }
    text.trim().trim_start_matches([':', ',']).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base<'a>() -> Incoming<'a> {
        Incoming {
            from_self: false,
            kind: MsgKind::Text,
            is_edit: false,
            body: "mistä saa apua velkoihin?",
            sent_at_ms: 1_000_000,
            room: RoomKind::Configured { answer_all: true },
            mentions_bot: false,
            replies_to_bot: false,
            urgent: false,
            already_answered: false,
            joined_at_ms: Some(500_000),
            now_ms: 1_010_000,
            catch_up_ms: 15 * 60_000,
        }
    }

    #[test]
    fn what_is_never_answered() {
        let cases: Vec<(&str, Incoming, Skip)> = vec![
            ("own message", Incoming { from_self: true, ..base() }, Skip::OwnMessage),
            ("a notice (bots talk in notices)", Incoming { kind: MsgKind::Notice, ..base() }, Skip::Notice),
            ("an image or emote", Incoming { kind: MsgKind::Other, ..base() }, Skip::NotText),
            ("an edit", Incoming { is_edit: true, ..base() }, Skip::Edit),
            (
                "history from before the join",
                Incoming { joined_at_ms: Some(2_000_000), now_ms: 2_000_500, ..base() },
                Skip::BeforeJoin,
            ),
            ("older than the catch-up window", Incoming { now_ms: 1_000_000 + 16 * 60_000, ..base() }, Skip::TooOld),
            ("already answered", Incoming { already_answered: true, ..base() }, Skip::AlreadyAnswered),
            ("empty", Incoming { body: "  ", ..base() }, Skip::Empty),
            (
                "chatter in an answer_all room",
                Incoming { body: "kiitos kaikille eilisestä illasta, oli tosi mukavaa", ..base() },
                Skip::NotAddressed,
            ),
            (
                "a question in a room without answer_all",
                Incoming { room: RoomKind::Configured { answer_all: false }, ..base() },
                Skip::NotAddressed,
            ),
            ("a question in another room", Incoming { room: RoomKind::Other, ..base() }, Skip::NotAddressed),
        ];
        for (what, incoming, want) in cases {
            assert_eq!(decide(&incoming), Decision::Skip(want), "{what}");
        }
    }

    #[test]
    fn what_is_answered() {
        let cases: Vec<(&str, Incoming, Decision)> = vec![
            ("a question in an answer_all room", base(), Decision::Answer { always: false }),
            (
                "anything in a DM",
                Incoming { room: RoomKind::Direct, body: "velat", ..base() },
                Decision::Answer { always: true },
            ),
            (
                "a mention in another room",
                Incoming { room: RoomKind::Other, mentions_bot: true, body: "velat", ..base() },
                Decision::Answer { always: true },
            ),
            (
                "a reply to the bot",
                Incoming {
                    room: RoomKind::Configured { answer_all: false },
                    replies_to_bot: true,
                    body: "entä Oulussa",
                    ..base()
                },
                Decision::Answer { always: true },
            ),
            (
                "sent while the bot was down, within the window",
                Incoming { now_ms: 1_000_000 + 14 * 60_000, ..base() },
                Decision::Answer { always: false },
            ),
            (
                "a crisis in an answer_all room, whatever its form",
                Incoming { body: "en halua enää elää, en jaksa tätä kaikkea yhtään", urgent: true, ..base() },
                Decision::Answer { always: true },
            ),
            (
                "a crisis in another room",
                Incoming { room: RoomKind::Other, body: "han är här nu", urgent: true, ..base() },
                Decision::Answer { always: true },
            ),
            (
                "a short search-like message in an answer_all room",
                Incoming { body: "lähisuhde väkivalta", ..base() },
                Decision::Answer { always: false },
            ),
            (
                "a command anywhere",
                Incoming { room: RoomKind::Other, body: "!hjälp", ..base() },
                Decision::Command(Command::Help, Lang::Sv),
            ),
        ];
        for (what, incoming, want) in cases {
            assert_eq!(decide(&incoming), want, "{what}");
        }
    }

    #[test]
    fn invites_to_dms_from_anyone_to_rooms_from_admins() {
        assert!(accept_invite(true, false));
        assert!(accept_invite(true, true));
        assert!(accept_invite(false, true));
        assert!(!accept_invite(false, false));
    }

    #[test]
    fn commands_in_three_languages() {
        let cases = [
            ("!apu", Some((Command::Help, Lang::Fi))),
            ("!HELP", Some((Command::Help, Lang::En))),
            ("!hjälp", Some((Command::Help, Lang::Sv))),
            ("!kieli sv", Some((Command::Language(Some("sv".into())), Lang::Fi))),
            ("!språk", Some((Command::Language(None), Lang::Sv))),
            ("!lang en", Some((Command::Language(Some("en".into())), Lang::En))),
            ("!paikka Turku", Some((Command::Place(Some("Turku".into())), Lang::Fi))),
            ("!ort  Jakobstad ", Some((Command::Place(Some("Jakobstad".into())), Lang::Sv))),
            ("!place", Some((Command::Place(None), Lang::En))),
            ("!pizza", None),
            ("apu", None),
            ("mistä apua!", None),
        ];
        for (body, want) in cases {
            assert_eq!(parse_command(body), want, "{body}");
        }
    }

    #[test]
    fn questions_are_told_from_chatter() {
        for q in [
            "mistä saa apua velkoihin",
            "var får jag hjälp",
            "help with debts",
            "velat?",
            "tarviin apua",
            "lähisuhde väkivalta",
        ] {
            assert!(looks_like_question(q), "{q}");
        }
        for s in [
            "hyvää huomenta kaikille, täällä paistaa aurinko",
            "tack för senast, det var en trevlig kväll",
            "ok sounds good to me then",
        ] {
            assert!(!looks_like_question(s), "{s}");
        }
    }

    #[test]
    fn mentions_in_bodies_of_legacy_clients() {
        let me = "@lahiapu:localhost";
        assert!(body_mentions("@lahiapu:localhost mistä apua", me, &["Lähiapu"]));
        assert!(body_mentions("hei @lahiapu, velat", me, &["Lähiapu"]));
        assert!(body_mentions("Lähiapu: velat", me, &["Lähiapu", "Närhjälp"]));
        assert!(!body_mentions("velat kasvaa", me, &["Lähiapu"]));
        assert_eq!(strip_mention("@lahiapu:localhost: mistä apua?", me, &["Lähiapu"]), "mistä apua?");
        assert_eq!(strip_mention("Närhjälp, skulder i Åbo", me, &["Lähiapu", "Närhjälp"]), "skulder i Åbo");
        assert_eq!(strip_mention("velat", me, &["Lähiapu"]), "velat");
    }
}
