//! A Debian Linux host with bash: `user@host:~$ `, `cat` of a few files, `ip`, `uname`.

use super::{Cmd, CommandDef, Errors, Login, PromptStyle, Spec, silent, user};
use crate::cli::facts::Facts;
use crate::clock;
use crate::config_gen::linux_name;
use crate::config_gen::model::{Model, PORTS};

/// The Linux table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2",
    length_reply: silent,
    width_reply: "",
    prompt: PromptStyle::Linux,
    user_mode: false,
    enable: None,
    pager: None,
    errors: Errors {
        caret: false,
        invalid: "bash: {cmd}: command not found\n",
        unknown: "bash: {cmd}: command not found\n",
        incomplete: "",
    },
    login: Login {
        intro: "Debian GNU/Linux 12\n",
        user_prompt: "{host} login: ",
        failure: "\nLogin incorrect\n",
    },
    banner: "",
    motd,
    show_version: uname,
    exec: EXEC,
    config: &[],
    config_accepts_any: false,
    abbreviations: false,
    config_enter: "",
    config_exit: "",
    commit: None,
    output_stamp: false,
    default_name: "host",
};

static EXEC: &[CommandDef] = &[
    user("cat /etc/network/interfaces", Cmd::ShowConfig),
    user("cat *", Cmd::Cat(file)),
    user("uname -a", Cmd::Show(uname)),
    user("uname", Cmd::Show(|_| "Linux\n".to_string())),
    user("hostname", Cmd::Show(|f| format!("{}\n", f.hostname))),
    user("whoami", Cmd::Show(|f| format!("{}\n", f.username))),
    user("ip address show", Cmd::Show(ip_address)),
    user("ip addr show", Cmd::Show(ip_address)),
    user("ip address", Cmd::Show(ip_address)),
    user("ip addr", Cmd::Show(ip_address)),
    user("ip a", Cmd::Show(ip_address)),
    user("ip route show", Cmd::Show(ip_route)),
    user("ip route", Cmd::Show(ip_route)),
    user("ip r", Cmd::Show(ip_route)),
    user("echo ...", Cmd::Echo),
    user("echo", Cmd::Echo),
    user("exit", Cmd::Logout),
    user("logout", Cmd::Logout),
];

/// The small files `cat` shows; `None` for a file that does not exist.
fn file(f: &Facts, path: &str) -> Option<String> {
    let host = &f.hostname;
    match path {
        "/etc/hostname" => Some(format!("{host}\n")),
        "/etc/hosts" => Some(format!(
            "127.0.0.1\tlocalhost\n127.0.1.1\t{host}.lab.example.net\t{host}\n\n\
             # The following lines are desirable for IPv6 capable hosts\n\
             ::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"
        )),
        "/etc/os-release" => Some(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n\
             VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"
                .to_string(),
        ),
        "/etc/snmp/snmpd.conf" => Some(format!(
            "sysLocation    DC1 row 4\nsysContact     noc@example.net\nagentAddress  udp:161\n\
             rocommunity {} 10.255.0.0/24\nrwcommunity {} 10.255.0.10\n",
            Model::new(f.seed, 0).word(1, 12),
            Model::new(f.seed, 0).word(2, 14),
        )),
        _ => None,
    }
}

fn motd(f: &Facts) -> String {
    format!(
        "{}\nThe programs included with the Debian GNU/Linux system are free software;\n\
         the exact distribution terms for each program are described in the\n\
         individual files in /usr/share/doc/*/copyright.\n\n\
         Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\n\
         permitted by applicable law.\n\
         Last login: {} from 10.255.0.10\n",
        uname(f),
        clock::format(f.now - 3_600, "%a %b %e %H:%M:%S %Y"),
    )
}

fn uname(f: &Facts) -> String {
    format!(
        "Linux {} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n",
        f.hostname
    )
}

fn ip_address(f: &Facts) -> String {
    let mut out = String::from(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    \
         link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       \
         valid_lft forever preferred_lft forever\n",
    );
    let model = Model::new(f.seed, 0);
    let lifetime = 86_400 - (f.now - f.boot).rem_euclid(86_400);
    let mac = f.mac_colons();
    for n in 0..4.min(PORTS) {
        let i = model.iface(n);
        let name = linux_name(&i);
        let state = if i.shutdown { "DOWN" } else { "UP" };
        out.push_str(&format!(
            "{}: {name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state {state} group default qlen 1000\n    \
             link/ether {mac} brd ff:ff:ff:ff:ff:ff\n    inet {}/30 brd {} scope global dynamic {name}\n       \
             valid_lft {lifetime}sec preferred_lft {lifetime}sec\n",
            n + 2,
            i.addr(),
            i.peer(),
        ));
    }
    out
}

fn ip_route(f: &Facts) -> String {
    let first = Model::new(f.seed, 0).iface(0);
    format!(
        "default via {} dev eth0 onlink\n10.0.0.0/30 dev eth0 proto kernel scope link src {}\n",
        first.peer(),
        first.addr()
    )
}
