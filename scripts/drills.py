"""Fault drills: one part of the running stack fails while learners use it (`make drills`).

    python scripts/drills.py                    # all four: app, redis, postgres, storage
    python scripts/drills.py app postgres       # some of them

Each drill runs Locust in the background (DRILL_USERS learners, 50, for DRILL_SECONDS, 40)
against the stack's nginx, waits DRILL_WARMUP seconds (12), then:

- ``app``: SIGKILL app server 1 (master and workers), start it again after 5 s;
- ``redis``: stop Redis, start it again (empty: no persistence) after 5 s;
- ``postgres``: ``pg_ctl restart -m fast`` (running transactions are cut off);
- ``storage``: stop the S3 server for 15 s. moto keeps its objects in memory, so the drill
  copies the bucket first and puts it back after the restart, as a provider that comes
  back with its data would be: while it is down, connections are refused, the same as an
  unreachable provider behind a firewall that rejects.

It measures the time from the fault until ``/gezond/klaar/`` through nginx and a lesson page
both answer 200 again, and afterwards checks every answer the clients sent against the
database (scripts/loadtest/db.py check). A drill fails when an answer was lost or doubled,
or when a 5xx (or a broken connection) falls outside what that drill tolerates:

- ``app``: only POSTs in flight on the killed server at the moment of the kill (nginx does
  not resend a request the dead server may have handled); no GET may fail;
- ``redis``: nothing (the cache fails soft, sessions come from the database);
- ``postgres``: any request running between the fault and the recovery (+1 s);
- ``storage``: only ``certificate pdf`` answering 503 (the "try again" page) between the
  fault and the recovery (+1 s); lesson pages, answers, everything else: nothing.

Prints one table row per drill; writes var/stack/drills/<drill>/ and drills.json there.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import stack

sys.path.insert(0, str(stack.ROOT / "scripts" / "loadtest"))

import backup  # noqa: E402
import run as load  # noqa: E402

OUT = stack.STACK_DIR / "drills"
USERS = int(os.environ.get("DRILL_USERS", "50"))
SECONDS = int(os.environ.get("DRILL_SECONDS", "40"))
WARMUP = float(os.environ.get("DRILL_WARMUP", "12"))
GRACE = 1.0  # a request that started just before the recovery was seen may still fail


def say(text: str) -> None:
    print(f"[drill] {text}", flush=True)


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_until(check, timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return time.time()
        time.sleep(0.2)
    raise stack.StackError("the stack did not recover within 120 s")


def stop_process(state: dict, name: str, sig: int) -> None:
    entry = stack.process(state, name)
    os.killpg(entry["pid"], sig)  # its own process group: gunicorn's workers too
    deadline = time.monotonic() + 15
    while stack.alive(entry) and time.monotonic() < deadline:
        time.sleep(0.05)


class Watch(threading.Thread):
    """Asks nginx every 0.2 s, from the fault on: is /gezond/klaar/ 200 and a lesson page 200?

    Recovered = the first good answer after the last bad one, once the failed part has been
    started again; with no bad answer at all, the fault was never visible (0 s)."""

    def __init__(self, url: str, lesson_url: str):
        super().__init__(daemon=True)
        self.url, self.lesson_url = url, lesson_url
        self.samples: list[tuple[float, bool]] = []
        self.done = threading.Event()

    def healthy(self) -> bool:
        return (
            get_status(f"{self.url}/gezond/klaar/") == 200
            and get_status(f"{self.url}{self.lesson_url}") == 200
        )

    def run(self) -> None:
        while not self.done.is_set():
            started = time.time()
            self.samples.append((started, self.healthy()))
            time.sleep(0.2)

    def recovered(self) -> float:
        """Waits (at most 120 s) for a good answer after the part came back."""
        back = time.time()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.samples and self.samples[-1][0] >= back and self.samples[-1][1]:
                break
            time.sleep(0.1)
        self.done.set()
        self.join()
        bad = [at for at, ok in self.samples if not ok]
        if not bad:
            return self.samples[0][0]
        after = [at for at, ok in self.samples if ok and at > bad[-1]]
        if not after:
            raise stack.StackError("the stack did not recover within 120 s")
        return after[0]


# --- the faults: each returns when the failed part has been started again ----------------------


def fault_app(state: dict) -> dict:
    stop_process(state, "app1", signal.SIGKILL)
    time.sleep(5)
    stack.app_spawn(state, 1)
    port = state["ports"]["app"][0]
    back = wait_until(lambda: get_status(f"http://127.0.0.1:{port}/gezond/klaar/") == 200)
    return {"restarted_at": back}


def fault_redis(state: dict) -> dict:
    stop_process(state, "redis", signal.SIGTERM)
    time.sleep(5)
    stack.redis_spawn(state)
    stack.wait_for("Redis", lambda: stack.port_open(state["ports"]["redis"]), timeout=20)
    return {"restarted_at": time.time()}


def fault_postgres(state: dict) -> dict:
    postgres = state["postgres"]
    log = Path(postgres["data"]).parent / "log"
    # -l as at the start: without it the new server writes to pg_ctl's output, a pipe that
    # then never closes, and the drill would wait on it for ever.
    stack.run(
        stack.as_postgres(
            [str(Path(postgres["bin"]) / "pg_ctl"), "-D", postgres["data"], "-w", "-m", "fast"]
            + ["-l", str(log), "restart"]
        )
    )
    return {"restarted_at": time.time()}


STORAGE_MESSAGE = "Het certificaat kan nu niet worden geladen."


def fetch(url: str, cookie: str | None = None) -> tuple[int, str, str]:
    """Status, content type and text of one GET (errors included)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            body = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, kind, "" if kind == "application/pdf" else body.decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()
    except OSError:
        return 0, "", ""


def storage_probe(state: dict, probe: dict, when: str) -> dict:
    """A learner downloads their certificate PDF; the H5P player asks for a package file."""
    pdf = fetch(f"{state['url']}{probe['pdf']}", probe["cookie"])
    result = {
        f"pdf_{when}": pdf[0],
        f"pdf_{when}_is_pdf": pdf[1] == "application/pdf",
        f"pdf_{when}_message": STORAGE_MESSAGE in pdf[2],
    }
    if probe.get("h5p_file"):
        result[f"h5p_file_{when}"] = fetch(f"{state['url']}{probe['h5p_file']}")[0]
    return result


def fault_storage(state: dict, saved: Path, probe: dict) -> dict:
    stop_process(state, "s3", signal.SIGTERM)
    time.sleep(2)
    # While it is down: the friendly 503s, not a 500 (a new PDF: its stored copy is gone).
    probes = storage_probe(state, probe, "down")
    time.sleep(13)
    stack.s3_spawn(state)
    stack.wait_for("moto", lambda: stack.port_open(state["ports"]["s3"]), timeout=60)
    env = stack.django_env(state)
    stack.bucket_create(env)
    backup.objects_upload(stack.s3_client(env), saved)
    return {"restarted_at": time.time(), "probes": probes}


# --- what each drill tolerates -------------------------------------------------------------------


def tolerated(drill: str, failure: dict, window: tuple[float, float]) -> bool:
    fault, recovered = window
    overlaps = failure["at"] <= recovered + GRACE and failure["ended"] >= fault
    if drill == "app":
        in_flight = failure["at"] <= fault + 0.5 and failure["ended"] >= fault
        return failure["method"] == "POST" and failure["status"] == 502 and in_flight
    if drill == "postgres":
        return overlaps
    if drill == "storage":
        return failure["name"] == "certificate pdf" and failure["status"] == 503 and overlaps
    return False


def serious(failure: dict) -> bool:
    # 4xx answers are the app's own (a 429, a 400): counted, not what the drill is about.
    return failure["status"] >= 500 or failure["status"] == 0


def drill_run(name: str, plan: Path, lesson_url: str) -> dict:
    state = stack.state_read()
    url = state["url"]
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    saved = out / "bucket"
    env = stack.django_env(state)
    if name == "storage":
        probe = json.loads(load.django(["scripts/loadtest/db.py", "certificate"], env))
        # moto forgets everything when stopped: keep a copy to give back (see the docstring).
        backup.objects_download(stack.s3_client(env), saved)
    sent = out / "attempts.json"
    locust = subprocess.Popen(  # noqa: S603 - fixed command
        load.locust_command(url, USERS, max(1.0, USERS / 5), SECONDS, out),
        cwd=stack.ROOT,
        env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_OUTPUT": str(sent)},
        stdout=(out / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(WARMUP)
        say(f"{name}: fault now, under {USERS} learners")
        fault_at = time.time()
        watch = Watch(url, lesson_url)
        watch.start()
        try:
            if name == "storage":
                detail = fault_storage(state, saved, probe)
            else:
                faults = {"app": fault_app, "redis": fault_redis, "postgres": fault_postgres}
                detail = faults[name](state)
        finally:
            recovered = watch.recovered()
        locust.wait(timeout=SECONDS + 120)
    finally:
        if locust.poll() is None:
            locust.kill()
    shutil.rmtree(saved, ignore_errors=True)
    log = json.loads(sent.read_text())
    check = json.loads(
        load.django(["scripts/loadtest/db.py", "check", str(sent)], stack.django_env(state))
    )
    total = next(
        row for row in load.percentile_rows(out / "locust_stats.csv") if row["Name"] == "Aggregated"
    )
    failures = log["failures"]
    window = (fault_at, recovered)
    bad = [f for f in failures if serious(f) and not tolerated(name, f, window)]
    result = {
        "drill": name,
        "requests": int(total["Request Count"]),
        "failed": len(failures),
        "by_status": _by_status(failures),
        "tolerated_5xx": sum(1 for f in failures if serious(f) and tolerated(name, f, window)),
        "unexpected": len(bad),
        "unexpected_examples": bad[:5],
        # When the watcher saw the fault (seconds after it): where the recovery time comes from.
        "watch_bad_seconds": [round(at - fault_at, 1) for at, ok in watch.samples if not ok][:50],
        "lost": len(check["lost"]),
        "doubled": len(check["doubled"]) + len(check["unexpected"]),
        "unconfirmed_but_saved": len(check["unconfirmed_but_saved"]),
        "recovery_seconds": round(recovered - fault_at, 1),
        "part_back_after_seconds": round(detail["restarted_at"] - fault_at, 1),
        "probes": detail.get("probes", {}),
    }
    if name == "storage":
        result["probes"] |= storage_probe(state, probe, "back")
        probes = result["probes"]
        wanted = {"pdf_down": 503, "pdf_down_message": True, "pdf_back": 200}
        wanted |= {"pdf_back_is_pdf": True} | ({"h5p_file_down": 503} if probe["h5p_file"] else {})
        result["probe_problems"] = [
            f"{key}: {probes.get(key)}, expected {value}"
            for key, value in wanted.items()
            if probes.get(key) != value
        ]
    (out / "result.json").write_text(json.dumps(result, indent=2))
    return result


def _by_status(failures: list[dict]) -> str:
    counts: dict[str, int] = {}
    for failure in failures:
        key = f"{failure['status'] or 'conn'} {failure['name']}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{n} x {key}" for key, n in sorted(counts.items())) or "-"


def table(results: list[dict]) -> None:
    print()
    print(
        f"{'drill':9} {'requests':>8} {'failed':>6} {'5xx ok':>6} {'5xx bad':>7} {'lost':>4} "
        f"{'doubled':>7} {'recover s':>9}  failures by status"
    )
    for r in results:
        print(
            f"{r['drill']:9} {r['requests']:>8} {r['failed']:>6} {r['tolerated_5xx']:>6} "
            f"{r['unexpected']:>7} {r['lost']:>4} {r['doubled']:>7} {r['recovery_seconds']:>9}  "
            f"{r['by_status']}"
        )
    print()


def main() -> int:
    names = sys.argv[1:] or ["app", "redis", "postgres", "storage"]
    unknown = set(names) - {"app", "redis", "postgres", "storage"}
    if unknown:
        print(__doc__)
        return 2
    state = stack.state_read()
    if state is None or not all(stack.alive(entry) for entry in state["processes"]):
        print("[drill] ERROR: the stack is not running: start it with make stack", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    plan = OUT / "plan.json"
    plan.write_text(load.django(["scripts/loadtest/db.py", "plan"], stack.django_env(state)))
    lesson_url = json.loads(plan.read_text())["modules"][0]["lessons"][0]["steps"][0]
    results = []
    try:
        for name in names:
            results.append(drill_run(name, plan, lesson_url))
            time.sleep(3)  # let the last requests of one drill settle before the next
    except stack.StackError as error:
        print(f"[drill] ERROR: {error}", file=sys.stderr)
        table(results)
        return 1
    (OUT / "drills.json").write_text(json.dumps(results, indent=2))
    table(results)
    problems = [
        f"{r['drill']}: {r['lost']} lost, {r['doubled']} doubled, {r['unexpected']} unexpected "
        f"failures {r['unexpected_examples']}"
        for r in results
        if r["lost"] or r["doubled"] or r["unexpected"]
    ]
    problems += [f"{r['drill']}: {p}" for r in results for p in r.get("probe_problems", [])]
    for problem in problems:
        print(f"[drill] PROBLEM: {problem}", file=sys.stderr)
    if problems:
        return 1
    say("OK: no answer lost or doubled, no failure outside what each drill tolerates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
