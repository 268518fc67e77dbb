"""`make load`: Locust against the running stack's nginx, then the answers against the database.

    python scripts/loadtest/run.py            # LOAD_USERS (300) for LOAD_SECONDS (180)

Needs `make stack` running (var/stack/state.json). Writes var/stack/load/: the plan, Locust's
CSV files, the clients' attempt log and summary.json. Prints throughput, p50/p95/p99 per page
name and the errors, and exits non-zero when an answer a client was told was saved is missing,
an attempt id has two rows, a row appeared that no client sent, or any response was a 5xx.
"""

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import stack  # noqa: E402

OUT = stack.STACK_DIR / "load"
USERS = int(os.environ.get("LOAD_USERS", "300"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "180"))
# Users started per second: all of them within about a fifth of the run (at least 1 s).
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE") or max(1.0, USERS / max(1, SECONDS / 5)))


def fail(message: str) -> None:
    print(f"[load] ERROR: {message}", file=sys.stderr)
    sys.exit(1)


def django(args: list[str], env: dict) -> str:
    result = subprocess.run(  # noqa: S603 - fixed commands
        [stack.PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        fail(f"{' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def percentile_rows(stats_file: Path) -> list[dict]:
    with stats_file.open() as handle:
        return list(csv.DictReader(handle))


def locust_command(url: str, users: int, spawn_rate: float, seconds: int, out: Path) -> list:
    """Headless Locust with this folder's learners; CSV files as ``out``/locust_*.csv."""
    return [
        str(stack.VENV_BIN / "locust"),
        "-f",
        str(ROOT / "scripts" / "loadtest" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "20",
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]


def main() -> int:
    state = stack.state_read()
    if state is None or not all(stack.alive(entry) for entry in state["processes"]):
        fail("the stack is not running: start it with `make stack`")
    url = state["url"]
    if not stack.http_ok(f"{url}/gezond/klaar/"):
        fail(f"{url}/gezond/klaar/ is not 200: see var/stack/*.log")
    env = stack.django_env(state)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    plan = OUT / "plan.json"
    plan.write_text(django(["scripts/loadtest/db.py", "plan"], env))

    sent = OUT / "attempts.json"
    print(f"[load] {USERS} learners for {SECONDS} s against {url} (spawn {SPAWN_RATE:.1f}/s)")
    started = time.monotonic()
    locust = subprocess.run(  # noqa: S603 - fixed command
        locust_command(url, USERS, SPAWN_RATE, SECONDS, OUT),
        cwd=ROOT,
        env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_OUTPUT": str(sent)},
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    elapsed = time.monotonic() - started
    (OUT / "locust.log").write_text(locust.stdout + locust.stderr)
    if not sent.exists():
        fail(f"Locust wrote no attempt log (exit {locust.returncode}); see {OUT / 'locust.log'}")
    log = json.loads(sent.read_text())
    check = json.loads(django(["scripts/loadtest/db.py", "check", str(sent)], env))

    rows = percentile_rows(OUT / "locust_stats.csv")
    failures = percentile_rows(OUT / "locust_failures.csv")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print()
    print(f"{'page':28} {'requests':>9} {'fails':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['Name'][:28]:28} {row['Request Count']:>9} {row['Failure Count']:>6} "
            f"{row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
        )
    print()
    print(f"throughput: {float(total['Requests/s']):.1f} requests/s over {elapsed:.0f} s")
    for failure in failures:
        print(
            f"error: {failure['Occurrences']} x {failure['Method']} {failure['Name']}: "
            f"{failure['Error'][:200]}"
        )
    print(
        f"answers: {check['sent']} attempt ids sent ({check['sent_twice']} with a double "
        f"click), {check['confirmed']} confirmed saved, {check['rows']} rows in Attempt; "
        f"lost {len(check['lost'])}, doubled {len(check['doubled'])}, "
        f"unexpected {len(check['unexpected'])}, "
        f"saved without confirmation {len(check['unconfirmed_but_saved'])}"
    )
    refused = [e for e in log["attempts"] if e["double"] and e["saved"] and 400 in e["statuses"]]
    if refused:
        first = sum(1 for e in refused if e.get("first"))
        print(
            f"double clicks answered 200 + 400: {len(refused)} ({first} of them the learner's "
            "first answer, when each of the two requests makes a learner)"
        )
    print(f"5xx responses: {len(log['status_5xx'])}")
    summary = {
        "users": USERS,
        "seconds": SECONDS,
        "elapsed": round(elapsed, 1),
        "requests_per_second": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "status_5xx": len(log["status_5xx"]),
        "check": check,
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    problems = []
    if check["lost"]:
        problems.append(f"{len(check['lost'])} confirmed answers are not in the database")
    if check["doubled"] or check["unexpected"]:
        problems.append("answers were recorded twice")
    if log["status_5xx"]:
        problems.append(f"{len(log['status_5xx'])} responses were 5xx")
    if refused:
        # learning/services/progress.py hands a double-clicked first answer the same learner.
        problems.append(f"{len(refused)} double clicks got a 400 on their second request")
    if check["confirmed"] == 0:
        problems.append("no answer was confirmed saved: the clients could not answer")
    if problems:
        fail("; ".join(problems) + f" (details in {OUT})")
    print("[load] OK: no answer lost or doubled, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
