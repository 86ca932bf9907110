//! The volunteers' commands in their room: `!claim`, `!note`, `!palvelu ID`, `!close`,
//! `!cases`, in Finnish, Swedish or English.

/// A volunteer's command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Take the case of this thread.
    Claim,
    /// An internal note: never relayed.
    Note,
    /// Send the knowledge entry `id` to the resident, as the bot renders it.
    Service(String),
    /// Close the case of this thread.
    Close,
    /// List the open cases.
    Cases,
    /// What the volunteers can do.
    Help,
}

/// Reads a volunteer's command; `None` if the message is not one (it is an answer to relay).
pub fn parse(body: &str) -> Option<Command> {
    let rest = body.trim().strip_prefix('!')?;
    let (word, arg) = match rest.split_once(char::is_whitespace) {
        Some((w, a)) => (w, a.trim()),
        None => (rest, ""),
    };
    Some(match word.to_lowercase().as_str() {
        "claim" | "ota" | "otan" | "tar" | "ta" => Command::Claim,
        "note" | "muistio" | "huom" | "anteckning" | "notering" => Command::Note,
        "palvelu" | "tjänst" | "tjanst" | "service" if !arg.is_empty() => {
            Command::Service(arg.split_whitespace().next().unwrap_or_default().to_owned())
        }
        "close" | "sulje" | "valmis" | "stäng" | "stang" | "klar" | "done" => Command::Close,
        "cases" | "tapaukset" | "ärenden" | "arenden" => Command::Cases,
        "help" | "apu" | "ohje" | "hjälp" | "hjalp" => Command::Help,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_of_the_volunteers() {
        let cases = [
            ("!claim", Some(Command::Claim)),
            ("!ota", Some(Command::Claim)),
            ("!note soitin perään", Some(Command::Note)),
            ("!muistio", Some(Command::Note)),
            ("!palvelu nollalinja", Some(Command::Service("nollalinja".into()))),
            ("!tjänst nollalinja extra", Some(Command::Service("nollalinja".into()))),
            ("!palvelu", None),
            ("!close", Some(Command::Close)),
            ("!stäng", Some(Command::Close)),
            ("!cases", Some(Command::Cases)),
            ("!tapaukset", Some(Command::Cases)),
            ("!apu", Some(Command::Help)),
            ("Hei, tässä vastaus sinulle", None),
            ("!pizza", None),
        ];
        for (body, want) in cases {
            assert_eq!(parse(body), want, "{body}");
        }
    }
}
