//! The shape of a service file (`knowledge/services/<scope>/<id>.toml`).
//!
//! Field names mirror the national service catalogue (PTV) and Open Referral HSDS so that an
//! importer and an exporter stay mechanical. Facts the source does not state are `None`, not
//! `false`: "no referral needed" is a badge only when a page said so.
//!
//! Unknown fields are not rejected here: the loader collects them with `serde_ignored` so
//! that `lahiapu check` can report every one of them at once, with its line and column.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::lang::Lang;

/// Whether a service is shown to residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Inactive,
}

/// A text in the bot's languages. Which languages are required depends on the field
/// (name and summary need `fi` and `sv`); the validator enforces that.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Text {
    pub fi: Option<String>,
    pub sv: Option<String>,
    pub en: Option<String>,
}

impl Text {
    /// The text in exactly this language, if written.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Fi => self.fi.as_deref(),
            Lang::Sv => self.sv.as_deref(),
            Lang::En => self.en.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The text in `lang`, or else in the closest language that exists, with the language
    /// it is actually in. English falls back to Finnish and then Swedish; Swedish to Finnish.
    pub fn best(&self, lang: Lang) -> Option<(&str, Lang)> {
        let order: &[Lang] = match lang {
            Lang::Fi => &[Lang::Fi, Lang::Sv, Lang::En],
            Lang::Sv => &[Lang::Sv, Lang::Fi, Lang::En],
            Lang::En => &[Lang::En, Lang::Fi, Lang::Sv],
        };
        order.iter().find_map(|&l| self.get(l).map(|t| (t, l)))
    }

    /// Every written text with its language.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL.into_iter().filter_map(|l| self.get(l).map(|t| (l, t)))
    }
}

/// Word lists per language (keywords, synonyms).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Words {
    #[serde(default)]
    pub fi: Vec<String>,
    #[serde(default)]
    pub sv: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

/// Who runs the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    Ngo,
    WelfareRegion,
    Municipality,
    State,
    Parish,
    Other,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Organization {
    pub name: Text,
    pub kind: OrgKind,
}

/// Where the service is offered: the whole country, or some regions and municipalities.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Area {
    #[serde(default)]
    pub nationwide: bool,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub municipalities: Vec<String>,
}

/// How a resident gets in. `None` = the source does not say.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Access {
    pub free: Option<bool>,
    pub anonymous: Option<bool>,
    pub referral_needed: Option<bool>,
    pub appointment_needed: Option<bool>,
    pub walk_in: Option<bool>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Phone {
    pub number: String,
    /// OpenStreetMap `opening_hours`, Europe/Helsinki time.
    pub hours: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub note: Option<Text>,
}

impl Phone {
    /// Whether the line answers around the clock (`hours = "24/7"`): what a crisis line
    /// must do, and what "someone answers now" offers rest on.
    pub fn always_open(&self) -> bool {
        self.hours.as_deref().map(str::trim) == Some("24/7")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Chat {
    pub url: String,
    pub hours: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Web {
    /// The page per language; at least one.
    pub url: Text,
}

/// A place a resident can visit.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Location {
    pub name: Option<Text>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    /// Municipality code; must lie inside the service's area.
    pub municipality: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub hours: Option<String>,
    pub walk_in_hours: Option<String>,
    pub note: Option<Text>,
}

/// A page that shows a published contact value (a phone number, an e-mail address, a
/// street address or opening hours), when it is not `source.url` itself: the values a
/// resident acts on carry the page and the date that showed them.
#[derive(Debug, Clone, Deserialize)]
pub struct ContactPage {
    pub url: String,
    /// The date the page shows; left out when it shows none.
    #[serde(default, deserialize_with = "toml_date")]
    pub page_date: Option<NaiveDate>,
    /// For a page that shows no date but whose content dates it (it names the welfare
    /// region, set up on 1.1.2023, or an event of 2024): the day it cannot be older than.
    /// `shows` quotes the words that prove it.
    #[serde(default, deserialize_with = "toml_date")]
    pub written_after: Option<NaiveDate>,
    /// What the page showed, in its own words (a short quote).
    pub shows: String,
}

/// What a file says about its channels when it gives none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// The service publishes no phone, chat, address, e-mail or web page that a source
    /// shows (a shelter whose number is not public, a unit reached only through another
    /// service); `reach_note` says how residents get there.
    NonePublished,
}

/// Where the facts come from.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Source {
    /// Required; optional here only so that the validator can report it with the others.
    pub url: Option<String>,
    #[serde(default)]
    pub also: Vec<String>,
    /// Pages that show the published contact values, with their dates.
    #[serde(default)]
    pub contact_page: Vec<ContactPage>,
    /// The date the page shows, if any.
    #[serde(default, deserialize_with = "toml_date")]
    pub page_date: Option<NaiveDate>,
    /// The date the facts were read.
    #[serde(default, deserialize_with = "toml_date")]
    pub checked: Option<NaiveDate>,
    pub ptv_id: Option<String>,
}

/// One service, as written in its file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Service {
    pub id: String,
    pub status: Status,
    pub categories: Vec<String>,
    #[serde(default)]
    pub name: Text,
    #[serde(default)]
    pub summary: Text,
    pub description: Option<Text>,
    #[serde(default)]
    pub keywords: Words,
    /// Who runs it; left out when the source does not name the organiser.
    pub organization: Option<Organization>,
    pub area: Area,
    #[serde(default)]
    pub access: Access,
    #[serde(default)]
    pub phone: Vec<Phone>,
    #[serde(default)]
    pub chat: Vec<Chat>,
    #[serde(default)]
    pub web: Vec<Web>,
    #[serde(default)]
    pub location: Vec<Location>,
    /// E-mail addresses residents can write to.
    #[serde(default)]
    pub email: Vec<String>,
    /// Set when the entry gives no channel at all, with `reach_note` saying why.
    pub reach: Option<Reach>,
    /// Why no channel is given and how residents get there instead; fi and sv.
    pub reach_note: Option<Text>,
    #[serde(default)]
    pub source: Source,
}

impl Service {
    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
}

/// Reads a TOML local date (`2026-11-23`).
fn toml_date<'de, D: Deserializer<'de>>(de: D) -> Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error;

    let value = toml::value::Datetime::deserialize(de)?;
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{value} is not a calendar date"))),
        _ => Err(D::Error::custom(format!("expected a date like 2026-11-23, without a time, got {value}"))),
    }
}
