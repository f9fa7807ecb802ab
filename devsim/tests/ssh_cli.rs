//! The CLI over SSH (russh client): login, prompts, enable, paging, configuration mode, host
//! name changes, error texts per platform, and the exec channel.

mod common;

use common::{Shell, exec, fleet};
use netraven_devsim::Platform;

/// The first prompt of device `i` of a `mixed` fleet (default names, user `netraven`).
const PROMPTS: [&str; 7] = [
    "R1>",
    "switch2# ",
    "RP/0/RP0/CPU0:xr3#",
    "asa4> ",
    "sw5>",
    "netraven@mx6> ",
    "netraven@host7:~$ ",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ios_login_enable_config_mode_and_hostname_change() {
    let fleet = fleet(1, &[Platform::CiscoIos], |_| {}).await;
    let info = &fleet.devices()[0];
    let mut sh = Shell::open(info).await;
    sh.until("R1>").await;
    let out = sh.cmd("enable", "Password: ").await;
    assert!(
        out.contains("enable\r\n"),
        "typed characters are echoed: {out:?}"
    );
    sh.send("wrong\r").await;
    sh.until("Password: ").await;
    sh.send("wrong\r").await;
    sh.until("Password: ").await;
    let out = sh.cmd("wrong", "R1>").await;
    assert!(out.contains("% Bad secrets"), "{out:?}");
    sh.cmd("enable", "Password: ").await;
    sh.cmd(&info.enable_secret, "R1#").await;
    let out = sh.cmd("configure terminal", "R1(config)#").await;
    assert!(out.contains("Enter configuration commands"), "{out:?}");
    sh.cmd("interface GigabitEthernet0/1", "R1(config-if)#")
        .await;
    sh.cmd(" description changed by test", "R1(config-if)#")
        .await;
    sh.cmd("exit", "R1(config)#").await;
    sh.cmd("hostname EDGE1", "EDGE1(config)#").await;
    sh.cmd("end", "EDGE1#").await;
    assert_eq!(
        fleet.device(0).map(|d| d.hostname()),
        Some("EDGE1".to_string())
    );
    sh.cmd("terminal length 0", "EDGE1#").await;
    let config = sh.cmd("show running-config", "EDGE1#").await;
    assert!(
        config.contains("\r\nhostname EDGE1\r\n"),
        "the configuration follows the host name"
    );
    sh.send("exit\r").await;
    let _ = sh.drain_for(std::time::Duration::from_secs(2)).await;
    assert!(sh.closed, "exit closes the session");
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eos_wrong_enable_secret_is_denied() {
    let fleet = fleet(1, &[Platform::AristaEos], |_| {}).await;
    let mut sh = Shell::open(&fleet.devices()[0]).await;
    sh.until("sw1>").await;
    sh.cmd("enable", "Password: ").await;
    let out = sh.cmd("nope", "sw1>").await;
    assert!(out.contains("% Access denied"), "{out:?}");
    sh.cmd("enable", "Password: ").await;
    sh.cmd("enable", "sw1#").await;
    sh.cmd("disable", "sw1>").await;
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_get_each_platforms_error() {
    let fleet = fleet(7, &Platform::ALL, |_| {}).await;
    let expected = [
        "% Invalid input detected at '^' marker.",
        "% Invalid command at '^' marker.",
        "% Invalid input detected at '^' marker.",
        "ERROR: % Invalid input detected at '^' marker.",
        "% Invalid input",
        "unknown command.",
        "bash: bogus: command not found",
    ];
    for (i, info) in fleet.devices().iter().enumerate() {
        let mut sh = Shell::open(info).await;
        let prompt = PROMPTS[i];
        sh.until(prompt).await;
        let out = sh.cmd("bogus command", prompt).await;
        assert!(out.contains(expected[i]), "{}: {out:?}", info.platform);
        if let Some(caret) = out.lines().find(|l| l.trim() == "^") {
            let prompt_line = prompt.rsplit('\n').next().unwrap_or(prompt);
            assert_eq!(
                caret.find('^'),
                Some(prompt_line.len()),
                "{}: caret under the bad word",
                info.platform
            );
        }
    }
    let mut junos = Shell::open(&fleet.devices()[5]).await;
    junos.until(PROMPTS[5]).await;
    let out = junos.cmd("show bogus", PROMPTS[5]).await;
    assert!(out.contains("syntax error."), "{out:?}");
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_with_each_platforms_pager_and_without() {
    let fleet = fleet(7, &Platform::ALL, |_| {}).await;
    // (device, needs enable, privileged prompt, pager, paging-off command, last configuration line)
    let cases = [
        (
            0,
            true,
            "R1#",
            " --More-- ",
            "terminal length 0",
            "\r\nend\r\n",
        ),
        (
            1,
            false,
            "switch2# ",
            " --More-- ",
            "terminal length 0",
            "passive-interface default\r\n",
        ),
        (
            2,
            false,
            "RP/0/RP0/CPU0:xr3#",
            " --More-- ",
            "terminal length 0",
            "\r\nend\r\n",
        ),
        (
            3,
            true,
            "asa4# ",
            "<--- More --->",
            "terminal pager 0",
            "\r\n: end\r\n",
        ),
        (
            4,
            true,
            "sw5#",
            " --More-- ",
            "terminal length 0",
            "\r\nend\r\n",
        ),
        (
            5,
            false,
            "netraven@mx6> ",
            "---(more)---",
            "set cli screen-length 0",
            "next-hop 10.0.0.2;\r\n    }\r\n}\r\n",
        ),
    ];
    for (i, enable, prompt, pager, off, last) in cases {
        let info = &fleet.devices()[i];
        let command = info.platform.config_command();
        let mut sh = Shell::open(info).await;
        sh.until(PROMPTS[i]).await;
        if enable {
            sh.cmd("enable", "Password: ").await;
            sh.cmd(&info.enable_secret, prompt).await;
        }
        let first = sh.cmd(command, pager).await;
        assert!(
            first.lines().count() >= 24,
            "{}: a full page first",
            info.platform
        );
        sh.send(" ").await;
        sh.until(pager).await;
        sh.send("q").await;
        sh.until(prompt).await;
        sh.cmd(off, prompt).await;
        let all = sh.cmd(command, prompt).await;
        assert!(
            !all.contains(pager.trim()),
            "{}: no pager after `{off}`",
            info.platform
        );
        assert!(
            all.ends_with(&format!("{last}{prompt}")),
            "{}: whole configuration, then the prompt",
            info.platform
        );
    }
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_based_platforms_rename_on_commit() {
    let fleet = fleet(6, &Platform::ALL[..6], |_| {}).await;
    let mut xr = Shell::open(&fleet.devices()[2]).await;
    xr.until("xr3#").await;
    xr.cmd("configure", "RP/0/RP0/CPU0:xr3(config)#").await;
    xr.cmd("hostname PE9", "RP/0/RP0/CPU0:xr3(config)#").await;
    xr.cmd("commit", "RP/0/RP0/CPU0:PE9(config)#").await;
    xr.cmd("end", "RP/0/RP0/CPU0:PE9#").await;
    let mut junos = Shell::open(&fleet.devices()[5]).await;
    junos.until("netraven@mx6> ").await;
    let out = junos.cmd("configure", "netraven@mx6# ").await;
    assert!(
        out.contains("Entering configuration mode\r\n\r\n[edit]\r\n"),
        "{out:?}"
    );
    junos
        .cmd("set system host-name core9", "netraven@mx6# ")
        .await;
    let out = junos.cmd("commit", "netraven@core9# ").await;
    assert!(out.contains("commit complete"), "{out:?}");
    junos
        .cmd("exit configuration-mode", "netraven@core9> ")
        .await;
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_channel_runs_one_command_with_exit_status() {
    let fleet = fleet(7, &Platform::ALL, |_| {}).await;
    let d = fleet.devices();
    let (out, status) = exec(&d[0], "show version").await;
    assert_eq!(status, Some(0));
    assert!(String::from_utf8_lossy(&out).contains("Cisco IOS XE Software, Version 17.09.04a\r\n"));
    let (out, status) = exec(&d[0], "bogus").await;
    assert_eq!(status, Some(127));
    assert!(String::from_utf8_lossy(&out).contains("% Invalid input"));
    let (out, status) = exec(&d[3], "show running-config").await;
    assert_eq!(status, Some(0), "exec runs privileged");
    assert!(String::from_utf8_lossy(&out).contains("ASA Version 9.16(4)"));
    let (out, _) = exec(&d[5], "show version").await;
    assert!(String::from_utf8_lossy(&out).contains("Junos: 21.4R3-S3.4"));
    let (out, status) = exec(&d[6], "uname -a").await;
    assert_eq!(status, Some(0));
    assert!(String::from_utf8_lossy(&out).starts_with("Linux host7 6.1.0-18-amd64"));
    assert_eq!(exec(&d[6], "cat /etc/nothing").await.1, Some(1));
    assert_eq!(exec(&d[6], "frobnicate").await.1, Some(127));
    fleet.shutdown().await;
}
