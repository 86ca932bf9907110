//! The maintainers' to-do list: for each welfare region, which kinds of help have an
//! entry of their own (in one of its municipalities or for the whole region) and which
//! offer only the national lines; which entries a resident cannot contact; and which
//! sources are old, undated or not read for a year.
//!
//! A pure function of the loaded knowledge and a date, so that `lahiapu coverage` and its
//! `--json` always agree, and tests can build the report from a fixture.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::Knowledge;
use super::model::Service;

/// Pages from before the welfare-region reform are leads, not sources of contact values.
pub const REFORM: NaiveDate = match NaiveDate::from_ymd_opt(2023, 1, 1) {
    Some(d) => d,
    None => panic!("1.1.2023 is a date"),
};

/// How long a reading of a page stays fresh.
const CHECKED_FRESH_MONTHS: u32 = 12;

/// What a region has in one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// At least one entry covers the whole region.
    Regional,
    /// Entries only for some of its municipalities.
    Local,
    /// Only services for the whole country.
    National,
    /// Nothing at all.
    None,
}

impl Level {
    /// The one-letter mark of the text table.
    fn mark(self) -> &'static str {
        match self {
            Level::Regional => "R",
            Level::Local => "L",
            Level::National => "·",
            Level::None => "–",
        }
    }
}

/// How a service relates to a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tie {
    Regional,
    Local,
    National,
}

/// One region × category cell.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub category: String,
    pub level: Level,
    /// Entries for the whole region.
    pub regional: Vec<String>,
    /// Entries for some of its municipalities (or located in it, taking people from anywhere).
    pub local: Vec<String>,
}

/// An entry with the date in question.
#[derive(Debug, Clone, Serialize)]
pub struct Dated {
    pub id: String,
    pub date: Option<NaiveDate>,
}

/// An entry that gives no channel, and what its file says about that.
#[derive(Debug, Clone, Serialize)]
pub struct Unreachable {
    pub id: String,
    /// The file's `reach_note.fi` (why nothing is published), if it has one.
    pub note: Option<String>,
}

/// The to-do list of one group of entries: a region's, or the national ones.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ToDo {
    /// Entries without a phone, chat, address, e-mail or web page.
    pub no_channel: Vec<Unreachable>,
    /// `source.page_date` before 1.1.2023.
    pub page_date_pre_2023: Vec<Dated>,
    /// No `source.page_date`.
    pub page_date_missing: Vec<String>,
    /// `source.checked` more than a year ago, or missing.
    pub checked_over_a_year_ago: Vec<Dated>,
    /// A phone, e-mail, street or hours with no source page dated 2023 or later.
    pub contacts_without_2023_page: Vec<String>,
}

impl ToDo {
    fn is_empty(&self) -> bool {
        self.no_channel.is_empty()
            && self.page_date_pre_2023.is_empty()
            && self.page_date_missing.is_empty()
            && self.checked_over_a_year_ago.is_empty()
            && self.contacts_without_2023_page.is_empty()
    }
}

/// One welfare region (or Helsinki, or Åland).
#[derive(Debug, Clone, Serialize)]
pub struct RegionCoverage {
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    /// Active entries of the region's own (regional or local).
    pub entries: usize,
    pub cells: Vec<Cell>,
    pub todo: ToDo,
}

impl RegionCoverage {
    /// Categories with regional or local help.
    pub fn covered(&self) -> usize {
        self.cells.iter().filter(|c| matches!(c.level, Level::Regional | Level::Local)).count()
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub today: NaiveDate,
    /// Active services counted.
    pub services: usize,
    pub categories: Vec<String>,
    pub regions: Vec<RegionCoverage>,
    /// Active nationwide entries per category.
    pub national: Vec<(String, usize)>,
    /// The to-do list of the nationwide entries.
    pub national_todo: ToDo,
    /// Region × category cells with only national help (or none).
    pub only_national_cells: usize,
    /// Regions with at least one entry of their own.
    pub regions_with_local_entries: usize,
}

/// How `service` relates to region `code`.
fn tie(service: &Service, code: &str, knowledge: &Knowledge) -> Option<Tie> {
    let g = &knowledge.gazetteer;
    let area = &service.area;
    let in_region = |m: &str| g.municipality(m).is_some_and(|m| m.region == code);
    if area.regions.iter().any(|r| r == code) {
        Some(Tie::Regional)
    } else if area.municipalities.iter().any(|m| in_region(m))
        || (area.nationwide && service.location.iter().any(|l| in_region(&l.municipality)))
    {
        Some(Tie::Local)
    } else if area.nationwide {
        Some(Tie::National)
    } else {
        None
    }
}

/// Builds the report for the active services of `knowledge` as of `today`.
pub fn coverage(knowledge: &Knowledge, today: NaiveDate) -> Coverage {
    let active: Vec<&Service> = knowledge.services.iter().filter(|s| s.is_active()).collect();
    let categories: Vec<String> = knowledge.categories.iter().map(|c| c.slug.clone()).collect();
    let national_only: Vec<&Service> =
        active.iter().copied().filter(|s| s.area.nationwide && s.location.is_empty()).collect();
    let mut regions = Vec::new();
    for region in knowledge.gazetteer.regions() {
        let ties: Vec<(&Service, Tie)> =
            active.iter().filter_map(|s| tie(s, &region.code, knowledge).map(|t| (*s, t))).collect();
        let own: Vec<&Service> = ties.iter().filter(|(_, t)| *t != Tie::National).map(|(s, _)| *s).collect();
        let cells = categories
            .iter()
            .map(|category| {
                let of = |wanted: Tie| -> Vec<String> {
                    ties.iter()
                        .filter(|(s, t)| *t == wanted && s.categories.contains(category))
                        .map(|(s, _)| s.id.clone())
                        .collect()
                };
                let (regional, local, national) = (of(Tie::Regional), of(Tie::Local), of(Tie::National));
                let level = if !regional.is_empty() {
                    Level::Regional
                } else if !local.is_empty() {
                    Level::Local
                } else if !national.is_empty() {
                    Level::National
                } else {
                    Level::None
                };
                Cell { category: category.clone(), level, regional, local }
            })
            .collect();
        regions.push(RegionCoverage {
            code: region.code.clone(),
            name_fi: region.short_fi.clone(),
            name_sv: region.short_sv.clone(),
            entries: own.len(),
            cells,
            todo: todo(&own, today),
        });
    }
    let national = categories
        .iter()
        .map(|c| (c.clone(), national_only.iter().filter(|s| s.categories.contains(c)).count()))
        .collect();
    let only_national_cells =
        regions.iter().flat_map(|r| &r.cells).filter(|c| matches!(c.level, Level::National | Level::None)).count();
    let regions_with_local_entries = regions.iter().filter(|r| r.entries > 0).count();
    Coverage {
        today,
        services: active.len(),
        categories,
        national,
        national_todo: todo(&national_only, today),
        regions,
        only_national_cells,
        regions_with_local_entries,
    }
}

fn todo(services: &[&Service], today: NaiveDate) -> ToDo {
    let fresh_since = today.checked_sub_months(Months::new(CHECKED_FRESH_MONTHS)).unwrap_or(today);
    let mut out = ToDo::default();
    for s in services {
        let id = || s.id.clone();
        if s.channels().is_empty() {
            out.no_channel.push(Unreachable { id: id(), note: s.reach_note.as_ref().and_then(|n| n.fi.clone()) });
        }
        match s.source.page_date {
            None => out.page_date_missing.push(id()),
            Some(d) if d < REFORM => out.page_date_pre_2023.push(Dated { id: id(), date: Some(d) }),
            Some(_) => {}
        }
        match s.source.checked {
            Some(d) if d >= fresh_since => {}
            date => out.checked_over_a_year_ago.push(Dated { id: id(), date }),
        }
        if s.publishes_contact_values() && !has_2023_page(s) {
            out.contacts_without_2023_page.push(id());
        }
    }
    out
}

/// Whether a page of 2023 or later backs the entry's contact values: its main source, or
/// one of its `[[source.contact_page]]`s by the date it shows or the date its content
/// proves it was written after.
pub fn has_2023_page(service: &Service) -> bool {
    let source = &service.source;
    source.page_date.is_some_and(|d| d >= REFORM)
        || source.contact_page.iter().any(|p| p.page_date.or(p.written_after).is_some_and(|d| d >= REFORM))
}

/// Short column heads for the text table.
fn short(category: &str) -> &str {
    match category {
        "home-help" => "home",
        "debt-counselling" => "debt",
        "mental-health" => "mind",
        "crisis-help" => "cris",
        "domestic-violence" => "viol",
        "divorce-support" => "divo",
        "parenting-support" => "pare",
        "substance-abuse" => "subs",
        "family-centre" => "fami",
        "children-youth" => "yout",
        "peer-support" => "peer",
        other => other,
    }
}

impl Coverage {
    /// The report as text for a terminal: the table, then each region's to-do list.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(
            &mut out,
            format!(
                "Coverage on {}: {} active services; {} of {} region codes have entries of their own; \
                 {} of {} region × category cells offer only national help.",
                self.today,
                self.services,
                self.regions_with_local_entries,
                self.regions.len(),
                self.only_national_cells,
                self.regions.len() * self.categories.len()
            ),
        );
        line(
            &mut out,
            "R = an entry for the whole region, L = entries for some of its municipalities, · = only national help, – = nothing; the number counts regional and local entries.".into(),
        );
        out.push('\n');
        let mut head = format!("{:<28}", "region");
        for c in &self.categories {
            head.push_str(&format!(" {:>5}", short(c)));
        }
        line(&mut out, format!("{head} {:>7}", "entries"));
        for r in &self.regions {
            let mut row = format!("{:<28}", format!("{} {}", r.code, r.name_fi));
            for c in &r.cells {
                let n = c.regional.len() + c.local.len();
                let cell = if n == 0 { c.level.mark().to_owned() } else { format!("{}{n}", c.level.mark()) };
                row.push_str(&format!(" {cell:>5}"));
            }
            line(&mut out, format!("{row} {:>7}", r.entries));
        }
        let mut row = format!("{:<28}", "national");
        for (_, n) in &self.national {
            row.push_str(&format!(" {n:>5}"));
        }
        line(&mut out, row);

        for r in &self.regions {
            out.push('\n');
            let missing: Vec<&str> = r
                .cells
                .iter()
                .filter(|c| matches!(c.level, Level::National | Level::None))
                .map(|c| c.category.as_str())
                .collect();
            line(
                &mut out,
                format!(
                    "{} {} ({}): {} entries of its own; local or regional help in {} of {} categories",
                    r.code,
                    r.name_fi,
                    r.name_sv,
                    r.entries,
                    r.covered(),
                    r.cells.len()
                ),
            );
            if !missing.is_empty() {
                line(&mut out, format!("  only national help: {}", missing.join(", ")));
            }
            if r.entries > 0 {
                todo_text(&mut out, &r.todo);
            }
        }
        out.push('\n');
        line(&mut out, "national entries:".into());
        todo_text(&mut out, &self.national_todo);
        out
    }
}

fn todo_text(out: &mut String, todo: &ToDo) {
    let mut item = |label: &str, entries: Vec<String>| {
        if !entries.is_empty() {
            out.push_str(&format!("  {label}: {}\n", entries.join(", ")));
        }
    };
    let dated = |d: &Dated| match d.date {
        Some(date) => format!("{} ({date})", d.id),
        None => format!("{} (never)", d.id),
    };
    item(
        "no channel",
        todo.no_channel
            .iter()
            .map(|u| match &u.note {
                Some(_) => format!("{} (none published)", u.id),
                None => u.id.clone(),
            })
            .collect(),
    );
    item("contacts without a 2023+ page", todo.contacts_without_2023_page.clone());
    item("page_date before 2023", todo.page_date_pre_2023.iter().map(dated).collect());
    item("page_date missing", todo.page_date_missing.clone());
    item("checked over a year ago", todo.checked_over_a_year_ago.iter().map(dated).collect());
    if todo.is_empty() {
        out.push_str("  nothing to do\n");
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::geo::Gazetteer;
    use crate::knowledge::categories::{Categories, Category, CrisisLines};
    use crate::knowledge::model::{Area, Location, Phone, Source, Text, Web};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn service(id: &str, category: &str, area: Area) -> Service {
        Service {
            id: id.into(),
            categories: vec![category.into()],
            area,
            web: vec![Web { url: Text { fi: Some("https://example.org/".into()), sv: None, en: None } }],
            source: Source {
                page_date: Some(date(2025, 5, 15)),
                checked: Some(date(2026, 11, 23)),
                ..Source::default()
            },
            ..Service::default()
        }
    }

    fn knowledge(services: Vec<Service>) -> Knowledge {
        let category = |slug: &str| Category { slug: slug.into(), name: Text::default(), synonyms: Default::default() };
        Knowledge {
            services,
            categories: Categories::new(vec![category("home-help"), category("domestic-violence")]),
            crisis: CrisisLines::default(),
            gazetteer: Gazetteer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/areas")).unwrap(),
        }
    }

    #[test]
    fn cells_say_regional_local_or_only_national_and_todo_lists_what_to_fix() {
        let regional = service("regional", "home-help", Area { regions: vec!["05".into()], ..Area::default() });
        let mut shelter = service("shelter", "domestic-violence", Area { nationwide: true, ..Area::default() });
        shelter.web.clear();
        shelter.location.push(Location { municipality: "853".into(), ..Location::default() });
        shelter.reach_note = Some(Text { fi: Some("Soita Nollalinjaan.".into()), sv: None, en: None });
        let mut line = service("line", "domestic-violence", Area { nationwide: true, ..Area::default() });
        line.phone.push(Phone { number: "080 005 005".into(), hours: None, languages: vec![], note: None });
        line.source.page_date = None;
        let mut old = service("old", "home-help", Area { municipalities: vec!["853".into()], ..Area::default() });
        old.source.page_date = Some(date(2021, 9, 1));
        old.source.checked = Some(date(2025, 1, 1));
        let report = coverage(&knowledge(vec![regional, shelter, line, old]), date(2026, 12, 1));

        let region = |code: &str| report.regions.iter().find(|r| r.code == code).unwrap();
        let turku = region("05");
        assert_eq!(turku.entries, 3);
        assert_eq!(
            (turku.cells[0].level, turku.cells[0].regional.as_slice()),
            (Level::Regional, &["regional".to_owned()][..])
        );
        assert_eq!(turku.cells[0].local, ["old"]);
        assert_eq!(
            (turku.cells[1].level, turku.cells[1].local.as_slice()),
            (Level::Local, &["shelter".to_owned()][..])
        );
        assert_eq!(turku.todo.no_channel.len(), 1);
        assert_eq!(turku.todo.no_channel[0].note.as_deref(), Some("Soita Nollalinjaan."));
        assert_eq!(turku.todo.page_date_pre_2023[0].id, "old");
        assert_eq!(turku.todo.checked_over_a_year_ago[0].id, "old");

        let kymenlaakso = region("10");
        assert_eq!(kymenlaakso.entries, 0);
        assert_eq!(kymenlaakso.cells[0].level, Level::None, "no home help at all, not even national");
        assert_eq!(kymenlaakso.cells[1].level, Level::National);
        // Every region but 05 offers only national help (or none) in both categories.
        assert_eq!(report.only_national_cells, 2 * 22);
        assert_eq!(report.regions_with_local_entries, 1);
        assert_eq!(report.national_todo.page_date_missing, ["line"]);
        assert_eq!(report.national_todo.contacts_without_2023_page, ["line"]);
        assert!(report.to_text().contains("05 Varsinais-Suomi (Egentliga Finland): 3 entries of its own"));
    }
}
