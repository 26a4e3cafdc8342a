//! Splits text into words, numbers and punctuation, with offsets in Unicode code points (what the
//! output reports) and what the rules need: lower-cased text, capitalisation, whether the token is
//! glued to the one before ("1990s", "third-quarter"), and line breaks before it.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of letters.
    Word,
    /// A run of ASCII digits.
    Num,
    /// One other character (punctuation, symbols).
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone)]
pub struct Token {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    pub kind: Kind,
    /// Lower-cased text; typographic apostrophes and dashes folded to ASCII.
    pub lower: String,
    /// The first character is upper case.
    pub cap: bool,
    /// Whitespace comes between this token and the one before.
    pub space_before: bool,
    /// Line breaks in the whitespace before this token.
    pub newlines_before: u32,
    /// The value of a number token (saturating), 0 for others.
    pub num: u32,
}

impl Token {
    /// Number of digits of a number token.
    pub fn digits(&self) -> usize {
        if self.kind == Kind::Num { self.lower.len() } else { 0 }
    }
}

fn fold(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '`' => '\'',
        '\u{2013}' | '\u{2014}' | '\u{2010}' | '\u{2011}' => '-',
        '\u{201c}' | '\u{201d}' => '"',
        other => other,
    }
}

/// Tokenises `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4);
    let mut space = true;
    let mut newlines = 0u32;
    let mut current: Option<Token> = None;
    for (pos, c) in text.chars().enumerate() {
        let c = fold(c);
        let kind = if c.is_ascii_digit() {
            Some(Kind::Num)
        } else if c.is_alphabetic() {
            Some(Kind::Word)
        } else if c.is_whitespace() {
            None
        } else {
            Some(Kind::Punct)
        };
        if let Some(tok) = current.as_mut()
            && Some(tok.kind) == kind
            && kind != Some(Kind::Punct)
        {
            tok.end = pos + 1;
            tok.lower.extend(c.to_lowercase());
            if kind == Some(Kind::Num) {
                tok.num = tok.num.saturating_mul(10).saturating_add(c as u32 - '0' as u32);
            }
            continue;
        }
        if let Some(tok) = current.take() {
            tokens.push(tok);
        }
        match kind {
            None => {
                space = true;
                if c == '\n' {
                    newlines += 1;
                }
            }
            Some(kind) => {
                let num = if kind == Kind::Num { c as u32 - '0' as u32 } else { 0 };
                current = Some(Token {
                    start: pos,
                    end: pos + 1,
                    kind,
                    lower: c.to_lowercase().collect(),
                    cap: c.is_uppercase(),
                    space_before: space,
                    newlines_before: newlines,
                    num,
                });
                space = false;
                newlines = 0;
            }
        }
    }
    if let Some(tok) = current.take() {
        tokens.push(tok);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_code_points_and_glued_tokens_are_marked() {
        let toks = tokenize("Überall: the mid-1990s’ end\n\nok");
        let words: Vec<_> = toks.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(words, ["überall", ":", "the", "mid", "-", "1990", "s", "'", "end", "ok"]);
        assert_eq!((toks[0].start, toks[0].end), (0, 7));
        assert!(toks[0].cap);
        assert_eq!(toks[5].num, 1990);
        assert!(!toks[5].space_before && toks[3].space_before);
        assert_eq!(toks[9].newlines_before, 2);
        assert_eq!(toks[9].start, 29);
    }
}
