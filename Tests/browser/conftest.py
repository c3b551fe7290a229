"""Real processes for the desks' browser and HTTP tests: the `yishi` binary, station
daemons and a central node on 127.0.0.1, and Debian's Chromium driven by Selenium.

YISHI_BIN names the binary (the README's test command builds it); screenshots of the
main pages go to YISHI_ARTIFACTS (default .build/test-artifacts)."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("YISHI_BIN", str(ROOT / ".build/debug/yishi"))
ARTIFACTS = Path(os.environ.get("YISHI_ARTIFACTS", ROOT / ".build/test-artifacts"))


def yishi(*args, data=None, now=None, stdin=None, check=True, author="测试员", test_tools=False):
    """`test_tools` lets `yishi debug` write raw ops, as a newer build would."""
    env = dict(os.environ, YISHI_AUTHOR=author)
    env.pop("YISHI_NOW", None)
    env.pop("YISHI_TEST_TOOLS", None)
    if test_tools:
        env["YISHI_TEST_TOOLS"] = "1"
    if data:
        env["YISHI_DATA"] = str(data)
    if now:
        env["YISHI_NOW"] = now
    result = subprocess.run([BIN, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"yishi {' '.join(args)} failed: {result.stderr}")
    return result


def yishi_json(*args, data=None, now=None):
    return json.loads(yishi(*args, "--json", data=data, now=now).stdout)


class Station:
    """A station box: its data directory, its staff and its daemon (desk + sync loop)."""

    def __init__(self, folder, station_id, community="HL3", central="http://127.0.0.1:9"):
        self.data = Path(folder) / station_id
        self.id = station_id
        self.central = central
        self.process = None
        self.url = None
        yishi("init", "--station", station_id, "--community", community, data=self.data)
        (self.data / "rules.toml").write_text(
            (self.data / "rules.toml").read_text().replace('# community_name = "哈量三社区"', 'community_name = "哈量三社区"'))

    def add_user(self, name, role, password="mima12345"):
        yishi("user", "add", "--data", str(self.data), "--name", name, "--role", role, stdin=password + "\n")

    def start(self, now=None):
        config = self.data.parent / f"{self.id}.toml"
        config.write_text(f'data = "{self.data}"\ncentral = "{self.central}"\ndesk_listen = "127.0.0.1:0"\n'
                          'interval_seconds = 3600\nedit_delay_seconds = 3600\nbackoff_cap_seconds = 5\n')
        env = dict(os.environ)
        env.pop("YISHI_NOW", None)
        if now:
            env["YISHI_NOW"] = now
        self.log = self.data.parent / f"{self.id}.log"
        self.process = subprocess.Popen([BIN, "station", "run", "--config", str(config)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        deadline = time.time() + 30
        while time.time() < deadline:
            match = re.search(r"站点工作台已启动：(http://127\.0\.0\.1:\d+)/", self.log.read_text())
            if match:
                self.url = match.group(1)
                return self
            if self.process.poll() is not None:
                raise AssertionError("station daemon exited: " + self.log.read_text())
            time.sleep(0.1)
        raise AssertionError("station desk did not start: " + self.log.read_text())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)
        self.process = None

    def restart(self, now):
        """The same box a few days later (YISHI_NOW), as a rehearsal of the timeline."""
        self.stop()
        return self.start(now=now)

    def digest(self):
        return yishi("digest", data=self.data).stdout

    def journal(self):
        return (self.data / "journal.jsonl").read_bytes()


class Central:
    """The central node: a single central on its data folder (`sqlite`), or, with
    `backend="postgresql"`, a process on a fresh database of the test run's PostgreSQL
    cluster with a view folder of its own (`central serve --database`). `command` runs a
    `yishi central …` command against whichever it is."""

    def __init__(self, folder, backend="sqlite"):
        self.data = Path(folder) / "central"
        yishi("central", "init", data=self.data)
        self.backend = backend
        self.database = fresh_database() if backend == "postgresql" else None
        self.process = None
        self.port = None

    def arguments(self):
        if self.database:
            return ["--database", self.database[0], "--database-password-file", self.database[1]]
        return ["--data", str(self.data)]

    def command(self, *args, stdin=None):
        return yishi("central", *args, *self.arguments(), stdin=stdin)

    def enroll(self, station, community="HL3"):
        key = yishi("key", data=station.data).stdout.strip()
        self.command("enroll", "--station", station.id, "--community", community, "--key", key)

    def start(self, port=0, tls=False, public=False, config=None):
        """`tls`: serve HTTPS with a certificate from the office's own CA (`central tls init`).
        `public`: the residents' board's address (`public_url`) is the central's own.
        `config`: lines of a central.toml (its limits, proxies, monitoring) as key: value."""
        if public and not port:
            port = free_port()
        arguments = [BIN, "central", "serve", "--port", str(port or 0)]
        if config:
            file = self.data.parent / "central.toml"
            file.write_text("".join(f"{key} = {value}\n" for key, value in config.items()))
            arguments += ["--config", str(file)]
        if self.database:
            # A process's own folder, and the street's key every process loads (central init made it).
            arguments += self.arguments() + ["--data", str(self.view()), "--street-key", str(self.data / "street.key")]
        if public:
            arguments += ["--public-url", f"http://127.0.0.1:{port}"]
        if tls:
            if not (self.data / "tls" / "server.pem").exists():
                yishi("central", "tls", "init", "--name", "127.0.0.1", data=self.data)
            arguments += ["--tls-certificate", str(self.data / "tls" / "server.pem"),
                          "--tls-key", str(self.data / "tls" / "server.key")]
        self.process = subprocess.Popen(arguments, env=dict(os.environ, YISHI_DATA=str(self.data)),
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"(https?)://127\.0\.0\.1:(\d+)", line)
        assert match, line
        self.port = int(match.group(2))
        return f"{match.group(1)}://127.0.0.1:{self.port}"

    def view(self):
        """The records the running central's office writes into: a single central's own
        folder, or the view folder of the process on the database."""
        return self.data.parent / "central-view" if self.database else self.data

    def office(self, station, *args, now=None, shows=None):
        """The street's act (a department's answer, its opinion, signing for a filing), run at
        the central as the office desk runs it, then synced to `station` until the station
        `shows` it (a process on the database ships it to the log with its next round)."""
        url = f"http://127.0.0.1:{self.port}"
        yishi("sync", "--once", "--central", url, data=station.data)
        result = yishi(*args, data=self.view(), now=now, author="街道民政科")
        deadline = time.time() + 30
        while True:
            yishi("sync", "--once", "--central", url, data=station.data)
            if shows is None or shows(station) or time.time() > deadline:
                return result
            time.sleep(0.2)

    def stop(self):
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)
            self.process = None


def fresh_database():
    """A new database on the cluster scripts/test started: its URL and the password file.
    Without a cluster the test is skipped, except in CI, where that is a failure."""
    server = os.environ.get("YISHI_TEST_POSTGRES")
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true 但没有 YISHI_TEST_POSTGRES：测试用的 PostgreSQL 没有启动（scripts/postgres-cluster）。")
        pytest.skip("没有测试用的 PostgreSQL（YISHI_TEST_POSTGRES）")
    password_file = os.environ["YISHI_TEST_POSTGRES_PASSWORD_FILE"]
    name = "yishi_b_" + uuid.uuid4().hex[:16]
    subprocess.run(["psql", "--quiet", "--no-psqlrc", server, "--command", f"CREATE DATABASE {name}"], check=True,
                   env=dict(os.environ, PGPASSWORD=Path(password_file).read_text().strip()))
    return server.rsplit("/", 1)[0] + "/" + name, password_file


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Runs a central test twice: on a single central, and on PostgreSQL."""
    return request.param


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def folder():
    with tempfile.TemporaryDirectory(prefix="yishi-browser-") as path:
        yield Path(path)


@pytest.fixture
def station(folder):
    box = Station(folder, "HL3-01")
    box.add_user("王芳", "社区工作者")
    box.add_user("李网格", "网格员")
    box.add_user("赵只读", "只读")
    yield box
    box.stop()


class Client:
    """A browser without a browser, for plain HTTP tests: cookies, forms, the CSRF token."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)

    def csrf(self, path):
        status, _, page = self.get(path)
        assert status == 200, (path, status, page[:500])
        match = re.search(r'name="_csrf" value="([0-9a-f]+)"', page)
        assert match, page[:2000]
        return match.group(1)

    def login(self, name, password="mima12345"):
        return self.login_to(name, password, home="/today")

    def login_to(self, name, password="mima12345", home="/today"):
        token = self.csrf("/login")
        status, headers, _ = self.post("/login", {"_csrf": token, "name": name, "password": password, "next": ""})
        assert status == 303 and headers.get("Location") == home, (status, headers)
        return self


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def chromium(trusting_any_certificate=False):
    """Debian's Chromium through Debian's chromedriver: nothing downloaded.
    `trusting_any_certificate` stands for an office PC with the office's CA installed."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"):
        options.add_argument(argument)
    if trusting_any_certificate:
        options.add_argument("--ignore-certificate-errors")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture
def browsers():
    """Separate browsers, one per station desk (cookies do not tell ports apart)."""
    drivers = []

    def make():
        drivers.append(chromium())
        return drivers[-1]

    yield make
    for driver in drivers:
        driver.quit()


def screenshot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
