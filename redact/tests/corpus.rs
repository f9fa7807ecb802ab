//! Redacts each realistic configuration in `tests/corpus/*.txt` and checks it against the
//! canary secrets listed in the matching `.canaries` file: no canary survives, every redacted
//! line keeps its setting, and every other line is byte-identical.

use netraven_redact::{REDACTED, SensitiveDataFilter};
use std::path::{Path, PathBuf};

/// Marker shared by every canary, so a secret missing from a `.canaries` list is noticed too.
const CANARY_MARK: &str = "Cnry";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Canary values of one corpus file: one per line, `#` comments, `\n` for a line break.
fn canaries(name: &str) -> Vec<String> {
    read(&corpus_dir().join(format!("{name}.canaries")))
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.replace("\\n", "\n"))
        .collect()
}

/// Redacts corpus `name` and checks it; returns the number of canaries checked.
fn check_corpus(name: &str, min_canaries: usize) -> usize {
    let input = read(&corpus_dir().join(format!("{name}.txt")));
    let canaries = canaries(name);
    assert!(canaries.len() >= min_canaries, "{name}: only {} canaries", canaries.len());
    for canary in &canaries {
        assert!(canary.contains(CANARY_MARK), "{name}: canary {canary:?} lacks the {CANARY_MARK} mark");
        assert!(input.contains(canary.as_str()), "{name}: canary {canary:?} is not in the corpus");
        for other in &canaries {
            assert!(other == canary || !other.contains(canary.as_str()), "{name}: {canary:?} is inside {other:?}");
        }
    }

    // What the output must be: the input with exactly the canary values replaced.
    let mut expected = input.clone();
    for canary in &canaries {
        expected = expected.replace(canary.as_str(), REDACTED);
    }
    assert!(!expected.contains(CANARY_MARK), "{name}: a planted secret is missing from {name}.canaries");

    let actual = SensitiveDataFilter::new().redact_text(&input).into_owned();

    let leaked: Vec<&String> = canaries.iter().filter(|c| actual.contains(c.as_str())).collect();
    assert!(leaked.is_empty(), "{name}: canaries survived redaction: {leaked:?}");
    assert!(!actual.contains(CANARY_MARK), "{name}: part of a canary survived redaction");

    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    assert_eq!(expected_lines.len(), actual_lines.len(), "{name}: line count changed");
    let mut problems = Vec::new();
    for (number, (want, got)) in expected_lines.iter().zip(&actual_lines).enumerate() {
        if want == got {
            continue;
        }
        let what = match want.find(REDACTED) {
            Some(at) if !got.starts_with(&want[..at]) => "redacted line lost its setting",
            Some(_) => "redacted line differs",
            None => "non-secret line changed",
        };
        problems.push(format!("{name}:{}: {what}\n  want: {want:?}\n  got:  {got:?}", number + 1));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(actual, expected, "{name}: line endings or trailing text differ");
    canaries.len()
}

#[test]
fn cisco_ios_corpus() {
    check_corpus("cisco_ios", 30);
}

#[test]
fn cisco_nxos_corpus() {
    check_corpus("cisco_nxos", 12);
}

#[test]
fn cisco_asa_corpus() {
    check_corpus("cisco_asa", 10);
}

#[test]
fn juniper_junos_corpus() {
    check_corpus("juniper_junos", 18);
}

#[test]
fn arista_eos_corpus() {
    check_corpus("arista_eos", 12);
}

#[test]
fn linux_corpus() {
    check_corpus("linux", 15);
}

#[test]
fn every_corpus_file_is_checked() {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory exists")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(names, ["arista_eos", "cisco_asa", "cisco_ios", "cisco_nxos", "juniper_junos", "linux"]);
}

#[test]
fn corpus_redaction_is_idempotent() {
    let filter = SensitiveDataFilter::new();
    for name in ["arista_eos", "cisco_asa", "cisco_ios", "cisco_nxos", "juniper_junos", "linux"] {
        let once = filter.redact_text(&read(&corpus_dir().join(format!("{name}.txt")))).into_owned();
        assert_eq!(filter.redact_text(&once), once, "{name}");
    }
}
