//! `knowledge/categories.toml` and `knowledge/crisis.toml`.

use serde::Deserialize;

use super::model::{Text, Words};
use crate::lang::Lang;

/// The slugs every knowledge base must define (more may be added).
pub const REQUIRED_SLUGS: [&str; 11] = [
    "home-help",
    "debt-counselling",
    "mental-health",
    "crisis-help",
    "domestic-violence",
    "divorce-support",
    "parenting-support",
    "substance-abuse",
    "family-centre",
    "children-youth",
    "peer-support",
];

/// A kind of help, e.g. `debt-counselling`.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: Text,
    #[serde(default)]
    pub synonyms: Words,
}

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
pub struct CategoryFile {
    #[serde(default)]
    pub category: Vec<Category>,
}

/// All categories, in file order.
#[derive(Debug, Clone, Default)]
pub struct Categories {
    list: Vec<Category>,
}

impl Categories {
    pub fn new(list: Vec<Category>) -> Self {
        Self { list }
    }

    pub fn get(&self, slug: &str) -> Option<&Category> {
        self.list.iter().find(|c| c.slug == slug)
    }

    /// A category by its slug, or by its name or a synonym in any language, whatever the
    /// case: "debt-counselling", "velkaneuvonta", "Skuldrådgivning".
    pub fn find(&self, word: &str) -> Option<&Category> {
        let word = word.trim().to_lowercase();
        self.get(&word).or_else(|| {
            self.list.iter().find(|c| {
                c.name.iter().any(|(_, n)| n.to_lowercase() == word)
                    || Lang::ALL.into_iter().any(|l| c.synonyms.get(l).iter().any(|s| s.to_lowercase() == word))
            })
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Category> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Which services' phones open a crisis reply (after 112), per kind of crisis.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CrisisLines {
    /// Risk to one's own life.
    #[serde(default)]
    pub self_harm: Vec<String>,
    /// A violent person present, acute danger from someone close.
    #[serde(default)]
    pub violence: Vec<String>,
}
