//! Keeping Matrix user IDs out of the logs, including the lines of matrix-sdk and of the
//! homeserver's error texts, which sometimes name users.
//!
//! Our own log lines carry no message bodies, user IDs or display names above `debug`;
//! [`BlankUserIds`] wraps the log writer so that any user ID that still reaches a line (from
//! a library, or an error text) is blanked before it is written.

use std::io::{self, Write};
use std::sync::LazyLock;

use regex::Regex;
use tracing_subscriber::fmt::MakeWriter;

static USER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"@[^\s:@\x22']+:[A-Za-z0-9.\-\[\]:]+").expect("a valid pattern"));

/// A text with Matrix user IDs blanked out.
pub fn blank(text: &str) -> String {
    USER_ID.replace_all(text, "@…").into_owned()
}

/// An error's text (with its causes) with Matrix user IDs blanked out.
pub fn error(e: &dyn std::fmt::Display) -> String {
    blank(&e.to_string())
}

/// A log writer that blanks Matrix user IDs in every line.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlankUserIds<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for BlankUserIds<M> {
    type Writer = Blanking<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Blanking(self.0.make_writer())
    }
}

/// The writer [`BlankUserIds`] hands out. tracing's formatter writes each log line in one
/// call, so a user ID is never split between two writes.
pub struct Blanking<W>(W);

impl<W: Write> Write for Blanking<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(USER_ID.replace_all(&text, "@…").as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_blanked_wherever_they_are() {
        assert_eq!(blank("M_FORBIDDEN: User @resident:example.org not in room"), "M_FORBIDDEN: User @… not in room");
        assert_eq!(blank("sender=\"@x:127.0.0.1:8008\" ok"), "sender=\"@…\" ok");
        assert_eq!(blank("timed out"), "timed out");
        let mut out = Vec::new();
        {
            let mut w = Blanking(&mut out);
            w.write_all(b"WARN crypto: no session for user_id=@bob:matrix.org device=ABC\n").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "WARN crypto: no session for user_id=@… device=ABC\n");
    }
}
