"""Backs up every device of a simulated fleet with Netmiko from a pool of 20 threads, the way
Netmiko is used at scale: `ConnectHandler`, `enable()` where the platform has a user mode,
`send_command()` of the configuration, `disconnect()`.

    VENV/bin/python bench/clients/netmiko_fleet.py DEVICES.json [WORKERS]
"""
import sys
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler

from fleetio import devices, measure

# devsim platform -> (Netmiko device type, configuration command, enable first)
PLATFORMS = {
    "cisco_ios": ("cisco_ios", "show running-config", True),
    "cisco_nxos": ("cisco_nxos", "show running-config", False),
    "cisco_iosxr": ("cisco_xr", "show running-config", False),
    "cisco_asa": ("cisco_asa", "show running-config", True),
    "arista_eos": ("arista_eos", "show running-config", True),
    "juniper_junos": ("juniper_junos", "show configuration", False),
    "linux": ("linux", "cat /etc/network/interfaces", False),
}


def backup(device: dict) -> tuple:
    device_type, command, enable = PLATFORMS[device["platform"]]
    try:
        conn = ConnectHandler(device_type=device_type, host="127.0.0.1", port=device["ssh_port"],
                              username=device["username"], password=device["password"],
                              secret=device["enable_secret"], conn_timeout=60)
        try:
            if enable:
                conn.enable()
            return len(conn.send_command(command, read_timeout=300)), None
        finally:
            conn.disconnect()
    except Exception as e:  # noqa: BLE001 - counted as a failed backup
        return 0, f"{device['name']}: {type(e).__name__}: {e}"


def main() -> None:
    fleet = devices()
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with ThreadPoolExecutor(max_workers=workers) as pool:
        measure(lambda: list(pool.map(backup, fleet)))


if __name__ == "__main__":
    main()
