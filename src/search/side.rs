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

use super::people::{self, Who};
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
    /// A child hits or rages ("vår son slår omkring sig", "poikani raivoaa ja lyö"), not at
    /// the asker: a question of upbringing, or of the child's own distress, more than of
    /// violence in the home.
    Child,
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

/// Rages and outbursts, besides the violent acts of [`HARMED`]: what a child "does" in a
/// parent's story ("huutaa ja raivoaa", "skriker och slåss").
const RAGES: &[&str] = &[
    "huutaa",
    "raivoaa",
    "raivoo",
    "riehuu",
    "kiukuttelee",
    "puree",
    "tappelee",
    "aggressiivinen",
    "aggressiivisesti",
    "skriker",
    "slåss",
    "biter",
    "bråkar",
    "aggressiv",
    "aggressivt",
    "screams",
    "yells",
    "bites",
    "fights",
    "aggressive",
];

/// Inflected forms and words for a child as the subject of a sentence beyond the people words
/// ([`people::PEOPLE`]): possessives ("poikamme"), definite forms ("pojken") and times of
/// childhood ("taapero", "toddler").
const MORE_CHILDREN: &[&str] = &[
    "poikamme",
    "tyttäremme",
    "vauvani",
    "vauvamme",
    "taapero",
    "taaperomme",
    "teinimme",
    "esikoinen",
    "esikoisemme",
    "kuopus",
    "kuopuksemme",
    "uhmaikäinen",
    "pojken",
    "flickan",
    "tonåringen",
    "bebisen",
    "toddler",
    "boy",
    "girl",
];
/// Inflected forms of the other people of a family story beyond the people words, who stop
/// the look-back for a subject.
const MORE_ADULTS: &[&str] =
    &["exäni", "isäni", "äitini", "isäpuoli", "äitipuoli", "mannen", "frun", "sambon", "stepfather"];
const PRONOUNS: &[&str] = &["hän", "se", "han", "hon", "he", "she"];
/// Swedish and English pronouns of one sex, and the words for people of the other, whom they
/// cannot stand for ("min fru. Han slår" is not the wife).
const HE: &[&str] = &["han", "he"];
const SHE: &[&str] = &["hon", "she"];
const WOMEN: &[&str] = &[
    "fru", "frun", "hustru", "mamma", "mamman", "syster", "systern", "dotter", "dottern", "flicka", "flickan", "wife",
    "mother", "mom", "mum", "sister", "daughter", "girl",
];
const MEN: &[&str] = &[
    "man", "mannen", "make", "maken", "pappa", "pappan", "bror", "brodern", "son", "sonen", "pojke", "pojken",
    "husband", "father", "dad", "brother", "boy",
];
/// Words for several children at once, whom "han" or "she" does not stand for.
const CHILDREN_TOGETHER: &[&str] = &["barn", "barnen", "children", "kids"];
/// Words before a person that make them the object of a verb, not its subject: "han slår
/// sin syster", "he hits his sister".
const OBJECT_MARKERS: &[&str] = &["sin", "sitt", "sina", "hans", "hennes", "his", "her", "their"];
/// Objects that make a child's blows violence against the asker ("poikani lyö minua").
const ASKER_OBJECTS: &[&str] = &["minua", "mua", "meitä", "mig", "oss", "me", "us"];
/// How many words before a verb its subject is looked for ("min son som är nio år blir lätt
/// aggressiv").
const SUBJECT_REACH: usize = 8;

/// Whether a word names a child as a subject ("åttaåringen" as well as "sonen").
fn is_child(word: &str) -> bool {
    people::role_of(word) == Some(Who::Child) || MORE_CHILDREN.contains(&word) || word.ends_with("åringen")
}

/// Whether a word names another person of the story: a partner, a parent, someone close.
fn is_adult(word: &str) -> bool {
    matches!(people::role_of(word), Some(Who::Partner | Who::CloseOne)) || MORE_ADULTS.contains(&word)
}

/// Whether a child is the one who hits or rages in these words, and no one else: every such
/// verb has a child as its subject (the nearest person before it, or a pronoun whose nearest
/// person before it is one: "Vår son är arg. Han skriker och slår omkring sig") and none is
/// at the asker. Blows by anyone else, or with no subject to tell, keep the violence the
/// question ("mieheni lyö minua ja poikamme raivoaa").
fn child_acts(words: &[&str]) -> bool {
    let is_object = |i: usize| i > 0 && OBJECT_MARKERS.contains(&words[i - 1]);
    let person_before = |end: usize, reach: usize| {
        let start = end.saturating_sub(reach);
        (start..end).rev().find(|&i| {
            let w = words[i];
            (is_child(w) || is_adult(w) || PRONOUNS.contains(&w)) && !is_object(i)
        })
    };
    // The person a pronoun stands for: the nearest one before it that it can name. A
    // pronoun of one sex names no one of the other, nor children spoken of together.
    let named_by = |pronoun: usize| {
        let p = words[pronoun];
        let gendered = HE.contains(&p) || SHE.contains(&p);
        (0..pronoun).rev().find(|&i| {
            let w = words[i];
            let other_sex = HE.contains(&p) && WOMEN.contains(&w) || SHE.contains(&p) && MEN.contains(&w);
            (is_child(w) || is_adult(w)) && !other_sex && !(gendered && CHILDREN_TOGETHER.contains(&w))
        })
    };
    let acts = |w: &&str| RAGES.contains(w) || HARMED.iter().any(|p| p.len() == 1 && p[0] == *w);
    let by_child = |i: usize| {
        let at_asker = words.get(i + 1).is_some_and(|o| ASKER_OBJECTS.contains(o));
        !at_asker
            && match person_before(i, SUBJECT_REACH) {
                Some(s) if PRONOUNS.contains(&words[s]) => named_by(s).is_some_and(|p| is_child(words[p])),
                Some(s) => is_child(words[s]),
                None => false,
            }
    };
    let mut verbs = words.iter().enumerate().filter(|(_, w)| acts(w)).map(|(i, _)| i).peekable();
    verbs.peek().is_some() && verbs.all(by_child)
}

/// The side of the asker in a message with these (lowercased) words. A first-person form
/// decides: "pelkään että lyön, kun hän huutaa" is someone who fears they will hit.
pub fn of_words(words: &[&str]) -> Side {
    let has = |phrases: &[&[&str]]| phrases.iter().any(|p| words.windows(p.len()).any(|w| w == *p));
    if has(HARMING) {
        Side::Harming
    } else if child_acts(words) {
        Side::Child
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
                Side::Unknown | Side::Child => {}
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
            ("poikamme raivoaa ja lyö kavereitaan", Side::Child),
            ("Vår dotter är fyra. Hon skriker och slår omkring sig när hon blir arg", Side::Child),
            ("our toddler bites other kids at daycare", Side::Child),
            ("poikamme on ollut aggressiivinen koulussa", Side::Child),
            ("min man blir aggressiv", Side::Unknown),
            ("poikani lyö minua", Side::Harmed),
            ("mieheni lyö poikaamme", Side::Harmed),
            ("poika kertoi että isä lyö äitiä", Side::Harmed),
            ("min man är full och han slår", Side::Harmed),
            ("mieheni lyö minua ja poikamme raivoaa", Side::Harmed),
            ("isä huutaa ja poikamme lyö kavereita", Side::Harmed),
            (
                "min son som är nio år blir lätt aggressiv när han får en tillsägelse av mig eller min fru. \
                 han slår sin syster, slår i dörrar",
                Side::Child,
            ),
            ("min fru är rädd. han slår henne", Side::Harmed),
            ("my son is angry at his sister and hits her", Side::Child),
            ("min dotter blir kränkt av sin man. de har fyra barn tillsammans, han hotar henne", Side::Harmed),
        ];
        for (message, want) in cases {
            assert_eq!(of_tokens(&text::tokens(message)), want, "{message}");
        }
    }
}
