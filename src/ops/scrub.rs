//! Taking personal details out of a question before it is kept for the gap report: personal
//! identity codes (henkilötunnus), phone numbers, e-mail addresses, Matrix IDs, street
//! addresses and capitalised names. What is left says what people asked about, not who
//! asked. Pure; the patterns lean towards removing too much.

use std::sync::LazyLock;

use regex::Regex;

struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |p: &str, r: &'static str| Rule { pattern: Regex::new(p).expect("a valid pattern"), replacement: r };
    vec![
        // Matrix IDs and e-mail addresses first: they contain what later rules look for.
        rule(r"@[^\s:@]+:[A-Za-z0-9.\-\[\]:]+", "[id]"),
        rule(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", "[email]"),
        // Henkilötunnus: DDMMYY, the century sign, three digits and a check character.
        rule(r"\b\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]\b", "[hetu]"),
        // Street addresses: a street name and its number (Finnish and Swedish street words).
        rule(
            r"\b[\p{L}-]*(katu|kadulla|kadulle|tie|tiellä|tielle|kuja|kujalla|polku|väylä|raitti|puistikko|gatan|gata|vägen|väg|gränd|stigen|torget)\s+\d+[a-zA-Z]?(\s+[A-Z]\b(\s*\d+)?)?",
            "[address]",
        ),
        // Phone numbers: +358 or 0 followed by at least six more digits, spaces and dashes allowed.
        rule(r"(\+\s?\d{1,3}|\b0)[\d\s\-()]{6,}\d", "[phone]"),
        // Any other run of five or more digits (customer numbers, birth dates…).
        rule(r"\d[\d\s\-./]{3,}\d", "[number]"),
    ]
});

static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{Ll}\-']+(\s+\p{Lu}[\p{Ll}\-']+)*").expect("a valid pattern"));

/// Everyday words that start sentences: capitalised, they are not names. Any other
/// capitalised word that is not a place is taken for a name.
const COMMON: &[&str] = &[
    "minä",
    "mä",
    "mulla",
    "minulla",
    "minun",
    "mun",
    "olen",
    "oon",
    "onko",
    "ei",
    "en",
    "mistä",
    "mitä",
    "mikä",
    "miten",
    "missä",
    "kuka",
    "kenelle",
    "voiko",
    "voinko",
    "saako",
    "tarvitsen",
    "tarviin",
    "haluan",
    "meillä",
    "meidän",
    "me",
    "hän",
    "se",
    "ne",
    "he",
    "mieheni",
    "vaimoni",
    "lapseni",
    "poikani",
    "tyttäreni",
    "äitini",
    "isäni",
    "puolisoni",
    "kumppanini",
    "hei",
    "moi",
    "terve",
    "kiitos",
    "apua",
    "velat",
    "velkaa",
    "kun",
    "jos",
    "että",
    "ja",
    "mutta",
    "nyt",
    "jag",
    "vi",
    "min",
    "mitt",
    "mina",
    "hur",
    "var",
    "vad",
    "vem",
    "kan",
    "finns",
    "har",
    "är",
    "hej",
    "tack",
    "hjälp",
    "när",
    "om",
    "och",
    "men",
    "nu",
    "i",
    "my",
    "we",
    "our",
    "how",
    "where",
    "what",
    "who",
    "can",
    "is",
    "do",
    "does",
    "hello",
    "hi",
    "thanks",
    "help",
    "when",
    "if",
    "and",
    "but",
    "now",
    "the",
    "a",
];

/// `text` without personal details. `is_place` tells place names (which stay: they say which
/// region lacks help) from other capitalised words (names, which go).
pub fn scrub(text: &str, is_place: impl Fn(&str) -> bool) -> String {
    let mut out = text.to_owned();
    for rule in RULES.iter() {
        out = rule.pattern.replace_all(&out, rule.replacement).into_owned();
    }
    let out = NAME.replace_all(&out, |c: &regex::Captures<'_>| {
        let words = &c[0];
        let kept = words.split_whitespace().all(|w| is_place(w) || COMMON.contains(&w.to_lowercase().as_str()));
        if kept { words.to_owned() } else { "[name]".to_owned() }
    });
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(w: &str) -> bool {
        ["Turussa", "Turku", "Åbo", "Vaasa", "Helsingissä"].contains(&w)
    }

    #[test]
    fn personal_details_are_removed_and_the_topic_stays() {
        let cases = [
            ("soita minulle 040 123 4567 kiitos", "soita minulle [phone] kiitos"),
            ("numeroni on +358 40 1234567", "numeroni on [phone]"),
            ("hetu 131052-308T ja velkaa on", "hetu [hetu] ja velkaa on"),
            ("hetu 131052A308T", "hetu [hetu]"),
            ("mail maija.meikalainen@example.fi", "mail [email]"),
            ("kysy @maija:matrix.org lisää", "kysy [id] lisää"),
            ("asun Mannerheimintie 12 B 5 Helsingissä", "asun [address] Helsingissä"),
            ("bor på Storgatan 4 i Vaasa", "bor på [address] i Vaasa"),
            ("mieheni Pekka Virtanen lyö minua Turussa", "mieheni [name] lyö minua Turussa"),
            ("Velkaa on paljon. Maija sanoi että", "Velkaa on paljon. [name] sanoi että"),
            ("Mistä apua? Minulla on velkaa", "Mistä apua? Minulla on velkaa"),
            ("asiakasnumero 123456789", "asiakasnumero [number]"),
            ("mistä apua velkoihin?", "mistä apua velkoihin?"),
        ];
        for (text, want) in cases {
            assert_eq!(scrub(text, places), want, "{text}");
        }
    }

    #[test]
    fn no_digit_of_a_phone_number_e_mail_or_identity_code_survives() {
        let text = "Olen Liisa, hetu 010203-123A, puh 0501234567, liisa@example.com, @liisa:example.org";
        let s = scrub(text, places);
        assert!(!s.chars().any(|c| c.is_ascii_digit()), "{s}");
        assert!(!s.contains('@') && !s.contains("Liisa") && !s.contains("liisa"), "{s}");
    }
}
