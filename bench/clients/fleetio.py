"""Shared by the fleet benchmark's client scripts: reads the device list `netraven-bench fleet`
wrote (devsim's `--json` fields), times the backups (wall and this process's user + system CPU,
imports excluded) and prints the figures as one JSON line, as `netraven-bench fleet-agent` does."""
import json
import resource
import sys
import time


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def devices() -> list:
    with open(sys.argv[1], encoding="utf-8") as f:
        return json.load(f)


def measure(backup_all) -> None:
    """Runs `backup_all()` (a list of `(config length, error or None)`) and prints the figures."""
    started, cpu = time.monotonic(), cpu_seconds()
    results = backup_all()
    wall, cpu = time.monotonic() - started, cpu_seconds() - cpu
    errors = [e for _, e in results if e is not None]
    print(json.dumps({
        "succeeded": len(results) - len(errors),
        "failed": len(errors),
        "first_error": errors[0] if errors else None,
        "config_bytes": sum(n for n, _ in results),
        "wall_secs": wall,
        "cpu_secs": cpu,
    }))
