//! Recognises network tokens in one lowercase ASCII word and lists the parts it is also found
//! by: addresses inside prefixes, networks, interface names and numbers, MAC notations, labels.

use super::split::JOINERS;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// Something a word is also indexed as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// A piece of the word (byte range within it).
    Span(Range<usize>),
    /// A normalised spelling that does not occur in the word (another MAC notation, a network).
    Alias(String),
}

/// Interface names as (full, short) pairs: either spelling finds the other.
const INTERFACE_NAMES: &[(&str, &str)] = &[
    ("gigabitethernet", "gi"),
    ("tengigabitethernet", "te"),
    ("twentyfivegige", "twe"),
    ("fortygigabitethernet", "fo"),
    ("hundredgigabitethernet", "hu"),
    ("hundredgige", "hu"),
    ("fastethernet", "fa"),
    ("ethernet", "et"),
    ("port-channel", "po"),
    ("loopback", "lo"),
    ("vlan", "vl"),
    ("tunnel", "tu"),
    ("management", "ma"),
    ("serial", "se"),
];

/// Other interface names that are never abbreviated (Junos, Linux, NX-OS spellings).
const PLAIN_INTERFACE_NAMES: &[&str] =
    &["ge", "xe", "et", "ae", "lo", "em", "fxp", "irb", "me", "vme", "reth", "eth", "mgmt", "bond", "nve", "bdi", "gig"];

/// The parts of `word` (lowercase ASCII), most specific recognizer first.
pub(crate) fn parts(word: &str) -> Vec<Part> {
    mac(word)
        .or_else(|| ip(word))
        .or_else(|| as_number(word))
        .or_else(|| interface(word))
        .unwrap_or_else(|| compound(word))
}

/// Whether `word` (lowercase) is an IP address or a MAC address in any notation.
pub(crate) fn is_address(word: &str) -> bool {
    mac(word).is_some() || ip(word).is_some()
}

/// What every word that the index mode cuts `token` from holds (lowercased): the token itself
/// when it is the word or a piece of it, else a trace of the word it is an alias of. A word
/// holding none of these never yields `token`, so a snippet need not analyse it.
pub(crate) fn anchors(token: &str) -> Vec<&str> {
    let mut out = vec![token];
    // Another interface spelling keeps the word's number (`gi1/0/7` from `GigabitEthernet1/0/7`).
    if let Some(digit) = token.find(|c: char| c.is_ascii_digit()).filter(|d| *d > 0) {
        out.push(&token[digit..]);
    }
    // A network keeps the prefix length (`10.0.0.0/24` from `10.0.0.1/24`).
    if let Some(slash) = token.rfind('/') {
        out.push(&token[slash..]);
    }
    // Other MAC notations keep the last two digits; other IPv6 spellings keep a colon.
    if mac(token).is_some() {
        out.push(&token[token.len() - 2..]);
    } else if token.contains(':') {
        out.push(":");
    }
    out
}

/// The canonical spelling of an IPv6 address or prefix written otherwise (`2001:0DB8::01` →
/// `2001:db8::1`), which the index always holds.
pub(crate) fn canonical_ipv6(word: &str) -> Option<String> {
    let (addr, suffix) = word.split_once('/').map_or((word, None), |(a, s)| (a, Some(s)));
    let canonical = addr.parse::<Ipv6Addr>().ok()?.to_string();
    let canonical = match suffix {
        Some(len) => format!("{canonical}/{}", len.parse::<u8>().ok()?),
        None => canonical,
    };
    (canonical != word).then_some(canonical)
}

/// MAC addresses in colon, dash, dot (Cisco) or bare notation: every notation is an alias.
fn mac(word: &str) -> Option<Vec<Part>> {
    let hex: String = match word.len() {
        17 if is_grouped(word, ':', 2) || is_grouped(word, '-', 2) => word.chars().filter(|c| c.is_ascii_hexdigit()).collect(),
        14 if is_grouped(word, '.', 4) => word.chars().filter(|c| *c != '.').collect(),
        12 if word.chars().all(|c| c.is_ascii_hexdigit()) && word.chars().any(|c| c.is_ascii_digit()) => word.to_string(),
        _ => return None,
    };
    let pairs: Vec<&str> = (0..6).map(|i| &hex[2 * i..2 * i + 2]).collect();
    let quads: Vec<&str> = (0..3).map(|i| &hex[4 * i..4 * i + 4]).collect();
    let spellings = [pairs.join(":"), pairs.join("-"), quads.join("."), hex.clone()];
    Some(spellings.into_iter().filter(|s| s != word).map(Part::Alias).collect())
}

/// Whether `word` is hex groups of `width` digits separated by `sep`.
fn is_grouped(word: &str, sep: char, width: usize) -> bool {
    word.split(sep).all(|g| g.len() == width && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// IPv4/IPv6 addresses, with an optional `/length` (its network is an alias) or IPv4 `:port`.
fn ip(word: &str) -> Option<Vec<Part>> {
    if !word.contains(['.', ':']) {
        return None;
    }
    let (addr, suffix) = match word.split_once('/') {
        Some((a, s)) => (a, Some(('/', s))),
        None => match word.rsplit_once(':') {
            Some((a, s)) if a.parse::<Ipv4Addr>().is_ok() => (a, Some((':', s))),
            _ => (word, None),
        },
    };
    let number = match suffix {
        Some((_, s)) => Some(s.parse::<u16>().ok()?),
        None => None,
    };
    let mut parts = Vec::new();
    if suffix.is_some() {
        parts.push(Part::Span(0..addr.len()));
    }
    if let Ok(v4) = addr.parse::<Ipv4Addr>() {
        let dots: Vec<usize> = addr.match_indices('.').map(|(i, _)| i).collect();
        parts.push(Part::Span(0..dots[2]));
        parts.push(Part::Span(0..dots[1]));
        match (suffix, number) {
            (Some(('/', _)), Some(len)) if len <= 32 => {
                let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                parts.push(Part::Alias(format!("{}/{len}", Ipv4Addr::from(u32::from(v4) & mask))));
            }
            (Some((':', port)), _) => parts.push(Part::Span(addr.len() + 1..addr.len() + 1 + port.len())),
            (None, _) => {}
            _ => return None,
        }
        return Some(parts);
    }
    let v6: Ipv6Addr = addr.parse().ok()?;
    let canonical = v6.to_string();
    if canonical != addr {
        parts.push(Part::Alias(canonical.clone()));
        if let Some((_, len)) = suffix {
            parts.push(Part::Alias(format!("{canonical}/{len}")));
        }
    }
    match number {
        Some(len) if len <= 128 => {
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            parts.push(Part::Alias(format!("{}/{len}", Ipv6Addr::from(u128::from(v6) & mask))));
        }
        Some(_) => return None,
        None => {}
    }
    Some(parts)
}

/// `as65001`: also found as `65001`.
fn as_number(word: &str) -> Option<Vec<Part>> {
    let digits = word.strip_prefix("as")?;
    let valid = !digits.is_empty() && digits.len() <= 10 && digits.parse::<u32>().is_ok();
    valid.then(|| vec![Part::Span(2..word.len())])
}

/// Interface names: a known name or any name with a slotted number (`eth1/1`, `xe-0/0/0.0`).
fn interface(word: &str) -> Option<Vec<Part>> {
    let digit = word.find(|c: char| c.is_ascii_digit())?;
    let name = word[..digit].trim_end_matches('-');
    let number = &word[digit..];
    let name_ok = !name.is_empty() && name.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
    let number_ok = number.split(['/', ':', '.']).all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let pair = INTERFACE_NAMES.iter().find(|(full, short)| name == *full || name == *short);
    if !name_ok || !number_ok || (pair.is_none() && !PLAIN_INTERFACE_NAMES.contains(&name) && !number.contains('/')) {
        return None;
    }
    let mut parts = vec![Part::Span(0..name.len()), Part::Span(digit..word.len())];
    if let Some(dot) = number.rfind('.').filter(|_| number.contains('/')) {
        parts.push(Part::Span(digit..digit + dot));
    }
    if let Some((full, short)) = pair {
        parts.extend([full, short].into_iter().filter(|n| *n != &name).map(|n| Part::Alias(format!("{n}{number}"))));
    }
    Some(parts)
}

/// Any other word with joiners (host names, paths, dotted identifiers): its pieces, its
/// dot-separated labels and the domain suffixes of a dotted name (`example.net`).
fn compound(word: &str) -> Vec<Part> {
    if !word.contains(JOINERS) {
        return Vec::new();
    }
    let mut parts: Vec<Part> = pieces(word, JOINERS).into_iter().map(Part::Span).collect();
    let labels = pieces(word, &['.']);
    if labels.len() > 1 {
        let joined = labels.iter().filter(|r| word[(*r).clone()].contains(JOINERS));
        parts.extend(joined.cloned().map(Part::Span));
        let suffixes = labels[1..labels.len() - 1].iter().map(|r| Part::Span(r.start..word.len()));
        parts.extend(suffixes);
        // A host name after hyphens (`link-to-core-sw1.example.net`) is found whole too.
        let hyphens = word[..labels[0].end].match_indices('-').map(|(i, _)| Part::Span(i + 1..word.len()));
        parts.extend(hyphens);
    }
    parts
}

/// Byte ranges of the non-empty pieces of `word` between any of `separators`.
fn pieces(word: &str, separators: &[char]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for piece in word.split(separators) {
        if !piece.is_empty() {
            ranges.push(start..start + piece.len());
        }
        start += piece.len() + 1;
    }
    ranges
}
