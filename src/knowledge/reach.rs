//! How a resident can reach a service: the channels a knowledge entry publishes.
//!
//! A service a resident cannot contact is a dead end in an answer, so `check`, the
//! coverage report, ranking and the reply all ask the same question here: which channels
//! does this entry give? A `[[location]]` counts only with a street or the name of a place
//! ("Töölön kirjasto"): a shelter's town alone (its address is kept secret) tells no one
//! where to go.

use serde::Serialize;

use super::model::{Location, Service};

/// A way to get in touch, in the order a reply offers them: a voice first, then a written
/// conversation, a door to walk in, an e-mail address, and a web page last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Phone,
    Chat,
    Visit,
    Email,
    Web,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Visit => "visit",
            Channel::Email => "email",
            Channel::Web => "web",
        }
    }
}

impl Service {
    /// The kinds of channel the entry publishes, in [`Channel`] order, each once.
    pub fn channels(&self) -> Vec<Channel> {
        let has = [
            (Channel::Phone, !self.phone.is_empty()),
            (Channel::Chat, !self.chat.is_empty()),
            (Channel::Visit, self.location.iter().any(Location::is_visitable)),
            (Channel::Email, !self.email.is_empty()),
            (Channel::Web, self.web.iter().any(|w| w.url.iter().next().is_some())),
        ];
        has.into_iter().filter(|(_, yes)| *yes).map(|(c, _)| c).collect()
    }

    /// Whether a resident can contact the service by any published channel.
    pub fn is_reachable(&self) -> bool {
        !self.channels().is_empty()
    }

    /// Whether the entry publishes a value a resident acts on and that goes stale: a phone
    /// number, an e-mail address, an address (a street or a named place) or opening hours.
    /// These need a page from 2023 or later (see `knowledge/README.md`); a web link does not.
    pub fn publishes_contact_values(&self) -> bool {
        !self.phone.is_empty()
            || !self.email.is_empty()
            || self.chat.iter().any(|c| c.hours.is_some())
            || self.location.iter().any(|l| l.is_visitable() || l.hours.is_some() || l.walk_in_hours.is_some())
    }
}

impl Location {
    /// Whether the location tells a resident where to go: a street, or a named place.
    pub fn is_visitable(&self) -> bool {
        let given = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
        given(self.street.as_deref()) || self.name.as_ref().is_some_and(|n| n.iter().next().is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::model::{Chat, Phone, Text, Web};

    fn location(street: Option<&str>) -> Location {
        Location { street: street.map(str::to_owned), municipality: "853".into(), ..Location::default() }
    }

    #[test]
    fn channels_are_listed_in_reply_order_and_a_town_alone_is_no_address() {
        let mut s = Service::default();
        assert!(s.channels().is_empty());
        assert!(!s.is_reachable());
        s.location.push(location(None));
        assert!(!s.is_reachable(), "a shelter's town is not a place to walk in");
        assert!(!s.publishes_contact_values());
        s.location[0].name = Some(Text { fi: Some("Töölön kirjasto".into()), sv: None, en: None });
        assert_eq!(s.channels(), [Channel::Visit], "a named place is");
        assert!(s.publishes_contact_values());
        s.location.clear();
        s.location.push(location(None));
        s.web.push(Web { url: Text { fi: Some("https://example.org/".into()), sv: None, en: None } });
        s.location.push(location(Some("Kousankatu 1")));
        s.phone.push(Phone { number: "09 2525 0111".into(), hours: None, languages: vec![], note: None });
        s.chat.push(Chat { url: "https://example.org/chat".into(), hours: None, languages: vec![], note: None });
        s.email.push("info@example.org".into());
        assert_eq!(s.channels(), [Channel::Phone, Channel::Chat, Channel::Visit, Channel::Email, Channel::Web]);
        assert!(s.publishes_contact_values());
    }

    #[test]
    fn a_web_link_alone_reaches_but_publishes_no_value_that_goes_stale() {
        let s = Service {
            web: vec![Web { url: Text { fi: None, sv: Some("https://example.org/sv".into()), en: None } }],
            ..Service::default()
        };
        assert_eq!(s.channels(), [Channel::Web]);
        assert!(!s.publishes_contact_values());
    }
}
