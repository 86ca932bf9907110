//! Should the bot reply to a message, and how? Pure functions over plain facts, so that every
//! rule of the bot's Matrix manners is a row in a table test, without a homeserver.
//!
//! Two steps, because whether an overheard message gets a reply depends on whether the bot
//! has an answer, and only replies the bot really sends count against the budget:
//!
//! 1. [`classify`]: is the message for the bot at all (a command, a question, an unreadable
//!    message), or history, an edit, chatter, a bot's notice?
//! 2. [`admit`]: given the answer's facts and the budget, what is sent: the answer, a command
//!    reply, the fixed crisis notice, one calm flood notice, or nothing.

use std::time::Instant;

use super::commands::Command;
use super::event::Kind;
use super::limits::{Limiter, Verdict};
use crate::lang::Lang;

/// What kind of room a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomKind {
    /// A direct conversation with the bot: every message is for it.
    Direct,
    /// A room from the config.
    Configured { answer_all: bool },
    /// Any other room the bot is in (an admin invited it): mentions, replies and commands.
    Other,
}

/// The facts about one message that the decision needs.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub kind: Kind,
    pub edit: bool,
    /// The text, without a reply fallback or the address to the bot.
    pub body: &'a str,
    pub room: RoomKind,
    pub mentions_bot: bool,
    /// A reply to one of the bot's messages, or a message in a thread the bot posted in.
    pub in_bot_thread: bool,
    /// Sent before the bot joined the room: history, not a question.
    pub before_join: bool,
    /// How long ago it was sent, in milliseconds.
    pub age_ms: u64,
    /// The text signals a risk to life ([`crate::safety`]).
    pub crisis: bool,
    /// The text reads like a question or a search ([`looks_like_question`]).
    pub question_like: bool,
}

/// How far back the bot answers messages it could not answer when they came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// Questions older than this are given up.
    pub questions_ms: u64,
    /// Messages that signal a risk to life are answered this late still.
    pub crisis_ms: u64,
}

/// Why a message gets no reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quiet {
    Notice,
    NotText,
    Edit,
    BeforeJoin,
    TooOld,
    Empty,
    NotAddressed,
    /// An overheard question the bot has no answer for.
    NoAnswer,
    /// Over the budget (after the one flood notice).
    OverBudget,
}

impl Quiet {
    pub fn as_str(self) -> &'static str {
        match self {
            Quiet::Notice => "notice",
            Quiet::NotText => "not-text",
            Quiet::Edit => "edit",
            Quiet::BeforeJoin => "before-join",
            Quiet::TooOld => "too-old",
            Quiet::Empty => "empty",
            Quiet::NotAddressed => "not-addressed",
            Quiet::NoAnswer => "no-answer",
            Quiet::OverBudget => "over-budget",
        }
    }
}

/// The first step's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    Quiet(Quiet),
    Command(Command, Lang),
    /// A question. With `always = false` (overheard in an `answer_all` room, or a follow-up
    /// in the bot's thread) the bot speaks only if it has an answer or the text is a crisis.
    Question {
        always: bool,
    },
    /// A message the bot could not decrypt: ask for it again rather than stay silent.
    Undecryptable,
}

/// Is the message for the bot, and as what?
pub fn classify(f: &Facts<'_>, catch_up: CatchUp) -> Classified {
    match f.kind {
        Kind::Notice => return Classified::Quiet(Quiet::Notice),
        Kind::Other | Kind::Reaction | Kind::Redaction => return Classified::Quiet(Quiet::NotText),
        Kind::Text | Kind::Undecryptable => {}
    }
    if f.edit {
        return Classified::Quiet(Quiet::Edit);
    }
    if f.before_join {
        return Classified::Quiet(Quiet::BeforeJoin);
    }
    let window = if f.crisis { catch_up.crisis_ms } else { catch_up.questions_ms };
    if f.age_ms > window {
        return Classified::Quiet(Quiet::TooOld);
    }
    if f.kind == Kind::Undecryptable {
        return match f.room {
            // In a group room the bot cannot know whether the message was for it.
            RoomKind::Direct | RoomKind::Configured { .. } => Classified::Undecryptable,
            RoomKind::Other => Classified::Quiet(Quiet::NotAddressed),
        };
    }
    if f.body.trim().is_empty() {
        return Classified::Quiet(Quiet::Empty);
    }
    if let Some((command, lang)) = Command::parse(f.body) {
        return Classified::Command(command, lang);
    }
    if f.crisis || f.mentions_bot || f.room == RoomKind::Direct {
        return Classified::Question { always: true };
    }
    if f.in_bot_thread {
        // A follow-up under the bot's answer: answer what it can, but a "kiitos" gets no
        // "I did not understand".
        return Classified::Question { always: false };
    }
    match f.room {
        RoomKind::Configured { answer_all: true } if f.question_like => Classified::Question { always: false },
        _ => Classified::Quiet(Quiet::NotAddressed),
    }
}

/// What the bot sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Answer,
    /// The short fixed crisis reply (112 and a 24/7 line), without a search.
    CrisisNotice,
    Command(Command, Lang),
    FloodNotice,
    /// "I could not read that message, please send it again."
    UndecryptableNotice,
    Silent(Quiet),
}

/// Whose budget a reply is counted against (pseudonyms), and when.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub user: &'a str,
    pub room: &'a str,
    pub now: Instant,
}

/// The second step: `answerable` says whether the composed answer is worth sending to an
/// overheard question (confident, or a crisis); `crisis` whether the text signals a risk to
/// life. The budget is charged only when something is sent.
pub fn admit(classified: Classified, answerable: bool, crisis: bool, limiter: &mut Limiter, who: Who<'_>) -> Action {
    let (wanted, urgent) = match classified {
        Classified::Quiet(q) => return Action::Silent(q),
        Classified::Question { always: false } if !answerable && !crisis => return Action::Silent(Quiet::NoAnswer),
        Classified::Question { .. } => (Action::Answer, crisis),
        Classified::Command(command, lang) => (Action::Command(command, lang), false),
        Classified::Undecryptable => (Action::UndecryptableNotice, false),
    };
    match limiter.spend(who.user, who.room, who.now, urgent) {
        Verdict::Allow => wanted,
        Verdict::CrisisOnly => Action::CrisisNotice,
        Verdict::Notice => Action::FloodNotice,
        Verdict::Drop => Action::Silent(Quiet::OverBudget),
    }
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::matrix::limits::Limits;

    const CATCH_UP: CatchUp = CatchUp { questions_ms: 15 * 60_000, crisis_ms: 24 * 3_600_000 };

    fn base<'a>() -> Facts<'a> {
        Facts {
            kind: Kind::Text,
            edit: false,
            body: "mistä saa apua velkoihin?",
            room: RoomKind::Configured { answer_all: true },
            mentions_bot: false,
            in_bot_thread: false,
            before_join: false,
            age_ms: 10_000,
            crisis: false,
            question_like: true,
        }
    }

    #[test]
    fn what_is_not_for_the_bot() {
        let cases: Vec<(&str, Facts, Quiet)> = vec![
            ("a notice (bots talk in notices)", Facts { kind: Kind::Notice, ..base() }, Quiet::Notice),
            ("an image", Facts { kind: Kind::Other, ..base() }, Quiet::NotText),
            ("an edit", Facts { edit: true, ..base() }, Quiet::Edit),
            ("history from before the join", Facts { before_join: true, ..base() }, Quiet::BeforeJoin),
            ("older than the catch-up window", Facts { age_ms: 16 * 60_000, ..base() }, Quiet::TooOld),
            ("empty", Facts { body: "  ", ..base() }, Quiet::Empty),
            ("chatter in an answer_all room", Facts { question_like: false, ..base() }, Quiet::NotAddressed),
            (
                "a question in a room without answer_all",
                Facts { room: RoomKind::Configured { answer_all: false }, ..base() },
                Quiet::NotAddressed,
            ),
            ("a question in another room", Facts { room: RoomKind::Other, ..base() }, Quiet::NotAddressed),
            (
                "an unreadable message in another room",
                Facts { kind: Kind::Undecryptable, body: "", room: RoomKind::Other, ..base() },
                Quiet::NotAddressed,
            ),
            ("a crisis from before the join", Facts { crisis: true, before_join: true, ..base() }, Quiet::BeforeJoin),
            ("a crisis older than a day", Facts { crisis: true, age_ms: 25 * 3_600_000, ..base() }, Quiet::TooOld),
        ];
        for (what, facts, want) in cases {
            assert_eq!(classify(&facts, CATCH_UP), Classified::Quiet(want), "{what}");
        }
    }

    #[test]
    fn what_is_for_the_bot() {
        let cases: Vec<(&str, Facts, Classified)> = vec![
            ("a question in an answer_all room", base(), Classified::Question { always: false }),
            (
                "anything in a DM",
                Facts { room: RoomKind::Direct, body: "velat", question_like: false, ..base() },
                Classified::Question { always: true },
            ),
            (
                "a mention in another room",
                Facts { room: RoomKind::Other, mentions_bot: true, ..base() },
                Classified::Question { always: true },
            ),
            (
                "a follow-up in the bot's thread, overheard",
                Facts { room: RoomKind::Configured { answer_all: false }, in_bot_thread: true, ..base() },
                Classified::Question { always: false },
            ),
            (
                "sent while the bot was down, within the window",
                Facts { age_ms: 14 * 60_000, ..base() },
                Classified::Question { always: false },
            ),
            (
                "a crisis in an answer_all room, whatever its form",
                Facts { crisis: true, question_like: false, ..base() },
                Classified::Question { always: true },
            ),
            (
                "a crisis in another room",
                Facts { room: RoomKind::Other, crisis: true, ..base() },
                Classified::Question { always: true },
            ),
            (
                "a crisis sent an hour ago while the bot was down",
                Facts { crisis: true, age_ms: 3_600_000, ..base() },
                Classified::Question { always: true },
            ),
            ("a command anywhere", Facts { room: RoomKind::Other, body: "!hjälp", ..base() }, {
                Classified::Command(Command::Help, Lang::Sv)
            }),
            (
                "an unreadable message in a DM",
                Facts { kind: Kind::Undecryptable, body: "", room: RoomKind::Direct, ..base() },
                Classified::Undecryptable,
            ),
        ];
        for (what, facts, want) in cases {
            assert_eq!(classify(&facts, CATCH_UP), want, "{what}");
        }
    }

    fn limiter(per_user: usize, global: usize) -> Limiter {
        Limiter::new(Limits { per_user, per_room: 30, global, window: Duration::from_secs(60) })
    }

    #[test]
    fn what_is_sent_given_the_answer_and_the_budget() {
        let now = Instant::now();
        let q = |always| Classified::Question { always };
        // (what, classified, answerable, crisis, budget used up by this many earlier replies of
        // the same person (per-user limit 2, global 4), want)
        let cases: Vec<(&str, Classified, bool, bool, usize, Action)> = vec![
            ("a confident overheard answer", q(false), true, false, 0, Action::Answer),
            ("an overheard question without an answer", q(false), false, false, 0, Action::Silent(Quiet::NoAnswer)),
            ("an addressed question without an answer", q(true), false, false, 0, Action::Answer),
            ("over the personal budget: one notice", q(true), true, false, 2, Action::FloodNotice),
            ("a crisis over the personal budget", q(false), false, true, 2, Action::Answer),
            ("a crisis at the global limit", q(true), true, true, 4, Action::CrisisNotice),
            ("a command", Classified::Command(Command::Help, Lang::Fi), true, false, 0, {
                Action::Command(Command::Help, Lang::Fi)
            }),
            ("commands share the budget", Classified::Command(Command::Help, Lang::Fi), true, false, 2, {
                Action::FloodNotice
            }),
            ("an unreadable message", Classified::Undecryptable, false, false, 0, Action::UndecryptableNotice),
            ("quiet stays quiet", Classified::Quiet(Quiet::Edit), true, true, 0, Action::Silent(Quiet::Edit)),
        ];
        for (what, classified, answerable, crisis, used, want) in cases {
            let mut l = limiter(2, 4);
            for i in 0..used {
                // Earlier replies: the person's own, then others' to fill the global budget.
                let user = if i < 2 { "u" } else { "other" };
                let _ = l.spend(user, &format!("room{i}"), now, false);
            }
            let who = Who { user: "u", room: "r", now };
            assert_eq!(admit(classified, answerable, crisis, &mut l, who), want, "{what}");
        }
    }

    #[test]
    fn after_the_flood_notice_there_is_silence_and_quiet_messages_cost_nothing() {
        let mut l = limiter(8, 300);
        let who = Who { user: "u", room: "r", now: Instant::now() };
        // Six chat messages that get no reply do not use the budget…
        for _ in 0..6 {
            let action = admit(Classified::Question { always: false }, false, false, &mut l, who);
            assert_eq!(action, Action::Silent(Quiet::NoAnswer));
        }
        // …so a rephrasing resident gets eight answers, then one notice, then silence.
        let got: Vec<Action> =
            (0..12).map(|_| admit(Classified::Question { always: true }, true, false, &mut l, who)).collect();
        assert!(got[..8].iter().all(|a| *a == Action::Answer), "{got:?}");
        assert_eq!(got[8], Action::FloodNotice);
        assert!(got[9..].iter().all(|a| *a == Action::Silent(Quiet::OverBudget)));
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
}
