"""Checks that Netmiko accepts simulated devices: it starts `devsim` (one device per platform,
SSH and Telnet), then for each platform logs in with Netmiko, enters enable mode where the
platform has one, and backs up the configuration.

Not part of `cargo test` (it needs Python and Netmiko):

    python3 -m venv /tmp/netmiko-venv && /tmp/netmiko-venv/bin/pip install netmiko
    cargo build -p netraven-devsim
    /tmp/netmiko-venv/bin/python devsim/tests/clients/netmiko_check.py [path/to/devsim]

Exits 0 when every platform passes.
"""
import sys

from netmiko import ConnectHandler

from simfleet import CONFIG_SIZE, fleet

# (Netmiko device type, device index, protocol, backup command, a line the backup must hold,
#  whether to call enable())
CASES = [
    ("cisco_ios", 0, "ssh", "show running-config", "hostname R1", True),
    ("cisco_nxos", 1, "ssh", "show running-config", "hostname switch2", False),
    ("cisco_xr", 2, "ssh", "show running-config", "hostname xr3", False),
    ("cisco_asa", 3, "ssh", "show running-config", "hostname asa4", True),
    ("arista_eos", 4, "ssh", "show running-config", "hostname sw5", True),
    ("juniper_junos", 5, "ssh", "show configuration", "host-name mx6;", False),
    ("linux", 6, "ssh", "cat /etc/network/interfaces", "iface eth0 inet static", False),
    ("cisco_ios_telnet", 0, "telnet", "show running-config", "hostname R1", True),
]


def check(devices: list, case: tuple) -> bool:
    device_type, index, protocol, command, expect, enable = case
    info = devices[index]
    port = info["ssh_port"] if protocol == "ssh" else info["telnet_port"]
    try:
        conn = ConnectHandler(device_type=device_type, host="127.0.0.1", port=port,
                              username=info["username"], password=info["password"],
                              secret=info["enable_secret"], conn_timeout=20)
        if enable:
            conn.enable()
        prompt = conn.find_prompt()
        out = conn.send_command(command, read_timeout=60)
        conn.disconnect()
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        print(f"{device_type:18} FAILED {type(e).__name__}: {e}")
        return False
    ok = expect in out and len(out) >= CONFIG_SIZE
    print(f"{device_type:18} port {port}: prompt {prompt!r}, {len(out)} bytes: {'OK' if ok else 'BAD OUTPUT'}")
    return ok


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/devsim"
    with fleet(binary) as devices:
        results = [check(devices, case) for case in CASES]
    print(f"{sum(results)}/{len(results)} platforms accepted by Netmiko")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
