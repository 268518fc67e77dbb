"""The production stack on loopback: `make stack` starts it, `make stack-stop` stops it.

    python scripts/stack.py start    # PostgreSQL, Redis, S3 (moto), 2 x gunicorn, nginx
    python scripts/stack.py stop     # stops everything `start` started, removes its data
    python scripts/stack.py status   # the URL and the processes, or "not running"
    python scripts/stack.py env      # the stack's environment as shell lines (for manage.py)

STACK_DIR=var/stack-restore runs a second, separate stack (scripts/backup.py restores into
one: ``start(restore_from=...)`` loads a backup instead of the demo content).

Everything lives in var/stack/ (gitignored): data, logs, the nginx configuration and
state.json, which records what was started (process ids, ports, the environment), so `stop`
ends exactly those processes and nothing else. The app servers run
``config.settings.production`` unchanged; only SECURE_SSL_REDIRECT is off, because nginx
listens on plain http on loopback (docs/operations.md).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# The bench's throwaway keys (this folder is on sys.path when a script here runs).
from bench import throwaway_badge_keys

ROOT = Path(__file__).resolve().parent.parent
STACK_DIR = ROOT / os.environ.get("STACK_DIR", "var/stack")
STATE_FILE = STACK_DIR / "state.json"
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
BUCKET = "digibank-stack"
APP_SERVERS = int(os.environ.get("STACK_APP_SERVERS", "2"))
# Per app server. Two servers with two workers each fill this 2-core machine; more only queue.
WORKERS = int(os.environ.get("STACK_WORKERS", "2"))
# Printed in QR codes and badges; production refuses loopback here (platform.E001).
SITE_BASE_URL = os.environ.get("STACK_SITE_BASE_URL", "https://leren.example.be")
DEBIAN_PACKAGES = {"redis-server": "redis-server", "nginx": "nginx"}


class StackError(RuntimeError):
    pass


def say(text: str) -> None:
    print(f"[stack] {text}", flush=True)


# Below Linux's ephemeral range (32768-60999): a port picked there can be taken between the
# probe and the server's start by any outgoing connection (the load test makes thousands),
# which once left a restored stack's app server with "Address already in use".
PORT_RANGE = (20000, 32000)


# Ports handed out by this process: two services started one after the other never get the
# same one, although neither is listening yet when the next is picked.
_PICKED: set[int] = set()


def free_port() -> int:
    for _ in range(200):
        port = secrets.choice(range(*PORT_RANGE))
        if port in _PICKED:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _PICKED.add(port)
        return port
    raise StackError(f"no free port between {PORT_RANGE[0]} and {PORT_RANGE[1]}")


def is_root() -> bool:
    return os.geteuid() == 0


def postgres_bin() -> Path:
    # The newest version: "15" after "9.6", so compared as numbers, not text.
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(part) for part in p.parts[-3].split(".") if part.isdigit()],
    )
    if not found:
        raise StackError("PostgreSQL is missing. Install it with: apt-get install -y postgresql")
    return found[-1].parent


def system_binary(name: str) -> str:
    for folder in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        if Path(folder, name).exists():
            return str(Path(folder, name))
    found = shutil.which(name)
    if found:
        return found
    raise StackError(f"{name} is missing")


def ensure_system_packages() -> None:
    missing = [pkg for binary, pkg in DEBIAN_PACKAGES.items() if not _has(binary)]
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", *missing]
    if not is_root():
        raise StackError("Missing Debian packages. Run as root: " + " ".join(command))
    say("installing " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(command, env=env, capture_output=True).returncode != 0:  # noqa: S603
        # The package lists may be stale on a fresh machine: update once and try again.
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)  # noqa: S607
        retry = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if retry.returncode != 0:
            raise StackError(f"{' '.join(command)} failed:\n{retry.stderr[-2000:]}")
    for binary in DEBIAN_PACKAGES:
        if not _has(binary):
            raise StackError(f"{binary} is still missing after apt-get install")


def _has(binary: str) -> bool:
    try:
        system_binary(binary)
    except StackError:
        return False
    return True


def as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root: as root, run PostgreSQL as the postgres user (.ci/run).
    return ["runuser", "-u", "postgres", "--", *command] if is_root() else command


def run(command: list[str], *, env=None, log: Path | None = None, timeout=600) -> None:
    result = subprocess.run(  # noqa: S603 - fixed commands built here
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if log is not None:
        with log.open("a") as handle:
            handle.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        raise StackError(
            f"{' '.join(command[:4])} failed ({result.returncode}):\n"
            + (result.stdout + result.stderr)[-3000:]
        )


def spawn(name: str, command: list[str], *, env=None) -> dict:
    """A long-running process in its own process group, its output in var/stack/NAME.log."""
    log = (STACK_DIR / f"{name}.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - fixed commands built here
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return {"name": name, "pid": process.pid, "command": command[0]}


def wait_for(what: str, check, *, timeout: float, log: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001, S110 - not up yet; tried again until the deadline
            pass
        time.sleep(0.2)
    hint = f"; see {STACK_DIR / log}" if log else ""
    raise StackError(f"{what} did not become ready within {timeout:.0f} s{hint}")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    import urllib.request

    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - loopback http
        return response.status == 200


# --- state -----------------------------------------------------------------------------------


def state_read() -> dict | None:
    try:
        return json.loads(STATE_FILE.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def state_write(state: dict) -> None:
    STATE_FILE.write_text(json.dumps(state, indent=2))
    STATE_FILE.chmod(0o600)  # holds the stack's secret key and badge keys


def alive(entry: dict) -> bool:
    """The recorded process still runs and is still the program we started (not a reused id)."""
    try:
        cmdline = Path(f"/proc/{entry['pid']}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(Path(entry["command"]).name.encode() in part for part in cmdline[:3])


# --- start -----------------------------------------------------------------------------------


def nginx_conf(state: dict) -> str:
    temp = STACK_DIR / "nginx"
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
        for port in state["ports"]["app"]
    )
    user = "user nobody nogroup;\n" if is_root() else ""
    return f"""{user}worker_processes 1;
worker_rlimit_nofile 8192;
daemon off;
pid {temp}/nginx.pid;
error_log {STACK_DIR}/nginx.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    # Trainers upload videos and H5P packages in the admin (the app limits the rest).
    client_max_body_size 200m;
    upstream digibank {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{state["ports"]["nginx"]};
        server_name _;
        # Public media (images, renditions) straight from the bucket's media/ prefix: the
        # private/ prefix with certificate PDFs is never reachable through here.
        location /media/ {{
            limit_except GET {{ deny all; }}
            proxy_pass http://127.0.0.1:{state["ports"]["s3"]}/{BUCKET}/media/;
            proxy_set_header Host 127.0.0.1:{state["ports"]["s3"]};
        }}
        location / {{
            proxy_pass http://digibank;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # The scheme the visitor used: http here (so SECURE_SSL_REDIRECT is off), https
            # behind a TLS-terminating nginx in production.
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Real-IP $remote_addr;
            # The next server on a dead or hung one (connection refused, reset, time-out).
            # A POST is passed on only if it never reached the dead server (nginx's rule for
            # non-idempotent requests), so an answer is never sent twice by the proxy. Not on
            # http_503: the app answers 503 when a part every server shares is away (the
            # bucket), and counting that as a failing server would mark both servers down.
            proxy_next_upstream error timeout http_502;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def django_env(state: dict) -> dict:
    ports = state["ports"]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("S3_", "AWS_", "DJANGO_", "REDIS_", "DATABASE_"))
    }
    env.update(state["env"])
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{ports['postgres']}/digibank",
        REDIS_URL=f"redis://127.0.0.1:{ports['redis']}/0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_BASE_URL=SITE_BASE_URL,
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(STACK_DIR / "static"),
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=f"http://127.0.0.1:{ports['s3']}",
        S3_REGION="eu-west-1",
        S3_ACCESS_KEY_ID="stack",
        S3_SECRET_ACCESS_KEY="stack-only-not-secret",  # noqa: S106 - moto accepts any key
        S3_MEDIA_DOMAIN=f"127.0.0.1:{ports['nginx']}",
        S3_MEDIA_PROTOCOL="http:",
        PYTHONUNBUFFERED="1",
    )
    return env


def start(*, restore_from: Path | None = None, keys: dict | None = None) -> None:
    """Start the stack; with ``restore_from`` (a scripts/backup.py folder) the database and
    the bucket are loaded from that backup instead of the demo content, with ``keys`` (the
    secret and badge keys: in production they come from the secret store, not the backup)."""
    existing = state_read()
    if existing and all(alive(entry) for entry in existing["processes"]):
        say(f"already running: {existing['url']}  (stop with: make stack-stop)")
        return
    if existing:
        say("a stack from before is (partly) gone: cleaning it up first")
        stop()
    ensure_system_packages()
    pg_bin = postgres_bin()
    if not (VENV_BIN / "moto_server").exists():
        raise StackError(
            "moto_server is missing: run `make stack` (it installs the 'stack' extra), or "
            f"{PYTHON} -m pip install -c requirements/constraints.txt '.[stack]'"
        )
    STACK_DIR.mkdir(parents=True, exist_ok=True)
    for leftover in ("pg", "redis", "nginx", "static"):
        shutil.rmtree(STACK_DIR / leftover, ignore_errors=True)
    for log in STACK_DIR.glob("*.log"):
        log.unlink()
    nginx_port = int(os.environ.get("STACK_PORT") or free_port())
    state = {
        "url": f"http://127.0.0.1:{nginx_port}",
        "ports": {
            "postgres": free_port(),
            "redis": free_port(),
            "s3": free_port(),
            "app": [free_port() for _ in range(APP_SERVERS)],
            "nginx": nginx_port,
        },
        "postgres": {"bin": str(pg_bin), "data": str(STACK_DIR / "pg" / "data")},
        "processes": [],
        "env": keys or {"SECRET_KEY": secrets.token_urlsafe(50), **throwaway_badge_keys()},
    }
    state_write(state)
    try:
        _start_services(state, restore_from=restore_from)
    except BaseException:
        say("start failed: stopping what was started")
        stop(keep_logs=True)
        raise
    say(f"ready: {state['url']}  (admin: {state['url']}/admin/; stop with: make stack-stop)")


def _start_services(state: dict, *, restore_from: Path | None = None) -> None:
    ports = state["ports"]
    pg_dir = STACK_DIR / "pg"
    pg_dir.mkdir()
    if is_root():
        shutil.chown(pg_dir, "postgres")
    pg_bin = Path(state["postgres"]["bin"])
    data = state["postgres"]["data"]
    say(f"PostgreSQL on 127.0.0.1:{ports['postgres']}")
    run(
        as_postgres(
            [str(pg_bin / "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]
            + ["--locale=C.UTF-8"]
        )
    )
    # Durable enough for a throwaway stack; fsync off keeps the 2-core machine for the app.
    options = f"-c listen_addresses=127.0.0.1 -p {ports['postgres']} -k {pg_dir} -c fsync=off"
    options += " -c max_connections=200"
    state["postgres"]["started"] = True
    state_write(state)
    run(
        as_postgres(
            [str(pg_bin / "pg_ctl"), "-D", data, "-w", "-l", f"{pg_dir}/log"]
            + ["-o", options, "start"]
        )
    )
    run(
        as_postgres(
            [str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(ports["postgres"]), "digibank"]
        )
    )

    say(f"Redis on 127.0.0.1:{ports['redis']}")
    (STACK_DIR / "redis").mkdir()
    redis_spawn(state)
    say(f"S3 object store (moto) on 127.0.0.1:{ports['s3']}, bucket {BUCKET}")
    s3_spawn(state)
    wait_for("Redis", lambda: port_open(ports["redis"]), timeout=20, log="redis.log")
    wait_for("moto", lambda: port_open(ports["s3"]), timeout=60, log="s3.log")
    env = django_env(state)
    bucket_create(env)

    setup_log = STACK_DIR / "setup.log"
    manage = [PYTHON, "manage.py"]
    if restore_from is not None:
        # Imported here: backup.py imports this module for the stack's layout.
        from backup import restore_into

        say(f"restoring {restore_from} (database, then the bucket's objects)")
        restore_into(state, Path(restore_from))
    else:
        say("migrate, collectstatic, demo content (about a minute)")
    run([*manage, "migrate", "--noinput"], env=env, log=setup_log)
    run([*manage, "collectstatic", "--noinput"], env=env, log=setup_log)
    if restore_from is None:
        seed = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.stack_seed"}
        run([*manage, "seed_demo", "--accounts"], env=seed, log=setup_log)
        run([*manage, "seed_catalogue", "--accounts"], env=seed, log=setup_log)
        run([*manage, "seed_helpers"], env=seed, log=setup_log)

    for number, port in enumerate(ports["app"], start=1):
        say(f"gunicorn app server {number} on 127.0.0.1:{port} ({WORKERS} workers)")
        app_spawn(state, number)

    say(f"nginx on 127.0.0.1:{ports['nginx']}")
    temp = STACK_DIR / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True)
        if is_root():
            shutil.chown(temp / sub, "nobody")
    conf = temp / "nginx.conf"
    conf.write_text(nginx_conf(state))
    nginx = system_binary("nginx")
    run([nginx, "-t", "-q", "-p", str(temp), "-c", str(conf)])
    state["processes"].append(spawn("nginx", [nginx, "-p", str(temp), "-c", str(conf)]))
    state_write(state)

    for port in ports["app"]:
        wait_for(
            f"app server 127.0.0.1:{port}",
            lambda port=port: http_ok(f"http://127.0.0.1:{port}/gezond/klaar/"),
            timeout=90,
            log="app1.log / app2.log",
        )
    wait_for(
        "nginx /gezond/klaar/",
        lambda: http_ok(f"{state['url']}/gezond/klaar/"),
        timeout=30,
        log="nginx.log",
    )


def _replace(state: dict, entry: dict) -> dict:
    """Record ``entry`` in the state, in place of an earlier process of the same name."""
    names = [e["name"] for e in state["processes"]]
    if entry["name"] in names:  # same place: `stop` ends nginx first, what it uses last
        state["processes"][names.index(entry["name"])] = entry
    else:
        state["processes"].append(entry)
    state_write(state)
    return entry


# One function per service, so the fault drills (scripts/drills.py) restart a service with
# exactly the command the stack started it with.
def redis_spawn(state: dict) -> dict:
    port = str(state["ports"]["redis"])
    command = [system_binary("redis-server"), "--bind", "127.0.0.1", "--port", port]
    command += ["--save", "", "--appendonly", "no", "--dir", str(STACK_DIR / "redis")]
    return _replace(state, spawn("redis", command))


def s3_spawn(state: dict) -> dict:
    command = [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(state["ports"]["s3"])]
    return _replace(state, spawn("s3", command))


def app_spawn(state: dict, number: int) -> dict:
    port = state["ports"]["app"][number - 1]
    command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["-w", str(WORKERS), "--timeout", "60", "--graceful-timeout", "10"]
    # --preload: Django is loaded before the port opens, so a (re)starting server refuses
    # connections until it can answer, and nginx sends its requests to the other server
    # instead of letting them wait for the workers to boot (the `app` drill).
    command += ["--preload", "--name", f"digibank-stack-app{number}"]
    return _replace(state, spawn(f"app{number}", command, env=django_env(state)))


def process(state: dict, name: str) -> dict:
    return next(entry for entry in state["processes"] if entry["name"] == name)


def s3_client(env: dict):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )


def bucket_create(env: dict) -> None:
    client = s3_client(env)
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": env["S3_REGION"]}
    )
    # As on a real provider: anyone may read media/ (images are linked from pages); the
    # private/ prefix with certificate PDFs is readable with the app's key only.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


# --- stop ------------------------------------------------------------------------------------


def stop(*, keep_logs: bool = True) -> None:
    state = state_read()
    if state is None:
        say("not running (no var/stack/state.json)")
        return
    # nginx first (no new requests), then the app servers, then what they use.
    for entry in reversed(state["processes"]):
        if not alive(entry):
            continue
        try:
            os.killpg(entry["pid"], signal.SIGTERM)  # its own group: gunicorn's workers too
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + 15
        while alive(entry) and time.monotonic() < deadline:
            time.sleep(0.1)
        if alive(entry):
            os.killpg(entry["pid"], signal.SIGKILL)
        say(f"stopped {entry['name']} ({entry['pid']})")
    postgres = state.get("postgres", {})
    if postgres.get("started"):
        data = postgres["data"]
        subprocess.run(  # noqa: S603
            as_postgres([str(Path(postgres["bin"]) / "pg_ctl"), "-D", data, "-m", "fast", "stop"]),
            capture_output=True,
        )
        say("stopped PostgreSQL")
    for folder in ("pg", "redis", "nginx", "static"):
        shutil.rmtree(STACK_DIR / folder, ignore_errors=True)
    STATE_FILE.unlink(missing_ok=True)
    if not keep_logs:
        for log in STACK_DIR.glob("*.log"):
            log.unlink()


def status() -> int:
    state = state_read()
    if state is None:
        print("not running")
        return 1
    print(state["url"])
    for entry in state["processes"]:
        print(f"  {entry['name']:6} pid {entry['pid']:>7}  {'up' if alive(entry) else 'DOWN'}")
    return 0 if all(alive(entry) for entry in state["processes"]) else 1


def print_env() -> int:
    state = state_read()
    if state is None:
        print("not running", file=sys.stderr)
        return 1
    import shlex

    plain = ("ALLOWED_HOSTS", "SITE_BASE_URL", "SECURE_SSL_REDIRECT", "STATIC_ROOT")
    for key, value in django_env(state).items():
        ours = key.startswith(("S3_", "DJANGO_", "REDIS_", "DATABASE_"))
        if ours or key in state["env"] or key in plain:
            print(f"export {key}={shlex.quote(value)}")
    return 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    try:
        if command == "start":
            start()
        elif command == "stop":
            stop()
        elif command == "status":
            return status()
        elif command == "env":
            return print_env()
        else:
            print(__doc__)
            return 2
    except StackError as error:
        print(f"[stack] ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
