//! Sentences and sections: where a sentence ends (not after "Gen." or "Sept."), and where the
//! scraped trailer of a page begins (a short line "Related", "Other news", "Write to …"), after
//! which nothing is taken for the article.

use crate::lang::Lexicon;
use crate::token::{Kind, Token};

/// A sentence: tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Opens a paragraph (a blank line before it, or the text's start).
    pub paragraph_start: bool,
    /// Ends with . ! ? (or a quote after one): a sentence, not a heading or a caption.
    pub terminated: bool,
    /// After the break where the page's trailer begins.
    pub trailer: bool,
}

fn terminal(t: &Token) -> bool {
    t.kind == Kind::Punct && matches!(t.lower.as_str(), "." | "!" | "?")
}

fn closing(t: &Token) -> bool {
    t.kind == Kind::Punct && matches!(t.lower.as_str(), "\"" | "'" | ")")
}

/// Splits tokens into sentences.
pub fn split(t: &[Token], lex: &Lexicon) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut paragraph_start = true;
    let mut i = 0;
    while i < t.len() {
        let next = i + 1;
        let mut boundary = next >= t.len();
        let mut terminated = false;
        let mut end = next;
        if !boundary {
            let cur = &t[i];
            if terminal(cur) {
                // Quotes and brackets after the full stop belong to the sentence.
                while end < t.len() && closing(&t[end]) && !t[end].space_before {
                    end += 1;
                }
                let after = t.get(end);
                let abbreviation = cur.lower == "."
                    && i > 0
                    && !t[i].space_before
                    && (t[i - 1].kind == Kind::Word && Lexicon::has(lex.abbreviations, &t[i - 1].lower)
                        // German "am 2. März", "im 3. Quartal": the full stop of an ordinal.
                        || t[i - 1].kind == Kind::Num
                            && t[i - 1].lower.len() <= 2
                            && Lexicon::has(lex.ordinal_suffixes, "."));
                boundary = match after {
                    None => true,
                    Some(a) => {
                        a.newlines_before > 0
                            || (a.space_before
                                && (a.cap || a.kind == Kind::Num || closing(a) || a.lower == "\"")
                                && !abbreviation)
                    }
                };
                terminated = boundary;
            } else if t[next].newlines_before > 0 {
                // A line break ends a heading or a caption without punctuation.
                boundary = t[next].newlines_before >= 2 || t[next].cap || cur.kind == Kind::Punct;
            }
        } else {
            terminated = terminal(&t[i]) || (closing(&t[i]) && i > 0 && terminal(&t[i - 1]));
        }
        if boundary {
            let end = end.min(t.len());
            out.push(Sentence { start, end, paragraph_start, terminated, trailer: false });
            paragraph_start = t.get(end).is_some_and(|n| n.newlines_before >= 2);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    mark_trailer(&mut out, t, lex);
    out
}

/// Marks everything from the first trailer heading on.
fn mark_trailer(sentences: &mut [Sentence], t: &[Token], lex: &Lexicon) {
    let Some(first) = sentences.iter().position(|s| {
        let line_start = t.get(s.start).is_some_and(|f| f.newlines_before > 0 || s.start == 0);
        let words = t[s.start..s.end].iter().filter(|x| x.kind == Kind::Word).count();
        let text: Vec<&str> = t[s.start..s.end].iter().map(|x| x.lower.as_str()).collect();
        let text = text.join(" ");
        let starts = lex
            .trailer_markers
            .iter()
            .any(|m| text.starts_with(m) && text[m.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()));
        // A heading of its own ("Related"), or a footer that opens a line ("Write to …").
        line_start && starts && (words <= 6 || !s.terminated || text.starts_with("write to"))
    }) else {
        return;
    };
    // Only a break in the second half of the text: a "Related" box at the top is not the end.
    if first * 2 < sentences.len() {
        return;
    }
    for s in &mut sentences[first..] {
        s.trailer = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::token::tokenize;

    fn texts(text: &str) -> Vec<(String, bool, bool)> {
        let t = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        split(&t, Language::English.lexicon())
            .iter()
            .map(|s| (chars[t[s.start].start..t[s.end - 1].end].iter().collect(), s.terminated, s.trailer))
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let s = texts("Gen. Gerhartz spoke on Sept. 30. He left. \"Done,\" he said.");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, "Gen. Gerhartz spoke on Sept. 30.");
        assert!(s.iter().all(|x| x.1));
    }

    #[test]
    fn headings_and_the_trailer() {
        let text = "Title Line\n\nOne thing happened. Another happened.\n\nA third.\n\nOTHER NEWS\n\nStocks fell on Tuesday. Read more »";
        let s = texts(text);
        assert_eq!(s[0], ("Title Line".into(), false, false));
        let trailer: Vec<_> = s.iter().filter(|x| x.2).map(|x| x.0.as_str()).collect();
        assert_eq!(trailer, ["OTHER NEWS", "Stocks fell on Tuesday.", "Read more »"]);
    }
}
