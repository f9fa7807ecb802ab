//! Configuration syntax of Cisco NX-OS.

use super::model::Iface;
use super::{Ctx, Style, put};
use crate::clock;

/// Cisco NX-OS.
pub(crate) static NXOS: Style = Style {
    head: nxos_head,
    header: nxos_header,
    interface: nxos_interface,
    trailer: nxos_trailer,
};

fn nxos_head(c: &Ctx, _: &str) -> String {
    format!(
        "\n!Command: show running-config\n!Running configuration last done at: {}\n!Time: {}\n\n",
        clock::format(c.p.changed_at, "%a %b %e %H:%M:%S %Y"),
        clock::format(c.p.now, "%a %b %e %H:%M:%S %Y"),
    )
}

fn nxos_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "version 9.3(10) Bios:version 05.47\nhostname {}",
        c.p.hostname
    );
    put!(
        o,
        "feature ospf\nfeature interface-vlan\nfeature lacp\nfeature lldp\n"
    );
    put!(
        o,
        "username admin password 5 $5${}${}  role network-admin",
        c.m.hash(3, 8),
        c.m.hash(4, 43)
    );
    put!(
        o,
        "username {} password 5 $5${}${}  role network-admin",
        c.p.username,
        c.m.hash(5, 8),
        c.m.hash(6, 43)
    );
    put!(
        o,
        "ip domain-lookup\nsnmp-server community {} group network-operator",
        c.m.word(1, 12)
    );
    put!(
        o,
        "snmp-server community {} group network-admin",
        c.m.word(2, 14)
    );
    put!(
        o,
        "ntp server 10.255.0.123 use-vrf management\n\nvlan 1,100-110\n"
    );
    put!(
        o,
        "vrf context management\n  ip route 0.0.0.0/0 10.255.0.1\n"
    );
}

fn nxos_interface(_: &Ctx, i: &Iface, o: &mut String) {
    match i.sub {
        None => put!(o, "interface Ethernet1/{}", i.port + 1),
        Some(sub) => put!(
            o,
            "interface Ethernet1/{}.{sub}\n  encapsulation dot1q {sub}",
            i.port + 1
        ),
    }
    put!(
        o,
        "  description {}\n  no switchport\n  ip address {}/30",
        i.description,
        i.addr()
    );
    put!(
        o,
        "  {}\n",
        if i.shutdown {
            "shutdown"
        } else {
            "no shutdown"
        }
    );
}

fn nxos_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "interface mgmt0\n  vrf member management\n  ip address 10.255.0.{}/24\n",
        c.m.number(1, 250) + 1
    );
    put!(
        o,
        "line console\nline vty\nboot nxos bootflash:/nxos.9.3.10.bin"
    );
    put!(
        o,
        "router ospf 1\n  router-id 10.255.1.{}\n  passive-interface default",
        c.m.number(1, 250) + 1
    );
}
