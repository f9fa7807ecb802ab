//! The shipped platform profiles: they load, and their prompts, error indicators, pager
//! prompts, volatile lines and secret patterns behave on realistic device text.

use netraven_device_agent::profile::{Profile, ProfileSet, PromptKind, SessionKind};
use netraven_redact::SensitiveDataFilter;
use std::path::Path;
use std::sync::LazyLock;

/// The shipped profiles, compiled once for all tests of this file.
static BUILTIN: LazyLock<ProfileSet> = LazyLock::new(ProfileSet::builtin);

const SHIPPED: &[&str] =
    &["arista_eos", "cisco_asa", "cisco_ios", "cisco_iosxr", "cisco_nxos", "generic", "juniper_junos", "linux"];

fn profile(name: &str) -> &'static Profile {
    BUILTIN.get(name).unwrap_or_else(|| panic!("{name} is shipped"))
}

#[test]
fn every_shipped_file_is_embedded_and_valid() {
    let builtin = &*BUILTIN;
    assert_eq!(builtin.names().collect::<Vec<_>>(), SHIPPED);
    // Loading the shipped folder as a user folder validates the files on disk, and proves
    // that no file of `profiles/` was left out of the binary.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let from_disk = ProfileSet::load(Some(&dir)).expect("shipped files are valid");
    assert_eq!(from_disk.names().collect::<Vec<_>>(), SHIPPED);
    for profile in from_disk.iter() {
        assert_eq!(Some(profile.spec()), builtin.get(profile.name()).map(Profile::spec));
    }
    assert_eq!(profile("linux").spec().session, SessionKind::Exec);
    assert!(builtin.iter().filter(|p| p.name() != "linux").all(|p| p.spec().session == SessionKind::Shell));
}

#[test]
fn prompts_of_each_platform_are_recognised_from_the_last_line() {
    use PromptKind::{Config, Privileged, User};
    let cases: &[(&str, &str, Option<PromptKind>, Option<&str>)] = &[
        ("cisco_ios", "R1>", Some(User), Some("R1")),
        ("cisco_ios", "show clock\r\n*10:00:00.000 UTC Mon Mar 1 2026\r\nR1#", Some(Privileged), Some("R1")),
        ("cisco_ios", "R1(config)#", Some(Config), Some("R1")),
        ("cisco_ios", "R1(config-router)#", Some(Config), Some("R1")),
        ("cisco_ios", "core-sw.lab(config-if-range)# ", Some(Config), Some("core-sw.lab")),
        ("cisco_ios", "R1#\r\n", None, None),
        ("cisco_ios", "Building configuration...", None, None),
        ("cisco_nxos", "N9K-LAB-07#", Some(Privileged), Some("N9K-LAB-07")),
        ("cisco_nxos", "N9K-LAB-07(config-if)#", Some(Config), Some("N9K-LAB-07")),
        ("cisco_iosxr", "RP/0/RP0/CPU0:router#", Some(Privileged), Some("router")),
        ("cisco_iosxr", "RP/0/RSP0/CPU0:pe1(config-bgp-nbr)#", Some(Config), Some("pe1")),
        ("cisco_iosxr", "router>", None, None),
        ("cisco_asa", "asa>", Some(User), Some("asa")),
        ("cisco_asa", "asa#", Some(Privileged), Some("asa")),
        ("cisco_asa", "asa(config)#", Some(Config), Some("asa")),
        ("cisco_asa", "asa/admin(config-if)#", Some(Config), Some("asa/admin")),
        ("arista_eos", "switch>", Some(User), Some("switch")),
        ("arista_eos", "switch#", Some(Privileged), Some("switch")),
        ("arista_eos", "switch(config-if-Et1)#", Some(Config), Some("switch")),
        ("arista_eos", "leaf1(s1)(config)#", Some(Config), Some("leaf1")),
        ("juniper_junos", "user@host>", Some(Privileged), Some("host")),
        ("juniper_junos", "{master:0}\nadmin@mx240-re0> ", Some(Privileged), Some("mx240-re0")),
        ("juniper_junos", "configure\nEntering configuration mode\n\n[edit]\nuser@host# ", Some(Config), Some("host")),
        ("juniper_junos", "[edit interfaces ge-0/0/0]\nuser@host#", Some(Config), Some("host")),
        ("linux", "user@host:~$ ", Some(User), Some("host")),
        ("linux", "user@web-01:/var/log$", Some(User), Some("web-01")),
        ("linux", "[user@host ~]$ ", Some(User), Some("host")),
        ("linux", "root@host:~# ", Some(Privileged), Some("host")),
        ("linux", "inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0", None, None),
        ("generic", "switch>", Some(User), Some("switch")),
        ("generic", "<HUAWEI>", Some(User), Some("HUAWEI")),
        ("generic", "admin@fw01:~$ ", Some(User), Some("fw01")),
        ("generic", "% ", Some(User), None),
        ("generic", "core1#", Some(Privileged), Some("core1")),
        ("generic", "core1(config)#", Some(Config), Some("core1")),
        ("generic", "plain output line", None, None),
    ];
    for &(name, tail, kind, host) in cases {
        let profile = profile(name);
        let found = profile.prompt_match(tail);
        assert_eq!(found.map(|m| m.kind), kind, "{name}: {tail:?}");
        assert_eq!(found.and_then(|m| m.host), host, "{name}: host of {tail:?}");
        assert_eq!(profile.match_prompt(tail), kind);
    }
}

#[test]
fn enable_password_prompts() {
    for name in ["cisco_ios", "cisco_nxos", "cisco_asa", "arista_eos"] {
        let profile = profile(name);
        assert_eq!(profile.spec().privilege.as_ref().and_then(|p| p.enable_command.as_deref()), Some("enable"));
        assert!(profile.is_password_prompt("R1>enable\r\nPassword: "), "{name}");
        assert!(!profile.is_password_prompt("R1#"), "{name}");
    }
    assert!(profile("juniper_junos").spec().privilege.is_none());
}

#[test]
fn rejected_commands_are_found() {
    let rejected: &[(&str, &str, &str)] = &[
        (
            "cisco_ios",
            "R1#shwo run\r\n      ^\r\n% Invalid input detected at '^' marker.\r\n",
            "% Invalid input detected at '^' marker.",
        ),
        ("cisco_ios", "R1#show ip\r\n% Incomplete command.\r\n", "% Incomplete command."),
        ("cisco_ios", "R1#sh i\r\n% Ambiguous command:  \"sh i\"\r\n", "% Ambiguous command:  \"sh i\""),
        ("cisco_nxos", "                ^\n% Invalid command at '^' marker.\n", "% Invalid command at '^' marker."),
        (
            "cisco_iosxr",
            "% Failed to commit one or more configuration items.",
            "% Failed to commit one or more configuration items.",
        ),
        (
            "cisco_asa",
            "ERROR: % Invalid input detected at '^' marker.",
            "ERROR: % Invalid input detected at '^' marker.",
        ),
        ("arista_eos", "% Invalid input (at token 1: 'runn')", "% Invalid input (at token 1: 'runn')"),
        (
            "juniper_junos",
            "                    ^\nsyntax error, expecting <command>.",
            "syntax error, expecting <command>.",
        ),
        ("juniper_junos", "               ^\nunknown command.", "unknown command."),
        ("juniper_junos", "                ^\n'sh' is ambiguous.\nPossible completions:", "'sh' is ambiguous."),
        ("juniper_junos", "error: configuration check-out failed", "error: configuration check-out failed"),
        ("linux", "bash: ipp: command not found", "bash: ipp: command not found"),
        ("linux", "cat: /etc/hostnme: No such file or directory", "cat: /etc/hostnme: No such file or directory"),
        (
            "generic",
            "Error: Unrecognized command found at '^' position.",
            "Error: Unrecognized command found at '^' position.",
        ),
        ("generic", "% Unknown command, the error locates at '^'", "% Unknown command, the error locates at '^'"),
    ];
    for &(name, output, line) in rejected {
        assert_eq!(profile(name).find_error(output), Some(line), "{name}: {output:?}");
    }
    let accepted: &[(&str, &str)] = &[
        ("cisco_ios", "interface Gi0/1\r\n description % Invalid input drill\r\n"),
        ("cisco_ios", "Cisco IOS Software, Version 15.2(4)E\r\nR1 uptime is 3 weeks\r\n"),
        ("juniper_junos", "set interfaces ge-0/0/0 description \"error: none\"\n"),
        ("linux", "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"),
    ];
    for &(name, output) in accepted {
        assert_eq!(profile(name).find_error(output), None, "{name}: {output:?}");
    }
}

#[test]
fn pager_prompts_are_recognised() {
    let pagers: &[(&str, &str)] = &[
        ("cisco_ios", "interface Gi0/1\r\n --More-- "),
        ("cisco_nxos", "feature lacp\n--More--"),
        ("cisco_iosxr", "router bgp 65000\n --More-- "),
        ("cisco_asa", "interface Management0/0\n<--- More --->"),
        ("arista_eos", "hostname leaf1\n --More-- "),
        ("juniper_junos", "version 21.4R3;\n---(more)---"),
        ("juniper_junos", "version 21.4R3;\n---(more 45%)---"),
    ];
    for &(name, tail) in pagers {
        assert!(profile(name).is_more_prompt(tail), "{name}: {tail:?}");
        assert!(!profile(name).is_more_prompt("hostname more-core-1"), "{name}");
    }
    let generic = profile("generic");
    for pager in ["--More--", " --More-- ", "<--- More --->", "---(more)---", "-- More --", "---(more 12%)---"] {
        assert!(generic.is_more_prompt(pager), "generic: {pager:?}");
    }
    assert!(!generic.is_more_prompt("description more links"));
    assert!(!profile("linux").is_more_prompt("--More--"), "exec channels have no pager");
    assert_eq!(profile("cisco_asa").spec().paging.disable_commands, ["terminal pager 0"]);
    assert_eq!(profile("juniper_junos").spec().paging.disable_commands[0], "set cli screen-length 0");
}

/// Two captures of one platform's configuration differing only by volatile lines, and a line
/// to change (from, to) for a real change.
const VOLATILE: &[(&str, &str, &str, (&str, &str))] = &[
    (
        "cisco_ios",
        "Building configuration...\n\nCurrent configuration : 1747 bytes\n!\n! Last configuration change at 07:44:06 UTC Fri Jan 30 2015 by admin\n! NVRAM config last updated at 07:45:00 UTC Fri Jan 30 2015 by admin\n!\nhostname R1\nntp clock-period 36028797018963968\n",
        "Building configuration...\n\nCurrent configuration : 1747 bytes\n!\n! Last configuration change at 09:12:44 UTC Mon Feb 2 2015 by admin\n! NVRAM config last updated at 09:13:00 UTC Mon Feb 2 2015 by admin\n!\nhostname R1\nntp clock-period 36028797018963001\n",
        ("hostname R1", "hostname R2"),
    ),
    (
        "cisco_nxos",
        "!Command: show running-config\n!Running configuration last done at: Wed Mar 14 12:00:00 2018\n!Time: Wed Mar 14 12:31:28 2018\n\nversion 9.2(1)\nhostname N9K1\n",
        "!Command: show running-config\n!Running configuration last done at: Thu Mar 15 08:00:00 2018\n!Time: Thu Mar 15 08:01:02 2018\n\nversion 9.2(1)\nhostname N9K1\n",
        ("hostname N9K1", "hostname N9K2"),
    ),
    (
        "cisco_iosxr",
        "Wed Mar 14 12:31:28.607 UTC\nBuilding configuration...\n!! IOS XR Configuration version = 6.1.4\n!! Last configuration change at Tue Mar 13 18:22:43 2018 by admin\n!\nhostname pe1\n",
        "Thu Mar 15 09:00:01.001 UTC\nBuilding configuration...\n!! IOS XR Configuration version = 6.1.4\n!! Last configuration change at Wed Mar 14 07:00:00 2018 by admin\n!\nhostname pe1\n",
        ("hostname pe1", "hostname pe2"),
    ),
    (
        "cisco_asa",
        ": Saved\n: Written by enable_15 at 10:22:03.123 UTC Mon Jan 1 2018\n:\nASA Version 9.9(2)32\n!\nhostname ASA2\n",
        ": Saved\n: Written by admin at 11:00:00.000 UTC Tue Jan 2 2018\n:\nASA Version 9.9(2)32\n!\nhostname ASA2\n",
        ("hostname ASA2", "hostname ASA3"),
    ),
    (
        "arista_eos",
        "! Command: show running-config\n! device: leaf1 (vEOS-lab, EOS-4.27.0F)\n! Time: Mon Mar  2 10:00:00 2026\n!\nhostname leaf1\n",
        "! Command: show running-config\n! device: leaf1 (vEOS-lab, EOS-4.27.0F)\n! Time: Tue Mar  3 11:30:00 2026\n!\nhostname leaf1\n",
        ("hostname leaf1", "hostname leaf2"),
    ),
    (
        "juniper_junos",
        "## Last commit: 2018-03-14 12:31:28 UTC by admin\nversion 21.4R3-S3.4;\nsystem {\n    host-name mx1;\n}\n",
        "## Last commit: 2018-03-15 08:00:00 UTC by ops\nversion 21.4R3-S3.4;\nsystem {\n    host-name mx1;\n}\n",
        ("host-name mx1;", "host-name mx2;"),
    ),
    (
        "linux",
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    inet 10.0.0.5/24 brd 10.0.0.255 scope global dynamic eth0\n       valid_lft 86123sec preferred_lft 86123sec\n",
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    inet 10.0.0.5/24 brd 10.0.0.255 scope global dynamic eth0\n       valid_lft 43000sec preferred_lft 43000sec\n",
        ("inet 10.0.0.5/24", "inet 10.0.0.6/24"),
    ),
];

#[test]
fn volatile_lines_do_not_change_the_hash_and_real_lines_do() {
    for &(name, first, second, (from, to)) in VOLATILE {
        let profile = profile(name);
        assert_ne!(first, second);
        assert_eq!(profile.normalize_for_hash(first), profile.normalize_for_hash(second), "{name}");
        assert!(first.lines().any(|line| profile.is_volatile(line)), "{name}: the sample has volatile lines");
        let changed = first.replacen(from, to, 1);
        assert_ne!(first, changed, "{name}: the sample contains {from:?}");
        assert_ne!(profile.normalize_for_hash(first), profile.normalize_for_hash(&changed), "{name}");
    }
    let ios = profile("cisco_ios");
    assert!(ios.is_volatile("! Last configuration change at 07:44:06 UTC Fri Jan 30 2015 by admin"));
    assert!(!ios.is_volatile("hostname R1"));
    assert_eq!(ios.normalize_for_hash("hostname R1\r\n"), ios.normalize_for_hash("hostname R1\n"));
}

#[test]
fn stored_configs_lose_non_config_lines_and_keep_volatile_ones() {
    let (_, raw, _, _) = VOLATILE[0];
    let cleaned = profile("cisco_ios").clean_config(raw);
    assert!(!cleaned.contains("Building configuration") && !cleaned.contains("Current configuration"));
    assert!(cleaned.starts_with("\n!\n! Last configuration change at 07:44:06"), "{cleaned}");
    let (_, raw, _, _) = VOLATILE[2];
    assert!(profile("cisco_iosxr").clean_config(raw).starts_with("!! IOS XR Configuration version"));
}

#[test]
fn secret_patterns_extend_the_redaction_filter() {
    let samples: &[(&str, &str, &str)] = &[
        ("cisco_ios", "interface Tunnel0\n ip nhrp authentication s3cr3t\n", "s3cr3t"),
        ("cisco_iosxr", "username admin\n group root-lr\n secret 10 $6$abc$def\n", "$6$abc$def"),
        ("cisco_iosxr", "key chain k1\n key 1\n  key-string password 01100F175804\n", "01100F175804"),
        ("cisco_asa", "failover key Fa1lKey\n", "Fa1lKey"),
        ("arista_eos", "aaa root secret sha512 $6$rootHash\n", "$6$rootHash"),
        ("cisco_nxos", "  hsrp 10\n    authentication text hsrpPass\n", "hsrpPass"),
        ("juniper_junos", "    shared-secret \"$9$abcd\";\n", "$9$abcd"),
    ];
    for profile in BUILTIN.iter() {
        SensitiveDataFilter::new()
            .with_extra_patterns(profile.secret_patterns())
            .unwrap_or_else(|err| panic!("{}: {err}", profile.name()));
    }
    for &(name, text, secret) in samples {
        let filter = SensitiveDataFilter::new().with_extra_patterns(profile(name).secret_patterns()).expect("valid");
        let redacted = filter.redact_text(text);
        assert!(!redacted.contains(secret), "{name}: {redacted}");
    }
}

#[test]
fn commit_and_backup_commands() {
    let commit = |name: &str| profile(name).spec().config_mode.as_ref().and_then(|c| c.commit.clone());
    assert_eq!(commit("cisco_iosxr").as_deref(), Some("commit"));
    assert_eq!(commit("juniper_junos").as_deref(), Some("commit"));
    assert_eq!(commit("cisco_ios"), None);
    assert!(profile("linux").spec().config_mode.is_none());
    assert_eq!(profile("cisco_asa").spec().backup.commands, ["show running-config"]);
    assert_eq!(profile("juniper_junos").spec().backup.commands, ["show configuration"]);
    assert!(profile("generic").spec().backup.commands.is_empty());
}
