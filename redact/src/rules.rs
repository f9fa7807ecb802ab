//! The built-in redaction rules: one versioned table of regexes, each naming the value to hide
//! with a `secret` group, plus the fingerprint that ties the table to [`RULES_VERSION`].

/// Version of the built-in rule table below.
///
/// Bump it whenever a built-in rule is added, removed or changed, and append a row
/// `(RULES_VERSION, fingerprint)` to [`RULES_HISTORY`]. A unit test recomputes the fingerprint
/// of the table and fails when it differs from the last recorded row, so a rule change without
/// a version bump cannot pass the tests.
pub const RULES_VERSION: u32 = 3;

/// Every released version of the built-in rules with the fingerprint of its table
/// ([`rules_fingerprint`]). Rows are only ever appended; the last row is the current table.
pub const RULES_HISTORY: &[(u32, u64)] = &[(1, 0xab32_fbd9_1536_c645), (2, 0x57b3_3831_9c5c_89ba), (3, 0x30dd_5663_d06d_d998)];

/// One redaction rule as written in the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RuleSpec {
    /// Short stable name, used in diagnostics and tests.
    pub name: &'static str,
    /// Regex with a named group `secret`: only that group is replaced.
    pub pattern: &'static str,
    /// Values matching this regex are keywords that share the rule's syntax, not secrets.
    pub keep_if: Option<&'static str>,
}

/// A double-quoted string; `\"` and other backslash escapes inside it are skipped.
macro_rules! dq {
    () => {
        r#""(?:[^"\\\n]|\\.)*""#
    };
}

/// The value to hide: a double-quoted string (its quotes are kept; `\"` inside is skipped) or
/// one token.
macro_rules! value {
    () => {
        concat!("(?P<secret>", dq!(), r"|\S+)")
    };
}

/// Start of a CLI statement: a line start, or a blank, prompt (`#`, `>`) or colon before it
/// (so an echoed `R1(config)#enable secret ...` or a logged `sent: enable secret ...` is
/// caught too), then indentation and an optional `no ` prefix.
macro_rules! line_start {
    () => {
        r"(?m)(?:^|[\t #>:])[ \t]*(?:no )?"
    };
}

/// Separator between a PEM armour line and the body: a newline, an escaped newline or blanks.
macro_rules! pem_sep {
    () => {
        r"(?:\r?\n|\\r\\n|\\n|[ \t]+)"
    };
}

const fn rule(name: &'static str, pattern: &'static str) -> RuleSpec {
    RuleSpec { name, pattern, keep_if: None }
}

const fn rule_keep(name: &'static str, pattern: &'static str, keep_if: &'static str) -> RuleSpec {
    RuleSpec { name, pattern, keep_if: Some(keep_if) }
}

/// The built-in rules, applied in this order.
pub(crate) const BUILTIN_RULES: &[RuleSpec] = &[
    // --- Anywhere in any text ---------------------------------------------------------------
    // PEM private keys (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK): the armour lines stay,
    // the body goes; a block cut off before its END line is redacted to the end of the text.
    rule(
        "private-key-block",
        concat!(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            pem_sep!(),
            r"?(?P<secret>(?s:.*?))(?:",
            pem_sep!(),
            r"?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:\r?\n)?\z)"
        ),
    ),
    rule("jwt", r"(?:^|[^A-Za-z0-9_-])(?P<secret>eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)"),
    rule("url-credentials", r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:(?P<secret>[^/\s?#]+)@"),
    rule(
        "authorization-header",
        concat!(
            r#"(?i)(?:^|[^A-Za-z0-9_-])(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*"#,
            r"(?:(?:bearer|basic|digest|token|negotiate|ntlm)[ \t]+)?",
            "(?P<secret>",
            dq!(),
            r#"|'[^'\n]*'|[^\s"']+)"#
        ),
    ),
    rule("bearer-token", r"(?:^|[^A-Za-z0-9_-])(?:Bearer|BEARER)[ \t]+(?P<secret>[A-Za-z0-9._~+/-]+=*)"),
    // --- Cisco IOS / IOS-XE / NX-OS / ASA and Arista EOS ------------------------------------
    rule(
        "enable-secret",
        concat!(
            line_start!(),
            r"enable (?:algorithm-type \S+ )?(?:secret|password)(?: level [0-9]+)?",
            r"(?: (?:[0-9]|sha512|sha256|md5|pbkdf2))? ",
            value!()
        ),
    ),
    rule(
        "username-password",
        concat!(line_start!(), r"username \S+[^\n]*? (?:password|secret)(?: (?:[0-9]|sha512|sha256|md5))? ", value!()),
    ),
    // A bare `password ...` line (line vty/con, NX-OS BGP neighbor, multi-line .netrc): the rest
    // of the line is the password, unless it starts with a keyword of a policy command.
    rule_keep(
        "password-line",
        concat!(r"(?m)^[ \t]*password(?: [0-9])? (?P<secret>", dq!(), r"|\S(?:[^\n]*\S)?)"),
        concat!(
            r"^(?:[\[{]|(?:encryption|strength-check|secure-mode|minimum|maximum|policy|required",
            r"|requisite|sufficient|optional|include|substack|format|history|prompt)(?:\s|$))"
        ),
    ),
    rule("asa-passwd", concat!(line_start!(), "passwd ", value!())),
    rule("snmp-community", concat!(line_start!(), "snmp-server community ", value!())),
    rule_keep(
        "snmp-host-community",
        concat!(
            line_start!(),
            r"snmp-server host \S+(?: (?:informs|traps|vrf \S+|use-vrf \S+|version (?:1|2c)))* ",
            value!()
        ),
        concat!(
            r"^(?:informs|traps|vrf|use-vrf|version|udp-port|source-interface|filter-vrf|community",
            r"|poll|trap)$|^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$"
        ),
    ),
    rule(
        "snmp-host-community-keyword",
        concat!(line_start!(), r"snmp-server host \S+[^\n]*? community(?: [0-9])? ", value!()),
    ),
    rule(
        "snmp-user-auth",
        concat!(line_start!(), r"snmp-server user \S+[^\n]*? auth (?:md5|sha(?:-?[0-9]+)?) ", value!()),
    ),
    rule(
        "snmp-user-priv",
        concat!(
            line_start!(),
            r"snmp-server user \S+[^\n]*? priv",
            r"(?: (?:3des|des|aes-?(?:128|192|256)|aes(?: (?:128|192|256))?))? ",
            value!()
        ),
    ),
    rule(
        "aaa-server-key",
        concat!(line_start!(), r"(?:tacacs-server|radius-server|server-private)[^\n]*? key(?: [0-9])? ", value!()),
    ),
    // ` key ...` inside a `tacacs server` / `radius server` / ASA `aaa-server` sub-mode.
    rule(
        "aaa-server-submode-key",
        concat!(
            r"(?m)^(?:tacacs server|radius server|aaa-server) [^\n]*\n(?:[ \t]+[^\n]*\n)*?",
            r"[ \t]+key(?: [0-9])? ",
            value!()
        ),
    ),
    rule_keep("indented-typed-key", concat!(r"(?m)^[ \t]+key [0-9] ", value!()), r"^[{;]"),
    rule("isakmp-key", concat!(line_start!(), r"crypto isakmp key(?: [0-9])? ", value!())),
    rule_keep(
        "pre-shared-key",
        concat!(
            r"(?m)(?:^|[ \t])pre-shared-key",
            r"(?: (?:address|hostname) [^\n]*? key| local| remote| ascii-text| hexadecimal)?",
            r"(?: [0-9])? ",
            value!()
        ),
        r"^(?:address|hostname|local|remote|ascii-text|hexadecimal|\{)$",
    ),
    rule("ospf-authentication-key", concat!(line_start!(), r"ip ospf authentication-key(?: [0-9])? ", value!())),
    rule("message-digest-key", concat!(r"(?m)(?:^|[ \t])message-digest-key [0-9]+ md5(?: [0-9])? ", value!())),
    rule("ntp-authentication-key", concat!(line_start!(), r"ntp authentication-key [0-9]+ \S+(?: [0-9])? ", value!())),
    rule("neighbor-password", concat!(line_start!(), r"(?:mpls ldp )?neighbor \S+ password(?: [0-9])? ", value!())),
    // IOS `key-string [0|7] KEY`; IOS-XR `key-string [password|clear|encrypted] KEY`.
    rule("key-string", concat!(r"(?m)(?:^|[ \t])key-string(?: [0-9]| password| clear| encrypted)? ", value!())),
    rule("wpa-psk", concat!(r"(?m)(?:^|[ \t])wpa-psk (?:ascii|hex)(?: [0-9])? ", value!())),
    rule(
        "ppp-password",
        concat!(line_start!(), r"ppp (?:chap|pap) (?:password|sent-username \S+ password)(?: [0-9])? ", value!()),
    ),
    rule(
        "isis-password",
        concat!(line_start!(), r"(?:isis password|area-password|domain-password)(?: [0-9])? ", value!()),
    ),
    rule_keep(
        "fhrp-authentication",
        concat!(line_start!(), r"(?:standby|vrrp)(?: [0-9]+)? authentication(?: text)? ", value!()),
        r"^(?:md5|text)$",
    ),
    rule("server-key", concat!(r"(?m)(?:^|[ \t])server-key(?: [0-9])? ", value!())),
    rule("ip-client-password", concat!(line_start!(), r"ip (?:ftp|http client) password(?: [0-9])? ", value!())),
    // --- Juniper Junos (set style and curly-brace style) -----------------------------------
    rule(
        "junos-quoted-secret",
        concat!(
            r"(?m)(?:^|[ \t])(?:encrypted-password|secret|authentication-key(?: [0-9]+ type \S+ value)?",
            r"|hello-authentication-key",
            r"|simple-password|authentication-password|privacy-password|privacy-key|password|key",
            r#"|pre-shared-key (?:ascii-text|hexadecimal)) "(?P<secret>(?:[^"\\\n]|\\.)*)""#
        ),
    ),
    rule(
        "junos-set-snmp-community",
        concat!(r"(?m)^[ \t]*(?:set|delete|deactivate|activate) snmp community ", value!()),
    ),
    rule("junos-snmp-community-block", concat!(r"(?m)^[ \t]*community (?P<secret>", dq!(), r#"|[^\s;{"]+)[ \t]*[{;]"#)),
    // --- Linux and generic text -------------------------------------------------------------
    rule("shadow-hash", r"(?m)^[A-Za-z_][A-Za-z0-9_.-]*\$?:(?P<secret>!*\$[^:\s]+|[A-Za-z0-9./]{13}):[0-9]*:"),
    rule(
        "netrc",
        concat!(
            r"(?:^|\s)(?:machine[ \t]+\S+(?:\s+(?:login|account|port)\s+\S+)*",
            r"|default(?:\s+(?:login|account|port)\s+\S+)+)\s+password\s+(?P<secret>\S+)"
        ),
    ),
    rule(
        "cli-flag",
        concat!(
            r"(?m)(?:^|[ \t])--(?:password|passwd|passphrase|secret|token|api-key|apikey|community|psk)",
            r"[ \t]+(?P<secret>",
            dq!(),
            r"|'[^'\n]*'|\S+)"
        ),
    ),
    // `key=value`, `key: value`, `"key": "value"`, `export KEY=value` where the key ends in a
    // secret-ish word (password, secret, token, api_key, ...), in any case.
    rule(
        "assignment",
        concat!(
            r"(?i)(?:^|[^A-Za-z0-9_.-])[A-Za-z0-9_.-]*",
            r"(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key",
            r"|secret[_-]?key|auth[_-]?key|psk|pre[_-]?shared[_-]?key|community)",
            r"(?:[_.-]?(?:hash|value|string|b64|base64|hex|encrypted|plain|plaintext|text))?",
            r#"["']?[ \t]*[=:][ \t]*(?P<secret>"#,
            dq!(),
            r"|'[^'\n]*'|\S+)"
        ),
    ),
    // A quoted JSON key ending in `key` (`"key"`, `"tacacs_key"`, `"ssh-key"`) in serialized JSON.
    rule("json-key", concat!(r#"(?i)"(?:[A-Za-z0-9_.-]*[_.-])?key"[ \t]*:[ \t]*(?P<secret>"#, dq!(), r"|[^\s,}\]]+)")),
];

/// FNV-1a (64-bit) fingerprint of the built-in rule table: names, patterns, keep-if patterns,
/// their order, and the replacement marker. Stable across Rust releases (unlike `DefaultHasher`).
pub fn rules_fingerprint() -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    feed(crate::REDACTED.as_bytes());
    for spec in BUILTIN_RULES {
        feed(&[0x1e]);
        feed(spec.name.as_bytes());
        feed(&[0x1f]);
        feed(spec.pattern.as_bytes());
        feed(&[0x1f]);
        feed(spec.keep_if.unwrap_or("").as_bytes());
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // Versioning guard: the fingerprint of the rule table must equal the last row of
    // RULES_HISTORY, whose version must be RULES_VERSION. Changing any built-in rule changes the
    // fingerprint, so this fails until RULES_VERSION is bumped and a new row is appended.
    #[test]
    fn rule_table_changes_require_a_version_bump() {
        let current = rules_fingerprint();
        let last = RULES_HISTORY.last().copied();
        assert_eq!(
            last,
            Some((RULES_VERSION, current)),
            "the built-in rules changed: bump RULES_VERSION to {} and append ({}, {:#018x}) to \
             RULES_HISTORY (never edit an existing row)",
            RULES_VERSION + 1,
            RULES_VERSION + 1,
            current
        );
    }

    #[test]
    fn history_only_grows() {
        for pair in RULES_HISTORY.windows(2) {
            assert!(pair[0].0 < pair[1].0, "versions must increase: {pair:?}");
        }
        let fingerprints: HashSet<u64> = RULES_HISTORY.iter().map(|row| row.1).collect();
        assert_eq!(fingerprints.len(), RULES_HISTORY.len(), "a fingerprint was reused");
    }

    #[test]
    fn every_rule_compiles_with_a_secret_group_and_a_unique_name() {
        let mut names = HashSet::new();
        for spec in BUILTIN_RULES {
            assert!(names.insert(spec.name), "duplicate rule name {}", spec.name);
            let re = regex::Regex::new(spec.pattern).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            assert!(re.capture_names().any(|n| n == Some("secret")), "{} lacks a secret group", spec.name);
            if let Some(keep) = spec.keep_if {
                regex::Regex::new(keep).unwrap_or_else(|e| panic!("{} keep_if: {e}", spec.name));
            }
        }
    }

    #[test]
    fn fingerprint_is_sensitive_to_the_table() {
        assert_ne!(rules_fingerprint(), 0);
        assert_eq!(rules_fingerprint(), rules_fingerprint());
    }
}
