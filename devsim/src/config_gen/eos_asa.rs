//! Configuration syntax of Arista EOS and Cisco ASA.

use super::model::{Iface, MASK};
use super::{Ctx, Style, put};
use crate::clock;

/// Arista EOS.
pub(crate) static EOS: Style = Style {
    head: eos_head,
    header: eos_header,
    interface: eos_interface,
    trailer: eos_trailer,
};
/// Cisco ASA.
pub(crate) static ASA: Style = Style {
    head: asa_head,
    header: asa_header,
    interface: asa_interface,
    trailer: asa_trailer,
};

fn eos_head(c: &Ctx, _: &str) -> String {
    let mut o = String::new();
    put!(
        o,
        "! Command: show running-config\n! device: {} (DCS-7280SR-48C6, EOS-4.30.2F)",
        c.p.hostname
    );
    put!(
        o,
        "! Time: {}\n! Startup-config last modified at {} by {}",
        clock::format(c.p.now, "%a %b %e %H:%M:%S %Y"),
        clock::format(c.p.changed_at, "%a %b %e %H:%M:%S %Y"),
        c.p.username
    );
    put!(o, "!\n! boot system flash:/EOS-4.30.2F.swi\n!");
    o
}

fn eos_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "transceiver qsfp default-mode 4x10G\n!\nhostname {}\nip name-server vrf MGMT 10.255.0.53\n!",
        c.p.hostname
    );
    put!(
        o,
        "spanning-tree mode mstp\n!\naaa authorization exec default local\n!"
    );
    put!(
        o,
        "enable password sha512 $6${}${}",
        c.m.hash(1, 16),
        c.m.hash(2, 86)
    );
    put!(
        o,
        "username admin privilege 15 role network-admin secret sha512 $6${}${}",
        c.m.hash(3, 16),
        c.m.hash(4, 86)
    );
    put!(
        o,
        "username {} privilege 15 role network-admin secret sha512 $6${}${}\n!",
        c.p.username,
        c.m.hash(5, 16),
        c.m.hash(6, 86)
    );
    put!(
        o,
        "snmp-server community {} ro\nsnmp-server community {} rw\n!",
        c.m.word(1, 12),
        c.m.word(2, 14)
    );
    put!(o, "vlan 100-110\n!\nvrf instance MGMT\n!");
}

fn eos_interface(_: &Ctx, i: &Iface, o: &mut String) {
    match i.sub {
        None => put!(
            o,
            "interface Ethernet{}\n   description {}\n   no switchport",
            i.port + 1,
            i.description
        ),
        Some(sub) => put!(
            o,
            "interface Ethernet{}.{sub}\n   description {}\n   encapsulation dot1q vlan {sub}",
            i.port + 1,
            i.description
        ),
    }
    put!(o, "   ip address {}/30", i.addr());
    o.push_str(if i.shutdown {
        "   shutdown\n!\n"
    } else {
        "!\n"
    });
}

fn eos_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "interface Management1\n   vrf MGMT\n   ip address 10.255.0.{}/24\n!",
        c.m.number(1, 250) + 1
    );
    put!(
        o,
        "ip routing\nno ip routing vrf MGMT\n!\nip route 0.0.0.0/0 10.0.0.2\n!"
    );
    put!(
        o,
        "management api http-commands\n   no shutdown\n!\nmanagement ssh\n   vrf MGMT\n      no shutdown\n!\nend"
    );
}

fn asa_head(c: &Ctx, _: &str) -> String {
    let mut o = String::new();
    put!(
        o,
        ": Saved\n\n:\n: Serial Number: JAD{}",
        c.m.word(9, 8).to_uppercase()
    );
    put!(
        o,
        ": Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)"
    );
    put!(
        o,
        ": Written by {} at {}",
        c.p.username,
        clock::format(c.p.now, "%H:%M:%S.%3f UTC %a %b %-d %Y")
    );
    put!(o, "!");
    o
}

fn asa_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "ASA Version 9.16(4)\n!\nhostname {}\ndomain-name lab.example.net",
        c.p.hostname
    );
    put!(
        o,
        "enable password $sha512$5000${}${} pbkdf2",
        c.m.hash(1, 24),
        c.m.hash(2, 24)
    );
    put!(
        o,
        "service-module 1 keepalive-timeout 4\nservice-module 1 keepalive-counter 6\nnames\nno mac-address auto\n"
    );
}

fn asa_interface(_: &Ctx, i: &Iface, o: &mut String) {
    match i.sub {
        None => put!(o, "!\ninterface GigabitEthernet1/{}", i.port + 1),
        Some(sub) => put!(
            o,
            "!\ninterface GigabitEthernet1/{}.{sub}\n vlan {sub}",
            i.port + 1
        ),
    }
    let (name, level) = if i.index == 0 {
        ("outside".to_string(), 0)
    } else {
        (format!("if{}", i.index), 50)
    };
    put!(
        o,
        " description {}\n nameif {name}\n security-level {level}",
        i.description
    );
    put!(o, " ip address {} {MASK}", i.addr());
    if i.shutdown {
        put!(o, " shutdown");
    }
}

fn asa_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "!\nftp mode passive\nobject network OBJ-MGMT\n subnet 10.255.0.0 255.255.255.0"
    );
    put!(
        o,
        "access-list OUTSIDE-IN extended permit icmp any any\npager lines 24\nlogging enable\nmtu outside 1500"
    );
    put!(
        o,
        "route outside 0.0.0.0 0.0.0.0 10.0.0.2 1\naaa authentication ssh console LOCAL\nhttp server enable"
    );
    put!(
        o,
        "snmp-server host outside 10.255.0.162 community {} version 2c",
        c.m.word(1, 12)
    );
    put!(
        o,
        "snmp-server community {}\nssh 10.255.0.0 255.255.255.0 outside\nssh version 2",
        c.m.word(2, 14)
    );
    put!(
        o,
        "username admin password $sha512$5000${}${} pbkdf2 privilege 15",
        c.m.hash(3, 24),
        c.m.hash(4, 24)
    );
    put!(
        o,
        "username {} password $sha512$5000${}${} pbkdf2 privilege 15",
        c.p.username,
        c.m.hash(5, 24),
        c.m.hash(6, 24)
    );
    put!(o, "!\nCryptochecksum:{}\n: end", c.m.hex(8, 32));
}
