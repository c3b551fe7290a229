"""What a stranger learns from the central and can do to its logins, over plain HTTP on
127.0.0.1: /metrics and /healthz's details only for the monitoring, one answer for an
unknown station and a bad signature, logins throttled per address (decided before the
password is checked) and never per name, X-Forwarded-For believed only from a named proxy,
`next` only to this desk, Secure cookies and HSTS behind an HTTPS proxy."""

import base64
import concurrent.futures
import gzip
import json
import urllib.error
import urllib.request

from conftest import Central, Client, Station, yishi

TOKEN = "monitoring-token-0123456789"


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def office(folder, config):
    central = Central(folder)
    central.command("user", "add", "--name", "街道李", "--role", "街道管理员", stdin="mima12345\n")
    token_file = folder / "monitoring-token"
    token_file.write_text(TOKEN + "\n")
    url = central.start(config=dict({"monitoring_addresses": '"10.9.9.9"', "monitoring_token_file": f'"{token_file}"'}, **config))
    return central, url


def test_strangers_learn_little_and_the_monitoring_all(folder):
    central, url = office(folder, {})
    try:
        station = Station(folder, "HL3-01", central=url)
        central.enroll(station)
        yishi("sync", "--once", "--central", url, data=station.data)
        assert get(url + "/metrics")[0] == 404
        status, _, metrics = get(url + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200 and 'yishi_station_lag_ops{station="HL3-01"}' in metrics
        assert get(url + "/healthz")[2] == "ok\n"
        # A stranger cannot tell an enrolled station from an unknown one.
        body = gzip.compress(b"{}")
        signature = base64.b64encode(bytes(64)).decode()
        answers = []
        for station_id in ("HL3-01", "HL3-77"):
            headers = {"Yishi-Station": station_id, "Yishi-Sequence": "99", "Yishi-Time": "1", "Yishi-Signature": signature,
                       "Content-Encoding": "gzip"}
            answers.append(post(url + "/v1/pull", body, headers))
        assert answers[0] == answers[1] and answers[0][0] == 401, answers
        assert "HL3-77" not in answers[1][1]
    finally:
        central.stop()


def login(base, name, password, forwarded=None):
    client = Client(base)
    token = client.csrf("/login")
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    data = urllib.parse.urlencode({"_csrf": token, "name": name, "password": password, "next": ""}).encode()
    request = urllib.request.Request(base + "/login", data=data, headers=headers)
    try:
        with client.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_logins_are_throttled_per_address_and_never_lock_a_name_out(folder):
    # Behind a proxy on this machine, which the config names, so that addresses are told apart.
    central, url = office(folder, {"trusted_proxies": '"127.0.0.1"'})
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=30) as pool:
            tries = list(pool.map(lambda index: login(url, "街道李", "mima12345" if index == 29 else "wrong-guess",
                                                      forwarded="203.0.113.9"), range(30)))
        judged = [page for status, page in tries if "秒后再试" not in page]
        assert len(judged) == 3 and all(status != 303 for status, _ in tries), [s for s, _ in tries]
        # The person at her own desk gets in while the guesser waits.
        assert login(url, "街道李", "mima12345", forwarded="10.0.0.5")[0] == 303
        assert "秒后再试" in login(url, "街道李", "mima12345", forwarded="203.0.113.9")[1]
    finally:
        central.stop()


def test_forwarded_for_is_believed_only_from_a_named_proxy(folder):
    central, url = office(folder, {})
    try:
        for index in range(3):
            login(url, "街道李", "wrong-guess", forwarded=f"198.51.100.{index}")
        # Each try claimed another address; none was believed: this machine waits.
        assert "秒后再试" in login(url, "街道李", "mima12345", forwarded="10.0.0.5")[1]
    finally:
        central.stop()


def test_next_leads_only_to_this_desk(folder):
    central, url = office(folder, {})
    try:
        # As typed in an address: `%09` is a tab once the query is read, which browsers drop.
        for query in ("/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%0A/evil.example"):
            status, _, page = Client(url).get("/login?next=" + query)
            assert status == 200 and 'name="next" value=""' in page, (query, page[:300])
        for sneaky in ("/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"):
            client = Client(url)
            token = client.csrf("/login")
            status, headers, _ = client.post("/login", {"_csrf": token, "name": "街道李", "password": "mima12345", "next": sneaky})
            assert status == 303 and headers["Location"] == "/office", (sneaky, headers["Location"])
    finally:
        central.stop()


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(folder):
    central, url = office(folder, {"https_proxy": "true"})
    try:
        status, headers, _ = get(url + "/login")
        cookie = headers.get("Set-Cookie", "")
        assert status == 200 and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
        assert headers.get("Strict-Transport-Security") == "max-age=31536000"
        assert get(url + "/public")[1].get("Strict-Transport-Security") == "max-age=31536000"
    finally:
        central.stop()
