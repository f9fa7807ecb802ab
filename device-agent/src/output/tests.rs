//! Prompt reading against the shipped profiles, paging, echo removal, and property tests that
//! no byte stream panics the reader or makes it slower than linear.

use super::*;
use crate::profile::ProfileSet;
use proptest::prelude::*;
use std::sync::OnceLock;

fn profiles() -> &'static ProfileSet {
    static SET: OnceLock<ProfileSet> = OnceLock::new();
    SET.get_or_init(ProfileSet::builtin)
}

fn ios() -> &'static Profile {
    profiles().get("cisco_ios").unwrap()
}

#[test]
fn reads_until_the_prompt_and_strips_echo_and_prompt() {
    let mut reader = PromptReader::new(ios());
    assert_eq!(reader.feed(b"show clock\r\n*10:00:01.123 UTC Fri Nov 27 2026\r\n"), Step::More);
    let step = reader.feed(b"R1#");
    assert_eq!(step, Step::Prompt { kind: PromptKind::Privileged, host: Some("R1".into()) });
    assert_eq!(reader.finish("show clock"), "*10:00:01.123 UTC Fri Nov 27 2026\n");
}

#[test]
fn pager_prompts_are_removed_and_reported() {
    let mut reader = PromptReader::new(ios());
    reader.feed(b"show run\r\nline 1\r\n");
    assert_eq!(reader.feed(b" --More-- "), Step::Pager);
    reader.feed(b"\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08          \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08line 2\r\n");
    assert!(matches!(reader.feed(b"R1#"), Step::Prompt { .. }));
    assert_eq!(reader.finish("show run"), "line 1\nline 2\n");
}

#[test]
fn config_mode_and_a_changed_hostname_are_prompts_too() {
    let mut reader = PromptReader::new(ios());
    let step = reader.feed(b"hostname CORE-2\r\nCORE-2(config)#");
    assert_eq!(step, Step::Prompt { kind: PromptKind::Config, host: Some("CORE-2".into()) });
}

#[test]
fn enable_asks_for_a_password() {
    let mut reader = PromptReader::new(ios());
    assert_eq!(reader.feed(b"enable\r\nPassword: "), Step::Password);
}

#[test]
fn a_long_last_line_is_output_not_a_prompt() {
    let mut reader = PromptReader::new(ios());
    let long = format!("{}#", "x".repeat(MAX_PROMPT_LEN + 10));
    assert_eq!(reader.feed(long.as_bytes()), Step::More);
}

#[test]
fn a_large_configuration_comes_through_byte_for_byte() {
    let mut config = String::new();
    let mut i = 0u64;
    while config.len() < 2_000_000 {
        config.push_str(&format!("interface GigabitEthernet0/{i}\n description uplink {i:08x} #!$%\n"));
        i += 1;
    }
    let wire = format!("show running-config\r\n{}R1#", config.replace('\n', "\r\n"));
    let mut reader = PromptReader::new(ios());
    let mut last = Step::More;
    for chunk in wire.as_bytes().chunks(4093) {
        last = reader.feed(chunk);
    }
    assert!(matches!(last, Step::Prompt { .. }));
    assert!(reader.finish("show running-config") == config);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20)) {
        for name in profiles().names() {
            let mut reader = PromptReader::new(profiles().get(name).unwrap());
            for chunk in &chunks {
                reader.feed(chunk);
            }
            reader.finish("show version");
        }
    }

    #[test]
    fn chunking_does_not_change_the_result(text in "[ -~\r\n\x08\x1b\\[]{0,400}", cut in 0usize..400) {
        let bytes = text.as_bytes();
        let cut = cut.min(bytes.len());
        let mut whole = Cleaner::default();
        whole.feed(bytes);
        let mut split = Cleaner::default();
        split.feed(&bytes[..cut]);
        split.feed(&bytes[cut..]);
        prop_assert_eq!(whole.output(), split.output());
    }
}

/// Work counted in bytes handed to the cleaner and characters matched against patterns grows
/// linearly: feeding n lines one byte at a time never re-reads earlier output, because the
/// prompt check sees at most `MAX_PROMPT_LEN` bytes per feed.
#[test]
fn prompt_checks_look_at_a_bounded_tail() {
    let mut reader = PromptReader::new(ios());
    let line = b"interface Loopback0 description a long line of config\r\n";
    for _ in 0..2_000 {
        for &b in line.iter() {
            reader.feed(&[b]);
            assert!(reader.cleaner.last_line().len() <= line.len());
        }
    }
}
