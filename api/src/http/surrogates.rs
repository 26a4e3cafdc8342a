//! Surrogate pairs in GraphQL strings. A string may spell a character beyond the Basic
//! Multilingual Plane as two `\u` escapes, a surrogate pair (`"\uD83D\uDE42"` is 🙂), as the
//! GraphQL spec (since October 2021) and JSON allow; async-graphql's parser refuses every `\u`
//! escape of a surrogate. So before a document is parsed, each pair inside a string is written
//! as the character it stands for. Block strings (which have no escapes) and comments are left
//! as they are, and so is a lone surrogate, which the parser refuses as the spec says.

use std::borrow::Cow;

/// `query` with every surrogate-pair escape inside a string written as its character.
pub fn pair_escapes(query: &str) -> Cow<'_, str> {
    if !query.contains("\\u") {
        return Cow::Borrowed(query);
    }
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    let (mut at, mut changed) = (0, false);
    while at < chars.len() {
        let rest = &chars[at..];
        if rest[0] == '#' {
            // A comment, to the end of its line.
            while at < chars.len() && !matches!(chars[at], '\n' | '\r') {
                out.push(chars[at]);
                at += 1;
            }
        } else if rest.starts_with(&['"', '"', '"']) {
            // A block string, to its closing quotes (\""" inside is an escaped triple quote).
            out.push_str("\"\"\"");
            at += 3;
            while at < chars.len() {
                if chars[at..].starts_with(&['\\', '"', '"', '"']) {
                    out.push_str("\\\"\"\"");
                    at += 4;
                } else if chars[at..].starts_with(&['"', '"', '"']) {
                    out.push_str("\"\"\"");
                    at += 3;
                    break;
                } else {
                    out.push(chars[at]);
                    at += 1;
                }
            }
        } else if rest[0] == '"' {
            // A string, to its closing quote or the end of the line.
            out.push('"');
            at += 1;
            while at < chars.len() && !matches!(chars[at], '"' | '\n' | '\r') {
                if chars[at] == '\\' {
                    if let Some(character) = pair_at(&chars[at..]) {
                        out.push(character);
                        at += 12;
                        changed = true;
                        continue;
                    }
                    // Any other escape is copied whole, so that `\\u` stays two characters.
                    out.push('\\');
                    at += 1;
                    if at >= chars.len() {
                        break;
                    }
                }
                out.push(chars[at]);
                at += 1;
            }
            if at < chars.len() && chars[at] == '"' {
                out.push('"');
                at += 1;
            }
        } else {
            out.push(rest[0]);
            at += 1;
        }
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(query) }
}

/// The character of a `\uHHHH\uLLLL` surrogate pair at the start of `chars`.
fn pair_at(chars: &[char]) -> Option<char> {
    if chars.len() < 12 || chars[..2] != ['\\', 'u'] || chars[6..8] != ['\\', 'u'] {
        return None;
    }
    let (high, low) = (hex4(&chars[2..6])?, hex4(&chars[8..12])?);
    if !(0xD800..=0xDBFF).contains(&high) || !(0xDC00..=0xDFFF).contains(&low) {
        return None;
    }
    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
}

fn hex4(chars: &[char]) -> Option<u32> {
    chars.iter().try_fold(0u32, |value, c| Some(value * 16 + c.to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_in_strings_become_their_character() {
        assert_eq!(pair_escapes(r#"{ a(s: "x\uD83D\uDE42y") }"#), "{ a(s: \"x🙂y\") }");
        assert_eq!(pair_escapes(r#"{ a(s: "\ud83d\ude42") }"#), "{ a(s: \"🙂\") }");
        assert!(async_graphql::parser::parse_query(pair_escapes(r#"{ a(s: "\uD83D\uDE42") }"#).as_ref()).is_ok());
        assert!(
            async_graphql::parser::parse_query(r#"{ a(s: "\uD83D\uDE42") }"#).is_err(),
            "the parser alone refuses it"
        );
    }

    #[test]
    fn everything_else_is_left_alone() {
        for query in [
            r#"{ a(s: "\\uD83D\uDE42") }"#,
            r#"{ a(s: "\uD83D") }"#,
            r#"{ a(s: "\uDE42\uD83D") }"#,
            r#"{ a(s: """\uD83D\uDE42""") }"#,
            "{ a } # \\uD83D\\uDE42",
            r#"{ a(s: "\u00e9 \" \uD83D) }"#,
        ] {
            assert_eq!(pair_escapes(query), query);
        }
    }
}
