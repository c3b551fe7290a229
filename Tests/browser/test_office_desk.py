"""The street office's desk at the central (`yishi central serve`, same port as sync):
every community at a glance, the escalations by department with the department's answer
recorded there and delivered to the station, the stations' health, and who may do what."""

import datetime
import json
import random
import re
import urllib.request

from conftest import Central, Client, Station, chromium, screenshot, yishi, yishi_json
from desk import Desk

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def beijing(days=0):
    return datetime.datetime.now(BEIJING) + datetime.timedelta(days=days)


def office_user(central, name, role):
    central.command("user", "add", "--name", name, "--role", role, stdin="mima12345\n")


def start_office(central, days_later=0):
    """The central as the office sees it `days_later` days from now (YISHI_NOW)."""
    import os
    os.environ["YISHI_NOW"] = beijing(days_later).strftime("%Y-%m-%d %H:%M")
    try:
        return central.start()
    finally:
        del os.environ["YISHI_NOW"]


def test_an_overdue_escalation_answered_at_the_office_reaches_the_station(backend, folder, browser):
    central = Central(folder, backend)
    url = central.start()
    station = Station(folder, "HL3-01", central=url)
    quiet = Station(folder, "DSF-01", community="DSF", central=url)
    for box, community in ((station, "HL3"), (quiet, "DSF")):
        central.enroll(box, community=community)
    office_user(central, "街道李", "街道工作人员")
    topic = yishi_json("topic", "raise", "--title", "高龄津贴迟迟未发", "--channel", "入户走访", data=station.data)["topic"]
    deadline = beijing(2).strftime("%Y-%m-%d")
    escalation = yishi_json("escalation", "add", "--topic", topic, "--level", "街道", "--department", "民政科",
                            "--reason", "社区无权核发津贴", "--deadline", deadline, data=station.data)["escalation"]
    for box in (station, quiet):
        yishi("sync", "--once", "--central", url, data=box.data)
    central.stop()

    # Four days on: the station has been silent since, and the escalation is overdue.
    url = start_office(central, days_later=4)
    try:
        desk = Desk(browser, type("Office", (), {"url": url})())
        desk.login("街道李")
        assert browser.current_url.endswith("/office")
        page = desk.text()
        assert "HL3" in page and "DSF" in page and "有站点 3 天以上未同步" in page
        screenshot(browser, "30-office-overview")
        desk.click("HL3")
        page = desk.text()
        assert "社区 HL3" in page and "待街道办理的上报件 1 件" in page and "3 天以上未同步" in page
        screenshot(browser, "31-office-community")
        desk.click("上报件")
        assert escalation in desk.text() and "超期 2 天" in desk.text()
        screenshot(browser, "32-office-escalations")
        desk.click("记录报到与答复")
        # A mistyped date is refused beside its field, with the answer kept (the same
        # form and check as at the station).
        today = desk.field("报到日期").get_attribute("value")
        desk.type("报到日期", "2026-11-31")
        desk.type("部门答复", "津贴已于本月补发到账")
        desk.click("保存")
        assert "报到日期“2026-11-31”不是有效日期" in desk.error_beside("报到日期")
        assert desk.field("部门答复").get_attribute("value") == "津贴已于本月补发到账"
        desk.type("报到日期", today)
        desk.click("保存")
        assert f"已记录上报件 {escalation}" in desk.flash()
        assert "津贴已于本月补发到账" in desk.text()
        desk.click("站点")
        assert "HL3-01" in desk.text() and "DSF-01" in desk.text()
        screenshot(browser, "33-office-stations")
        # The station's next sync brings the answer, written under the community's own origin.
        yishi("sync", "--once", "--central", url, data=station.data)
        shown = yishi("topic", "show", topic, data=station.data).stdout
        assert "已报到：津贴已于本月补发到账" in shown, shown
        history = yishi_json("topic", "history", topic, data=station.data)
        assert history is not None
        clock = yishi("clock", data=station.data).stdout
        # The community's own origin: the single central's, or the writing process's.
        assert re.search(r"central(-[0-9a-f]{8})?\.HL3=", clock), clock
    finally:
        central.stop()


def test_who_may_do_what_at_the_office(backend, folder):
    central = Central(folder, backend)
    station = Station(folder, "HL3-01")
    office_user(central, "街道管理员甲", "街道管理员")
    office_user(central, "只读乙", "只读")
    url = central.start()
    try:
        # No session: the login page, and nothing changes.
        anonymous = Client(url)
        status, headers, _ = anonymous.get("/office")
        assert status == 303 and headers["Location"].startswith("/login")
        status, headers, _ = anonymous.post("/office/stations/new", {"station": "X-01", "community": "X", "key": "k"})
        assert status == 303 and central.command("stations").stdout.strip() == ""
        # A station's signature opens no page; a browser session authorises no sync request.
        viewer = Client(url).login_to("只读乙", home="/office")
        status, _, body = viewer.post("/v1/push", {"x": "y"})
        assert status == 401 and "unsigned" in body
        # 只读 may look, not enroll, revoke or record an answer.
        assert viewer.get("/office")[0] == 200 and viewer.get("/office/stations")[0] == 200
        token = viewer.csrf("/office")
        key = yishi("key", data=station.data).stdout.strip()
        status, _, page = viewer.post("/office/stations/new", {"_csrf": token, "station": "HL3-01", "community": "HL3", "key": key})
        assert status == 403 and "没有权限" in page
        assert central.command("stations").stdout.strip() == ""
        # The administrator enrolls through the page; a bad key is refused beside the field.
        admin = Client(url).login_to("街道管理员甲", home="/office")
        token = admin.csrf("/office/stations/new")
        status, _, page = admin.post("/office/stations/new", {"_csrf": token, "station": "HL3-01", "community": "HL3", "key": "不是公钥"})
        assert status == 422 and "公钥" in page and 'value="HL3-01"' in page
        status, _, _ = admin.post("/office/stations/new", {"_csrf": token, "station": "HL3-01", "community": "HL3", "key": key})
        assert status == 303 and "HL3-01" in central.command("stations").stdout
        # The box is replaced: the new box's key, enrolled as a new box, gets a new replica id;
        # the old key may never be enrolled again.
        new_box = Station(folder, "HL3-01-new")
        new_key = yishi("key", data=new_box.data).stdout.strip()
        status, _, _ = admin.post("/office/stations/new", {"_csrf": token, "station": "HL3-01", "community": "HL3",
                                                            "key": new_key, "newBox": "on"})
        assert status == 303 and "设备 HL3-01.2" in central.command("stations").stdout
        assert "HL3-01.2（替换了 HL3-01）" in admin.get("/office/stations")[2]
        status, _, page = admin.post("/office/stations/new", {"_csrf": token, "station": "HL3-01", "community": "HL3", "key": key})
        assert status == 422 and "已经停用的旧密钥" in page
        # A forged form (no token) is refused.
        status, _, _ = admin.post("/office/stations/HL3-01/revoke", {})
        assert status == 403 and "已停用" not in central.command("stations").stdout
        status, _, _ = admin.post("/office/stations/HL3-01/revoke", {"_csrf": token})
        assert status == 303 and "已停用" in central.command("stations").stdout
    finally:
        central.stop()


def test_the_office_desk_over_https_keeps_a_secure_session_and_shows_its_certificate(backend, folder):
    """The central serving HTTPS with the office's own certificate: staff log in through
    TLS, the session cookie is Secure and HttpOnly, and the 站点 page shows which
    certificate stations are checking and until when it holds."""
    central = Central(folder, backend)
    office_user(central, "街道管理员甲", "街道管理员")
    url = central.start(tls=True)
    driver = chromium(trusting_any_certificate=True)
    try:
        assert url.startswith("https://127.0.0.1:")
        desk = Desk(driver, type("Office", (), {"url": url})())
        desk.login("街道管理员甲")
        assert driver.current_url.startswith("https://") and driver.current_url.endswith("/office")
        sessions = [cookie for cookie in driver.get_cookies() if cookie.get("httpOnly")]
        assert sessions and all(cookie["secure"] and cookie.get("sameSite") in ("Strict", "Lax") for cookie in sessions)
        desk.open("/office/stations")
        section = driver.find_element("css selector", "section[aria-labelledby=cert-h]").text
        for label in ("中心证书", "适用的地址", "127.0.0.1", "签发者", "有效期至", "SHA-256 指纹"):
            assert label in section, (label, section)
        screenshot(driver, "34-office-stations-certificate")
    finally:
        driver.quit()
        central.stop()


def overview_rows(page):
    """Community → [raised, solved, rate, open, overdue actions, street waiting, satisfaction]."""
    rows = {}
    for match in re.finditer(r'<th scope="row"><a href="/office/communities/([^"]+)">.*?</th>\s*'
                             r'<td>(\d+)</td><td>(\d+)</td><td>([\d.]+%)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>'
                             r'\s*<td>([\d.]+%|—)</td>', page, re.S):
        rows[match.group(1)] = [int(match.group(2)), int(match.group(3)), match.group(4), int(match.group(5)),
                                int(match.group(6)), int(match.group(7)), match.group(8)]
    return rows


def test_the_overview_agrees_with_each_synced_station(backend, folder):
    random.seed(7)
    central = Central(folder, backend)
    url = central.start()
    office_user(central, "街道李", "只读")
    expected = {}
    for community in ("HL3", "DSF", "SX"):
        box = Station(folder, f"{community}-01", community=community, central=url)
        central.enroll(box, community=community)
        for index in range(random.randint(2, 5)):
            topic = yishi_json("topic", "raise", "--title", f"事项{index}", "--channel", "说事点", data=box.data)["topic"]
            if random.random() < 0.5:
                escalation = yishi_json("escalation", "add", "--topic", topic, "--level", "街道", "--department", "城管科",
                                        "--reason", "需要街道协调", data=box.data)["escalation"]
                central.office(box, "escalation", "respond", escalation, "--reported-on", beijing().strftime("%Y-%m-%d"),
                               "--response", "已处理",
                               shows=lambda station: "已处理" in yishi("topic", "show", topic, data=station.data).stdout)
                for evaluator in ("甲", "乙"):
                    yishi("evaluation", "add", "--topic", topic, "--evaluator", evaluator, "--rating", "满意", data=box.data)
                yishi("evaluation", "close", "--topic", topic, data=box.data)
        yishi("sync", "--once", "--central", url, data=box.data)
        year = beijing().year
        stats = yishi_json("stats", "--from", f"{year}-01-01", "--to", beijing().strftime("%Y-%m-%d"), data=box.data)
        rated = [r["satisfied"] + r["basic"] + r["unsatisfied"] for r in stats["satisfaction"]]
        content = [r["satisfied"] + r["basic"] for r in stats["satisfaction"]]
        satisfaction = f"{100 * sum(content) / sum(rated):.1f}%" if sum(rated) else "—"
        overdue = len([item for item in stats["overdue"] if item["what"].startswith("落实事项")])
        expected[community] = [stats["raised"], stats["solved"], satisfaction, overdue]
    try:
        client = Client(url).login_to("街道李", home="/office")
        status, _, page = client.get("/office")
        assert status == 200
        rows = overview_rows(page)
        assert {name: row[:2] + [row[6], row[4]] for name, row in rows.items()} == expected, (rows, expected)
    finally:
        central.stop()


def test_the_office_reads_every_community(backend, folder, browser):
    """社区, its topics and their history, 检索 across communities and 统计 with the CSV, in
    Chromium as a 只读 office user, who sees everything and can change nothing."""
    central = Central(folder, backend)
    url = central.start()
    topics = {}
    for community, titles in (("HL3", ["电梯维修资金怎么筹", "北门垃圾分类点选址"]), ("DSF", ["老楼加装电梯的意见"])):
        box = Station(folder, f"{community}-01", community=community, central=url)
        central.enroll(box, community=community)
        for title in titles:
            topics[title] = yishi_json("topic", "raise", "--title", title, "--channel", "说事点", data=box.data)["topic"]
        yishi("escalation", "add", "--topic", topics[titles[0]], "--level", "街道", "--department", "房管科",
              "--reason", "需要街道协调", data=box.data)
        yishi("sync", "--once", "--central", url, data=box.data)
    office_user(central, "街道周", "只读")
    try:
        desk = Desk(browser, type("Office", (), {"url": url})())
        desk.login("街道周")
        desk.click("HL3")
        page = desk.text()
        assert "社区 HL3" in page and "登记议题 2 件" in page and "待街道办理的上报件 1 件" in page
        # A period with nothing in it, and a date that is not one, kept with its message.
        desk.type("从", "2025-01-01")
        desk.type("到", "2025-02-30")
        desk.click("按此期间统计")
        assert "不是有效日期" in desk.text() and desk.field("到").get_attribute("value") == "2025-02-30"
        desk.click("议题")
        page = desk.text()
        assert "共 2 个议题" in page and "老楼加装电梯" not in page
        desk.type("搜索", "电梯")
        desk.click("筛选")
        page = desk.text()
        assert "共 1 个议题" in page and "电梯维修资金怎么筹" in page
        desk.click(topics["电梯维修资金怎么筹"])
        page = desk.text()
        assert "电梯维修资金怎么筹" in page and "房管科" in page
        # Read-only: no step of the loop is offered, nor the department's answer (只读).
        assert "安排协商会议" not in page and "记录报到" not in page
        screenshot(browser, "34-office-topic")
        desk.click("修改记录")
        assert "标题" in desk.text() and "HL3-01" in desk.text()

        desk.click("检索")
        desk.type("搜索", "电梯")
        desk.click("筛选")
        page = desk.text()
        assert "共 2 个议题" in page and "HL3" in page and "DSF" in page
        screenshot(browser, "35-office-search")
        desk.click(topics["老楼加装电梯的意见"])
        assert "/office/communities/DSF/topics/" in browser.current_url and "老楼加装电梯的意见" in desk.text()

        desk.click("统计")
        page = desk.text()
        assert "统计（全部社区）" in page and "登记议题 3 件" in page and "各社区" in page
        assert len(browser.find_elements("css selector", "main svg")) >= 1
        screenshot(browser, "36-office-stats")

        client = Client(url).login_to("街道周", home="/office")
        status, headers, body = client.get("/office/stats.csv")
        assert status == 200 and body.startswith("\ufeff") and "text/csv" in headers.get("Content-Type", "")
        lines = body.strip("\ufeff").splitlines()
        assert lines[0] == "社区,指标,项目,数值"
        assert "全部社区,汇总,登记议题,3 件" in lines and "HL3,汇总,登记议题,2 件" in lines and "DSF,汇总,登记议题,1 件" in lines
        # A topic asked for under another community, and a community that does not exist.
        status, _, _ = client.get(f"/office/communities/DSF/topics/{topics['电梯维修资金怎么筹']}")
        assert status == 404
        status, _, _ = client.get("/office/communities/NOPE")
        assert status == 404
    finally:
        central.stop()
