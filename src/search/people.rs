//! Words that name people, by their role in the asker's story: a partner, a child, someone
//! else close. The intent reads them (through their analysed forms) to tell who needs help;
//! the side of violence reads them as written, to tell who acts ([`role_of`]).

use crate::lang::Lang;

/// Who the asker says is involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Who {
    /// The asker, or the message does not say.
    #[default]
    Asker,
    /// A child or young person of the asker's.
    Child,
    /// The asker's partner (or former partner).
    Partner,
    /// Someone else close: a parent, a sibling, a friend, "a close one".
    CloseOne,
}

/// Words that name people, by role, in the form residents write them; inflected forms meet
/// them through their analysis (base forms, stems).
pub const PEOPLE: &[(Who, Lang, &[&str])] = &[
    (
        Who::Partner,
        Lang::Fi,
        &[
            "mies",
            "mieheni",
            "vaimo",
            "vaimoni",
            "puoliso",
            "puolisoni",
            "kumppani",
            "avomies",
            "avovaimo",
            "poikaystävä",
            "tyttöystävä",
            "miesystävä",
            "naisystävä",
            "exä",
            "entinen",
        ],
    ),
    (
        Who::Partner,
        Lang::Sv,
        &[
            "man",
            "maken",
            "make",
            "fru",
            "frun",
            "hustru",
            "sambo",
            "partner",
            "pojkvän",
            "flickvän",
            "expartner",
            "exet",
        ],
    ),
    (Who::Partner, Lang::En, &["husband", "wife", "partner", "boyfriend", "girlfriend", "spouse", "ex"]),
    (
        Who::Child,
        Lang::Fi,
        &[
            "lapsi",
            "lapseni",
            "lapsemme",
            "poika",
            "poikani",
            "tytär",
            "tyttäreni",
            "nuori",
            "nuoreni",
            "teini",
            "vauva",
            "tyttö",
        ],
    ),
    (
        Who::Child,
        Lang::Sv,
        &[
            "barn",
            "barnet",
            "son",
            "sonen",
            "dotter",
            "dottern",
            "tonåring",
            "bebis",
            "tjej",
            "kille",
            "pojke",
            "flicka",
        ],
    ),
    (Who::Child, Lang::En, &["child", "children", "kid", "kids", "son", "daughter", "teenager", "teen", "baby"]),
    (
        Who::CloseOne,
        Lang::Fi,
        &[
            "läheinen",
            "omainen",
            "äiti",
            "isä",
            "vanhempi",
            "veli",
            "sisko",
            "sisar",
            "kaveri",
            "ystävä",
            "sukulainen",
            "isovanhempi",
            "mummo",
            "ukki",
        ],
    ),
    (
        Who::CloseOne,
        Lang::Sv,
        &[
            "anhörig",
            "närstående",
            "mamma",
            "pappa",
            "förälder",
            "bror",
            "syster",
            "vän",
            "kompis",
            "släkting",
            "mormor",
            "farmor",
        ],
    ),
    (
        Who::CloseOne,
        Lang::En,
        &["relative", "mother", "father", "mom", "mum", "dad", "brother", "sister", "friend", "parent"],
    ),
];

/// The role of a word as written (lowercased), in any language: "mieheni", "sonen", "mom".
pub fn role_of(word: &str) -> Option<Who> {
    PEOPLE.iter().find(|(_, _, words)| words.contains(&word)).map(|(who, _, _)| *who)
}
