//! The rules a service file must follow. Each rule is a plain function from the parsed
//! service (and what it may refer to) to findings; the loader gives them lines and columns.

use chrono::{Months, NaiveDate};
use phonenumber::country;

use super::categories::Categories;
use super::coverage::has_2023_page;
use super::diag::{DocPath, Finding};
use super::model::{Reach, Service, Text};
use crate::doc_path;
use crate::geo::{Gazetteer, Point};
use crate::lang::Lang;

/// How old a page may be before `check` asks for it to be read again.
const PAGE_AGE_WARNING_MONTHS: u32 = 24;

/// The folder a service file sits in: `national` or one welfare region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    National,
    Region(String),
}

impl Scope {
    /// Reads a folder name: `national` or `<NN>-<slug>` with a known region code.
    pub fn parse(folder: &str, gazetteer: &Gazetteer) -> Result<Scope, String> {
        if folder == "national" {
            return Ok(Scope::National);
        }
        let code = folder.split('-').next().unwrap_or_default();
        if code.len() == 2 && folder.len() > 3 && gazetteer.region(code).is_some() {
            Ok(Scope::Region(code.to_owned()))
        } else {
            Err(format!(
                "folder `{folder}` is neither `national` nor `<region code>-<name>` with a known region code (e.g. `05-varsinais-suomi`)"
            ))
        }
    }
}

/// What the rules may look at besides the service itself.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    pub categories: &'a Categories,
    pub today: NaiveDate,
}

/// All rules for one service file.
pub fn check_service(service: &Service, stem: &str, scope: &Scope, cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    check_id(service, stem, &mut out);
    check_texts(service, &mut out);
    check_categories(service, cx.categories, &mut out);
    check_area(service, scope, cx.gazetteer, &mut out);
    check_access(service, &mut out);
    check_channels(service, cx.gazetteer, &mut out);
    check_reach(service, &mut out);
    check_source(service, cx.today, &mut out);
    out
}

fn check_id(service: &Service, stem: &str, out: &mut Vec<Finding>) {
    let id = &service.id;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        out.push(Finding::error(doc_path!["id"], format!("id `{id}` must use only a-z, 0-9 and '-'")));
    }
    if id != stem {
        out.push(Finding::error(doc_path!["id"], format!("id `{id}` differs from the file name `{stem}.toml`")));
    }
}

fn check_texts(service: &Service, out: &mut Vec<Finding>) {
    for (field, text) in [("name", &service.name), ("summary", &service.summary)] {
        for (lang, value) in [("fi", &text.fi), ("sv", &text.sv)] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                out.push(Finding::error(
                    doc_path![field, lang],
                    format!("missing `{field}.{lang}`: every service needs a Finnish and a Swedish {field}"),
                ));
            }
        }
    }
    if let Some(organization) = &service.organization
        && organization.name.get(Lang::Fi).is_none()
        && organization.name.get(Lang::Sv).is_none()
    {
        out.push(Finding::error(doc_path!["organization", "name"], "`organization.name` needs `fi` or `sv`"));
    }
}

fn check_categories(service: &Service, categories: &Categories, out: &mut Vec<Finding>) {
    if service.categories.is_empty() {
        out.push(Finding::error(doc_path!["categories"], "a service needs at least one category"));
    }
    for (i, slug) in service.categories.iter().enumerate() {
        if categories.get(slug).is_none() {
            out.push(Finding::error(
                doc_path!["categories", i],
                format!("unknown category `{slug}` (see categories.toml)"),
            ));
        }
    }
}

fn check_area(service: &Service, scope: &Scope, gazetteer: &Gazetteer, out: &mut Vec<Finding>) {
    let area = &service.area;
    for (i, code) in area.regions.iter().enumerate() {
        if gazetteer.region(code).is_none() {
            out.push(Finding::error(
                doc_path!["area", "regions", i],
                format!("unknown region code `{code}` (see areas/welfare-regions-2026.csv)"),
            ));
        }
    }
    for (i, code) in area.municipalities.iter().enumerate() {
        if gazetteer.municipality(code).is_none() {
            out.push(Finding::error(
                doc_path!["area", "municipalities", i],
                format!("unknown municipality code `{code}` (see areas/municipalities-2026.csv)"),
            ));
        }
    }
    let local = !area.regions.is_empty() || !area.municipalities.is_empty();
    match (area.nationwide, local) {
        (false, false) => out
            .push(Finding::error(doc_path!["area"], "`area` needs `nationwide = true`, `regions` or `municipalities`")),
        (true, true) => out.push(Finding::error(
            doc_path!["area", "nationwide"],
            "a nationwide service lists no regions or municipalities",
        )),
        _ => {}
    }
    match scope {
        Scope::National if !area.nationwide => {
            out.push(Finding::error(
                doc_path!["area"],
                "a service in `national/` must have `nationwide = true`; move it to its region's folder",
            ));
        }
        // A place that takes people from anywhere (a shelter) is nationwide but sits in its
        // region: it belongs there if it says where it is.
        Scope::Region(region) if area.nationwide => {
            let here = service
                .location
                .iter()
                .filter_map(|l| gazetteer.municipality(&l.municipality))
                .any(|m| &m.region == region);
            if !here {
                out.push(Finding::error(
                    doc_path!["area", "nationwide"],
                    format!(
                        "a nationwide service belongs in `national/`; a place in region {region} that takes people from anywhere (a shelter) needs a `[[location]]` there"
                    ),
                ));
            }
        }
        Scope::Region(region) => {
            let touches = area.regions.iter().any(|r| r == region)
                || area.municipalities.iter().filter_map(|m| gazetteer.municipality(m)).any(|m| &m.region == region);
            let all_known = area.regions.iter().all(|r| gazetteer.region(r).is_some())
                && area.municipalities.iter().all(|m| gazetteer.municipality(m).is_some());
            if local && all_known && !touches {
                out.push(Finding::error(
                    doc_path!["area"],
                    format!("the service's area lies outside region {region}, the region of its folder"),
                ));
            }
        }
        Scope::National => {}
    }
}

fn check_access(service: &Service, out: &mut Vec<Finding>) {
    let access = &service.access;
    check_languages(&access.languages, doc_path!["access", "languages"], out);
    if let (Some(min), Some(max)) = (access.age_min, access.age_max)
        && min > max
    {
        out.push(Finding::error(doc_path!["access", "age_max"], format!("age_max {max} is below age_min {min}")));
    }
}

fn check_channels(service: &Service, gazetteer: &Gazetteer, out: &mut Vec<Finding>) {
    for (i, phone) in service.phone.iter().enumerate() {
        if let Err(why) = valid_phone(&phone.number) {
            out.push(Finding::error(doc_path!["phone", i, "number"], why));
        }
        check_hours(phone.hours.as_deref(), doc_path!["phone", i, "hours"], out);
        check_languages(&phone.languages, doc_path!["phone", i, "languages"], out);
    }
    for (i, chat) in service.chat.iter().enumerate() {
        check_url(&chat.url, doc_path!["chat", i, "url"], out);
        check_hours(chat.hours.as_deref(), doc_path!["chat", i, "hours"], out);
        check_languages(&chat.languages, doc_path!["chat", i, "languages"], out);
    }
    for (i, web) in service.web.iter().enumerate() {
        check_text_urls(&web.url, doc_path!["web", i, "url"], out);
    }
    for (i, address) in service.email.iter().enumerate() {
        if let Err(why) = valid_email(address) {
            out.push(Finding::error(doc_path!["email", i], why));
        }
    }
    for (i, location) in service.location.iter().enumerate() {
        check_hours(location.hours.as_deref(), doc_path!["location", i, "hours"], out);
        check_hours(location.walk_in_hours.as_deref(), doc_path!["location", i, "walk_in_hours"], out);
        match (location.lat, location.lon) {
            (Some(lat), Some(lon)) if !(Point { lat, lon }).in_finland() => {
                out.push(Finding::error(
                    doc_path!["location", i, "lat"],
                    format!("coordinates {lat}, {lon} lie outside Finland (WGS84 degrees expected)"),
                ));
            }
            (Some(_), None) | (None, Some(_)) => {
                out.push(Finding::error(doc_path!["location", i], "give both `lat` and `lon`, or neither"));
            }
            _ => {}
        }
        let path = doc_path!["location", i, "municipality"];
        match gazetteer.municipality(&location.municipality) {
            None => out.push(Finding::error(path, format!("unknown municipality code `{}`", location.municipality))),
            Some(m) => {
                let area = &service.area;
                let inside =
                    area.nationwide || area.municipalities.contains(&m.code) || area.regions.contains(&m.region);
                if !inside {
                    out.push(Finding::error(
                        path,
                        format!("location in {} ({}) lies outside the service's area", m.name_fi, m.code),
                    ));
                }
            }
        }
    }
}

/// Every service a resident is shown says how to reach it, or its file says why it cannot.
fn check_reach(service: &Service, out: &mut Vec<Finding>) {
    let reachable = service.is_reachable();
    match (service.reach, &service.reach_note) {
        (None, None) if !reachable && service.is_active() => out.push(Finding::error(
            DocPath::new(),
            "no way to reach this service: give a phone, chat, web page, e-mail or an address (a street or a named place), \
             or say why there is none with `reach = \"none-published\"` and a `reach_note`",
        )),
        (None, Some(_)) => out.push(
            Finding::error(doc_path!["reach_note"], "`reach_note` explains `reach = \"none-published\"`, which is missing")
                .at_key(),
        ),
        (Some(Reach::NonePublished), _) if reachable => out.push(Finding::error(
            doc_path!["reach"],
            "`reach = \"none-published\"`, but the file gives a channel: remove `reach` and `reach_note`",
        )),
        (Some(Reach::NonePublished), None) => out.push(Finding::error(
            doc_path!["reach"],
            "`reach = \"none-published\"` needs a `reach_note` in fi and sv: why nothing is published, and how residents get there instead",
        )),
        (Some(Reach::NonePublished), Some(note)) => {
            for lang in [Lang::Fi, Lang::Sv] {
                if note.get(lang).is_none() {
                    out.push(Finding::error(
                        doc_path!["reach_note", lang.code()],
                        format!(
                            "`reach = \"none-published\"` needs `reach_note.{}`: why nothing is published, and how residents get there instead",
                            lang.code()
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
}

fn check_source(service: &Service, today: NaiveDate, out: &mut Vec<Finding>) {
    let source = &service.source;
    match &source.url {
        None => out.push(Finding::error(
            doc_path!["source", "url"],
            "missing `source.url`: every fact needs the page it was read from",
        )),
        Some(url) => check_url(url, doc_path!["source", "url"], out),
    }
    for (i, url) in source.also.iter().enumerate() {
        check_url(url, doc_path!["source", "also", i], out);
    }
    for (i, page) in source.contact_page.iter().enumerate() {
        check_url(&page.url, doc_path!["source", "contact_page", i, "url"], out);
        for (field, date) in [("page_date", page.page_date), ("written_after", page.written_after)] {
            if date.is_some_and(|d| d > today) {
                out.push(Finding::error(
                    doc_path!["source", "contact_page", i, field],
                    format!("`{field}` lies in the future"),
                ));
            }
        }
    }
    if service.is_active() && service.publishes_contact_values() && !has_2023_page(service) {
        out.push(Finding::warning(
            first_contact_value(service),
            "a phone number, e-mail, street address or hours without a source page dated 2023 or later: \
             add the page that shows it as `[[source.contact_page]]`, or leave the value out",
        ));
    }
    if let Some(page_date) = source.page_date {
        let limit = today.checked_sub_months(Months::new(PAGE_AGE_WARNING_MONTHS)).unwrap_or(today);
        if page_date < limit {
            out.push(Finding::warning(
                doc_path!["source", "page_date"],
                format!("the source page is from {page_date}, over two years old: read it again"),
            ));
        }
    }
    for (field, date) in [("page_date", source.page_date), ("checked", source.checked)] {
        if date.is_some_and(|d| d > today) {
            out.push(Finding::error(doc_path!["source", field], format!("`source.{field}` lies in the future")));
        }
    }
}

/// Where the first published contact value is, for pointing a finding at it.
fn first_contact_value(service: &Service) -> DocPath {
    if !service.phone.is_empty() {
        doc_path!["phone", 0]
    } else if !service.email.is_empty() {
        doc_path!["email", 0]
    } else if let Some(i) = service.chat.iter().position(|c| c.hours.is_some()) {
        doc_path!["chat", i, "hours"]
    } else {
        let i = service
            .location
            .iter()
            .position(|l| l.is_visitable() || l.hours.is_some() || l.walk_in_hours.is_some())
            .unwrap_or(0);
        doc_path!["location", i]
    }
}

/// An e-mail address residents can write to: one `@`, no spaces, and a domain name with a
/// dot (`turvakoti@vantaanturvakoti.fi`).
pub fn valid_email(address: &str) -> Result<(), String> {
    let bad = || Err(format!("`{address}` is not an e-mail address"));
    let Some((local, domain)) = address.split_once('@') else { return bad() };
    if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c == '@') || !domain.contains('.') {
        return bad();
    }
    match url::Host::parse(domain) {
        Ok(url::Host::Domain(_)) => Ok(()),
        _ => bad(),
    }
}

/// A phone number residents can call: valid for Finland (`09 2525 0111`, `+358 …`), or one of
/// the EU's harmonised six-digit numbers of social value (`116 111`, `116 006`, `116 117`),
/// which libphonenumber treats as short codes rather than numbers.
pub fn valid_phone(number: &str) -> Result<(), String> {
    let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.starts_with("116") && digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(());
    }
    match phonenumber::parse(Some(country::Id::FI), number) {
        Ok(parsed) if phonenumber::is_valid(&parsed) => Ok(()),
        Ok(_) => Err(format!("`{number}` is not a valid Finnish phone number")),
        Err(e) => Err(format!("`{number}` is not a phone number: {e}")),
    }
}

fn check_hours(hours: Option<&str>, path: DocPath, out: &mut Vec<Finding>) {
    if let Some(hours) = hours
        && let Err(e) = hours.parse::<opening_hours::OpeningHours>()
    {
        let why = e.to_string();
        let why = why.lines().find(|l| !l.trim().is_empty()).unwrap_or("syntax error").trim();
        out.push(Finding::error(path, format!("`{hours}` is not valid opening_hours syntax: {why}")));
    }
}

fn check_url(url: &str, path: DocPath, out: &mut Vec<Finding>) {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        Ok(u) => out.push(Finding::error(path, format!("`{url}` is not a web address (scheme `{}`)", u.scheme()))),
        Err(e) => out.push(Finding::error(path, format!("`{url}` is not a valid URL: {e}"))),
    }
}

fn check_text_urls(urls: &Text, path: DocPath, out: &mut Vec<Finding>) {
    let mut any = false;
    for (lang, url) in urls.iter() {
        any = true;
        let mut p = path.clone();
        p.push(lang.code().into());
        check_url(url, p, out);
    }
    if !any {
        out.push(Finding::error(path, "a web link needs `url.fi`, `url.sv` or `url.en`"));
    }
}

fn check_languages(languages: &[String], path: DocPath, out: &mut Vec<Finding>) {
    for (i, code) in languages.iter().enumerate() {
        if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
            let mut p = path.clone();
            p.push(i.into());
            out.push(Finding::error(p, format!("`{code}` is not a two-letter ISO 639-1 language code")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_numbers_residents_call_are_valid() {
        for n in [
            "080 005 005",
            "+358 80 005 005",
            "09 2525 0111",
            "0800 98009",
            "0800 900 45",
            "116 111",
            "116 006",
            "040 822 3961",
            "02 513 4100",
            "+358 9 3104 4222",
            "0800 96 116",
            "0500 625 990",
            "014 266 0149",
            "029 56 60835",
            "06 312 9666",
        ] {
            assert_eq!(valid_phone(n), Ok(()), "{n}");
        }
    }

    #[test]
    fn e_mail_addresses_need_one_at_and_a_domain() {
        for ok in ["turvakoti@vantaanturvakoti.fi", "lounaissuomi@riku.fi", "a.b-c@x.example.org"] {
            assert_eq!(valid_email(ok), Ok(()), "{ok}");
        }
        for bad in ["riku.fi", "@riku.fi", "a@b", "a b@riku.fi", "a@@riku.fi", "a@riku .fi", "mailto:a@b.fi x"] {
            assert!(valid_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn broken_numbers_are_refused() {
        for n in ["123", "040 1", "116 11", "not a number", "+46 8 123 456 78 90 12"] {
            assert!(valid_phone(n).is_err(), "{n}");
        }
    }
}
