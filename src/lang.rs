//! The three languages the bot speaks.
//!
//! Finnish and Swedish are the national languages and every knowledge entry has both;
//! English is a courtesy. Detection of the language of a question lives in
//! [`crate::search::detect`]; this module only names the languages.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language of the bot's replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The ISO 639-1 code, as used in `locales/` and in knowledge files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "fi" | "suomi" | "finnish" | "fin" => Ok(Lang::Fi),
            "sv" | "svenska" | "swedish" | "ruotsi" | "swe" => Ok(Lang::Sv),
            "en" | "english" | "englanti" | "engelska" | "eng" => Ok(Lang::En),
            other => anyhow::bail!("unknown language {other:?} (expected fi, sv or en)"),
        }
    }
}
