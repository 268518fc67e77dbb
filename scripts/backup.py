"""Back up the stack (PostgreSQL and the bucket), restore into a fresh stack, and check it.

    python scripts/backup.py backup            # var/backups/<UTC time>/: dump, objects, manifest
    python scripts/backup.py restore FOLDER    # a new stack in var/stack-restore/ from FOLDER
    python scripts/backup.py drill             # backup, restore, compare, stop the new stack

`backup` reads the running stack (var/stack/state.json): ``pg_dump --format=custom`` of the
database and every object of the bucket (boto3), with manifest.json: when, how long, the row
counts of the main tables (scripts/loadtest/db.py counts), the number and size of objects,
and a certificate to verify after a restore (issued for a test learner if none exists).

`restore` starts a second, separate stack (STACK_DIR=var/stack-restore: its own PostgreSQL
cluster, Redis, bucket, one app server and nginx, on free ports), loads the dump with
``pg_restore`` and uploads the objects, then runs migrate (nothing to do) and collectstatic.
The secret and badge keys are not in the backup (in production they come from the secret
store); here they are taken from the running stack.

`drill` does both and checks: row counts equal, object count equal, and the certificate's
public verification page answers 200 with its name. It prints the dump duration, the RTO
(restore start until the new stack answers /gezond/klaar/ through nginx) and exits
non-zero when anything differs. docs/operations.md, "Backup and restore".
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import stack

ROOT = stack.ROOT
BACKUPS = ROOT / "var" / "backups"
RESTORE_DIR = "var/stack-restore"


def say(text: str) -> None:
    print(f"[backup] {text}", flush=True)


def db_script(command: str, env: dict) -> dict:
    result = subprocess.run(  # noqa: S603 - fixed commands
        [stack.PYTHON, "scripts/loadtest/db.py", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise stack.StackError(f"db.py {command} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def running_state() -> dict:
    state = stack.state_read()
    if state is None or not all(stack.alive(entry) for entry in state["processes"]):
        raise stack.StackError(f"no running stack in {stack.STACK_DIR}: start it with make stack")
    return state


# --- backup -------------------------------------------------------------------------------


def backup() -> Path:
    state = running_state()
    env = stack.django_env(state)
    folder = BACKUPS / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (folder / "objects").mkdir(parents=True)
    certificate = db_script("certificate", env)

    started = datetime.now(UTC)
    clock = time.monotonic()
    pg_bin = Path(state["postgres"]["bin"])
    stack.run(
        [str(pg_bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(state["ports"]["postgres"])]
        + ["-U", "postgres", "--format=custom", "--file", str(folder / "db.dump"), "digibank"]
    )
    dump_seconds = time.monotonic() - clock
    # Counted straight after the dump: equal to the dump's snapshot while nothing writes
    # (the drill backs up a quiet stack); under load, a lower bound per table.
    tables = db_script("counts", env)

    clock = time.monotonic()
    objects, size = objects_download(stack.s3_client(env), folder / "objects")
    objects_seconds = time.monotonic() - clock
    manifest = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "database": {
            "file": "db.dump",
            "bytes": (folder / "db.dump").stat().st_size,
            "seconds": round(dump_seconds, 2),
            "tables": tables,
        },
        "objects": {
            "folder": "objects",
            "bucket": stack.BUCKET,
            "count": objects,
            "bytes": size,
            "seconds": round(objects_seconds, 2),
        },
        "certificate": certificate,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    say(
        f"{folder.relative_to(ROOT)}: database {manifest['database']['bytes'] / 1e6:.1f} MB in "
        f"{dump_seconds:.1f} s, {objects} objects ({size / 1e6:.1f} MB) in "
        f"{objects_seconds:.1f} s"
    )
    return folder


# --- restore (runs with STACK_DIR=var/stack-restore) -----------------------------------------


def restore_into(state: dict, folder: Path) -> None:
    """Called by stack.start(restore_from=...) once PostgreSQL and the bucket are up."""
    pg_bin = Path(state["postgres"]["bin"])
    stack.run(
        [str(pg_bin / "pg_restore"), "-h", "127.0.0.1", "-p", str(state["ports"]["postgres"])]
        + ["-U", "postgres", "--no-owner", "--exit-on-error", "-d", "digibank"]
        + [str(folder / "db.dump")]
    )
    objects_upload(stack.s3_client(stack.django_env(state)), folder / "objects")


def objects_download(client, folder: Path) -> tuple[int, int]:
    """Every object of the bucket into ``folder`` (keys as paths); returns (count, bytes)."""
    count = size = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=stack.BUCKET):
        for item in page.get("Contents", []):
            target = folder / item["Key"]
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(stack.BUCKET, item["Key"], str(target))
            count += 1
            size += item["Size"]
    return count, size


def objects_upload(client, folder: Path) -> int:
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in paths:
        client.upload_file(str(path), stack.BUCKET, path.relative_to(folder).as_posix())
    return len(paths)


def restore(folder: Path) -> None:
    source = ROOT / "var" / "stack" / "state.json"
    keys = json.loads(source.read_text())["env"] if source.exists() else None
    stack.start(restore_from=folder, keys=keys)


# --- drill ----------------------------------------------------------------------------------


def in_restore_stack(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed commands
        [stack.PYTHON, *args],
        cwd=ROOT,
        env={**os.environ, "STACK_DIR": RESTORE_DIR, "STACK_APP_SERVERS": "1", "STACK_PORT": ""},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def drill() -> dict:
    """Back up, restore into a fresh stack, compare; returns the figures."""
    folder = backup()
    manifest = json.loads((folder / "manifest.json").read_text())
    say(f"restoring into a fresh stack in {RESTORE_DIR}/ (new cluster, new bucket)")
    clock = time.monotonic()
    restored = in_restore_stack("scripts/backup.py", "restore", str(folder))
    rto = time.monotonic() - clock
    problems = []
    figures = {
        "backup": str(folder.relative_to(ROOT)),
        "dump_seconds": manifest["database"]["seconds"],
        "dump_mb": round(manifest["database"]["bytes"] / 1e6, 2),
        "objects": manifest["objects"]["count"],
        "objects_seconds": manifest["objects"]["seconds"],
        "rto_seconds": round(rto, 1),
    }
    try:
        if restored.returncode != 0:
            problems.append("the restore failed:\n" + (restored.stdout + restored.stderr)[-3000:])
            return figures | {"problems": problems}
        state = json.loads((ROOT / RESTORE_DIR / "state.json").read_text())
        env = stack.django_env(state)
        tables = db_script("counts", env)
        for label, expected in manifest["database"]["tables"].items():
            if tables.get(label) != expected:
                problems.append(f"{label}: {tables.get(label)} rows, backup had {expected}")
        client = stack.s3_client(env)
        count = sum(
            len(page.get("Contents", []))
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=stack.BUCKET)
        )
        if count != manifest["objects"]["count"]:
            problems.append(f"{count} objects, backup had {manifest['objects']['count']}")
        certificate = manifest["certificate"]
        url = f"{state['url']}/certificaten/controle/{certificate['code']}/"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            page = response.read().decode()
            if response.status != 200 or certificate["name"] not in page:
                problems.append(f"certificate {certificate['code']} not verified at {url}")
        figures.update(tables_checked=len(tables), objects_restored=count)
        figures["certificate"] = certificate["code"]
    except Exception as error:  # noqa: BLE001 - reported as a failed drill, stack stopped
        problems.append(f"check failed: {error!r}")
    finally:
        stopped = in_restore_stack("scripts/stack.py", "stop", timeout=120)
        if stopped.returncode != 0:
            problems.append("stopping the restored stack failed: " + stopped.stderr[-500:])
    return figures | {"problems": problems}


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if command == "backup":
            backup()
        elif command == "restore" and len(sys.argv) == 3:
            restore(Path(sys.argv[2]).resolve())
        elif command == "drill":
            figures = drill()
            (BACKUPS / "drill.json").write_text(json.dumps(figures, indent=2))
            for key, value in figures.items():
                if key != "problems":
                    print(f"  {key:18} {value}")
            for problem in figures["problems"]:
                print(f"[backup] PROBLEM: {problem}", file=sys.stderr)
            if figures["problems"]:
                return 1
            say(
                f"OK: dump {figures['dump_seconds']} s, restore into a fresh stack until "
                f"healthy (RTO) {figures['rto_seconds']} s; counts, objects and the "
                "certificate check out"
            )
        else:
            print(__doc__)
            return 2
    except stack.StackError as error:
        print(f"[backup] ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
