"""The Debian package on a bare box: a fresh minimal Debian bookworm made with
`debootstrap --variant=minbase` into a temporary folder, so nothing of the build machine
is there, and the package installed, set up, run, upgraded, removed and purged inside
it (chroot), the way a street office's IT person would on a station box.

The base system's packages are cached under .build/debootstrap/ between runs; the
packages the .deb depends on come from the Debian archive through apt inside the box.
Skipped, with the reason, only where debootstrap cannot reach the Debian archive (or the
run is not root, which chroot needs).

systemd cannot run inside a chroot: the maintainer scripts' calls to it are recorded by
stand-ins for `systemctl` and `deb-systemd-invoke` (the real units are checked by
`systemd-analyze verify` against the installed files), and the daemon is started here as
systemd would start it, as the `yishi` user with the installed config.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("YISHI_BIN", str(ROOT / ".build/release/yishi"))
ARTIFACTS = Path(os.environ.get("YISHI_ARTIFACTS", ROOT / ".build/test-artifacts"))
CACHE = ROOT / ".build/debootstrap/bookworm-minbase.tgz"
MIRROR = os.environ.get("YISHI_DEBIAN_MIRROR", "http://deb.debian.org/debian")
PASSWORD = "zhandian-2026"


def run(*args, check=True, timeout=600, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} → {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


class Box:
    """The bare Debian box: a chroot with /proc mounted, unmounted before it is deleted."""

    def __init__(self, path):
        self.path = Path(path)
        self.mounts = []

    def __call__(self, *args, user=None, check=True, input=None, env=None, timeout=600):
        prefix = ["/usr/sbin/chroot"] + ([f"--userspec={user}:{user}"] if user else []) + [self.path]
        environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
                       "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root" if user is None else "/var/lib/yishi"}
        environment.update(env or {})
        return run(*prefix, *args, check=check, input=input, env=environment, timeout=timeout)

    def file(self, path):
        return self.path / path.lstrip("/")

    def mount_proc(self):
        run("mount", "-t", "proc", "proc", self.file("/proc"))
        self.mounts.append(self.file("/proc"))

    def destroy(self):
        for mount in reversed(self.mounts):
            run("umount", "--lazy", mount, check=False)
        # Never delete through a mount into the build machine.
        mounted = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
        assert not any(point.startswith(str(self.path)) for point in mounted), mounted
        shutil.rmtree(self.path, ignore_errors=True)


def base_system(target):
    """A fresh minbase bookworm in `target`, from the cached packages (fetched once)."""
    if not CACHE.exists():
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE.parent) as scratch:
            fetched = run("debootstrap", "--variant=minbase", f"--make-tarball={CACHE}.part", "bookworm", scratch, MIRROR,
                          check=False, timeout=1800)
        if fetched.returncode != 0:
            pytest.skip(f"debootstrap 连不上 Debian 软件源 {MIRROR}，无法建立干净的 Debian 系统：{fetched.stderr[-500:]}")
        os.replace(f"{CACHE}.part", CACHE)
    run("debootstrap", "--variant=minbase", f"--unpack-tarball={CACHE}", "bookworm", target, MIRROR, timeout=1800)


def package(revision):
    result = run("bash", ROOT / "scripts/package", "--out", ROOT / ".build/package",
                 env=dict(os.environ, YISHI_DEB_REVISION=str(revision)), timeout=3600)
    return Path(result.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Central:
    """The street office's central, on the host (the same release binary), on loopback."""

    def __init__(self, folder):
        self.data = Path(folder) / "central"
        run(BIN, "central", "init", "--data", self.data)
        self.process = subprocess.Popen([BIN, "central", "serve", "--data", str(self.data), "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = re.search(r"http://127\.0\.0\.1:\d+", self.process.stdout.readline()).group(0)

    def yishi(self, *args, **kwargs):
        return run(BIN, *args, env=dict(os.environ, YISHI_DATA=str(self.data), YISHI_AUTHOR="街道"), **kwargs)

    def clock(self):
        return self.yishi("clock").stdout

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Daemon:
    """`yishi station run` as the unit runs it: the installed binary, the `yishi` user, the
    installed config, READY=1 on a notify socket."""

    def __init__(self, box):
        self.box = box
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = box.file("/run/yishi-notify")
        path.unlink(missing_ok=True)
        self.notify.bind(str(path))
        os.chmod(path, 0o777)
        self.notify.settimeout(60)
        started = time.monotonic()
        self.process = subprocess.Popen(
            ["/usr/sbin/chroot", "--userspec=yishi:yishi", str(box.path), "/usr/bin/yishi", "station", "run", "--config", "/etc/yishi/station.toml"],
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NOTIFY_SOCKET": "/run/yishi-notify"},
            stdout=subprocess.DEVNULL, stderr=open(box.file("/var/log/yishi-station.log"), "w"))
        message = ""
        while "READY=1" not in message:
            try:
                message = self.notify.recv(4096).decode()
            except socket.timeout:
                raise AssertionError("no READY=1: " + self.log())
        self.ready_seconds = time.monotonic() - started

    def log(self):
        return self.box.file("/var/log/yishi-station.log").read_text()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.notify.close()
        self.box.file("/run/yishi-notify").unlink(missing_ok=True)
        return self.process.returncode


@pytest.fixture(scope="module")
def world():
    if os.geteuid() != 0:
        pytest.skip("软件包测试要在 chroot 里安装，需要 root 运行")
    if not shutil.which("debootstrap"):
        pytest.skip("没有 debootstrap（scripts/setup 会安装它）")
    folder = Path(tempfile.mkdtemp(prefix="yishi-package-"))
    box = Box(folder / "box")
    central = None
    try:
        base_system(box.path)
        shutil.copy("/etc/resolv.conf", box.file("/etc/resolv.conf"))
        box.mount_proc()
        updated = box("apt-get", "update", check=False)
        if updated.returncode != 0:
            pytest.skip(f"箱子里的 apt 连不上 Debian 软件源：{updated.stderr[-500:]}")
        central = Central(folder)
        yield {"folder": folder, "box": box, "central": central, "deb": package(1)}
    finally:
        if central:
            central.stop()
        box.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def systemd_calls(box):
    log = box.file("/var/log/systemd-calls")
    return log.read_text() if log.exists() else ""


# apt runs dpkg with its own PATH (DPkg::Path); this one puts the stand-ins first.
APT_INSTALL = ["apt-get", "-o", "DPkg::Path=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "-y"]


def record_systemd_calls(box):
    """Stand-ins for what the maintainer scripts ask of systemd, ahead of the real ones on
    the PATH apt gives them, writing down each call; /run/systemd/system says "systemd is
    running"."""
    box.file("/run/systemd/system").mkdir(parents=True, exist_ok=True)
    for tool in ("systemctl", "deb-systemd-invoke"):
        stand_in = box.file(f"/usr/local/sbin/{tool}")
        stand_in.write_text(f'#!/bin/sh\necho "{tool} $*" >> /var/log/systemd-calls\n')
        stand_in.chmod(0o755)


def test_installs_from_debian_alone_on_a_bare_box(world):
    box, deb = world["box"], world["deb"]
    assert box("sh", "-c", "command -v swift swiftc", check=False).returncode != 0, "the box must have no Swift"
    record_systemd_calls(box)
    shutil.copy(deb, box.file(f"/tmp/{deb.name}"))
    install = box("sh", "-c", f"cd /tmp && {' '.join(APT_INSTALL)} install ./{deb.name}", timeout=900)
    assert "sudo yishi setup station" in install.stdout

    libraries = box("ldd", "/usr/bin/yishi").stdout
    assert "not found" not in libraries, libraries
    for line in libraries.splitlines():
        path = line.split("=>")[1].split("(")[0].strip() if "=>" in line else line.split("(")[0].strip()
        assert path.startswith(("/lib/", "/lib64/", "/usr/lib/")) or path.startswith("linux-vdso"), line
    assert "swift" not in libraries.lower()

    depends = box("dpkg-query", "-W", "-f=${Depends}", "yishi").stdout
    for needed in ("libc6", "libcurl4", "libsqlite3-0", "zlib1g", "adduser"):
        assert needed in depends, depends
    conffiles = box("dpkg-query", "-W", "-f=${Conffiles}", "yishi").stdout
    assert "/etc/yishi/station.toml" in conffiles and "/etc/yishi/central.toml" in conffiles
    assert box("getent", "passwd", "yishi").stdout.split(":")[6].strip() == "/usr/sbin/nologin"
    assert box("stat", "-c", "%U:%G %a", "/var/lib/yishi").stdout.strip() == "yishi:yishi 750"
    for unit in ("yishi-station.service", "yishi-central.service", "yishi-backup.service", "yishi-backup.timer"):
        assert box.file(f"/lib/systemd/system/{unit}").exists(), unit
    # Installing enables and starts nothing: the box is not set up yet.
    calls = systemd_calls(box)
    assert "systemctl --system daemon-reload" in calls, calls
    assert not re.search(r"\b(enable|start|restart|try-restart)\b", calls), calls

    version = box("yishi", "--version").stdout
    assert re.match(r"yishi \d+\.\d+\.\d+\n", version) and "schema 1" in version, version
    assert deb.name.startswith("yishi_" + version.split()[1] + "-1_")


def test_lintian_reports_no_error(world):
    if not shutil.which("lintian"):
        pytest.skip("没有 lintian（scripts/setup 会安装它）")
    result = run("lintian", "--fail-on", "error", "--display-info", world["deb"], check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^E: ", result.stdout, re.M), result.stdout
    (ARTIFACTS / "lintian.txt").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "lintian.txt").write_text(result.stdout)


def test_installed_units_pass_systemd_analyze_verify(world):
    box = world["box"]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        # The targets the units name come from the host's systemd; the units and the binary
        # they start are the ones the package installed.
        shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
        (root / "usr/bin").mkdir(parents=True)
        shutil.copy(box.file("/usr/bin/yishi"), root / "usr/bin/yishi")
        units = root / "etc/systemd/system"
        units.mkdir(parents=True)
        for unit in ("yishi-station.service", "yishi-central.service", "yishi-backup.service", "yishi-backup.timer"):
            shutil.copy(box.file(f"/lib/systemd/system/{unit}"), units / unit)
        # Documentation=man:yishi(1) is checked too, against the manual the package installed.
        result = run("systemd-analyze", "verify", f"--root={root}", *sorted(units.iterdir()), check=False,
                     env=dict(os.environ, MANPATH=str(box.file("/usr/share/man"))))
        assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def setup_station(box, central, desk_port):
    street = central.yishi("central", "street-key").stdout.splitlines()[0].strip()
    answers = f"HL3-01\nHL3\n哈量三社区\n{central.url}\n{street}\n127.0.0.1:{desk_port}\n王芳\n{PASSWORD}\n"
    result = box("yishi", "setup", "station", input=answers)
    enroll = re.search(r"sudo (yishi central enroll [^\n]+)", result.stdout)
    assert enroll, result.stdout
    assert "sudo systemctl enable --now yishi-station" in result.stdout
    return result.stdout, enroll.group(1).split()


def test_setup_then_the_daemon_syncs_with_the_central_and_serves_its_desk(world):
    box, central = world["box"], world["central"]
    desk_port = free_port()

    # A wrong answer stops the setup with its reason, and nothing is written.
    before = box.file("/etc/yishi/station.toml").read_text()
    refused = box("yishi", "setup", "station", input="HL3 01\n", check=False)
    assert refused.returncode == 1 and "只能用英文字母" in refused.stderr
    assert box.file("/etc/yishi/station.toml").read_text() == before
    assert not box.file("/var/lib/yishi/journal.jsonl").exists()

    output, enroll = setup_station(box, central, desk_port)
    (ARTIFACTS / "setup-station.txt").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "setup-station.txt").write_text(output)
    config = box.file("/etc/yishi/station.toml").read_text()
    assert f'central = "{central.url}"' in config and "# 连接超时" in config, config
    assert box("stat", "-c", "%U", "/var/lib/yishi/journal.jsonl", "/var/lib/yishi/station.key",
               "/var/lib/yishi/staff.sqlite").stdout.split() == ["yishi"] * 3
    # The exact line the station printed, run at the office.
    central.yishi(*enroll[1:])

    daemon = Daemon(box)
    try:
        box("yishi", "topic", "raise", "--title", "北门路灯不亮", "--channel", "说事厅", user="yishi",
            env={"YISHI_AUTHOR": "王芳"})
        deadline = time.time() + 60
        while "HL3-01=" not in central.clock() and time.time() < deadline:
            time.sleep(0.5)
        assert "HL3-01=" in central.clock()
        with urllib.request.urlopen(f"http://127.0.0.1:{desk_port}/login", timeout=10) as page:
            assert page.status == 200 and "登录" in page.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{desk_port}/healthz", timeout=10) as page:
            assert page.read().decode().strip() == "ok"
    finally:
        assert daemon.stop() == 0, daemon.log()


def test_an_upgrade_keeps_records_config_edits_and_keys_and_restarts_the_service(world):
    box, central = world["box"], world["central"]
    config = box.file("/etc/yishi/station.toml")
    config.write_text(config.read_text().replace("interval_seconds = 60", "# 本站改过：每 30 秒同步一次\ninterval_seconds = 30"))
    edited = config.read_text()
    key = hashlib.sha256(box.file("/var/lib/yishi/station.key").read_bytes()).hexdigest()
    digest = box("yishi", "digest", user="yishi").stdout

    newer = package(2)
    shutil.copy(newer, box.file(f"/tmp/{newer.name}"))
    box.file("/var/log/systemd-calls").unlink(missing_ok=True)
    box("sh", "-c", f"cd /tmp && {' '.join(APT_INSTALL)} install ./{newer.name}", timeout=900)
    assert box("dpkg-query", "-W", "-f=${Version}", "yishi").stdout.endswith("-2")
    assert "deb-systemd-invoke try-restart yishi-station.service yishi-central.service" in systemd_calls(box)
    assert config.read_text() == edited
    assert hashlib.sha256(box.file("/var/lib/yishi/station.key").read_bytes()).hexdigest() == key
    assert box("yishi", "digest", user="yishi").stdout == digest

    daemon = Daemon(box)
    try:
        before = central.clock()
        box("yishi", "topic", "raise", "--title", "二号楼电梯异响", "--channel", "说事厅", user="yishi",
            env={"YISHI_AUTHOR": "王芳"})
        deadline = time.time() + 60
        while central.clock() == before and time.time() < deadline:
            time.sleep(0.5)
        assert central.clock() != before, "the upgraded station did not sync on"
    finally:
        assert daemon.stop() == 0, daemon.log()


def test_figures_of_the_installed_daemon(world):
    """Not a check: BENCHMARKS.md's figures for the package, the binary and the installed
    daemon's start, printed by yishi-bench beside its baselines when YISHI_BENCH names it
    (`swift build -c release --product yishi-bench`)."""
    bench = os.environ.get("YISHI_BENCH")
    if not bench:
        pytest.skip("YISHI_BENCH 未设置：不测安装后的启动时间和内存")
    box, deb = world["box"], world["deb"]
    figures = run(bench, "start", "--root", box.path, timeout=600).stdout
    figures = f"package {deb.name}: {deb.stat().st_size / 1_048_576:.1f} MB\n" + figures
    (ARTIFACTS / "package-figures.txt").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "package-figures.txt").write_text(figures)
    print(figures)


def test_remove_and_purge_keep_the_records(world):
    box = world["box"]
    journal = box.file("/var/lib/yishi/journal.jsonl").read_bytes()
    box.file("/var/log/systemd-calls").unlink(missing_ok=True)
    box(*APT_INSTALL, "remove", "yishi")
    assert "deb-systemd-invoke stop" in systemd_calls(box)
    assert not box.file("/usr/bin/yishi").exists()
    assert box.file("/var/lib/yishi/journal.jsonl").read_bytes() == journal
    assert box.file("/etc/yishi/station.toml").exists(), "remove keeps the config"

    purge = box(*APT_INSTALL, "purge", "yishi")
    assert "已保留 /var/lib/yishi" in purge.stdout, purge.stdout
    assert box.file("/var/lib/yishi/journal.jsonl").read_bytes() == journal
    assert box.file("/var/lib/yishi/station.key").exists()
    assert not box.file("/etc/yishi/station.toml").exists(), "purge removes the config"
    assert box("getent", "passwd", "yishi").returncode == 0
