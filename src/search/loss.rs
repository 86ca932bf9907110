//! Whether the asker tells of losing someone close: "I lost my spouse to cancer", "jag
//! förlorade min sambo", "min syster var borta för alltid", "mamma gick bort".
//!
//! Grief is often told, not named. The words "lost" and "förlorade" alone say little ("lost
//! my library card", "förlorade jobbet"), and the person words alone say who is involved,
//! not what happened; together they are a loss, which crisis help is for. Read from the word
//! forms as written, like the side of violence ([`super::side`]).

use super::people;
use crate::understand::Token;

/// Words that lose someone when a person word follows, after at most [`REACH`] words of
/// [`BETWEEN`] ("lost my husband", "förlorade min sambo", "menetin äitini", "saknar min
/// mormor").
const LOSE: &[&str] = &[
    "lost",
    "losing",
    "lose",
    "förlorade",
    "förlorat",
    "förlora",
    "miste",
    "mist",
    "mista",
    "saknar",
    "saknade",
    "menetin",
    "menetimme",
    "menetti",
    "menettänyt",
    "menettäneet",
    "menettäessäni",
];

/// Words that may stand between a loss word and the person: possessives and the few
/// adjectives of love ("lost my best friend", "menetin rakkaan isäni"). "I feel lost and my
/// mother…" has "and" between: no loss.
const BETWEEN: &[&str] = &[
    "my", "our", "his", "her", "their", "a", "the", "best", "dear", "beloved", "little", "only", "min", "mitt", "mina",
    "vår", "våra", "kära", "älskade", "lilla", "bästa", "enda", "rakkaan", "rakas", "oman", "ainoan", "pienen",
    "parhaan",
];

/// Words that say a person is gone when they follow a person word within [`REACH`] words
/// ("mamma gick bort", "min syster var borta för alltid", "my dad is gone"): each a run of
/// consecutive words.
const GONE: &[&[&str]] = &[
    &["gick", "bort"],
    &["gått", "bort"],
    &["borta", "för", "alltid"],
    &["is", "gone"],
    &["was", "gone"],
    &["gone", "forever"],
    &["passed", "away"],
    &["poissa", "ikuisesti"],
    &["nukkui", "pois"],
];

/// How many words may stand between the loss and the person ("lost my best friend"), or
/// between the person and the words that say they are gone ("min syster var borta för
/// alltid").
const REACH: usize = 2;

/// Whether the tokens tell of losing someone close.
pub fn tells_of_losing_someone(tokens: &[Token]) -> bool {
    let words: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    let loses = words.iter().enumerate().filter(|(_, w)| LOSE.contains(w)).any(|(i, _)| {
        let person = words[i + 1..].iter().take(REACH + 1).find(|w| !BETWEEN.contains(w));
        person.is_some_and(|w| names_someone_close(w))
    });
    let gone = || {
        GONE.iter().any(|run| {
            words
                .windows(run.len())
                .enumerate()
                .any(|(i, w)| w == *run && words[i.saturating_sub(REACH + 1)..i].iter().any(|w| names_someone_close(w)))
        })
    };
    loses || gone()
}

/// Whether a lowercased word names a person close to the asker (a partner, a child, someone
/// else close), also with a Finnish possessive suffix ("äitini", "isänsä", "siskomme").
fn names_someone_close(word: &str) -> bool {
    const POSSESSIVE: &[&str] = &["ni", "si", "nsa", "nsä", "mme", "nne"];
    let close = |w: &str| people::role_of(w).is_some();
    close(word) || POSSESSIVE.iter().any(|s| word.strip_suffix(s).is_some_and(close))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::text::tokens;

    #[test]
    fn a_loss_is_a_loss_verb_next_to_a_person_or_a_person_said_to_be_gone() {
        let cases = [
            ("A few months ago I lost my spouse to cancer", true),
            ("I have struggled with losing my best friend", true),
            ("Om sex dagar är det åtta år sen jag förlorade min sambo", true),
            ("Jag saknar min mormor så att det värker", true),
            ("Jag kunde inte förstå att min syster var borta för alltid", true),
            ("min mamma gick bort i våras", true),
            ("Menetin äitini keväällä", true),
            ("my dad passed away last week", true),
            // Losing things, jobs or oneself is no loss of someone.
            ("Help, I lost my library card!", false),
            ("jag förlorade jobbet och har skulder", false),
            ("menetin työpaikkani", false),
            ("I feel lost and my mother does not understand", false),
            ("ta bort min son från listan", false),
            ("pappa är borta på jobbet hela dagarna", false),
        ];
        for (text, want) in cases {
            assert_eq!(tells_of_losing_someone(&tokens(text)), want, "{text}");
        }
    }
}
