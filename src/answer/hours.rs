//! "Open now, closes at 15.00" / "closed now, opens on Monday at 10.00", computed from a
//! service's OpenStreetMap `opening_hours` in Finnish time, with Finnish public holidays.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, Datelike, Duration};
use chrono_tz::Tz;
use opening_hours::localization::{Country, TzLocation};
use opening_hours::{Context, OpeningHours};

use crate::i18n::Locales;
use crate::lang::Lang;

/// Changes further ahead than this are not worth a date ("opens in three weeks").
const HORIZON_DAYS: i64 = 7;

/// Whether something is open at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Always,
    OpenUntil(DateTime<Tz>),
    Open,
    Opens(DateTime<Tz>),
    Closed,
}

type Hours = OpeningHours<TzLocation<Tz>>;

/// Parsed expressions with Finland's holidays and time zone attached, by their text: the
/// knowledge base has a few dozen distinct ones, and parsing them (and loading the holiday
/// calendar) for every reply would cost more than answering the question.
static PARSED: LazyLock<Mutex<HashMap<String, Option<Hours>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn parsed(hours: &str) -> Option<Hours> {
    let mut cache = PARSED.lock().unwrap_or_else(|p| p.into_inner());
    cache
        .entry(hours.to_owned())
        .or_insert_with(|| {
            let parsed: OpeningHours = hours.parse().ok()?;
            Some(
                parsed.with_context(
                    Context::default()
                        .with_holidays(Country::FI.holidays())
                        .with_locale(TzLocation::new(chrono_tz::Europe::Helsinki)),
                ),
            )
        })
        .clone()
}

/// The status of `hours` at `now`, or `None` when the expression cannot be read or leaves
/// the state unknown.
pub fn status(hours: &str, now: DateTime<Tz>) -> Option<Status> {
    let oh = parsed(hours)?;
    let now = now.with_timezone(&chrono_tz::Europe::Helsinki);
    let horizon = now + Duration::days(HORIZON_DAYS);
    let next = oh.next_change(now).filter(|t| *t <= horizon);
    if oh.is_open(now) {
        Some(match (next, oh.next_change(now)) {
            (_, None) => Status::Always,
            (Some(t), _) => Status::OpenUntil(t),
            (None, Some(_)) => Status::Open,
        })
    } else if oh.is_closed(now) {
        Some(next.map_or(Status::Closed, Status::Opens))
    } else {
        None
    }
}

/// The status in words, in `lang`.
pub fn describe(status: Status, now: DateTime<Tz>, lang: Lang, locales: &Locales) -> String {
    match status {
        Status::Always => locales.text(lang, "status-always", &[]),
        Status::Open => locales.text(lang, "status-open", &[]),
        Status::Closed => locales.text(lang, "status-closed", &[]),
        Status::OpenUntil(t) => locales.text(lang, "status-open-until", &[("time", &clock(t, lang))]),
        Status::Opens(t) => {
            let when = when(t, now, lang, locales);
            locales.text(lang, "status-opens", &[("when", &when)])
        }
    }
}

/// "today at 10.00", "tomorrow at 9.30", "on Monday at 10.00".
pub fn when(t: DateTime<Tz>, now: DateTime<Tz>, lang: Lang, locales: &Locales) -> String {
    let time = clock(t, lang);
    let days = (t.date_naive() - now.date_naive()).num_days();
    match days {
        0 => locales.text(lang, "when-today", &[("time", &time)]),
        1 => locales.text(lang, "when-tomorrow", &[("time", &time)]),
        _ => {
            let day = locales.text(lang, &format!("weekday-{}", t.weekday().number_from_monday()), &[]);
            locales.text(lang, "when-day", &[("day", &day), ("time", &time)])
        }
    }
}

/// 10.00 in Finnish and Swedish, 10:00 in English; midnight is 24.00 when it ends a day.
fn clock(t: DateTime<Tz>, lang: Lang) -> String {
    match lang {
        Lang::En => t.format("%H:%M").to_string(),
        _ => t.format("%H.%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Helsinki;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        Helsinki.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn statuses_follow_the_hours_in_finnish_time() {
        // Monday 23 November 2026.
        let monday_noon = at(2026, 11, 23, 12, 0);
        assert_eq!(status("24/7", monday_noon), Some(Status::Always));
        assert_eq!(status("Mo-Fr 10:00-14:00", monday_noon), Some(Status::OpenUntil(at(2026, 11, 23, 14, 0))));
        assert_eq!(status("Mo-Fr 13:00-15:00", monday_noon), Some(Status::Opens(at(2026, 11, 23, 13, 0))));
        // Saturday evening: the weekday service opens on Monday.
        assert_eq!(status("Mo-Fr 10:00-14:00", at(2026, 11, 28, 20, 0)), Some(Status::Opens(at(2026, 11, 30, 10, 0))));
        assert_eq!(status("not hours", monday_noon), None);
    }

    #[test]
    fn public_holidays_close_ph_off_services() {
        // Independence Day, Sunday 6 December 2026, is a Finnish public holiday.
        let independence_day = at(2026, 12, 6, 12, 0);
        assert!(matches!(status("Mo-Su 10:00-14:00; PH off", independence_day), Some(Status::Opens(_))));
        assert!(matches!(status("Mo-Su 10:00-14:00", independence_day), Some(Status::OpenUntil(_))));
    }

    #[test]
    fn statuses_read_naturally() {
        let l = Locales::new().unwrap();
        let now = at(2026, 11, 28, 20, 0);
        let opens = Status::Opens(at(2026, 11, 30, 10, 0));
        assert_eq!(describe(opens, now, Lang::Fi, &l), "suljettu nyt, aukeaa maanantaina klo 10.00");
        assert_eq!(describe(opens, now, Lang::Sv, &l), "stängt nu, öppnar på måndag kl. 10.00");
        assert_eq!(describe(opens, now, Lang::En, &l), "closed now, opens on Monday at 10:00");
        let tomorrow = Status::Opens(at(2026, 11, 29, 9, 30));
        assert_eq!(describe(tomorrow, now, Lang::Fi, &l), "suljettu nyt, aukeaa huomenna klo 09.30");
        assert_eq!(describe(Status::Always, now, Lang::Sv, &l), "alltid öppet");
    }
}
