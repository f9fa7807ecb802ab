//! Matches a typed line against a platform's command table, with abbreviations (`sh run`),
//! arguments (`*`, `...`) and the position of the first bad word for the caret line.

use super::platforms::CommandDef;

/// The outcome of matching one line.
pub(crate) enum Match<'a> {
    /// A command with its arguments.
    Found {
        /// The command.
        def: &'a CommandDef,
        /// Words matched by `*`, then the text matched by `...`.
        args: Vec<String>,
    },
    /// No command has this word here.
    Invalid {
        /// Byte offset of the bad word in the line.
        column: usize,
        /// The bad word is the first one.
        first: bool,
    },
    /// Every word fits a command, but the command needs more.
    Incomplete,
}

/// How one pattern fits the words.
enum Fit {
    /// A full match; `exact` when no keyword was abbreviated.
    Full { args: Vec<String>, exact: bool },
    /// The words run out before the pattern does.
    Short,
    /// Word `n` does not fit.
    Fails(usize),
}

/// Words of a line with their byte offsets.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

fn fit(pattern: &str, line: &str, words: &[(usize, &str)], abbreviations: bool) -> Fit {
    let mut args = Vec::new();
    let mut exact = true;
    let mut n = 0;
    for keyword in pattern.split(' ') {
        let Some(&(offset, word)) = words.get(n) else {
            return Fit::Short;
        };
        match keyword {
            "..." => {
                args.push(line[offset..].trim_end().to_string());
                return Fit::Full { args, exact };
            }
            "*" => args.push(word.to_string()),
            _ if word.eq_ignore_ascii_case(keyword) => {}
            _ if abbreviations
                && keyword.len() > word.len()
                && keyword[..word.len()].eq_ignore_ascii_case(word) =>
            {
                exact = false
            }
            _ => return Fit::Fails(n),
        }
        n += 1;
    }
    if n == words.len() {
        Fit::Full { args, exact }
    } else {
        Fit::Fails(n)
    }
}

/// Finds the command `line` (not blank) names in `table`; privileged commands only count when
/// `privileged`. A match with every keyword typed in full wins; otherwise the first match in
/// table order.
pub(crate) fn find<'a>(
    table: &'a [CommandDef],
    line: &str,
    abbreviations: bool,
    privileged: bool,
) -> Match<'a> {
    let words = words(line);
    let mut found: Option<(&CommandDef, Vec<String>)> = None;
    let mut short = false;
    let mut furthest = 0;
    for def in table.iter().filter(|d| privileged || !d.privileged) {
        match fit(def.pattern, line, &words, abbreviations) {
            Fit::Full { args, exact: true } => return Match::Found { def, args },
            Fit::Full { args, exact: false } => {
                found.get_or_insert((def, args));
            }
            Fit::Short => short = true,
            Fit::Fails(n) => furthest = furthest.max(n),
        }
    }
    match found {
        Some((def, args)) => Match::Found { def, args },
        None if short => Match::Incomplete,
        None => Match::Invalid {
            column: words
                .get(furthest)
                .map_or(line.len(), |(offset, _)| *offset),
            first: furthest == 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::platforms::{Cmd, user};

    static TABLE: &[CommandDef] = &[
        user("show version", Cmd::ShowVersion),
        user("show running-config", Cmd::ShowConfig),
        user("terminal length *", Cmd::PageLength),
        user("configure terminal", Cmd::Configure),
        user("configure", Cmd::Configure),
        user("do ...", Cmd::Do),
    ];

    fn pattern(m: Match<'_>) -> Option<(&'static str, Vec<String>)> {
        match m {
            Match::Found { def, args } => Some((def.pattern, args)),
            _ => None,
        }
    }

    #[test]
    fn abbreviations_and_arguments() {
        assert_eq!(
            pattern(find(TABLE, "sh run", true, true)),
            Some(("show running-config", vec![]))
        );
        assert_eq!(
            pattern(find(TABLE, "  term len 0 ", true, true)),
            Some(("terminal length *", vec!["0".into()]))
        );
        assert_eq!(
            pattern(find(TABLE, "conf t", true, true)),
            Some(("configure terminal", vec![]))
        );
        assert_eq!(
            pattern(find(TABLE, "conf", true, true)),
            Some(("configure", vec![]))
        );
        assert_eq!(
            pattern(find(TABLE, "do show  ver", true, true)),
            Some(("do ...", vec!["show  ver".into()]))
        );
        assert!(pattern(find(TABLE, "sh run", false, true)).is_none());
    }

    #[test]
    fn errors_point_at_the_bad_word() {
        assert!(matches!(
            find(TABLE, "show foo", true, true),
            Match::Invalid {
                column: 5,
                first: false
            }
        ));
        assert!(matches!(
            find(TABLE, "bogus", true, true),
            Match::Invalid {
                column: 0,
                first: true
            }
        ));
        assert!(matches!(
            find(TABLE, "show version now", true, true),
            Match::Invalid {
                column: 13,
                first: false
            }
        ));
        assert!(matches!(find(TABLE, "show", true, true), Match::Incomplete));
    }
}
