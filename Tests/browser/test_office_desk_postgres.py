"""The office desk served by two central processes on one PostgreSQL database
(`yishi central serve --database`), on the test run's private cluster: the accounts a
single central had log in through either process after `central migrate`, a session
opened on one is honoured by the other, and a department's answer recorded through one is
on the other's pages within two seconds and reaches the station through either."""

import datetime
import re
import subprocess
import time
from pathlib import Path


from conftest import BIN, Central, Client, Station, fresh_database, screenshot, yishi, yishi_json
from desk import Desk

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


class SharedProcess:
    """`yishi central serve --database …` on a folder of its own."""

    def __init__(self, folder, database, password_file, street_key):
        self.process = subprocess.Popen(
            [BIN, "central", "serve", "--port", "0", "--data", str(folder), "--database", database,
             "--database-password-file", password_file, "--street-key", str(street_key)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, line
        self.url = match.group(0)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def test_two_processes_serve_one_office_desk(folder, browser):
    # A single central first, with an account, a station and an escalation.
    central = Central(folder)
    url = central.start()
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    yishi("central", "user", "add", "--data", str(central.data), "--name", "街道李", "--role", "街道工作人员", stdin="mima12345\n")
    topic = yishi_json("topic", "raise", "--title", "高龄津贴迟迟未发", "--channel", "入户走访", data=station.data)["topic"]
    deadline = (datetime.datetime.now(BEIJING) + datetime.timedelta(days=10)).strftime("%Y-%m-%d")
    escalation = yishi_json("escalation", "add", "--topic", topic, "--level", "街道", "--department", "民政科",
                            "--reason", "社区无权核发津贴", "--deadline", deadline, data=station.data)["escalation"]
    yishi("sync", "--once", "--central", url, data=station.data)
    central.stop()

    database, password_file = fresh_database()
    moved = yishi("central", "migrate", "--data", str(central.data), "--to", database,
                  "--database-password-file", password_file).stdout
    assert "1 个工作台账号" in moved, moved

    # Every process loads the moved central's street key, which its stations trust.
    one = SharedProcess(folder / "view-one", database, password_file, central.data / "street.key")
    two = SharedProcess(folder / "view-two", database, password_file, central.data / "street.key")
    try:
        # The answer recorded through the first process, by a person, in Chromium.
        desk = Desk(browser, type("Office", (), {"url": one.url})())
        desk.login("街道李")
        assert browser.current_url.endswith("/office")
        desk.click("上报件")
        assert escalation in desk.text()
        desk.click("记录报到与答复")
        desk.type("部门答复", "津贴已于本月补发到账")
        desk.click("保存")
        assert f"已记录上报件 {escalation}" in desk.flash()
        assert "津贴已于本月补发到账" in desk.text()

        # The same browser on the second process: the session is the database's, and the
        # answer is there within two seconds (cookies are per host, not per port).
        started = time.monotonic()
        while True:
            browser.get(two.url + "/office/escalations?answered=1")
            if "津贴已于本月补发到账" in browser.find_element("tag name", "main").text or time.monotonic() - started > 2:
                break
            time.sleep(0.1)
        assert browser.current_url.endswith("/office/escalations?answered=1"), browser.current_url
        assert "津贴已于本月补发到账" in browser.find_element("tag name", "main").text
        screenshot(browser, "38-office-on-postgresql")

        # Logging in directly on the second process works too: the accounts are shared.
        client = Client(two.url).login_to("街道李", home="/office")
        status, _, page = client.get("/office/stations")
        assert status == 200 and "HL3-01" in page

        # The station pulls the answer through the second process, under the first
        # process's own origin for the community.
        yishi("sync", "--once", "--central", two.url, data=station.data)
        shown = yishi("topic", "show", topic, data=station.data).stdout
        assert "已报到：津贴已于本月补发到账" in shown, shown
        clock = yishi("clock", data=station.data).stdout
        assert re.search(r"central-[0-9a-f]{8}\.HL3=", clock), clock
    finally:
        one.stop()
        two.stop()
