//! Cisco IOS-XE (a Catalyst 8000V): `R1>`, `enable`, `R1#`, ` --More-- `.

use super::{
    CISCO_CONFIG, CISCO_EXEC, CISCO_LOGIN, EnableSpec, PromptStyle, Spec, caret_errors, no_motd,
    silent,
};
use crate::cli::facts::Facts;
use crate::clock;

/// The IOS table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-Cisco-1.25",
    length_reply: silent,
    width_reply: "",
    prompt: PromptStyle::Cisco {
        prefix: "",
        space: false,
    },
    user_mode: true,
    enable: Some(EnableSpec {
        attempts: 3,
        failure: "% Bad secrets\n\n",
    }),
    pager: Some(" --More-- "),
    errors: caret_errors(
        "% Invalid input detected at '^' marker.\n\n",
        "% Incomplete command.\n\n",
    ),
    login: CISCO_LOGIN,
    banner: "\n**************************************************************\n\
             *  NetRaven simulated router. Authorized access only.        *\n\
             *  Disconnect now if you are not an authorized user.         *\n\
             **************************************************************\n",
    motd: no_motd,
    show_version,
    exec: CISCO_EXEC,
    config: CISCO_CONFIG,
    config_accepts_any: true,
    abbreviations: true,
    config_enter: "Enter configuration commands, one per line.  End with CNTL/Z.\n",
    config_exit: "",
    commit: None,
    output_stamp: false,
    default_name: "R",
};

fn show_version(f: &Facts) -> String {
    let host = &f.hostname;
    let uptime = f.uptime().cisco();
    let restarted = clock::cisco(f.boot);
    let serial = f.serial("9", 10);
    format!(
        "Cisco IOS XE Software, Version 17.09.04a\n\
         Cisco IOS Software [Cupertino], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)\n\
         Technical Support: http://www.cisco.com/techsupport\n\
         Copyright (c) 1986-2023 by Cisco Systems, Inc.\n\
         Compiled Fri 20-Oct-23 10:44 by mcpre\n\n\n\
         Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.\n\
         All rights reserved.  Certain components of Cisco IOS-XE software are\n\
         licensed under the GNU General Public License (\"GPL\") Version 2.0.\n\n\
         ROM: IOS-XE ROMMON\n\n\
         {host} uptime is {uptime}\n\
         Uptime for this control processor is {uptime}\n\
         System returned to ROM by reload\n\
         System restarted at {restarted}\n\
         System image file is \"bootflash:packages.conf\"\n\
         Last reload reason: reload\n\n\n\
         This product contains cryptographic features and is subject to United\n\
         States and local country laws governing import, export, transfer and\n\
         use. Delivery of Cisco cryptographic products does not imply\n\
         third-party authority to import, export, distribute or use encryption.\n\n\
         License Level: network-advantage\n\
         License Type: Perpetual\n\
         Next reload license Level: network-advantage\n\n\
         cisco C8000V (VXE) processor (revision VXE) with 2028465K/3075K bytes of memory.\n\
         Processor board ID {serial}\n\
         Router operating mode: Autonomous\n\
         4 Gigabit Ethernet interfaces\n\
         32768K bytes of non-volatile configuration memory.\n\
         3965328K bytes of physical memory.\n\
         11526144K bytes of virtual hard disk at bootflash:.\n\n\
         Configuration register is 0x2102\n\n"
    )
}
