//! Telnet: option negotiation seen from a raw TCP client, the platforms' login dialogues,
//! failed logins, and a command.

mod common;

use std::time::Duration;

use common::fleet;
use common::telnet::{DO, DONT, ECHO, IAC, NAWS, SGA, TelnetClient, WILL};
use netraven_devsim::Platform;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ios_telnet_negotiates_logs_in_and_runs_a_command() {
    let fleet = fleet(1, &[Platform::CiscoIos], |c| c.devices[0].telnet = true).await;
    let info = &fleet.devices()[0];
    let mut t = TelnetClient::connect(info.telnet_port.expect("telnet port")).await;
    t.send_raw(&[IAC, WILL, NAWS]).await;
    let banner = t.until("Username: ").await;
    assert!(banner.contains("User Access Verification"), "{banner:?}");
    assert!(
        t.negotiation.contains(&(WILL, ECHO)) && t.negotiation.contains(&(WILL, SGA)),
        "{:?}",
        t.negotiation
    );
    t.line(&info.username).await;
    t.until("Password: ").await;
    t.line("wrong").await;
    let out = t.until("Username: ").await;
    assert!(out.contains("% Authentication failed"), "{out:?}");
    assert!(
        t.negotiation.contains(&(DONT, NAWS)),
        "the server refuses NAWS: {:?}",
        t.negotiation
    );
    t.line(&info.username).await;
    let echoed = t.until("Password: ").await;
    assert!(echoed.contains(&info.username), "the user name is echoed");
    t.line(&info.password).await;
    t.until("R1>").await;
    t.line("terminal length 0").await;
    t.until("R1>").await;
    t.line("show version").await;
    let out = t.until("R1>").await;
    assert!(out.contains("Cisco IOS XE Software"), "{out:?}");
    assert!(!out.contains(&info.password), "the password is not echoed");
    t.line("exit").await;
    assert!(t.closed_within(Duration::from_secs(5)).await);
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junos_and_linux_use_login_prompts() {
    let fleet = fleet(2, &[Platform::JuniperJunos, Platform::Linux], |c| {
        for d in &mut c.devices {
            d.telnet = true;
            d.ssh = false;
        }
    })
    .await;
    let cases = [
        (0, "login: ", "netraven@mx1> ", "show version", "Junos: "),
        (
            1,
            "host2 login: ",
            "netraven@host2:~$ ",
            "cat /etc/hostname",
            "host2\r\n",
        ),
    ];
    for (i, login, prompt, command, expect) in cases {
        let info = &fleet.devices()[i];
        assert_eq!(info.ssh_port, None);
        let mut t = TelnetClient::connect(info.telnet_port.expect("telnet port")).await;
        t.until(login).await;
        t.line(&info.username).await;
        t.until("Password: ").await;
        t.line(&info.password).await;
        t.until(prompt).await;
        t.line(command).await;
        let out = t.until(prompt).await;
        assert!(out.contains(expect), "{}: {out:?}", info.platform);
        t.send_raw(&[IAC, DO, 99]).await;
        t.line("exit").await;
        assert!(t.closed_within(Duration::from_secs(5)).await);
    }
    fleet.shutdown().await;
}
