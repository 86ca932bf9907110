//! A case: one resident's conversation with the volunteers, from the consent question to
//! its close. The states and what moves a case between them are pure data, table-tested;
//! the Matrix glue stores them and sends what each step says.
//!
//! ```text
//! asked ──yes──► consented ──first text──► open ──claim──► claimed
//!   │ no/cancel/no answer     │ cancel       │ close, cancel, idle   │ close, cancel, idle
//!   ▼                         ▼              ▼                       ▼
//! declined                  closed         closed                  closed
//! ```

/// Where a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The consent question was asked.
    Asked,
    /// The resident said yes; their next message opens the case.
    Consented,
    /// The case root is in the volunteers' room; messages are relayed both ways.
    Open,
    /// A volunteer took the case.
    Claimed,
    /// Ended: nothing more is relayed.
    Closed,
    /// The resident said no (or nothing): nothing was, or will be, forwarded.
    Declined,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Asked => "asked",
            State::Consented => "consented",
            State::Open => "open",
            State::Claimed => "claimed",
            State::Closed => "closed",
            State::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "asked" => State::Asked,
            "consented" => State::Consented,
            "open" => State::Open,
            "claimed" => State::Claimed,
            "closed" => State::Closed,
            "declined" => State::Declined,
            _ => return None,
        })
    }

    /// Still running (the resident's messages belong to it).
    pub fn is_active(self) -> bool {
        !matches!(self, State::Closed | State::Declined)
    }

    /// Messages are relayed both ways.
    pub fn relays(self) -> bool {
        matches!(self, State::Open | State::Claimed)
    }
}

/// What happens to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Yes,
    No,
    /// The resident wrote a message (not an answer to the consent question).
    ResidentText,
    /// A volunteer answered in the case thread.
    VolunteerText,
    Claim,
    /// A volunteer closed the case.
    Close,
    /// The resident ended it (`!peru`).
    Cancel,
    /// No answer to the consent question in time, or no activity for the idle time.
    Timeout,
}

/// What a step does besides changing the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing to send.
    None,
    /// Tell the resident to write their message; it goes to the volunteers.
    AskForText,
    /// Tell the resident nothing is forwarded.
    ConfirmNothingSent,
    /// Post the case root with the resident's text in the volunteers' room.
    OpenCase,
    /// Relay the resident's text into the case thread.
    RelayToVolunteers,
    /// Relay the volunteer's text to the resident.
    RelayToResident,
    /// Mark who took the case (edit the root).
    MarkClaimed,
    /// Tell the resident the case is closed and how to ask again; edit the root.
    CloseCase,
}

/// The next state and what to do, or `None` if the event means nothing in this state (e.g.
/// a volunteer's text for a case that is closed: it is not relayed).
pub fn step(state: State, event: Event) -> Option<(State, Effect)> {
    use Effect as E;
    use Event::*;
    use State::*;
    Some(match (state, event) {
        (Asked, Yes) => (Consented, E::AskForText),
        (Asked, No | Cancel) => (Declined, E::ConfirmNothingSent),
        (Asked, Timeout) => (Declined, E::None),
        (Consented, ResidentText) => (Open, E::OpenCase),
        (Consented, No | Cancel) => (Declined, E::ConfirmNothingSent),
        (Consented, Timeout) => (Declined, E::None),
        (Open | Claimed, ResidentText) => (state, E::RelayToVolunteers),
        (Open | Claimed, VolunteerText) => (state, E::RelayToResident),
        (Open, Claim) => (Claimed, E::MarkClaimed),
        (Claimed, Claim) => (Claimed, E::MarkClaimed),
        (Open | Claimed, Close | Cancel | Timeout) => (Closed, E::CloseCase),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_life_of_a_case() {
        use Effect as E;
        use Event::*;
        use State::*;
        let cases = [
            ("yes to the question", Asked, Yes, Some((Consented, E::AskForText))),
            ("no to the question", Asked, No, Some((Declined, E::ConfirmNothingSent))),
            ("no answer in time", Asked, Timeout, Some((Declined, E::None))),
            ("a text before consent is not forwarded", Asked, ResidentText, None),
            ("the first text after yes opens the case", Consented, ResidentText, Some((Open, E::OpenCase))),
            ("cancel before the first text", Consented, Cancel, Some((Declined, E::ConfirmNothingSent))),
            ("a follow-up", Open, ResidentText, Some((Open, E::RelayToVolunteers))),
            ("a volunteer's answer", Open, VolunteerText, Some((Open, E::RelayToResident))),
            ("a claim", Open, Claim, Some((Claimed, E::MarkClaimed))),
            ("a claim by another volunteer", Claimed, Claim, Some((Claimed, E::MarkClaimed))),
            ("a close", Claimed, Close, Some((Closed, E::CloseCase))),
            ("the resident ends it", Open, Cancel, Some((Closed, E::CloseCase))),
            ("idle for a week", Claimed, Timeout, Some((Closed, E::CloseCase))),
            ("a volunteer's text after the close", Closed, VolunteerText, None),
            ("a resident's text after the close", Closed, ResidentText, None),
            ("a volunteer before the case is open", Consented, VolunteerText, None),
            ("yes after a decline changes nothing", Declined, Yes, None),
        ];
        for (what, state, event, want) in cases {
            assert_eq!(step(state, event), want, "{what}");
        }
        for s in [Asked, Consented, Open, Claimed, Closed, Declined] {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }
}
