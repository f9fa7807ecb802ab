//! Juniper Junos (an MX204): `user@R1> `, `configure`, `[edit]` and `user@R1# `, `commit`,
//! `---(more)---`, `set cli screen-length 0`.

use super::{Cmd, CommandDef, Errors, Login, PromptStyle, Spec, privileged, user};
use crate::cli::facts::Facts;
use crate::clock;

/// The Junos table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-OpenSSH_7.5",
    length_reply: |n| format!("Screen length set to {n}\n"),
    width_reply: "Screen width set to {n}\n",
    prompt: PromptStyle::Junos,
    user_mode: false,
    enable: None,
    pager: Some("---(more)---"),
    errors: Errors {
        caret: true,
        invalid: "syntax error.\n",
        unknown: "unknown command.\n",
        incomplete: "syntax error, expecting <command>.\n",
    },
    login: Login {
        intro: "\n{host} (ttyp0)\n\n",
        user_prompt: "login: ",
        failure: "Login incorrect\n",
    },
    banner: "",
    motd,
    show_version,
    exec: EXEC,
    config: CONFIG,
    config_accepts_any: false,
    abbreviations: true,
    config_enter: "Entering configuration mode\n",
    config_exit: "Exiting configuration mode\n",
    commit: Some("commit complete\n"),
    output_stamp: false,
    default_name: "mx",
};

static EXEC: &[CommandDef] = &[
    user("show version", Cmd::ShowVersion),
    user("show configuration", Cmd::ShowConfig),
    user("show system uptime", Cmd::Show(show_uptime)),
    user("set cli screen-length *", Cmd::PageLength),
    user("set cli screen-width *", Cmd::Width),
    user("set cli terminal *", Cmd::Accept),
    privileged("configure", Cmd::Configure),
    privileged("configure private", Cmd::Configure),
    privileged("configure exclusive", Cmd::Configure),
    user("exit", Cmd::Logout),
    user("quit", Cmd::Logout),
];

static CONFIG: &[CommandDef] = &[
    user("set system host-name *", Cmd::Hostname),
    user("set ...", Cmd::Accept),
    user("delete ...", Cmd::Accept),
    user("show", Cmd::ShowConfig),
    user("commit", Cmd::Commit),
    user("exit configuration-mode", Cmd::End),
    user("exit", Cmd::Exit),
    user("quit", Cmd::Exit),
    user("top", Cmd::Accept),
    user("run ...", Cmd::Do),
];

fn motd(_: &Facts) -> String {
    "--- JUNOS 21.4R3-S3.4 Kernel 64-bit  JNPR-12.1-20230224.5b1e8b5_buil\n".to_string()
}

fn show_version(f: &Facts) -> String {
    format!(
        "Hostname: {}\n\
         Model: mx204\n\
         Junos: 21.4R3-S3.4\n\
         JUNOS OS Kernel 64-bit  [20230224.5b1e8b5_builder_stable_12_214]\n\
         JUNOS OS libs [20230224.5b1e8b5_builder_stable_12_214]\n\
         JUNOS OS runtime [20230224.5b1e8b5_builder_stable_12_214]\n\
         JUNOS OS time zone information [20230224.5b1e8b5_builder_stable_12_214]\n\
         JUNOS network stack and utilities [20230310.024350_builder_junos_214_r3_s3]\n\
         JUNOS libs [20230310.024350_builder_junos_214_r3_s3]\n\
         JUNOS OS libs compat32 [20230224.5b1e8b5_builder_stable_12_214]\n\
         JUNOS Packet Forwarding Engine Support (MX/EX92XX Common) [21.4R3-S3.4]\n\
         JUNOS Routing Software Suite [21.4R3-S3.4]\n\
         JUNOS Crypto Software Suite [21.4R3-S3.4]\n\
         JUNOS Online Documentation [21.4R3-S3.4]\n\
         JUNOS jfirmware [21.4R3-S3.4]\n\
         JUNOS Kernel Software Suite [21.4R3-S3.4]\n\n",
        f.hostname
    )
}

fn show_uptime(f: &Facts) -> String {
    let u = f.uptime();
    format!(
        "Current time: {}\nSystem booted: {} ({}w{}d {:02}:{:02} ago)\n",
        clock::format(f.now, "%Y-%m-%d %H:%M:%S UTC"),
        clock::format(f.boot, "%Y-%m-%d %H:%M:%S UTC"),
        u.weeks,
        u.days,
        u.hours,
        u.minutes,
    )
}
