//! The text of a message, read once: bounded, normalised, cut into words with their offsets.

/// The most characters of a message the bot reads at all (a Matrix event is at most 64 KiB).
pub const MAX_CHARS: usize = 64 * 1024;

/// The first characters of a message that are read for places, language and topics. The
/// crisis rules read the whole (bounded) message: a risk to life at the end of a long story
/// must not go unseen, and the rules are a few dozen linear regexes.
pub const ANALYSED_CHARS: usize = 2000;

/// A word of a message: a run of letters and digits, with inner hyphens, colons and
/// apostrophes kept ("Varsinais-Suomessa", "S:t", "don't").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the message.
    pub start: usize,
    pub end: usize,
    /// The word lowercased.
    pub lower: String,
}

impl Token {
    /// The word as written.
    pub fn text<'a>(&self, message: &'a str) -> &'a str {
        message.get(self.start..self.end).unwrap_or_default()
    }

    /// Whether the word is written with a capital first letter.
    pub fn is_capitalised(&self, message: &str) -> bool {
        self.text(message).chars().next().is_some_and(char::is_uppercase)
    }

    /// The parts of the word between its inner joiners ("teini-ikäinen" → teini, ikäinen).
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
    }
}

/// The first `chars` characters of `s`.
pub fn head(s: &str, chars: usize) -> &str {
    match s.char_indices().nth(chars) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | ':' | '\'' | '’')
}

/// The words of `text` with their byte offsets.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let inner_joiner =
            is_joiner(c) && start.is_some() && chars.peek().is_some_and(|(_, next)| next.is_alphanumeric());
        if c.is_alphanumeric() || inner_joiner {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            out.push(token(text, s, at));
        }
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    out
}

fn token(text: &str, start: usize, end: usize) -> Token {
    let lower = text[start..end].to_lowercase().replace('’', "'");
    Token { start, end, lower }
}

/// Lowercase, typographic apostrophes made plain, punctuation and runs of spaces made one
/// space: the form the crisis rules read, so that patterns need not care how a message was
/// typed.
pub fn normalise(text: &str) -> String {
    let lower = text.to_lowercase().replace(['’', '‘', '´', '`'], "'");
    let mut out = String::with_capacity(lower.len());
    let mut space = false;
    for c in lower.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_inner_joiners_and_their_offsets() {
        let text = "Asun Varsinais-Suomessa, S:t Karins; don’t -ok-";
        let all = tokens(text);
        let got: Vec<(&str, &str)> = all.iter().map(|t| (t.text(text), t.lower.as_str())).collect();
        assert_eq!(
            got,
            [
                ("Asun", "asun"),
                ("Varsinais-Suomessa", "varsinais-suomessa"),
                ("S:t", "s:t"),
                ("Karins", "karins"),
                ("don’t", "don't"),
                ("ok", "ok"),
            ]
        );
        let t = &tokens("teini-ikäinen")[0];
        assert_eq!(t.parts().collect::<Vec<_>>(), ["teini", "ikäinen"]);
        assert!(tokens("  ,, ").is_empty());
    }

    #[test]
    fn normalising_folds_case_punctuation_and_apostrophes() {
        assert_eq!(normalise("  I DON’T want to live!!!  "), "i don't want to live");
    }

    #[test]
    fn head_cuts_at_a_character_boundary() {
        assert_eq!(head("äöå", 2), "äö");
        assert_eq!(head("ab", 5), "ab");
    }
}
