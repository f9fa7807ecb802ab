//! Cisco NX-OS (a Nexus 9000v): logs in privileged (`switch# `), ` --More-- `.

use super::{CISCO_CONFIG, CISCO_EXEC, Errors, Login, PromptStyle, Spec, silent};
use crate::cli::facts::Facts;
use crate::clock;

/// The NX-OS table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-OpenSSH_8.3",
    length_reply: silent,
    width_reply: "",
    prompt: PromptStyle::Cisco {
        prefix: "",
        space: true,
    },
    user_mode: false,
    enable: None,
    pager: Some(" --More-- "),
    errors: Errors {
        caret: true,
        invalid: "% Invalid command at '^' marker.\n",
        unknown: "% Invalid command at '^' marker.\n",
        incomplete: "% Incomplete command at '^' marker.\n",
    },
    login: Login {
        intro: "\nUser Access Verification\n",
        user_prompt: "{host} login: ",
        failure: "Login incorrect\n",
    },
    banner: "\nNetRaven simulated Nexus switch. Authorized access only.\n",
    motd,
    show_version,
    exec: CISCO_EXEC,
    config: CISCO_CONFIG,
    config_accepts_any: true,
    abbreviations: true,
    config_enter: "Enter configuration commands, one per line. End with CNTL/Z.\n",
    config_exit: "",
    commit: None,
    output_stamp: false,
    default_name: "switch",
};

fn motd(_: &Facts) -> String {
    "\nCisco NX-OS Software\n\
     Copyright (c) 2002-2023, Cisco Systems, Inc. All rights reserved.\n\
     Nexus 9000v software (\"Nexus 9000v Software\") and related documentation,\n\
     files or other reference materials (\"Documentation\") are\n\
     the proprietary property and confidential information of Cisco\n\
     Systems, Inc. (\"Cisco\") and are protected, without limitation,\n\
     pursuant to United States and International copyright and trademark\n\
     laws in the applicable jurisdiction which provide civil and criminal\n\
     penalties for copying or distribution without Cisco's authorization.\n"
        .to_string()
}

fn show_version(f: &Facts) -> String {
    let u = f.uptime();
    let (days, hours, minutes, seconds) = (u.total_days(), u.hours, u.minutes, u.seconds);
    let reset = clock::format(f.boot, "%a %b %e %H:%M:%S %Y");
    format!(
        "Cisco Nexus Operating System (NX-OS) Software\n\
         TAC support: http://www.cisco.com/tac\n\
         Documents: http://www.cisco.com/en/US/products/ps9372/tsd_products_support_series_home.html\n\
         Copyright (c) 2002-2023, Cisco Systems, Inc. All rights reserved.\n\
         The copyrights to certain works contained herein are owned by\n\
         other third parties and are used and distributed under license.\n\n\
         Software\n  BIOS: version \n  NXOS: version 9.3(10)\n  BIOS compile time:  \n\
         \x20 NXOS image file is: bootflash:///nxos.9.3.10.bin\n\
         \x20 NXOS compile time:  12/21/2022 16:00:00 [12/22/2022 02:04:31]\n\n\n\
         Hardware\n  cisco Nexus9000 C9300v Chassis \n\
         \x20 Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz with 16409064 kB of memory.\n\
         \x20 Processor Board ID {serial}\n\n\
         \x20 Device name: {host}\n  bootflash:    4287040 kB\n\
         Kernel uptime is {days} day(s), {hours} hour(s), {minutes} minute(s), {seconds} second(s)\n\n\
         Last reset at 482915 usecs after {reset}\n  Reason: Reset Requested by CLI command reload\n\
         \x20 System version: 9.3(10)\n  Service: \n\n\
         plugin\n  Core Plugin, Ethernet Plugin\n\n\
         Active Package(s):\n\n",
        serial = f.serial("9", 10),
        host = f.hostname,
    )
}
