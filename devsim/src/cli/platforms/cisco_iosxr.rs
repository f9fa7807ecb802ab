//! Cisco IOS-XR (an XRv 9000): `RP/0/RP0/CPU0:R1#`, no user mode, `commit`, a time stamp before
//! each `show` output.

use super::{
    CISCO_CONFIG, CISCO_EXEC, CISCO_LOGIN, PromptStyle, Spec, caret_errors, no_motd, silent,
};
use crate::cli::facts::Facts;

/// The IOS-XR table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-Cisco-2.0",
    length_reply: silent,
    width_reply: "",
    prompt: PromptStyle::Cisco {
        prefix: "RP/0/RP0/CPU0:",
        space: false,
    },
    user_mode: false,
    enable: None,
    pager: Some(" --More-- "),
    errors: caret_errors(
        "% Invalid input detected at '^' marker.\n",
        "% Incomplete command.\n",
    ),
    login: CISCO_LOGIN,
    banner: "\nNetRaven simulated IOS XR router. Authorized access only.\n",
    motd: no_motd,
    show_version,
    exec: CISCO_EXEC,
    config: CISCO_CONFIG,
    config_accepts_any: true,
    abbreviations: true,
    config_enter: "",
    config_exit: "",
    commit: Some(""),
    output_stamp: true,
    default_name: "xr",
};

fn show_version(f: &Facts) -> String {
    format!(
        "\nCisco IOS XR Software, Version 7.5.2\n\
         Copyright (c) 2013-2022 by Cisco Systems, Inc.\n\n\
         Build Information:\n\
         \x20Built By     : ingunawa\n\
         \x20Built On     : Tue Jun 14 08:04:51 PDT 2022\n\
         \x20Built Host   : iox-ucs-060\n\
         \x20Workspace    : /auto/srcarchive17/prod/7.5.2/xrv9k/ws\n\
         \x20Version      : 7.5.2\n\
         \x20Location     : /opt/cisco/XR/packages/\n\
         \x20Label        : 7.5.2\n\n\
         cisco IOS-XRv 9000 () processor\n\
         System uptime is {}\n\n",
        f.uptime().cisco()
    )
}
