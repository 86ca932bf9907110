//! Short replies that are not answers to a question: help, command replies and notices.
//! They go through the answers' renderer, so their plain and HTML bodies say the same and
//! every text is escaped.

use chrono::DateTime;
use chrono_tz::Tz;

use super::{Block, Input, Reply, compose, offer_human, render_html, render_plain, text};
use crate::i18n::Locales;
use crate::knowledge::Knowledge;
use crate::lang::Lang;
use crate::safety::Crisis;

/// A reply of plain paragraphs.
pub fn paragraphs(paragraphs: impl IntoIterator<Item = String>) -> Reply {
    let blocks: Vec<Block> = paragraphs.into_iter().map(|p| Block::Para(vec![text(p)])).collect();
    Reply { plain: render_plain(&blocks), html: render_html(&blocks) }
}

/// Two replies as one: `first`'s blocks, then `second`'s.
pub fn join(first: Reply, second: Reply) -> Reply {
    Reply { plain: format!("{}\n\n{}", first.plain, second.plain), html: format!("{}{}", first.html, second.html) }
}

/// One locale message as a reply.
pub fn message(lang: Lang, id: &str, args: &[(&str, &str)], locales: &Locales) -> Reply {
    paragraphs([locales.text(lang, id, args)])
}

/// The help text: what the bot does, how private the room is, the commands, the
/// emergency number, and someone to talk to around the clock.
pub fn help(lang: Lang, private: bool, knowledge: &Knowledge, locales: &Locales) -> Reply {
    let t = |id: &str| locales.text(lang, id, &[]);
    let privacy = if private { "help-privacy-direct" } else { "help-privacy-public" };
    let mut parts = vec![t("help-intro"), t(privacy), t("help-commands"), t("help-crisis")];
    parts.extend(offer_human(knowledge, lang, locales));
    paragraphs(parts)
}

/// The fixed crisis reply (112 and the 24/7 lines of `knowledge/crisis.toml`), without a
/// search: what a message that signals a risk to life gets when nothing else can be sent.
pub fn crisis(lang: Lang, crisis: Crisis, knowledge: &Knowledge, locales: &Locales, now: DateTime<Tz>) -> Reply {
    // Whatever the detector said, this reply is about a life in danger.
    let crisis = if crisis.any() { crisis } else { Crisis { self_harm: true, violence: false } };
    compose(
        &Input { lang, crisis, confident: false, place: None, results: &[], now, not_ours: false, ask_place: None },
        knowledge,
        locales,
    )
}

/// "I could not read your message": in the asker's language if known, else in all three.
pub fn undecryptable(lang: Option<Lang>, locales: &Locales) -> Reply {
    match lang {
        Some(lang) => message(lang, "undecryptable-notice", &[], locales),
        None => paragraphs(Lang::ALL.map(|l| locales.text(l, "undecryptable-notice", &[]))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_escaped_and_rendered_like_answers() {
        let reply = paragraphs(["a <b> & c".to_owned(), "second".to_owned()]);
        assert_eq!(reply.plain, "a <b> & c\n\nsecond");
        assert_eq!(reply.html, "<p>a &lt;b&gt; &amp; c</p><p>second</p>");
    }

    #[test]
    fn an_unreadable_message_of_an_unknown_language_is_asked_again_in_all_three() {
        let locales = Locales::new().unwrap();
        let all = undecryptable(None, &locales);
        for lang in Lang::ALL {
            assert!(all.plain.contains(&locales.text(lang, "undecryptable-notice", &[])), "{lang}");
        }
        assert_eq!(undecryptable(Some(Lang::Sv), &locales).plain, locales.text(Lang::Sv, "undecryptable-notice", &[]));
    }
}
