//! Arista EOS (a 7280R): `sw1>`, `enable`, `sw1#`, ` --More-- `, `% Invalid input`.

use super::{CISCO_CONFIG, CISCO_EXEC, CISCO_LOGIN, EnableSpec, Errors, PromptStyle, Spec};
use crate::cli::facts::Facts;
use crate::clock;

/// The EOS table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-OpenSSH_7.8",
    length_reply: |n| {
        if n == "0" {
            "Pagination disabled.\n".into()
        } else {
            format!("Pagination set to {n} lines.\n")
        }
    },
    width_reply: "Width set to {n} columns.\n",
    prompt: PromptStyle::Cisco {
        prefix: "",
        space: false,
    },
    user_mode: true,
    enable: Some(EnableSpec {
        attempts: 1,
        failure: "% Access denied\n",
    }),
    pager: Some(" --More-- "),
    errors: Errors {
        caret: false,
        invalid: "% Invalid input\n",
        unknown: "% Invalid input\n",
        incomplete: "% Incomplete command\n",
    },
    login: CISCO_LOGIN,
    banner: "",
    motd,
    show_version,
    exec: CISCO_EXEC,
    config: CISCO_CONFIG,
    config_accepts_any: true,
    abbreviations: true,
    config_enter: "",
    config_exit: "",
    commit: None,
    output_stamp: false,
    default_name: "sw",
};

fn motd(f: &Facts) -> String {
    format!(
        "Last login: {} from 10.255.0.10\n",
        clock::format(f.now - 3_600, "%a %b %e %H:%M:%S %Y")
    )
}

fn show_version(f: &Facts) -> String {
    let u = f.uptime();
    format!(
        "Arista DCS-7280SR-48C6-F\n\
         Hardware version: 11.02\n\
         Serial number: {serial}\n\
         Hardware MAC address: {mac}\n\
         System MAC address: {mac}\n\n\
         Software image version: 4.30.2F\n\
         Architecture: x86_64\n\
         Internal build version: 4.30.2F-33092737.4302F\n\
         Image format version: 3.0\n\
         Image optimization: Strata-4GB\n\n\
         Uptime: {weeks} weeks, {days} days, {hours} hours and {minutes} minutes\n\
         Total memory: 8099984 kB\n\
         Free memory: 5619720 kB\n\n",
        serial = f.serial("JPE", 8),
        mac = f.mac_cisco(),
        weeks = u.weeks,
        days = u.days,
        hours = u.hours,
        minutes = u.minutes,
    )
}
