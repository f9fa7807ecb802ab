//! Property tests: any input (arbitrary bytes, unicode, long lines, keyword soup) never panics,
//! redaction is idempotent, and a canary secret planted in any supported position never survives.

use netraven_redact::{REDACTED, SensitiveDataFilter, is_sensitive_key};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

fn filter() -> &'static SensitiveDataFilter {
    static FILTER: OnceLock<SensitiveDataFilter> = OnceLock::new();
    FILTER.get_or_init(SensitiveDataFilter::new)
}

/// Redacts, then checks the result is a fixed point.
fn redact_idempotent(text: &str) -> String {
    let once = filter().redact_text(text).into_owned();
    let twice = filter().redact_text(&once).into_owned();
    assert_eq!(twice, once, "redaction is not idempotent for input {text:?}");
    once
}

/// Every supported position of a secret; `{c}` is where the canary goes, `\n` a line break.
const TEMPLATES: &[&str] = &[
    // Cisco IOS / IOS-XE
    "enable secret 5 $1$mERr${c}",
    "enable secret 9 $9${c}",
    "enable password {c}",
    "enable password 7 {c}",
    "username admin privilege 15 secret 9 $9${c}",
    "username admin password 0 {c}",
    "username ops privilege 15 password {c}",
    "snmp-server community {c} RO",
    "snmp-server community {c} RW 10",
    "snmp-server host 192.0.2.1 version 2c {c}",
    "snmp-server host 192.0.2.1 {c}",
    "tacacs-server key 7 {c}",
    "tacacs-server host 192.0.2.5 key {c}",
    "radius-server key {c}",
    "tacacs server ISE\n address ipv4 192.0.2.5\n key 7 {c}",
    "radius server ISE\n address ipv4 192.0.2.6\n key {c}",
    "crypto isakmp key {c} address 192.0.2.1",
    " pre-shared-key local {c}",
    " pre-shared-key remote {c}",
    " pre-shared-key {c}",
    " ip ospf authentication-key {c}",
    " ip ospf message-digest-key 1 md5 {c}",
    " neighbor 10.0.0.1 password 7 {c}",
    "key chain K\n key 1\n  key-string {c}",
    " wpa-psk ascii 0 {c}",
    " ppp chap password {c}",
    "line vty 0 4\n password {c}",
    " password 7 {c}",
    "ntp authentication-key 1 md5 {c} 7",
    " standby 1 authentication md5 key-string {c}",
    // Cisco NX-OS
    "username admin password 5 $5${c} role network-admin",
    "snmp-server user admin network-admin auth md5 0x{c} priv 0x1234 localizedkey",
    "snmp-server user admin network-admin auth md5 0x1234 priv 0x{c} localizedkey",
    "snmp-server community {c} group network-operator",
    "tacacs-server key 7 \"{c}\"",
    "  neighbor 10.0.0.1\n    password 3 {c}",
    // Cisco ASA
    "enable password {c} encrypted",
    "passwd {c} encrypted",
    "username admin password {c} privilege 15",
    "aaa-server ISE (inside) host 10.0.0.5\n key {c}",
    " ikev1 pre-shared-key {c}",
    "snmp-server host inside 10.0.0.6 community {c} version 2c",
    // Juniper Junos
    "    encrypted-password \"$6${c}\"; ## SECRET-DATA",
    "    secret \"$9${c}\";",
    "    authentication-key \"$9${c}\";",
    "    pre-shared-key ascii-text \"$9${c}\";",
    "    community {c} {",
    "set snmp community {c} authorization read-only",
    "set system root-authentication encrypted-password \"$6${c}\"",
    "        authentication-key 1 type md5 value \"$9${c}\";",
    // Arista EOS
    "username admin privilege 15 role network-admin secret sha512 $6${c}",
    "enable password sha512 $6${c}",
    "snmp-server community {c} ro",
    // Linux and generic text
    "password={c}",
    "PASSWORD: {c}",
    "export AWS_SECRET_ACCESS_KEY={c}",
    "machine host.example.net login user password {c}",
    "root:$6${c}:19000:0:99999:7:::",
    "{\"password\": \"{c}\", \"user\": \"ops\"}",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE{c}\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----\n{c}\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{c}\n-----END ENCRYPTED PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----\n{c}",
    "Authorization: Bearer {c}",
    "sent Bearer {c} to the API",
    "jwt eyJ{c}.eyJ{c}.{c} end",
    "https://user:{c}@host.example.net/path",
];

/// Ordinary configuration lines to surround planted secrets with.
const ORDINARY: &[&str] = &[
    "!",
    "interface GigabitEthernet0/1",
    " description uplink (secret room)",
    " ip address 10.0.0.1 255.255.255.0",
    "service password-encryption",
    "aaa authentication login default group tacacs+ local",
    "snmp-server location DC1",
    "system {",
    "}",
    "key chain K",
    " key 1",
    "password encryption aes",
    "-----END RSA PRIVATE KEY-----",
];

/// Pieces that trip the rules when glued together in any order.
const SOUP: &[&str] = &[
    "password",
    "secret",
    "key",
    "key-string",
    "community",
    "snmp-server",
    "username",
    "enable",
    "tacacs server",
    "radius-server",
    "aaa-server",
    "server-private",
    "pre-shared-key",
    "ascii-text",
    "local",
    "address",
    "authorization",
    "Authorization:",
    "Bearer",
    "token",
    "api_key",
    "\"key\":",
    "PASSWORD:",
    "--password",
    "machine",
    "default",
    "login",
    "root",
    "eyJ",
    ".",
    "://",
    "https://",
    "@",
    ":",
    "=",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    ";",
    "[",
    " ",
    " ",
    "\t",
    "\n",
    "\r\n",
    " 7 ",
    " 5 ",
    " 0 ",
    "$6$",
    "$9$",
    "no ",
    "set snmp ",
    "snmp-server host",
    "community",
    "use-vrf",
    "version 2c",
    "type md5 value",
    "md5",
    "auth",
    "priv",
    "user",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "\\n",
    "<redacted>",
    "\"<redacted>\"",
    "'<redacted>'",
    "host",
    "encryption",
    "x",
    "AbC9",
    "é",
    "🔑",
    "\u{a0}",
    "\0",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![prop::sample::select(SOUP).prop_map(str::to_string), "[a-z0-9$./]{1,6}"], 0..48)
        .prop_map(|parts| parts.concat())
}

fn surrounding_lines() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![prop::sample::select(ORDINARY).prop_map(str::to_string), "[^\r\n]{0,40}", soup()],
        0..4,
    )
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic_and_are_idempotent(text in any::<String>()) {
        redact_idempotent(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_are_idempotent(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        redact_idempotent(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn keyword_soup_is_idempotent(text in soup()) {
        redact_idempotent(&text);
    }

    #[test]
    fn keyword_soup_lines_are_idempotent(lines in prop::collection::vec(soup(), 0..8), crlf in any::<bool>()) {
        redact_idempotent(&lines.join(if crlf { "\r\n" } else { "\n" }));
    }

    #[test]
    fn planted_canaries_never_survive(
        template in prop::sample::select(TEMPLATES),
        canary in "Zq9[A-Za-z0-9]{6,16}",
        before in surrounding_lines(),
        after in surrounding_lines(),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let planted = template.replace("{c}", &canary).replace('\n', eol);
        let mut lines = before;
        lines.push(planted);
        lines.extend(after);
        let text = lines.join(eol);
        let redacted = redact_idempotent(&text);
        prop_assert!(!redacted.contains(&canary), "canary survived in {:?}", redacted);
        prop_assert!(redacted.contains(REDACTED));
    }

    #[test]
    fn json_never_panics_is_idempotent_and_hides_sensitive_keys(value in json_value()) {
        let once = filter().redact_json(&value);
        prop_assert_eq!(filter().redact_json(&once), once.clone());
        assert_sensitive_values_hidden(&once);
    }

    #[test]
    fn json_canaries_never_survive(
        key in prop::sample::select(&["password", "Password", "enable_secret", "apiKey", "x-api-key", "snmpCommunity", "pre_shared_key", "token", "key", "Authorization"][..]),
        canary in "Zq9[A-Za-z0-9]{6,16}",
        nest in 0usize..4,
    ) {
        let mut value = serde_json::json!({ key: canary.clone(), "device": "r1" });
        for _ in 0..nest {
            value = serde_json::json!({ "details": [value] });
        }
        let redacted = filter().redact_json(&value).to_string();
        prop_assert!(!redacted.contains(&canary), "{}", redacted);
        // The same object serialized into a log message is caught by the text rules.
        let as_text = redact_idempotent(&value.to_string());
        prop_assert!(!as_text.contains(&canary), "{}", as_text);
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        soup().prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    let keys = prop_oneof![
        prop::sample::select(
            &["password", "enable_secret", "apiKey", "community", "credential_id", "details", "host_key", "output"][..]
        )
        .prop_map(str::to_string),
        "[A-Za-z_-]{0,12}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

fn assert_sensitive_values_hidden(value: &Value) {
    match value {
        Value::Array(items) => items.iter().for_each(assert_sensitive_values_hidden),
        Value::Object(map) => {
            for (key, child) in map {
                if is_sensitive_key(key) {
                    assert_eq!(child, &Value::String(REDACTED.to_string()), "value under {key:?}");
                } else {
                    assert_sensitive_values_hidden(child);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn long_lines_and_large_inputs_do_not_panic() {
    let inputs = [
        "a".repeat(200_000),
        "password=".repeat(20_000),
        "snmp-server community x RO ".repeat(10_000),
        "-----BEGIN RSA PRIVATE KEY-----".repeat(5_000),
        "eyJa.".repeat(40_000),
        "x://u:".to_string() + &"@".repeat(100_000),
        "username a ".repeat(20_000) + "password 7 x",
        "tacacs server X\n".to_string() + &" address ipv4 1.2.3.4\n".repeat(10_000) + " key 7 secretvalue\n",
        "🔑 password: é".repeat(10_000),
        "\n".repeat(100_000),
    ];
    for input in &inputs {
        redact_idempotent(input);
    }
}
