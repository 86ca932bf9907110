//! What `lahiapu ask --json` prints for a question: the [`Answer`] and its parts.

use serde::Serialize;

use crate::geo::Place;
use crate::knowledge::Channel;
use crate::lang::Lang;
use crate::safety::Crisis;
use crate::search::Scope;

/// The place of an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonLocation {
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    pub region_code: String,
    /// "municipality" or "region".
    pub kind: &'static str,
}

/// One service of an answer: exactly the services the reply lists, in its order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultItem {
    pub id: String,
    pub name: String,
    pub categories: Vec<String>,
    pub scope: Scope,
    pub distance_km: Option<f64>,
    pub score: f32,
    /// How a resident can reach it ("phone", "chat", "visit", "email", "web"); empty when
    /// the entry publishes none.
    pub channels: Vec<Channel>,
}

/// Everything the bot concluded about a question, and its reply.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub lang: Lang,
    pub location: Option<JsonLocation>,
    pub crisis: bool,
    pub confident: bool,
    pub results: Vec<ResultItem>,
    pub reply: String,
    #[serde(skip)]
    pub reply_html: String,
    #[serde(skip)]
    pub crisis_kind: Crisis,
    #[serde(skip)]
    pub place: Option<Place>,
}
