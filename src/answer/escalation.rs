//! The texts of the hand-over to volunteers: what the resident is asked and told, and what
//! the volunteers see. Composed from `locales/*/escalation.ftl` with the answers' renderer,
//! so a volunteer's or a resident's words are always escaped in the HTML body.

use chrono::DateTime;
use chrono_tz::Tz;

use super::hours::{self, Status};
use super::notice::paragraphs;
use super::{Reply, offer_human};
use crate::i18n::Locales;
use crate::knowledge::Knowledge;
use crate::lang::Lang;

/// What the consent question says about who reads and when.
#[derive(Debug, Clone, Copy)]
pub struct Consent<'a> {
    pub lang: Lang,
    pub case: i64,
    /// The NGOs whose volunteers answer.
    pub organisations: &'a [String],
    /// The volunteers' duty hours (OpenStreetMap `opening_hours`), if set.
    pub hours: Option<&'a str>,
    /// The conversation stays in a public thread.
    pub public: bool,
    pub now: DateTime<Tz>,
}

/// The consent question: who will read, what they see (the messages written next, under a
/// pseudonym), when they are on duty (and a 24/7 line when they are not), yes or no.
pub fn consent(c: &Consent<'_>, knowledge: &Knowledge, locales: &Locales) -> Reply {
    let t = |id: &str, args: &[(&str, &str)]| locales.text(c.lang, id, args);
    let case = c.case.to_string();
    let mut parts =
        vec![t("esc-consent-who", &[("orgs", &c.organisations.join(", "))]), t("esc-consent-what", &[("case", &case)])];
    match c.hours.and_then(|h| hours::status(h, c.now)) {
        Some(Status::Always | Status::Open | Status::OpenUntil(_)) => parts.push(t("esc-consent-on-duty", &[])),
        Some(Status::Opens(at)) => {
            parts.push(t("esc-consent-back", &[("when", &hours::when(at, c.now, c.lang, locales))]));
            parts.extend(offer_human(knowledge, c.lang, locales));
        }
        Some(Status::Closed) | None => parts.push(t("esc-consent-any-time", &[])),
    }
    if c.public {
        parts.push(t("esc-consent-public", &[]));
    }
    parts.push(t("esc-consent-question", &[]));
    paragraphs(parts)
}

/// When no volunteers are configured: say so, and give a line that answers around the clock.
pub fn unavailable(lang: Lang, knowledge: &Knowledge, locales: &Locales) -> Reply {
    let mut parts = vec![locales.text(lang, "esc-unavailable", &[])];
    parts.extend(offer_human(knowledge, lang, locales));
    paragraphs(parts)
}

/// A message to the resident with a volunteer's words: "A volunteer answers: …".
pub fn relay_to_resident(lang: Lang, text: &str, locales: &Locales) -> Reply {
    quoted(locales.text(lang, "esc-relay-to-resident", &[("text", "")]).trim_end(), text)
}

/// The resident's words in the case thread: "Asukas 17: …", in the volunteers' language.
pub fn relay_to_volunteers(lang: Lang, case: i64, text: &str, locales: &Locales) -> Reply {
    let resident = pseudonym(lang, case, locales);
    quoted(&locales.text(lang, "esc-relay-to-volunteers", &[("resident", &resident), ("text", "")]), text)
}

/// The resident's pseudonym in `lang`: "Asukas 17" / "Invånare 17" / "Resident 17".
pub fn pseudonym(lang: Lang, case: i64, locales: &Locales) -> String {
    locales.text(lang, "esc-resident", &[("case", &case.to_string())])
}

/// What the case root says about the case.
#[derive(Debug, Clone)]
pub struct Root<'a> {
    /// The volunteers' language.
    pub lang: Lang,
    pub case: i64,
    /// The resident's language.
    pub resident_lang: Lang,
    /// The resident's place, in the volunteers' language.
    pub place: Option<String>,
    /// `open`, `claimed` or `closed`.
    pub state: &'a str,
    /// Who took the case (a volunteer's display name or ID; volunteers only see it).
    pub claimed_by: Option<&'a str>,
}

/// The header line of a case root: "Tapaus #17 · sv · Vaasa · avoin".
pub fn root_header(r: &Root<'_>, locales: &Locales) -> String {
    let t = |id: &str, args: &[(&str, &str)]| locales.text(r.lang, id, args);
    let state = match (r.state, r.claimed_by) {
        ("claimed", Some(who)) => t("esc-state-claimed", &[("who", who)]),
        ("closed", _) => t("esc-state-closed", &[]),
        _ => t("esc-state-open", &[]),
    };
    let place = r.place.clone().unwrap_or_else(|| t("esc-place-unknown", &[]));
    t(
        "esc-root",
        &[("case", &r.case.to_string()), ("lang", r.resident_lang.code()), ("place", &place), ("state", &state)],
    )
}

/// A case root: the header and the resident's first words.
pub fn root(r: &Root<'_>, text: &str, locales: &Locales) -> Reply {
    let header = root_header(r, locales);
    let resident = pseudonym(r.lang, r.case, locales);
    let mut parts = vec![header];
    parts.push(format!("{resident}:"));
    parts.extend(text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned));
    paragraphs(parts)
}

/// "Prefix text", keeping the text's paragraphs (as plain, escaped paragraphs).
fn quoted(prefix: &str, text: &str) -> Reply {
    let mut parts: Vec<String> =
        text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
    match parts.first_mut() {
        Some(first) => *first = format!("{} {first}", prefix.trim_end()),
        None => parts.push(prefix.to_owned()),
    }
    paragraphs(parts)
}

/// The age of a case in words: "35 min", "3 h", "2 pv".
pub fn age(minutes: u64, lang: Lang, locales: &Locales) -> String {
    let (id, n) = match minutes {
        0..120 => ("esc-age-minutes", minutes),
        120..2880 => ("esc-age-hours", minutes / 60),
        _ => ("esc-age-days", minutes / 1440),
    };
    locales.text(lang, id, &[("n", &n.to_string())])
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Helsinki;

    use super::*;

    #[test]
    fn relays_keep_paragraphs_and_escape_everything() {
        let l = Locales::new().unwrap();
        let r = relay_to_resident(Lang::Fi, "Hei <b>sinä</b>!\n\nSoita meille.", &l);
        assert_eq!(r.plain, "Vapaaehtoinen vastaa: Hei <b>sinä</b>!\n\nSoita meille.");
        assert_eq!(r.html, "<p>Vapaaehtoinen vastaa: Hei &lt;b&gt;sinä&lt;/b&gt;!</p><p>Soita meille.</p>");
        let v = relay_to_volunteers(Lang::Fi, 17, "kiitos", &l);
        assert_eq!(v.plain, "Asukas 17: kiitos");
    }

    #[test]
    fn the_case_root_names_the_case_language_place_and_state() {
        let l = Locales::new().unwrap();
        let mut r = Root {
            lang: Lang::Fi,
            case: 17,
            resident_lang: Lang::Sv,
            place: Some("Vaasa".into()),
            state: "open",
            claimed_by: None,
        };
        assert_eq!(root_header(&r, &l), "Tapaus #17 · sv · Vaasa · avoin");
        r.state = "claimed";
        r.claimed_by = Some("Maija");
        assert_eq!(root_header(&r, &l), "Tapaus #17 · sv · Vaasa · otettu (Maija)");
        let full = root(&Root { state: "open", claimed_by: None, place: None, ..r.clone() }, "Hjälp mig", &l);
        assert_eq!(full.plain, "Tapaus #17 · sv · paikkakunta ei tiedossa · avoin\n\nAsukas 17:\n\nHjälp mig");
    }

    #[test]
    fn the_consent_question_says_when_volunteers_are_back() {
        let l = Locales::new().unwrap();
        let k = crate::knowledge::load(&crate::knowledge::default_dir(), crate::today_in_finland()).unwrap().knowledge;
        let saturday_evening = Helsinki.with_ymd_and_hms(2026, 11, 28, 20, 0, 0).unwrap();
        let orgs = vec!["MIELI ry".to_owned()];
        let c = Consent {
            lang: Lang::Fi,
            case: 3,
            organisations: &orgs,
            hours: Some("Mo-Fr 09:00-17:00"),
            public: false,
            now: saturday_evening,
        };
        let text = consent(&c, &k, &l).plain;
        assert!(text.contains("(MIELI ry)") && text.contains("Asukas 3"), "{text}");
        assert!(text.contains("paikalla taas maanantaina klo 09.00"), "{text}");
        assert!(text.contains("ympäri vuorokauden"), "a 24/7 line outside duty hours: {text}");
        assert!(text.ends_with("Vastaa kyllä tai ei (tai reagoi ✅ tai ❌)."), "{text}");
        let weekday = Helsinki.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
        let on = consent(&Consent { now: weekday, public: true, ..c }, &k, &l).plain;
        assert!(on.contains("Vapaaehtoiset ovat nyt paikalla.") && on.contains("julkinen"), "{on}");
        assert_eq!(age(35, Lang::Fi, &l), "35 min");
        assert_eq!(age(600, Lang::Sv, &l), "10 h");
    }
}
