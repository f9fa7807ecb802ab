"""Starts a `devsim` fleet (one device per platform, SSH and Telnet) for the Python client checks."""
import contextlib
import json
import socket
import subprocess
import time

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


@contextlib.contextmanager
def fleet(binary: str):
    """Yields the device list (as `devsim --json` prints it) of a running 7-device fleet."""
    sim = subprocess.Popen([binary, "--count", "7", "--base-port", "0", "--telnet", "--json",
                            "--config-size", str(CONFIG_SIZE)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        devices = [json.loads(sim.stdout.readline()) for _ in range(7)]
        for d in devices:
            wait_for_port(d["ssh_port"])
        yield devices
    finally:
        sim.terminate()
        sim.wait(timeout=10)
