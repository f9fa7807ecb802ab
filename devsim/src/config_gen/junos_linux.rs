//! Configuration syntax of Juniper Junos (`show configuration`) and a Linux host's
//! `/etc/network/interfaces`.

use super::model::Iface;
use super::{Ctx, Style, put};
use crate::clock;

/// Juniper Junos.
pub(crate) static JUNOS: Style = Style {
    head: junos_head,
    header: junos_header,
    interface: junos_interface,
    trailer: junos_trailer,
};
/// A Debian-style Linux host.
pub(crate) static LINUX: Style = Style {
    head: linux_head,
    header: linux_header,
    interface: linux_interface,
    trailer: linux_trailer,
};

fn junos_head(c: &Ctx, _: &str) -> String {
    format!(
        "## Last commit: {} by {}\n",
        clock::format(c.p.changed_at, "%Y-%m-%d %H:%M:%S UTC"),
        c.p.username
    )
}

fn junos_user(o: &mut String, name: &str, uid: u32, hash: String) {
    put!(
        o,
        "        user {name} {{\n            uid {uid};\n            class super-user;\n            authentication {{"
    );
    put!(
        o,
        "                encrypted-password \"{hash}\"; ## SECRET-DATA\n            }}\n        }}"
    );
}

fn junos_header(c: &Ctx, o: &mut String) {
    put!(
        o,
        "version 21.4R3-S3.4;\nsystem {{\n    host-name {};\n    root-authentication {{",
        c.p.hostname
    );
    put!(
        o,
        "        encrypted-password \"$6${}${}\"; ## SECRET-DATA\n    }}\n    login {{",
        c.m.hash(1, 16),
        c.m.hash(2, 86)
    );
    junos_user(
        o,
        "admin",
        2000,
        format!("$6${}${}", c.m.hash(3, 16), c.m.hash(4, 86)),
    );
    junos_user(
        o,
        &c.p.username,
        2001,
        format!("$6${}${}", c.m.hash(5, 16), c.m.hash(6, 86)),
    );
    put!(
        o,
        "    }}\n    services {{\n        ssh;\n        netconf {{\n            ssh;\n        }}\n    }}"
    );
    put!(
        o,
        "    syslog {{\n        file messages {{\n            any notice;\n        }}\n    }}"
    );
    put!(
        o,
        "    ntp {{\n        server 10.255.0.123;\n    }}\n}}\ninterfaces {{"
    );
}

fn junos_interface(_: &Ctx, i: &Iface, o: &mut String) {
    let n = i.index;
    put!(
        o,
        "    ge-{}/{}/{} {{\n        description \"{}\";",
        n / 480,
        n / 48 % 10,
        i.port,
        i.description
    );
    if i.shutdown {
        put!(o, "        disable;");
    }
    put!(
        o,
        "        unit 0 {{\n            family inet {{\n                address {}/30;",
        i.addr()
    );
    put!(o, "            }}\n        }}\n    }}");
}

fn junos_trailer(c: &Ctx, o: &mut String) {
    put!(
        o,
        "}}\nsnmp {{\n    location \"DC{}\";\n    contact \"noc@example.net\";",
        c.m.number(2, 9) + 1
    );
    put!(
        o,
        "    community {} {{\n        authorization read-only;\n        clients {{",
        c.m.word(1, 12)
    );
    put!(o, "            10.255.0.0/24;\n        }}\n    }}\n}}");
    put!(
        o,
        "routing-options {{\n    static {{\n        route 0.0.0.0/0 next-hop 10.0.0.2;\n    }}\n}}"
    );
}

fn linux_head(_: &Ctx, _: &str) -> String {
    "# This file describes the network interfaces available on your system\n\
     # and how to activate them. For more information, see interfaces(5).\n\n\
     source /etc/network/interfaces.d/*\n\n"
        .to_string()
}

fn linux_header(_: &Ctx, o: &mut String) {
    put!(
        o,
        "# The loopback network interface\nauto lo\niface lo inet loopback\n"
    );
}

/// The Linux name of an interface: `eth3`, or `eth3.101` for a VLAN.
pub(crate) fn linux_name(i: &Iface) -> String {
    match i.sub {
        None => format!("eth{}", i.port),
        Some(sub) => format!("eth{}.{sub}", i.port),
    }
}

fn linux_interface(_: &Ctx, i: &Iface, o: &mut String) {
    let name = linux_name(i);
    let auto = if i.shutdown { "#auto" } else { "auto" };
    put!(
        o,
        "# {}\n{auto} {name}\niface {name} inet static\n    address {}/30",
        i.description,
        i.addr()
    );
    if i.index == 0 {
        put!(o, "    gateway {}", i.peer());
    }
    if i.sub.is_some() {
        put!(o, "    vlan-raw-device eth{}", i.port);
    }
    put!(o, "");
}

fn linux_trailer(_: &Ctx, o: &mut String) {
    put!(o, "# Management\nauto mgmt0\niface mgmt0 inet dhcp");
}
