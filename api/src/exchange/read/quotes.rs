//! Watches the bytes a CSV reader reads for a quoted field that is never closed. The `csv`
//! crate reads such a field to the end of the file without complaint, so the row it ends up in
//! fails for some other reason ("the date is empty"); this tells the reader the real one, and
//! the line where the quote was opened.

use std::io::{self, Read};

/// Where the scanner is within the CSV text, as RFC 4180 quoting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field: a `"` here opens a quoted field.
    FieldStart,
    /// In an unquoted field: a `"` is a plain character.
    Unquoted,
    /// In a quoted field opened on `line`.
    Quoted { line: u64 },
    /// Just after a `"` in a quoted field: another `"` is an escaped quote, anything else closes it.
    QuoteInQuoted { line: u64 },
}

/// A reader that passes bytes through and follows the quoting of the CSV they hold.
pub struct QuoteWatch<R> {
    inner: R,
    state: State,
    line: u64,
    ended: bool,
    delimiter: u8,
}

impl<R> QuoteWatch<R> {
    pub fn new(inner: R, delimiter: u8) -> Self {
        Self { inner, state: State::FieldStart, line: 1, ended: false, delimiter }
    }

    /// The line of a quote still open when the input ended (the input has been read to its end).
    pub fn unterminated(&self) -> Option<u64> {
        match (self.ended, self.state) {
            (true, State::Quoted { line }) => Some(line),
            _ => None,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if byte == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, byte) {
                (State::FieldStart, b'"') => State::Quoted { line: self.line },
                (State::FieldStart | State::Unquoted, b'\n' | b'\r') => State::FieldStart,
                (State::FieldStart | State::Unquoted, b) if b == self.delimiter => State::FieldStart,
                (State::FieldStart | State::Unquoted, _) => State::Unquoted,
                (State::Quoted { line }, b'"') => State::QuoteInQuoted { line },
                (quoted @ State::Quoted { .. }, _) => quoted,
                (State::QuoteInQuoted { line }, b'"') => State::Quoted { line },
                (State::QuoteInQuoted { .. }, b'\n' | b'\r') => State::FieldStart,
                (State::QuoteInQuoted { .. }, b) if b == self.delimiter => State::FieldStart,
                // `"ab"c`: the csv crate keeps the rest of the field; it is closed all the same.
                (State::QuoteInQuoted { .. }, _) => State::Unquoted,
            };
        }
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        if read == 0 && !buf.is_empty() {
            self.ended = true;
        }
        self.scan(buf.get(..read).unwrap_or_default());
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(text: &str) -> Option<u64> {
        let mut watch = QuoteWatch::new(text.as_bytes(), b',');
        let mut sink = Vec::new();
        watch.read_to_end(&mut sink).ok()?;
        watch.unterminated()
    }

    #[test]
    fn finds_the_quote_left_open() {
        assert_eq!(watch("a,b\n\"x,y\"\"z\",2\n"), None);
        assert_eq!(watch("a,b\n\"multi\nline\",2\n"), None);
        assert_eq!(watch("a,b\n1,ab\"c\n"), None, "a quote inside an unquoted field is plain");
        assert_eq!(watch("a,b\n1,2\n\"open,3\n4,5\n"), Some(3));
        assert_eq!(watch("a,b\n1,\"x\"\"\n"), Some(2), "an escaped quote does not close the field");
    }
}
