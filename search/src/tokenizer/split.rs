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

/// The candidate words of `text`, in order.
pub(crate) fn chunks(text: &str) -> impl Iterator<Item = Chunk<'_>> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, _) = rest.by_ref().find(|(_, c)| is_word_char(*c))?;
            let mut end = text.len();
            while let Some(&(i, c)) = rest.peek() {
                if !is_word_char(c) {
                    end = i;
                    break;
                }
                rest.next();
            }
            if let Some(chunk) = trim(&text[start..end], start) {
                return Some(chunk);
            }
        }
    })
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

    #[test]
    fn offsets_point_at_the_word() {
        let text = "  -x-  é.b";
        for chunk in chunks(text) {
            assert_eq!(&text[chunk.from..chunk.from + chunk.text.len()], chunk.text);
        }
        assert_eq!(words(text), ["x", "é.b"]);
    }
}
