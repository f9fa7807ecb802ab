//! Cuts a hit's snippet: the window of its text holding the most (and rarest) query words,
//! every match marked. Matches are the index tokenizer's tokens, so a query word is found
//! wherever the index found it (`10.1.7` inside `10.1.7.23`, `gi1/0/7` for
//! `GigabitEthernet1/0/7`). Only the words holding an anchor of a query word are analysed, so
//! a long configuration costs one `memmem` pass per anchor. One cutter serves a page's hits.

use crate::plan::DocFreqs;
use crate::request::Snippet;
use crate::tokenizer::{NetTokenizer, TokenizerMode, anchors, chunk_at};
use memchr::memmem::Finder;
use std::collections::BTreeSet;
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Longest snippet: a window of at most this many bytes, or this many characters of the
/// text's beginning when no query word is in it.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Cuts the snippets of one query's hits.
pub(crate) struct Snippets {
    /// The query's words in the text field, each weighted by its rarity.
    terms: Vec<(String, f32)>,
    /// Searchers for what a word must hold to yield one of `terms` (see [`anchors`]), built
    /// once for all of a page's hits.
    anchors: Vec<Finder<'static>>,
    tokenizer: NetTokenizer,
    /// The text being cut, ASCII-lowercased (byte offsets unchanged).
    lower: String,
    /// Sorted offsets where an anchor or a non-ASCII character starts.
    marks: Vec<usize>,
    /// The query words found, in text order, with their weights.
    found: Vec<(Range<usize>, f32)>,
}

impl Snippets {
    /// A cutter for the words `query` looks for in `field`; a word found in more documents
    /// weighs less.
    pub fn new(freqs: &DocFreqs, query: &dyn Query, field: Field) -> tantivy::Result<Self> {
        let mut words = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                words.insert(term.clone());
            }
        });
        let mut terms = Vec::with_capacity(words.len());
        for term in words {
            let doc_freq = freqs.get(&term)?;
            if let Some(text) = term.value().as_str().filter(|_| doc_freq > 0) {
                terms.push((text.to_string(), 1.0 / (1.0 + doc_freq as f32)));
            }
        }
        Ok(Snippets::for_terms(terms))
    }

    /// A cutter for `terms`, lowercase, with their weights.
    fn for_terms(terms: Vec<(String, f32)>) -> Self {
        let mut anchors: Vec<String> = terms.iter().flat_map(|(t, _)| anchors(t)).map(str::to_string).collect();
        anchors.sort();
        anchors.dedup();
        let anchors = anchors.iter().map(|a| Finder::new(a.as_bytes()).into_owned()).collect();
        let tokenizer = NetTokenizer::new(TokenizerMode::Index);
        Snippets { terms, anchors, tokenizer, lower: String::new(), marks: Vec::new(), found: Vec::new() }
    }

    /// The best window of `text`, or its beginning when no query word is in it.
    pub fn cut(&mut self, text: &str) -> Snippet {
        self.find(text);
        let Some((window, marks)) = self.best_window() else {
            let end = text.char_indices().nth(SNIPPET_CHARS).map_or(text.len(), |(i, _)| i);
            let head = &text[..end];
            let mut html = String::with_capacity(head.len());
            escape_html(&mut html, head);
            return Snippet { html, text: head.to_string(), highlights: Vec::new() };
        };
        let range = widen(text, window);
        let marks = merge(marks.iter().map(|(r, _)| r.start - range.start..r.end - range.start));
        let fragment = &text[range];
        let mut html = String::with_capacity(fragment.len() + 16);
        let mut from = 0;
        for mark in &marks {
            escape_html(&mut html, &fragment[from..mark.start]);
            html.push_str("<b>");
            escape_html(&mut html, &fragment[mark.clone()]);
            html.push_str("</b>");
            from = mark.end;
        }
        escape_html(&mut html, &fragment[from..]);
        Snippet { html, text: fragment.to_string(), highlights: marks.into_iter().map(|r| (r.start, r.end)).collect() }
    }

    /// Fills `found` with the query words of `text`: the words around each anchor (and each
    /// non-ASCII word, whose lowercase the ASCII pass cannot see) are analysed, once each.
    fn find(&mut self, text: &str) {
        self.lower.clear();
        self.lower.push_str(text);
        self.lower.make_ascii_lowercase();
        self.marks.clear();
        for anchor in &self.anchors {
            self.marks.extend(anchor.find_iter(self.lower.as_bytes()));
        }
        if !text.is_ascii() {
            self.marks.extend(text.char_indices().filter(|(_, c)| !c.is_ascii()).map(|(i, _)| i));
        }
        self.marks.sort_unstable();
        self.found.clear();
        let mut analysed_to = 0;
        for &mark in &self.marks {
            if mark < analysed_to {
                continue;
            }
            let (word, run_end) = chunk_at(text, mark);
            analysed_to = run_end;
            let Some(word) = word else { continue };
            let mut stream = self.tokenizer.token_stream(word.text);
            while stream.advance() {
                let token = stream.token();
                if let Some((_, weight)) = self.terms.iter().find(|(term, _)| *term == token.text) {
                    self.found.push((word.from + token.offset_from..word.from + token.offset_to, *weight));
                }
            }
        }
        // Marks are sorted and a word's tokens come in text order, so `found` is in text order.
        debug_assert!(self.found.is_sorted_by_key(|(r, _)| (r.start, r.end)));
    }

    /// The words found that fit in the best window of [`SNIPPET_CHARS`] bytes starting at a
    /// found word (the first of equals), and the span they cover; `None` when none was found.
    fn best_window(&self) -> Option<(Range<usize>, &[(Range<usize>, f32)])> {
        let found = &self.found;
        let (mut best, mut best_score) = (None, 0.0);
        let (mut end, mut score) = (0, 0.0);
        for first in 0..found.len() {
            let limit = found[first].0.start + SNIPPET_CHARS;
            end = end.max(first);
            while end < found.len() && found[end].0.end <= limit {
                score += found[end].1;
                end += 1;
            }
            if end > first && score > best_score {
                (best, best_score) = (Some(first..end), score);
            }
            if end > first {
                score -= found[first].1;
            }
        }
        let words = &found[best?];
        let span = words[0].0.start..words.iter().map(|(r, _)| r.end).max().unwrap_or_default();
        Some((span, words))
    }
}

/// `span` widened to at most [`SNIPPET_CHARS`] bytes of context: from its line's start when
/// that fits, up to before the first word that would not fit.
fn widen(text: &str, span: Range<usize>) -> Range<usize> {
    let line = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let start = if span.end - line <= SNIPPET_CHARS { line } else { span.start };
    let mut end = (start + SNIPPET_CHARS).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len()
        && let Some(space) = text[span.end..end].rfind(char::is_whitespace)
    {
        end = span.end + space;
    }
    start..end.max(span.end)
}

/// Sorted ranges with overlapping or touching ones merged.
fn merge(sorted: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Appends `text` to `out`, escaped for HTML.
fn escape_html(out: &mut String, text: &str) {
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(escaped);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cutter(words: &[(&str, f32)]) -> Snippets {
        Snippets::for_terms(words.iter().map(|(w, s)| (w.to_string(), *s)).collect())
    }

    #[test]
    fn marks_every_match_and_merges_the_parts_of_one_word() {
        let snippet = cutter(&[("10.1.7", 0.5), ("down", 0.1)]).cut("peer 10.1.7.23 went <down> & out");
        assert_eq!(snippet.html, "peer <b>10.1.7</b>.23 went &lt;<b>down</b>&gt; &amp; out");
        assert_eq!(snippet.highlights, vec![(5, 11), (21, 25)]);
        assert_eq!(snippet.text, "peer 10.1.7.23 went <down> & out");
    }

    #[test]
    fn picks_the_window_with_the_rarest_words_and_the_first_of_equals() {
        let filler = "x ".repeat(150);
        let text = format!("common here {filler} rare here {filler} rare again");
        let snippet = cutter(&[("common", 0.1), ("rare", 0.9)]).cut(&text);
        assert!(snippet.text.contains("rare here") && !snippet.text.contains("common"), "{:?}", snippet.text);
        assert!(!snippet.text.contains("again") && snippet.text.len() <= SNIPPET_CHARS, "{:?}", snippet.text);
    }

    #[test]
    fn words_are_matched_by_their_parts_and_aliases_in_any_case() {
        let text = "interface GigabitEthernet1/0/7\n description to CORE-SW1.example.net\n mac 001A.2B07.0042";
        let snippet = cutter(&[("gi1/0/7", 0.3), ("example.net", 0.3), ("00:1a:2b:07:00:42", 0.3)]).cut(text);
        let marked: Vec<&str> = snippet.highlights.iter().map(|(a, b)| &snippet.text[*a..*b]).collect();
        assert_eq!(marked, ["GigabitEthernet1/0/7", "example.net", "001A.2B07.0042"]);
    }

    #[test]
    fn non_ascii_words_are_matched_too() {
        let snippet = cutter(&[("état", 0.5)]).cut("Interface ÉTAT changé");
        assert_eq!(snippet.html, "Interface <b>ÉTAT</b> changé");
    }

    #[test]
    fn without_a_match_the_beginning_is_the_snippet() {
        let text = "é".repeat(300);
        let snippet = cutter(&[("down", 0.1)]).cut(&text);
        assert_eq!(snippet.text.chars().count(), SNIPPET_CHARS);
        assert!(snippet.highlights.is_empty());
    }

    #[test]
    fn escapes_html_specials_and_keeps_other_text() {
        let mut html = String::from("x");
        escape_html(&mut html, "a<b>&\"c'é");
        assert_eq!(html, "xa&lt;b&gt;&amp;&quot;c&#39;é");
    }
}
