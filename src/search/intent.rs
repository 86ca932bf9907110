//! What a question is about, read from the whole of it: which kinds of help it names, and
//! who needs the help.

use super::analysis::QueryWord;
use super::index::SearchIndex;
use crate::understand::Token;

/// Who the asker says needs help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Who {
    /// The asker, or the message does not say.
    #[default]
    Asker,
    /// A child or a young person of the asker's.
    Child,
    /// The asker's partner.
    Partner,
    /// Someone close: a relative, a friend ("läheinen", "anhörig").
    CloseOne,
}

/// The intent of a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intent {
    /// The categories the question names by the categories' own words, in order of mention.
    pub categories: Vec<String>,
    pub who: Who,
}

impl Intent {
    /// The intent of a question with these tokens and topic words.
    pub fn of(_tokens: &[Token], words: &[QueryWord], index: &SearchIndex) -> Self {
        Self { categories: index.intent(words), who: Who::Asker }
    }
}
