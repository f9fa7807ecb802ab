"""Checks that Netmiko accepts simulated devices: it starts `devsim` (one device per platform,
SSH and Telnet), then for each platform logs in with Netmiko, enters enable mode where the
platform has one, and backs up the configuration.

Not part of `cargo test` (it needs Python and Netmiko):

    python3 -m venv /tmp/netmiko-venv && /tmp/netmiko-venv/bin/pip install netmiko
    cargo build -p netraven-devsim
    /tmp/netmiko-venv/bin/python devsim/tests/netmiko_check.py [path/to/devsim]

Exits 0 when every platform passes.
"""
import json
import socket
import subprocess
import sys
import time

from netmiko import ConnectHandler

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
CONFIG_SIZE = 256 * 1024


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"port {port} did not open")


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
    sim = subprocess.Popen([binary, "--count", "7", "--base-port", "0", "--telnet", "--json",
                            "--config-size", str(CONFIG_SIZE)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        devices = [json.loads(sim.stdout.readline()) for _ in range(7)]
        for d in devices:
            wait_for_port(d["ssh_port"])
        results = [check(devices, case) for case in CASES]
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    print(f"{sum(results)}/{len(results)} platforms accepted by Netmiko")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
