//! Cisco ASA (ASA 5516-X): `asa> `, `enable`, `asa# `, `<--- More --->`, `terminal pager 0`.

use super::{
    CISCO_CONFIG, Cmd, CommandDef, EnableSpec, Errors, Login, PromptStyle, Spec, privileged,
    silent, user,
};
use crate::cli::facts::Facts;
use crate::clock;

/// The ASA table.
pub(crate) static SPEC: Spec = Spec {
    ssh_id: "SSH-2.0-Cisco-1.25",
    length_reply: silent,
    width_reply: "",
    prompt: PromptStyle::Cisco {
        prefix: "",
        space: true,
    },
    user_mode: true,
    enable: Some(EnableSpec {
        attempts: 3,
        failure: "Invalid password\n",
    }),
    pager: Some("<--- More --->"),
    errors: Errors {
        caret: true,
        invalid: "ERROR: % Invalid input detected at '^' marker.\n",
        unknown: "ERROR: % Invalid input detected at '^' marker.\n",
        incomplete: "ERROR: % Incomplete command\n",
    },
    login: Login {
        intro: "\nUser Access Verification\n\n",
        user_prompt: "Username: ",
        failure: "Login invalid\n\n",
    },
    banner: "\nNetRaven simulated ASA firewall. Authorized access only.\n",
    motd,
    show_version,
    exec: EXEC,
    config: CISCO_CONFIG,
    config_accepts_any: true,
    abbreviations: true,
    config_enter: "",
    config_exit: "",
    commit: None,
    output_stamp: false,
    default_name: "asa",
};

static EXEC: &[CommandDef] = &[
    user("enable", Cmd::Enable),
    user("disable", Cmd::Disable),
    user("terminal pager *", Cmd::PageLength),
    user("terminal pager lines *", Cmd::PageLength),
    user("terminal width *", Cmd::Width),
    user("show version", Cmd::ShowVersion),
    privileged("show running-config", Cmd::ShowConfig),
    privileged("show startup-config", Cmd::ShowConfig),
    privileged("more system:running-config", Cmd::ShowConfig),
    privileged("configure terminal", Cmd::Configure),
    user("exit", Cmd::Logout),
    user("logout", Cmd::Logout),
    user("quit", Cmd::Logout),
];

fn motd(_: &Facts) -> String {
    "Type help or '?' for a list of available commands.\n".to_string()
}

fn show_version(f: &Facts) -> String {
    let u = f.uptime();
    let mac = f.mac_cisco();
    let ports: String = (0..8)
        .map(|i| {
            let name = if i == 0 {
                "Management1/1".to_string()
            } else {
                format!("GigabitEthernet1/{i}")
            };
            format!(" {i}: Int: {:<21}: address is {mac}, irq 255\n", name)
        })
        .collect();
    format!(
        "\nCisco Adaptive Security Appliance Software Version 9.16(4)\n\
         SSP Operating System Version 2.10(1.162)\n\
         Device Manager Version 7.18(1)\n\n\
         Compiled on Thu 01-Dec-22 11:58 GMT by builders\n\
         System image file is \"disk0:/asa9-16-4-lfbff-k8.SPA\"\n\
         Config file at boot was \"startup-config\"\n\n\
         {host} up {days} days {hours} hours\n\n\
         Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)\n\
         Internal ATA Compact Flash, 8192MB\n\
         BIOS Flash M25P64 @ 0xfed01000, 16384KB\n\n\
         {ports}\n\
         Licensed features for this platform:\n\
         Maximum Physical Interfaces       : Unlimited      perpetual\n\
         Maximum VLANs                     : 150            perpetual\n\
         Inside Hosts                      : Unlimited      perpetual\n\
         Failover                          : Active/Active  perpetual\n\
         Encryption-DES                    : Enabled        perpetual\n\
         Encryption-3DES-AES               : Enabled        perpetual\n\
         Security Contexts                 : 2              perpetual\n\n\
         This platform has an ASA5516 Security Plus license.\n\n\
         Serial Number: {serial}\n\
         Running Permanent Activation Key: 0x{key}\n\
         Configuration register is 0x1\n\
         Image type          : Release\n\
         Key Version         : A\n\
         Configuration last modified by enable_15 at {modified}\n",
        host = f.hostname,
        days = u.total_days(),
        hours = u.hours,
        serial = f.serial("JAD", 8),
        key = f.serial("", 8).to_lowercase(),
        modified = clock::format(f.boot, "%H:%M:%S.%3f UTC %a %b %-d %Y"),
    )
}
