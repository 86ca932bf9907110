//! Which side of violence the asker is on. "Mies lyö mua" (a man hits me) and "pelkään että
//! lyön" (I am afraid I will hit) share the lemma *lyödä*, so the words alone match the same
//! services; but the first asker needs help against violence, the second help to stop using
//! it, and a service only for people who use violence (Lyömätön Linja) is the wrong first
//! answer to someone being hit.
//!
//! Read from the word forms, which keep the person: a first-person form ("lyön", "jag slår",
//! "I hit") is the asker using violence; a third-person or passive form ("lyö", "slår mig",
//! "hits me") is violence against the asker or their close ones. The same reading of a
//! service's keywords tells whether it serves only those who use violence
//! ([`serves_only_those_who_harm`]).

use crate::knowledge::Service;
use crate::lang::Lang;
use crate::understand::text;

/// The asker's side of the violence a message tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// No violence verb, or no way to tell.
    #[default]
    Unknown,
    /// Someone uses violence against the asker or their close ones.
    Harmed,
    /// The asker uses violence, or fears they will.
    Harming,
}

/// First-person forms: the asker uses violence. Consecutive words.
const HARMING: &[&[&str]] = &[
    &["lyön"],
    &["löin"],
    &["lyöväni"],
    &["hakkaan"],
    &["hakkasin"],
    &["satutan"],
    &["satutin"],
    &["satuttavani"],
    &["olen", "lyönyt"],
    &["oon", "lyöny"],
    &["oon", "lyönyt"],
    &["halua", "lyödä"],
    &["käytän", "väkivaltaa"],
    &["käyttänyt", "väkivaltaa"],
    &["jag", "slår"],
    &["jag", "slog"],
    &["har", "slagit"],
    &["jag", "använder", "våld"],
    &["har", "använt", "våld"],
    &["i", "hit"],
    &["i", "beat"],
    &["have", "hit"],
    &["ve", "hit"],
    &["i", "use", "violence"],
    &["used", "violence"],
];

/// Third-person and passive forms: someone uses violence against the asker or their close
/// ones. Single words, or a verb with "me".
const HARMED: &[&[&str]] = &[
    &["lyö"],
    &["löi"],
    &["lyövät"],
    &["lyödään"],
    &["hakkaa"],
    &["hakkasi"],
    &["potkii"],
    &["potki"],
    &["kuristi"],
    &["kuristaa"],
    &["uhkailee"],
    &["uhkaili"],
    &["pahoinpitelee"],
    &["pahoinpiteli"],
    &["raiskasi"],
    &["satuttaa"],
    &["satutti"],
    &["tönii"],
    &["tönäisi"],
    &["slår"],
    &["slog"],
    &["hotar"],
    &["hotade"],
    &["misshandlar"],
    &["misshandlade"],
    &["sparkar"],
    &["sparkade"],
    &["våldtog"],
    &["hits"],
    &["beats"],
    &["threatens"],
    &["kicks"],
    &["abuses"],
    &["hit", "me"],
    &["beat", "me"],
    &["hurts", "me"],
];

/// The side of the asker in a message with these (lowercased) words. A first-person form
/// decides: "pelkään että lyön, kun hän huutaa" is someone who fears they will hit.
pub fn of_words(words: &[&str]) -> Side {
    let has = |phrases: &[&[&str]]| phrases.iter().any(|p| words.windows(p.len()).any(|w| w == *p));
    if has(HARMING) {
        Side::Harming
    } else if has(HARMED) {
        Side::Harmed
    } else {
        Side::Unknown
    }
}

/// The side of the asker in a message's tokens.
pub fn of_tokens(tokens: &[crate::understand::Token]) -> Side {
    let words: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    of_words(&words)
}

/// Whether a service serves only those who use violence: some of its keywords are in the
/// first person of violence ("olen lyönyt", "jag har slagit") and none tells of violence
/// against the asker ("mies lyö"). A service that helps both sides (Viola) is not.
pub fn serves_only_those_who_harm(service: &Service) -> bool {
    let mut harming = false;
    for lang in Lang::ALL {
        for keyword in service.keywords.get(lang) {
            let tokens = text::tokens(keyword);
            match of_tokens(&tokens) {
                Side::Harmed => return false,
                Side::Harming => harming = true,
                Side::Unknown => {}
            }
        }
    }
    harming
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_of_the_asker() {
        let cases = [
            ("mies lyö mua ja lapset pelkää", Side::Harmed),
            ("mieheni löi minua eilen", Side::Harmed),
            ("isä hakkaa äitiä", Side::Harmed),
            ("pelkään että lyön lastani", Side::Harming),
            ("olen lyönyt vaimoani, miten lopetan", Side::Harming),
            ("en halua lyödä ketään", Side::Harming),
            ("min man slår mig", Side::Harmed),
            ("jag slår min fru när jag blir arg", Side::Harming),
            ("jag har slagit mina barn", Side::Harming),
            ("my husband hits me", Side::Harmed),
            ("he hit me last night", Side::Harmed),
            ("i hit my partner and want to stop", Side::Harming),
            ("mistä saa apua velkoihin", Side::Unknown),
            ("väkivalta kotona", Side::Unknown),
        ];
        for (message, want) in cases {
            assert_eq!(of_tokens(&text::tokens(message)), want, "{message}");
        }
    }
}
