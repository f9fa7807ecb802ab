"""Backs up every device of a simulated fleet with Scrapli 2025.1.30 (`AsyncScrapli`, asyncssh
transport): one coroutine per device under `asyncio.gather`, at most CONCURRENCY connections
at once (a semaphore). `auth_secondary` makes Scrapli acquire the privileged prompt.

    VENV/bin/python bench/clients/scrapli_fleet.py DEVICES.json [CONCURRENCY]
"""
import asyncio
import sys

from scrapli import AsyncScrapli

from fleetio import devices, measure

# devsim platform -> (Scrapli core platform, configuration command); Scrapli's core platforms
# have no ASA or Linux driver.
PLATFORMS = {
    "cisco_ios": ("cisco_iosxe", "show running-config"),
    "cisco_nxos": ("cisco_nxos", "show running-config"),
    "cisco_iosxr": ("cisco_iosxr", "show running-config"),
    "arista_eos": ("arista_eos", "show running-config"),
    "juniper_junos": ("juniper_junos", "show configuration"),
}


async def backup(device: dict, limit: asyncio.Semaphore) -> tuple:
    platform, command = PLATFORMS[device["platform"]]
    async with limit:
        try:
            async with AsyncScrapli(host="127.0.0.1", port=device["ssh_port"], auth_username=device["username"],
                                    auth_password=device["password"], auth_secondary=device["enable_secret"],
                                    auth_strict_key=False, platform=platform, transport="asyncssh",
                                    timeout_socket=60, timeout_transport=300, timeout_ops=300) as conn:
                return len((await conn.send_command(command)).result), None
        except Exception as e:  # noqa: BLE001 - counted as a failed backup
            return 0, f"{device['name']}: {type(e).__name__}: {e}"


async def backup_all(fleet: list, concurrency: int) -> list:
    limit = asyncio.Semaphore(concurrency)
    return await asyncio.gather(*(backup(d, limit) for d in fleet))


def main() -> None:
    fleet = devices()
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    measure(lambda: asyncio.run(backup_all(fleet, concurrency)))


if __name__ == "__main__":
    main()
