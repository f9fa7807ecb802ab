//! Cuts text into candidate words: runs of letters, digits and the joiners that hold network
//! tokens together (`. : / - _`), trimmed of joiners at their ends unless that breaks an IPv6 address.

use std::net::Ipv6Addr;

/// Characters that join the parts of a network token (`10.0.0.1/24`, `xe-0/0/0.0`, `aa:bb`).
pub(crate) const JOINERS: &[char] = &['.', ':', '/', '-', '_'];

/// One candidate word of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chunk<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Its byte offset in the text.
    pub from: usize,
}

/// Whether `c` belongs inside a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || JOINERS.contains(&c)
}

/// Whether the character at byte `at` of `text` belongs inside a word, and its length in bytes.
/// ASCII, nearly all of a device's text, is decided from the byte alone.
#[inline]
fn word_char_at(text: &str, at: usize) -> (bool, usize) {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        return (is_word_char(char::from(b)), 1);
    }
    let c = text[at..].chars().next().expect("`at` is a character boundary");
    (is_word_char(c), c.len_utf8())
}

/// The candidate words of `text`, in order.
pub(crate) fn chunks(text: &str) -> impl Iterator<Item = Chunk<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let start = run_end(text, at, false);
            if start == text.len() {
                return None;
            }
            at = run_end(text, start, true);
            if let Some(chunk) = trim(&text[start..at], start) {
                return Some(chunk);
            }
        }
    })
}

/// The candidate word holding byte `at` of `text` (a character boundary), if any, and where
/// the run of word characters around `at` ends: [`chunks`] would cut the same word there.
pub(crate) fn chunk_at(text: &str, at: usize) -> (Option<Chunk<'_>>, usize) {
    let (is_word, len) = word_char_at(text, at);
    if !is_word {
        return (None, at + len);
    }
    let mut start = at;
    while let Some(c) = text[..start].chars().next_back().filter(|c| is_word_char(*c)) {
        start -= c.len_utf8();
    }
    let end = run_end(text, at, true);
    (trim(&text[start..end], start), end)
}

/// Where the run of word characters (`word`) or of other characters starting at `at` ends.
fn run_end(text: &str, mut at: usize, word: bool) -> usize {
    while at < text.len() {
        let (is_word, len) = word_char_at(text, at);
        if is_word != word {
            break;
        }
        at += len;
    }
    at
}

/// Trims joiners off a run's ends; an IPv6 address (`::1`, `2001:db8::`) keeps its colons.
fn trim(run: &str, from: usize) -> Option<Chunk<'_>> {
    let dots_trimmed = run.trim_end_matches('.');
    if is_ipv6_like(dots_trimmed) {
        return Some(Chunk { text: dots_trimmed, from });
    }
    let start_trimmed = run.trim_start_matches(JOINERS);
    let text = start_trimmed.trim_end_matches(JOINERS);
    if text.is_empty() {
        return None;
    }
    Some(Chunk { text, from: from + (run.len() - start_trimmed.len()) })
}

/// Whether `s` is an IPv6 address, optionally with a `/length` suffix.
pub(crate) fn is_ipv6_like(s: &str) -> bool {
    let addr = s.split_once('/').map_or(s, |(a, _)| a);
    addr.contains(':') && addr.parse::<Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        chunks(text).map(|c| c.text).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation_but_keeps_joined_tokens() {
        assert_eq!(
            words("Interface GigabitEthernet0/1, ip 10.0.0.1/24 (up)."),
            ["Interface", "GigabitEthernet0/1", "ip", "10.0.0.1/24", "up"]
        );
    }

    #[test]
    fn trims_joiners_at_the_ends() {
        assert_eq!(words("peer 10.0.0.1: down -- retry..."), ["peer", "10.0.0.1", "down", "retry"]);
    }

    #[test]
    fn ipv6_keeps_its_colons() {
        assert_eq!(words("via ::1 and 2001:db8:: now."), ["via", "::1", "and", "2001:db8::", "now"]);
        assert_eq!(words("fe80::1/64."), ["fe80::1/64"]);
    }

    proptest::proptest! {
        #[test]
        fn cuts_like_a_split_on_non_word_characters(text in "[a-zA-Z0-9é中 ./:_,()-]{0,60}") {
            let mut expected = Vec::new();
            let mut from = 0;
            for run in text.split(|c: char| !is_word_char(c)) {
                expected.extend(trim(run, from));
                from += run.len() + text[from + run.len()..].chars().next().map_or(0, char::len_utf8);
            }
            proptest::prop_assert_eq!(chunks(&text).collect::<Vec<_>>(), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_word_at_any_offset_is_the_word_chunks_cut_there(text in "[a-zA-Z0-9é中 ./:_,()-]{0,60}") {
            for chunk in chunks(&text) {
                for (i, _) in chunk.text.char_indices() {
                    proptest::prop_assert_eq!(chunk_at(&text, chunk.from + i).0, Some(chunk));
                }
            }
        }
    }

    #[test]
    fn offsets_point_at_the_word() {
        let text = "  -x-  é.b";
        for chunk in chunks(text) {
            assert_eq!(&text[chunk.from..chunk.from + chunk.text.len()], chunk.text);
        }
        assert_eq!(words(text), ["x", "é.b"]);
    }
}
