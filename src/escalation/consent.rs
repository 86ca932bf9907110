//! Reading a resident's answer to the consent question. Only a clear yes is consent; a no, a
//! cancel, silence or anything unclear forwards nothing.

/// What an answer to the consent question means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// Stay in the public thread instead of a private chat.
    StayHere,
}

const YES: &[&str] = &[
    "kyllä", "kylla", "kyl", "joo", "juu", "jep", "jees", "ok", "okei", "okey", "käy", "sopii", "saa", "haluan", "ja",
    "japp", "jo", "javisst", "absolut", "gärna", "yes", "yeah", "yep", "yup", "sure", "okay", "please", "✅", "👍",
    "✔", "✔️", "☑️",
];
const NO: &[&str] =
    &["ei", "en", "älä", "eipä", "nej", "nä", "nää", "inte", "no", "nope", "nah", "don't", "❌", "👎", "✖️"];
const HERE: &[&str] = &["täällä", "tässä", "tänne", "julkisesti", "här", "hit", "offentligt", "here", "public"];

/// Reads an answer (a message or a reaction key): its first word decides ("kyllä kiitos",
/// "ei kiitos", "ja gärna"), and a message that is not an answer gives `None`.
pub fn read(text: &str) -> Option<Answer> {
    let lower = text.trim().to_lowercase();
    let first: String = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?'))
        .find(|w| !w.is_empty())?
        .to_owned();
    // A long message is a question of its own, whatever its first word.
    if lower.split_whitespace().count() > 6 {
        return None;
    }
    if HERE.contains(&first.as_str()) {
        return Some(Answer::StayHere);
    }
    if NO.contains(&first.as_str()) {
        return Some(Answer::No);
    }
    if YES.contains(&first.as_str()) {
        return Some(Answer::Yes);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_three_languages_and_reactions() {
        let cases = [
            ("kyllä", Some(Answer::Yes)),
            ("Kyllä kiitos!", Some(Answer::Yes)),
            ("joo", Some(Answer::Yes)),
            ("ja", Some(Answer::Yes)),
            ("Ja, gärna", Some(Answer::Yes)),
            ("yes please", Some(Answer::Yes)),
            ("✅", Some(Answer::Yes)),
            ("ei", Some(Answer::No)),
            ("ei kiitos", Some(Answer::No)),
            ("nej tack", Some(Answer::No)),
            ("no", Some(Answer::No)),
            ("❌", Some(Answer::No)),
            ("täällä", Some(Answer::StayHere)),
            ("här", Some(Answer::StayHere)),
            ("here is fine", Some(Answer::StayHere)),
            ("en tiedä", Some(Answer::No)),
            ("mistä saa apua velkoihin?", None),
            ("ja sitten mies alkoi juoda joka ilta eikä lopeta", None),
            ("", None),
            ("   ", None),
        ];
        for (text, want) in cases {
            assert_eq!(read(text), want, "{text:?}");
        }
    }
}
