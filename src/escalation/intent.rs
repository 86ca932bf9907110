//! Does a resident ask for a person, not the bot? ("haluan puhua ihmisen kanssa", "voiko
//! joku oikea ihminen auttaa", "jag vill prata med en människa", "can I talk to a real
//! person"). Pure: the words of the message against small word lists, with one typo allowed
//! in longer words, since residents write fast.
//!
//! "Talk to someone" alone is not a request for a volunteer: "haluan jutella jonkun kanssa,
//! on paha olla" asks for a help line, which the answer gives. The request needs a word for a
//! human (ihminen, människa, person, vapaaehtoinen…) together with a word of talking or
//! contact, or words that set a human against the bot ("oikea", "riktig", "real", "botti").

/// Words for a human being, a person, a volunteer or staff, in the forms residents write.
const PERSON: &[&str] = &[
    "ihminen",
    "ihmisen",
    "ihmistä",
    "ihmiselle",
    "ihmiseltä",
    "ihmisellä",
    "ihmisenä",
    "ihmisee",
    "ihmisel",
    "ihmine",
    "ihmistä",
    "henkilö",
    "henkilön",
    "henkilölle",
    "henkilöä",
    "henkilöltä",
    "vapaaehtoinen",
    "vapaaehtoisen",
    "vapaaehtoiselle",
    "vapaaehtoista",
    "vapaaehtoisia",
    "vapaaehtoisten",
    "työntekijä",
    "työntekijän",
    "työntekijälle",
    "työntekijää",
    "asiakaspalvelu",
    "asiakaspalvelija",
    "människa",
    "människan",
    "människor",
    "manniska",
    "personal",
    "frivillig",
    "frivilliga",
    "volontär",
    "volontären",
    "handläggare",
    "human",
    "humans",
    "person",
    "persons",
    "someone real",
    "volunteer",
    "volunteers",
    "staff",
    "agent",
];

/// Words of talking, writing or getting in touch (prefixes).
const TALK: &[&str] = &[
    "puhu", "jutel", "jutt", "keskust", "kirjoitt", "yhtey", "tavoitt", "vastaa", "prata", "tala ", "talar", "snacka",
    "chatta", "skriva", "kontakt", "nå ", "talk", "speak", "chat", "contact", "reach", "connect", "get hold",
];

/// Words that set a human against the bot (prefixes).
const REAL: &[&str] = &[
    "oikea", "oikee", "oikealle", "elävä", "elävän", "aito", "aidon", "riktig", "verklig", "äkta", "levande", "real ",
    "actual", "live ", "botti", "botin", "botille", "robot", "bot ", "bot?", "bot.", "konee", "kone ", "maskin",
];

/// How much of a long message is read: its start and its end (a long story may end with the
/// request). Every word is compared with the word list, typos allowed, so a 64 KiB paste
/// read whole would cost a thousand times a question.
const READ_HEAD: usize = 2000;
const READ_TAIL: usize = 500;

/// Whether `text` asks for a person instead of the bot (only the start and the end of a very
/// long message are read).
pub fn asks_for_person(text: &str) -> bool {
    let text = bounded(text);
    let lower = format!(" {} ", text.to_lowercase());
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has_person = words.iter().any(|w| is_person_word(w)) || lower.contains("someone real");
    if !has_person {
        return false;
    }
    let has = |list: &[&str]| {
        list.iter().any(|p| {
            let p = p.trim_end();
            words.iter().any(|w| w.starts_with(p)) || (p.contains(' ') && lower.contains(p))
        })
    };
    has(TALK) || has(REAL)
}

/// The first [`READ_HEAD`] and the last [`READ_TAIL`] characters of a longer text.
fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    // Bytes bound characters from above: most messages are returned as they are at once.
    if text.len() <= READ_HEAD + READ_TAIL {
        return text.into();
    }
    let chars = text.chars().count();
    if chars <= READ_HEAD + READ_TAIL {
        return text.into();
    }
    let head_end = text.char_indices().nth(READ_HEAD).map_or(text.len(), |(i, _)| i);
    let tail_start = text.char_indices().nth(chars - READ_TAIL).map_or(text.len(), |(i, _)| i);
    format!("{} … {}", &text[..head_end], &text[tail_start..]).into()
}

fn is_person_word(word: &str) -> bool {
    PERSON.iter().any(|p| {
        *p == word || (word.chars().count() >= 6 && p.chars().count() >= 6 && strsim::osa_distance(p, word) <= 1)
    })
}

/// Whether a command word (`!ihminen`, typos and inflections included) asks for a person.
pub fn is_person_command(word: &str) -> bool {
    let word = word.to_lowercase();
    [
        "ihmi",
        "ihmn",
        "henkil",
        "vapaaehto",
        "männi",
        "manni",
        "männi",
        "människ",
        "human",
        "person",
        "volunt",
        "frivill",
    ]
    .iter()
    .any(|p| word.starts_with(p))
        || is_person_word(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_a_person_in_three_languages_with_inflections_and_typos() {
        for q in [
            "haluan puhua ihmisen kanssa",
            "voiko joku oikea ihminen auttaa",
            "Voinko jutella vapaaehtoisen kanssa?",
            "haluun puhuu ihmisne kanssa",
            "en halua puhua botille, onko siellä ihminen",
            "saisinko yhteyden työntekijään? haluan puhua henkilölle",
            "jag vill prata med en människa",
            "kan jag få prata med en riktig människa",
            "finns det en frivillig jag kan skriva till",
            "can I talk to a real person",
            "is there a human I can chat with?",
            "I want to speak to a volunteer",
        ] {
            assert!(asks_for_person(q), "{q}");
        }
    }

    #[test]
    fn questions_about_help_or_about_people_are_not_requests_for_a_volunteer() {
        for q in [
            "haluan jutella jonkun kanssa, on paha olla",
            "mieheni on väkivaltainen ihminen, mistä apua",
            "kuka auttaa ihmistä jolla on velkoja",
            "mistä saa apua velkoihin",
            "var får jag prata med någon om skulder",
            "en person i min familj dricker",
            "where can I talk to someone about my debts",
            "ihmiset ovat ilkeitä",
        ] {
            assert!(!asks_for_person(q), "{q}");
        }
    }

    #[test]
    fn a_long_message_is_read_at_its_start_and_end() {
        let story = "olen miettinyt asiaa pitkään ja kirjoitan tähän kaiken ".repeat(1200);
        assert!(story.len() > 64_000);
        assert!(asks_for_person(&format!("haluan puhua ihmisen kanssa. {story}")), "at the start");
        assert!(asks_for_person(&format!("{story} voinko puhua oikean ihmisen kanssa?")), "at the end");
        // In the middle of a 64 KiB paste it is not read (it would cost the whole text).
        let middle = format!("{story} haluan puhua ihmisen kanssa {story}");
        assert!(!asks_for_person(&middle));
        assert_eq!(bounded(&middle).chars().count(), READ_HEAD + READ_TAIL + 3);
        assert_eq!(bounded("lyhyt"), "lyhyt");
        // Character boundaries, not bytes.
        let emoji = "😀".repeat(3000);
        assert_eq!(bounded(&emoji).chars().count(), READ_HEAD + READ_TAIL + 3);
    }

    #[test]
    fn the_command_word_in_any_form() {
        for w in [
            "ihminen",
            "IHMINEN",
            "ihmiselle",
            "ihmine",
            "människa",
            "manniska",
            "human",
            "humans",
            "person",
            "volunteer",
        ] {
            assert!(is_person_command(w), "{w}");
        }
        for w in ["apu", "help", "paikka", "hjälp", "peru"] {
            assert!(!is_person_command(w), "{w}");
        }
    }
}
