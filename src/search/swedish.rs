//! Swedish compounds split against a real Swedish word list: Debian's hunspell dictionary
//! (`hunspell-sv`, `sv_FI`), read at run time with the `spellbook` crate.
//!
//! Swedish writes compounds as one word ("skuldrådgivning", "alkoholfritt",
//! "löneutmätning"), and a question's compound rarely is one the knowledge base uses. The
//! knowledge base's own vocabulary splits some ([`super::analysis::CompoundSplitter`]);
//! this splits the rest into words of the dictionary: every part but the last a word of its
//! word list (optionally followed by a linking "s" or "e", as in "våldsutsatt" and
//! "familjevåld"), and the last part any form the dictionary accepts ("familjer",
//! "fritt"). A word the dictionary lists as a word of its own ("rådgivning", "alkoholfri")
//! is not split.
//!
//! Like Voikko, the dictionary is optional: the bot loads it when Debian's `hunspell-sv` is
//! installed (`scripts/chat` and `scripts/test` install it when run as root) and does
//! without it otherwise. The dictionary is LGPL-3 and MPL-2.0 licensed data read from the
//! system, not part of the bot; `spellbook` is MPL-2.0.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result, bail};

/// Set this environment variable to run as if the dictionary were not installed.
pub const DISABLE_ENV: &str = "LAHIAPU_NO_HUNSPELL";

/// Where Debian installs the Finland-Swedish dictionary.
const DICTIONARY: &str = "/usr/share/hunspell/sv_FI";

/// The shortest part of a compound.
const MIN_PART: usize = 3;
/// Words shorter than this are not split.
const MIN_WORD: usize = 7;
/// Words longer than this are not split (no Swedish word is; it bounds the work).
const MAX_WORD: usize = 40;
/// Words that mean one thing alone and another as the start of a compound: "full" is
/// drunk, but "fullständigt", "fulltid" and "fullmakt" have nothing to do with drinking.
const NOT_A_FIRST_PART: &[&str] = &["full"];

/// The Swedish dictionary.
pub struct SwedishWords {
    dictionary: spellbook::Dictionary,
    /// The dictionary's words as listed (lowercase ones, without their affix flags).
    words: HashSet<String>,
}

impl std::fmt::Debug for SwedishWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SwedishWords").field("words", &self.words.len()).finish_non_exhaustive()
    }
}

impl SwedishWords {
    /// Loads Debian's `sv_FI` dictionary. Fails with a clear message when it is missing or
    /// when [`DISABLE_ENV`] is set.
    pub fn load() -> Result<Self> {
        if std::env::var_os(DISABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0") {
            bail!("the Swedish dictionary is disabled by {DISABLE_ENV}");
        }
        Self::from_files(&Path::new(DICTIONARY).with_extension("aff"), &Path::new(DICTIONARY).with_extension("dic"))
    }

    /// Loads a hunspell dictionary from its two files.
    pub fn from_files(aff: &Path, dic: &Path) -> Result<Self> {
        let hint = "Debian/Ubuntu: apt-get install hunspell-sv";
        let aff = std::fs::read_to_string(aff).with_context(|| format!("cannot read {} ({hint})", aff.display()))?;
        let dic = std::fs::read_to_string(dic).with_context(|| format!("cannot read {} ({hint})", dic.display()))?;
        let dictionary = spellbook::Dictionary::new(&aff, &dic)
            .map_err(|e| anyhow::anyhow!("the Swedish hunspell dictionary does not parse: {e}"))?;
        // After the count on the first line, one word a line, "word/FLAGS".
        let words = dic
            .lines()
            .skip(1)
            .map(|l| l.split('/').next().unwrap_or_default().trim())
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_owned)
            .collect();
        Ok(Self { dictionary, words })
    }

    /// The dictionary shared by every assistant of the process, loaded once; `None` (with
    /// one warning) when it is not installed.
    pub fn shared() -> Option<Arc<Self>> {
        static SHARED: OnceLock<Option<Arc<SwedishWords>>> = OnceLock::new();
        SHARED
            .get_or_init(|| match Self::load() {
                Ok(d) => Some(Arc::new(d)),
                Err(e) => {
                    tracing::warn!("Swedish compounds without a dictionary: {e:#}");
                    None
                }
            })
            .clone()
    }

    /// The parts of a Swedish compound (lowercase), or nothing when `word` is no compound
    /// the dictionary can split. The split with the fewest parts wins.
    pub fn split(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        if !(MIN_WORD..=MAX_WORD).contains(&n) || self.words.contains(word) {
            return Vec::new();
        }
        // Every part but the last a listed word; the last any form the dictionary accepts
        // ("familjer").
        let listed = |part: &str| self.words.contains(part);
        let parts = super::analysis::fewest_parts(&chars, MIN_PART, listed, |last| self.dictionary.check(last));
        if parts.first().is_some_and(|p| NOT_A_FIRST_PART.contains(&p.as_str())) {
            return Vec::new();
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small dictionary in hunspell's format: the same code path as Debian's.
    fn small() -> SwedishWords {
        let dir = tempfile::tempdir().unwrap();
        let aff = dir.path().join("sv.aff");
        let dic = dir.path().join("sv.dic");
        std::fs::write(&aff, "SET UTF-8\nSFX A Y 1\nSFX A 0 er .\nSFX B Y 1\nSFX B 0 tt .\n").unwrap();
        std::fs::write(&dic, "9\nskuld\nrådgivning\nalkohol\nfri/B\nfamilj/A\nbarn\nvåld\nutsatt\nalkoholfri/B\n")
            .unwrap();
        SwedishWords::from_files(&aff, &dic).unwrap()
    }

    #[test]
    fn compounds_split_into_dictionary_words() {
        let d = small();
        assert_eq!(d.split("skuldrådgivning"), ["skuld", "rådgivning"]);
        assert_eq!(d.split("barnfamiljer"), ["barn", "familjer"]);
        assert_eq!(d.split("familjevåld"), ["familj", "våld"]);
        assert_eq!(d.split("våldsutsatt"), ["våld", "utsatt"]);
        // "alkoholfri" is a word of its own, but its inflected form splits into meaning.
        assert!(d.split("alkoholfri").is_empty());
        assert_eq!(d.split("alkoholfritt"), ["alkohol", "fritt"]);
        // Not all of it is known: no split, no guessing.
        assert!(d.split("skuldsanering").is_empty());
        assert!(d.split("rådgivning").is_empty());
    }
}
