"""Checks that Scrapli (2025.1.30, the last release with `AsyncScrapli`, over asyncssh) accepts
simulated devices: it starts `devsim`, then for each network platform logs in, acquires the
privileged prompt (with the enable secret) and backs up the configuration.

    python3 -m venv VENV && VENV/bin/pip install scrapli==2025.1.30 asyncssh
    VENV/bin/python devsim/tests/clients/scrapli_check.py [path/to/devsim]

Exits 0 when every platform passes.
"""
import asyncio
import sys

from scrapli import AsyncScrapli

from simfleet import CONFIG_SIZE, fleet

# (Scrapli platform, device index, backup command, a line the backup must hold)
CASES = [
    ("cisco_iosxe", 0, "show running-config", "hostname R1"),
    ("cisco_nxos", 1, "show running-config", "hostname switch2"),
    ("cisco_iosxr", 2, "show running-config", "hostname xr3"),
    ("arista_eos", 4, "show running-config", "hostname sw5"),
    ("juniper_junos", 5, "show configuration", "host-name mx6;"),
]


async def check(devices: list, case: tuple) -> bool:
    platform, index, command, expect = case
    info = devices[index]
    try:
        async with AsyncScrapli(host="127.0.0.1", port=info["ssh_port"], auth_username=info["username"],
                                auth_password=info["password"], auth_secondary=info["enable_secret"],
                                auth_strict_key=False, platform=platform, transport="asyncssh",
                                timeout_ops=60) as conn:
            prompt = await conn.get_prompt()
            out = (await conn.send_command(command)).result
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        print(f"{platform:14} FAILED {type(e).__name__}: {e}")
        return False
    ok = expect in out and len(out) >= CONFIG_SIZE
    print(f"{platform:14} prompt {prompt!r}, {len(out)} bytes: {'OK' if ok else 'BAD OUTPUT'}")
    return ok


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/devsim"
    with fleet(binary) as devices:
        results = [asyncio.run(check(devices, case)) for case in CASES]
    print(f"{sum(results)}/{len(results)} platforms accepted by Scrapli")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
