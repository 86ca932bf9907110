//! Which volunteers' room a case goes to: the room of the resident's welfare region, or the
//! default room. Pure.

/// A volunteers' room and the welfare regions (codes) it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRoom<R> {
    pub room: R,
    pub regions: Vec<String>,
}

/// The room for a resident of `region` (`None`: not known): the first room serving the
/// region, else the default.
pub fn route<'a, R>(region: Option<&str>, rooms: &'a [VolunteerRoom<R>], default: &'a R) -> &'a R {
    region.and_then(|code| rooms.iter().find(|r| r.regions.iter().any(|c| c == code))).map_or(default, |r| &r.room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_go_to_their_regions_room_or_the_default() {
        let rooms = vec![
            VolunteerRoom { room: "pohjanmaa", regions: vec!["17".into(), "18".into()] },
            VolunteerRoom { room: "turku", regions: vec!["05".into()] },
        ];
        let cases = [
            (Some("17"), "pohjanmaa"),
            (Some("18"), "pohjanmaa"),
            (Some("05"), "turku"),
            (Some("90"), "all"),
            (None, "all"),
        ];
        for (region, want) in cases {
            assert_eq!(*route(region, &rooms, &"all"), want, "{region:?}");
        }
    }
}
