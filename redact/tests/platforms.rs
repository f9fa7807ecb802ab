//! Rule-by-rule checks on realistic one-line snippets per platform: what gets redacted (only the
//! value, the setting stays readable) and ordinary configuration that must stay byte-identical.

use netraven_redact::SensitiveDataFilter;

/// Asserts that each `(input, expected)` pair redacts exactly as expected.
fn check(cases: &[(&str, &str)]) {
    let filter = SensitiveDataFilter::new();
    let mut failures = Vec::new();
    for (input, expected) in cases {
        let actual = filter.redact_text(input);
        if actual != *expected {
            failures.push(format!("input:    {input:?}\nexpected: {expected:?}\nactual:   {actual:?}"));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// Asserts that every line stays byte-identical.
fn unchanged(lines: &[&str]) {
    let pairs: Vec<(&str, &str)> = lines.iter().map(|line| (*line, *line)).collect();
    check(&pairs);
}

#[test]
fn cisco_ios() {
    check(&[
        ("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 <redacted>"),
        ("enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", "enable secret 9 <redacted>"),
        ("enable secret level 15 5 $1$abc$def", "enable secret level 15 5 <redacted>"),
        ("enable algorithm-type scrypt secret S3cret!", "enable algorithm-type scrypt secret <redacted>"),
        ("enable password 7 0822455D0A16", "enable password 7 <redacted>"),
        ("enable password cisco", "enable password <redacted>"),
        ("username admin privilege 15 secret 9 $9$abcd$efgh", "username admin privilege 15 secret 9 <redacted>"),
        ("username admin privilege 15 password 0 Cisco123", "username admin privilege 15 password 0 <redacted>"),
        ("username bob password 7 094F471A1A0A", "username bob password 7 <redacted>"),
        ("username ops secret Plain", "username ops secret <redacted>"),
        ("snmp-server community public RO", "snmp-server community <redacted> RO"),
        ("snmp-server community s3cr3t RW 99", "snmp-server community <redacted> RW 99"),
        ("snmp-server community c0mm view V1 RO SNMP-ACL", "snmp-server community <redacted> view V1 RO SNMP-ACL"),
        ("no snmp-server community oldone", "no snmp-server community <redacted>"),
        ("snmp-server host 192.0.2.10 traps3cret", "snmp-server host 192.0.2.10 <redacted>"),
        ("snmp-server host 192.0.2.10 version 2c c0mm", "snmp-server host 192.0.2.10 version 2c <redacted>"),
        (
            "snmp-server host 192.0.2.10 informs version 2c c0mm udp-port 162",
            "snmp-server host 192.0.2.10 informs version 2c <redacted> udp-port 162",
        ),
        (
            "snmp-server host 192.0.2.10 vrf MGMT traps version 1 c0mm",
            "snmp-server host 192.0.2.10 vrf MGMT traps version 1 <redacted>",
        ),
        ("tacacs-server key 7 0822455D0A16", "tacacs-server key 7 <redacted>"),
        ("tacacs-server host 192.0.2.5 key T4cKey", "tacacs-server host 192.0.2.5 key <redacted>"),
        ("radius-server key R4d1us", "radius-server key <redacted>"),
        (
            "radius-server host 192.0.2.6 auth-port 1645 acct-port 1646 key 7 1511021F0725",
            "radius-server host 192.0.2.6 auth-port 1645 acct-port 1646 key 7 <redacted>",
        ),
        (
            "tacacs server ISE\n address ipv4 192.0.2.5\n key 7 070C285F4D06\n",
            "tacacs server ISE\n address ipv4 192.0.2.5\n key 7 <redacted>\n",
        ),
        (
            "radius server ISE\n address ipv4 192.0.2.6 auth-port 1812 acct-port 1813\n key Rad1usKey\n",
            "radius server ISE\n address ipv4 192.0.2.6 auth-port 1812 acct-port 1813\n key <redacted>\n",
        ),
        (" server-private 192.0.2.7 key 7 0822455D0A16", " server-private 192.0.2.7 key 7 <redacted>"),
        ("crypto isakmp key IsaKey123 address 203.0.113.1", "crypto isakmp key <redacted> address 203.0.113.1"),
        (
            "crypto isakmp key 6 Enc6Key address 0.0.0.0 0.0.0.0",
            "crypto isakmp key 6 <redacted> address 0.0.0.0 0.0.0.0",
        ),
        (" pre-shared-key local L0calPsk", " pre-shared-key local <redacted>"),
        (" pre-shared-key remote 6 R3motePsk", " pre-shared-key remote 6 <redacted>"),
        (" pre-shared-key Sh4red", " pre-shared-key <redacted>"),
        (" pre-shared-key address 203.0.113.1 key Kr1ngKey", " pre-shared-key address 203.0.113.1 key <redacted>"),
        (" ip ospf authentication-key 7 0822455D0A16", " ip ospf authentication-key 7 <redacted>"),
        (" ip ospf authentication-key OspfKey", " ip ospf authentication-key <redacted>"),
        (" ip ospf message-digest-key 1 md5 Md5Key", " ip ospf message-digest-key 1 md5 <redacted>"),
        (" ip ospf message-digest-key 1 md5 7 0822455D0A16", " ip ospf message-digest-key 1 md5 7 <redacted>"),
        (" neighbor 10.0.0.1 password 7 0822455D0A16", " neighbor 10.0.0.1 password 7 <redacted>"),
        (" neighbor PEERS password BgpPass", " neighbor PEERS password <redacted>"),
        ("mpls ldp neighbor 10.0.0.2 password LdpPass", "mpls ldp neighbor 10.0.0.2 password <redacted>"),
        (
            "key chain OSPF\n key 1\n  key-string 7 0822455D0A16\n",
            "key chain OSPF\n key 1\n  key-string 7 <redacted>\n",
        ),
        ("  key-string ChainKey", "  key-string <redacted>"),
        // IOS-XR key chains name the encoding before the key.
        ("  key-string password 01100F175804575D72", "  key-string password <redacted>"),
        ("  key-string clear XrChainKey", "  key-string clear <redacted>"),
        (" standby 1 authentication md5 key-string HsrpKey", " standby 1 authentication md5 key-string <redacted>"),
        (" standby 1 authentication HsrpText", " standby 1 authentication <redacted>"),
        (" wpa-psk ascii 0 WifiPsk!", " wpa-psk ascii 0 <redacted>"),
        (" ppp chap password 7 0822455D0A16", " ppp chap password 7 <redacted>"),
        (" ppp pap sent-username isp password 0 PapPass", " ppp pap sent-username isp password 0 <redacted>"),
        ("line vty 0 4\n password 7 045802150C2E\n login\n", "line vty 0 4\n password 7 <redacted>\n login\n"),
        ("line con 0\n password con pass\n", "line con 0\n password <redacted>\n"),
        ("ntp authentication-key 1 md5 104D000A0618 7", "ntp authentication-key 1 md5 <redacted> 7"),
        (" client 192.0.2.9 server-key 7 0822455D0A16", " client 192.0.2.9 server-key 7 <redacted>"),
        ("ip ftp password FtpPass", "ip ftp password <redacted>"),
        (" isis password IsisPass", " isis password <redacted>"),
        (" area-password AreaPass", " area-password <redacted>"),
    ]);
}

#[test]
fn cisco_nxos() {
    check(&[
        (
            "username admin password 5 $5$KJHBCD$9dk3.Xyz role network-admin",
            "username admin password 5 <redacted> role network-admin",
        ),
        (
            "snmp-server user admin network-admin auth md5 0x1a2b3c4d5e6f priv 0x7a8b9c0d1e2f localizedkey",
            "snmp-server user admin network-admin auth md5 <redacted> priv <redacted> localizedkey",
        ),
        (
            "snmp-server user ops network-operator auth sha 0xabc priv aes-128 0xdef localizedkey",
            "snmp-server user ops network-operator auth sha <redacted> priv aes-128 <redacted> localizedkey",
        ),
        (
            "snmp-server community nxc0mm group network-operator",
            "snmp-server community <redacted> group network-operator",
        ),
        (
            "snmp-server host 192.0.2.10 traps version 2c nxc0mm udp-port 162",
            "snmp-server host 192.0.2.10 traps version 2c <redacted> udp-port 162",
        ),
        ("tacacs-server key 7 \"NxTacKey\"", "tacacs-server key 7 \"<redacted>\""),
        ("tacacs-server host 192.0.2.5 key 7 \"NxHostKey\"", "tacacs-server host 192.0.2.5 key 7 \"<redacted>\""),
        (
            "radius-server host 192.0.2.6 key 7 \"NxRad\" authentication accounting",
            "radius-server host 192.0.2.6 key 7 \"<redacted>\" authentication accounting",
        ),
        (
            "router bgp 65000\n  neighbor 10.0.0.1\n    password 3 NxBgpPass\n",
            "router bgp 65000\n  neighbor 10.0.0.1\n    password 3 <redacted>\n",
        ),
        ("  ip ospf authentication-key 3 NxOspf", "  ip ospf authentication-key 3 <redacted>"),
    ]);
}

#[test]
fn cisco_asa() {
    check(&[
        ("enable password 8Ry2YjIyt7RRXU24 encrypted", "enable password <redacted> encrypted"),
        ("enable password AsaEn pbkdf2", "enable password <redacted> pbkdf2"),
        ("passwd 2KFQnbNIdI.2KYOU encrypted", "passwd <redacted> encrypted"),
        ("username admin password AsaAdm1n privilege 15", "username admin password <redacted> privilege 15"),
        ("username ops password Xy9 encrypted privilege 5", "username ops password <redacted> encrypted privilege 5"),
        (
            "aaa-server ISE (inside) host 192.0.2.5\n key AsaAaaKey\n",
            "aaa-server ISE (inside) host 192.0.2.5\n key <redacted>\n",
        ),
        (
            "tunnel-group 203.0.113.1 ipsec-attributes\n ikev1 pre-shared-key AsaPsk\n",
            "tunnel-group 203.0.113.1 ipsec-attributes\n ikev1 pre-shared-key <redacted>\n",
        ),
        (
            " ikev2 remote-authentication pre-shared-key AsaRemote",
            " ikev2 remote-authentication pre-shared-key <redacted>",
        ),
        (
            "snmp-server host inside 192.0.2.10 community AsaComm version 2c",
            "snmp-server host inside 192.0.2.10 community <redacted> version 2c",
        ),
        ("snmp-server community AsaComm2", "snmp-server community <redacted>"),
    ]);
}

#[test]
fn juniper_junos() {
    check(&[
        (
            "set system root-authentication encrypted-password \"$6$abc$defghijk\"",
            "set system root-authentication encrypted-password \"<redacted>\"",
        ),
        (
            "set system login user ops authentication encrypted-password \"$6$x$y\"",
            "set system login user ops authentication encrypted-password \"<redacted>\"",
        ),
        (
            "        encrypted-password \"$6$salt$hash\"; ## SECRET-DATA",
            "        encrypted-password \"<redacted>\"; ## SECRET-DATA",
        ),
        ("    secret \"$9$AbCdEfGh\"; ## SECRET-DATA", "    secret \"<redacted>\"; ## SECRET-DATA"),
        (
            "set system tacplus-server 192.0.2.5 secret \"$9$tac\"",
            "set system tacplus-server 192.0.2.5 secret \"<redacted>\"",
        ),
        (
            "            authentication-key \"$9$bgp\"; ## SECRET-DATA",
            "            authentication-key \"<redacted>\"; ## SECRET-DATA",
        ),
        (
            "    pre-shared-key ascii-text \"$9$ike\"; ## SECRET-DATA",
            "    pre-shared-key ascii-text \"<redacted>\"; ## SECRET-DATA",
        ),
        (
            "set security ike policy P pre-shared-key ascii-text \"$9$ike2\"",
            "set security ike policy P pre-shared-key ascii-text \"<redacted>\"",
        ),
        (
            "                md5 1 key \"$9$ospf\"; ## SECRET-DATA",
            "                md5 1 key \"<redacted>\"; ## SECRET-DATA",
        ),
        ("    community public {", "    community <redacted> {"),
        ("    community \"my comm\" {", "    community \"<redacted>\" {"),
        ("    community jcomm;", "    community <redacted>;"),
        ("set snmp community public authorization read-only", "set snmp community <redacted> authorization read-only"),
        ("set snmp community priv8 clients 10.0.0.0/8", "set snmp community <redacted> clients 10.0.0.0/8"),
        (
            "                privacy-key \"$9$priv\"; ## SECRET-DATA",
            "                privacy-key \"<redacted>\"; ## SECRET-DATA",
        ),
    ]);
}

#[test]
fn arista_eos() {
    check(&[
        (
            "username admin privilege 15 role network-admin secret sha512 $6$saltsalt$hashhash",
            "username admin privilege 15 role network-admin secret sha512 <redacted>",
        ),
        ("enable password sha512 $6$salt$hash", "enable password sha512 <redacted>"),
        ("enable secret sha512 $6$salt$hash", "enable secret sha512 <redacted>"),
        ("snmp-server community public ro", "snmp-server community <redacted> ro"),
        ("snmp-server community private rw SNMP-ACL", "snmp-server community <redacted> rw SNMP-ACL"),
        ("tacacs-server key 7 070E234F", "tacacs-server key 7 <redacted>"),
        (
            "tacacs-server host 192.0.2.5 vrf MGMT key 7 070E234F",
            "tacacs-server host 192.0.2.5 vrf MGMT key 7 <redacted>",
        ),
        (
            "snmp-server host 192.0.2.10 vrf MGMT version 2c eosc0mm",
            "snmp-server host 192.0.2.10 vrf MGMT version 2c <redacted>",
        ),
        ("   neighbor 10.0.0.1 password 7 EosBgp==", "   neighbor 10.0.0.1 password 7 <redacted>"),
        (
            "snmp-server user u g v3 localized 800000 auth sha512 0xaaa priv aes256 0xbbb",
            "snmp-server user u g v3 localized 800000 auth sha512 <redacted> priv aes256 <redacted>",
        ),
        ("ntp authentication-key 1 md5 7 EosNtp", "ntp authentication-key 1 md5 7 <redacted>"),
    ]);
}

#[test]
fn linux_and_generic_text() {
    check(&[
        ("password=LinuxPass", "password=<redacted>"),
        ("PASSWORD: LinuxPass2", "PASSWORD: <redacted>"),
        (
            "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "export AWS_SECRET_ACCESS_KEY=<redacted>",
        ),
        ("DB_PASSWORD='quoted pass'", "DB_PASSWORD='<redacted>'"),
        ("{\"password\": \"json pass\", \"user\": \"bob\"}", "{\"password\": \"<redacted>\", \"user\": \"bob\"}"),
        ("client_secret = abc123", "client_secret = <redacted>"),
        ("mysql --password s3cret -u root", "mysql --password <redacted> -u root"),
        (
            "machine ftp.example.com login bob password NetrcPass",
            "machine ftp.example.com login bob password <redacted>",
        ),
        (
            "machine ftp.example.com\n  login bob\n  password NetrcPass2\n",
            "machine ftp.example.com\n  login bob\n  password <redacted>\n",
        ),
        ("root:$6$Zx9$AbcDef/ghi.jkl:19000:0:99999:7:::", "root:<redacted>:19000:0:99999:7:::"),
        ("bob:!$6$salt$hash:19000:0:99999:7:::", "bob:<redacted>:19000:0:99999:7:::"),
        ("https://admin:UrlPass@git.example.com/repo.git", "https://admin:<redacted>@git.example.com/repo.git"),
        ("redis://:RedisPass@10.0.0.5:6379/0", "redis://:<redacted>@10.0.0.5:6379/0"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer <redacted>"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic <redacted>"),
        (
            "curl -H \"Authorization: Bearer tok123\" https://api",
            "curl -H \"Authorization: Bearer <redacted>\" https://api",
        ),
        ("sent header Bearer abcDEF123456", "sent header Bearer <redacted>"),
        (
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk end",
            "token <redacted> end",
        ),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nq7BFUpkGp3+Lm\n-----END RSA PRIVATE KEY-----\nafter\n",
            "-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n-----END RSA PRIVATE KEY-----\nafter\n",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXk\r\n-----END OPENSSH PRIVATE KEY-----\r\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\r\n<redacted>\r\n-----END OPENSSH PRIVATE KEY-----\r\n",
        ),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFH\n-----END ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n<redacted>\n-----END ENCRYPTED PRIVATE KEY-----",
        ),
        (
            "key: \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----\\n\"",
            "key: \"-----BEGIN EC PRIVATE KEY-----\\n<redacted>\\n-----END EC PRIVATE KEY-----\\n\"",
        ),
        ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\ntruncated", "-----BEGIN PRIVATE KEY-----\n<redacted>"),
    ]);
}

#[test]
fn ordinary_configuration_stays_byte_identical() {
    unchanged(&[
        "service password-encryption",
        "no service password-encryption",
        "no enable password",
        "no enable secret",
        "aaa new-model",
        "aaa authentication login default group tacacs+ local",
        "aaa authorization exec default group tacacs+ local",
        "password-policy minimum-length 8",
        "password encryption aes",
        "password strength-check",
        "no password strength-check",
        "feature password encryption aes",
        "interface GigabitEthernet0/1\n description Uplink to core-sw1 (secret room, key card)\n ip address 10.0.0.1 255.255.255.0\n",
        " description WAN link - password reset desk",
        "snmp-server location DC1 Row 4 Rack 12",
        "snmp-server contact noc@example.com",
        "snmp-server enable traps snmp authentication linkdown linkup",
        "snmp-server ifindex persist",
        "snmp-server host 192.0.2.10 use-vrf management",
        "snmp-server host 192.0.2.10 version 3 priv v3user",
        "snmp-server group V3GROUP v3 priv read V1",
        "ip address 10.0.0.1 255.255.255.0",
        "ip ssh version 2",
        "crypto key generate rsa modulus 2048",
        "key chain OSPF-KEYS\n key 1\n  cryptographic-algorithm hmac-sha-256\n",
        "tacacs-server directed-request",
        "radius-server dead-criteria time 5 tries 3",
        "username admin privilege 15 role network-admin nopassword",
        " standby 1 authentication md5 key-chain HSRP",
        " route-map RM permit 10\n set community 65000:100 additive\n",
        "ip community-list standard CUST permit 65000:100",
        "line vty 0 4\n login local\n transport input ssh\n",
        "set policy-options community CUST members 65000:100",
        "    community CUST members 65000:100;",
        "set system authentication-order [ radius password ]",
        "    password {\n        format sha512;\n    }",
        "set system login password format sha512",
        "authentication-key-chains {\n    key-chain KC {\n        key 0 {\n",
        "PasswordAuthentication no",
        "PermitEmptyPasswords no",
        "password    required    pam_unix.so sha512 shadow",
        "password required pam_unix.so sha512 shadow",
        "password [success=1 default=ignore] pam_unix.so obscure sha512",
        "root:x:0:0:root:/root:/bin/bash",
        "daemon:*:19000:0:99999:7:::",
        "https://git.example.com:8443/repo.git",
        "ssh://git@example.com/repo.git",
        "Bearer",
        "Authentication failed for user admin",
        "Building configuration...\nCurrent configuration : 1234 bytes\n!\nversion 15.2\n",
    ]);
}
