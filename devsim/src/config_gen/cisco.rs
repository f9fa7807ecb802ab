//! Configuration syntax of Cisco IOS and IOS-XR.

use super::model::{Iface, MASK};
use super::{Ctx, Style, put};
use crate::clock;

/// Cisco IOS / IOS-XE.
pub(crate) static IOS: Style = Style {
    head: ios_head,
    header: ios_header,
    interface: ios_interface,
    trailer: ios_trailer,
};
/// Cisco IOS-XR.
pub(crate) static IOSXR: Style = Style {
    head: xr_head,
    header: xr_header,
    interface: xr_interface,
    trailer: xr_trailer,
};

fn ios_head(c: &Ctx, body: &str) -> String {
    let mut rest = String::new();
    put!(rest, "!");
    put!(
        rest,
        "! Last configuration change at {} by {}",
        clock::cisco(c.p.changed_at),
        c.p.username
    );
    put!(
        rest,
        "! NVRAM config last updated at {} by {}",
        clock::cisco(c.p.now),
        c.p.username
    );
    put!(rest, "!");
    let size = rest.len() + body.len();
    format!("Building configuration...\n\nCurrent configuration : {size} bytes\n{rest}")
}

fn ios_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "version 17.9\nservice timestamps debug datetime msec\nservice timestamps log datetime msec"
    );
    put!(
        o,
        "service password-encryption\nplatform qfp utilization monitor load 80\n!\nhostname {}\n!",
        c.p.hostname
    );
    put!(
        o,
        "boot-start-marker\nboot-end-marker\n!\nvrf definition Mgmt-intf\n address-family ipv4\n exit-address-family\n!"
    );
    put!(
        o,
        "logging buffered 64000 informational\nenable secret 9 $9${}${}\n!",
        c.m.hash(1, 14),
        c.m.hash(2, 43)
    );
    put!(
        o,
        "aaa new-model\naaa authentication login default local\naaa authorization exec default local\n!"
    );
    put!(
        o,
        "clock timezone UTC 0 0\nip domain name lab.example.net\nip name-server 10.255.0.53\n!"
    );
    put!(
        o,
        "username admin privilege 15 secret 9 $9${}${}",
        c.m.hash(3, 14),
        c.m.hash(4, 43)
    );
    put!(
        o,
        "username {} privilege 15 secret 9 $9${}${}\n!",
        c.p.username,
        c.m.hash(5, 14),
        c.m.hash(6, 43)
    );
    put!(
        o,
        "interface Loopback0\n ip address 10.255.1.{} 255.255.255.255\n!",
        c.m.number(1, 250) + 1
    );
}

fn ios_name(i: &Iface) -> String {
    match i.sub {
        None => format!("GigabitEthernet0/{}", i.port),
        Some(sub) => format!("GigabitEthernet0/{}.{sub}", i.port),
    }
}

fn ios_interface(_: &Ctx, i: &Iface, o: &mut String) {
    put!(
        o,
        "interface {}\n description {}",
        ios_name(i),
        i.description
    );
    if let Some(sub) = i.sub {
        put!(o, " encapsulation dot1Q {sub}");
    }
    put!(o, " ip address {} {MASK}", i.addr());
    o.push_str(if i.shutdown {
        " shutdown\n!\n"
    } else if i.sub.is_none() {
        " negotiation auto\n!\n"
    } else {
        "!\n"
    });
}

fn ios_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "router ospf 1\n router-id 10.255.1.{}\n passive-interface default",
        c.m.number(1, 250) + 1
    );
    put!(
        o,
        " network 10.0.0.0 0.255.255.255 area 0\n!\nip forward-protocol nd\nip ssh version 2"
    );
    put!(
        o,
        "ip route 0.0.0.0 0.0.0.0 10.0.0.2\n!\nip access-list standard SNMP-RO\n permit 10.255.0.0 0.0.0.255\n!"
    );
    put!(
        o,
        "snmp-server community {} RO SNMP-RO\nsnmp-server community {} RW SNMP-RO",
        c.m.word(1, 12),
        c.m.word(2, 14)
    );
    put!(
        o,
        "snmp-server location DC{} row {}\nsnmp-server contact noc@example.net\n!",
        c.m.number(2, 9) + 1,
        c.m.number(3, 20) + 1
    );
    put!(
        o,
        "tacacs server TAC1\n address ipv4 10.255.0.49\n key 7 {}\n!",
        c.m.hex(7, 22).to_uppercase()
    );
    put!(
        o,
        "line con 0\n exec-timeout 15 0\nline vty 0 4\n exec-timeout 15 0\n transport input ssh\n!"
    );
    put!(o, "ntp server 10.255.0.123\n!\nend");
}

fn xr_head(c: &Ctx, _: &str) -> String {
    format!(
        "Building configuration...\n!! IOS XR Configuration 7.5.2\n!! Last configuration change at {} by {}\n!\n",
        clock::format(c.p.changed_at, "%a %b %e %H:%M:%S %Y"),
        c.p.username,
    )
}

fn xr_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "hostname {}\nclock timezone UTC UTC\nlogging console informational\ndomain name lab.example.net",
        c.p.hostname
    );
    put!(
        o,
        "username admin\n group root-lr\n group cisco-support\n secret 10 $6${}${}\n!",
        c.m.hash(3, 16),
        c.m.hash(4, 86)
    );
    put!(
        o,
        "username {}\n group root-lr\n secret 10 $6${}${}\n!",
        c.p.username,
        c.m.hash(5, 16),
        c.m.hash(6, 86)
    );
    put!(
        o,
        "line default\n exec-timeout 15 0\n transport input ssh\n!"
    );
    put!(
        o,
        "interface MgmtEth0/RP0/CPU0/0\n ipv4 address 10.255.0.{} 255.255.255.0\n!",
        c.m.number(1, 250) + 1
    );
}

fn xr_interface(_: &Ctx, i: &Iface, o: &mut String) {
    match i.sub {
        None => put!(o, "interface GigabitEthernet0/0/0/{}", i.port),
        Some(sub) => put!(o, "interface GigabitEthernet0/0/0/{}.{sub}", i.port),
    }
    put!(
        o,
        " description {}\n ipv4 address {} {MASK}",
        i.description,
        i.addr()
    );
    if let Some(sub) = i.sub {
        put!(o, " encapsulation dot1q {sub}");
    }
    o.push_str(if i.shutdown { " shutdown\n!\n" } else { "!\n" });
}

fn xr_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "router static\n address-family ipv4 unicast\n  0.0.0.0/0 10.0.0.2\n !\n!"
    );
    put!(
        o,
        "snmp-server community {} RO\nsnmp-server community {} RW",
        c.m.word(1, 12),
        c.m.word(2, 14)
    );
    put!(o, "ssh server v2\nssh server vrf default\nend");
}
