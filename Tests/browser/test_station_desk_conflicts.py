"""Two stations edit the same topic through their desks while cut off from each other,
sync through a real central on 127.0.0.1, and each desk's conflict page shows both sides
(station, author, time) until one person settles it for both. A station on a newer build
syncs through the same central, and what this build does not know is shown, not hidden."""

import json
import time

from conftest import Central, Station, screenshot, yishi
from desk import Desk


def synced_since(box, moment):
    """The station's last successful sync started after `moment` (ms since 1970)."""
    status = json.loads(yishi("status", "--json", data=box.data).stdout)
    return status["lastSync"] != "" and int(status["lastSync"]) >= moment


def sync_now(desk, box):
    """A person presses 立即同步 and waits until the banner would say it went through."""
    moment = int(time.time() * 1000)
    desk.open("/today")
    desk.click("立即同步")
    assert "已开始同步" in desk.flash()
    wait_for(lambda: synced_since(box, moment))


def wait_for(condition, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_concurrent_titles_show_as_a_conflict_at_both_desks(folder, browsers):
    central = Central(folder)
    url = central.start()
    a, b = Station(folder, "HL3-01", central=url), Station(folder, "HL3-02", central=url)
    for box, person in ((a, "王芳"), (b, "李强")):
        central.enroll(box)
        box.add_user(person, "社区工作者")
        box.start(now="2026-11-02 09:00")
    try:
        desk_a, desk_b = Desk(browsers(), a), Desk(browsers(), b)
        desk_a.login("王芳")
        desk_b.login("李强")

        desk_a.open("/topics/new")
        desk_a.type("标题", "北门垃圾分类设施选址")
        desk_a.choose("渠道", "红马扎")
        desk_a.click("登记")
        topic = "HL3-01-2026-0001"
        sync_now(desk_a, a)
        sync_now(desk_b, b)
        desk_b.open(f"/topics/{topic}")
        assert "北门垃圾分类设施选址" in desk_b.text()

        # Cut off: the central goes down; both desks keep working and each edits the title.
        central.stop()
        desk_a.open(f"/topics/{topic}/edit")
        desk_a.type("标题", "北门垃圾分类设施选址与清运")
        desk_a.click("保存修改")
        desk_b.open(f"/topics/{topic}/edit")
        desk_b.type("标题", "北门增设分类垃圾桶")
        desk_b.click("保存修改")

        # Healed: both sync (A, B, A) and both see the one real conflict.
        central.start(port=central.port)
        for desk, box in ((desk_a, a), (desk_b, b), (desk_a, a)):
            sync_now(desk, box)
        for desk, name in ((desk_a, "a"), (desk_b, "b")):
            desk.open("/conflicts")
            page = desk.text()
            assert "北门垃圾分类设施选址与清运" in page and "北门增设分类垃圾桶" in page
            assert "站点 HL3-01 · 王芳" in page and "站点 HL3-02 · 李强" in page
            screenshot(desk.driver, f"20-conflict-{name}")

        # Settled at B by picking A's words; after a sync A sees it settled too.
        desk_b.open("/conflicts")
        side = desk_b.driver.find_element("xpath", "//div[@class='side'][.//strong[text()='北门垃圾分类设施选址与清运']]//input")
        side.click()
        desk_b.click("确认")
        assert "已确认" in desk_b.flash() and "没有等待确认的冲突" in desk_b.text()
        sync_now(desk_b, b)
        sync_now(desk_a, a)
        desk_a.open("/conflicts")
        assert "没有等待确认的冲突" in desk_a.text()
        desk_a.open(f"/topics/{topic}")
        assert "北门垃圾分类设施选址与清运" in desk_a.text()
        assert a.digest() != "" and yishi("digest", "--scope", "HL3", data=a.data).stdout == yishi("digest", "--scope", "HL3", data=b.data).stdout
    finally:
        a.stop()
        b.stop()
        central.stop()


def test_what_a_newer_build_wrote_is_shown_as_newer_content(folder, browser):
    central = Central(folder)
    url = central.start()
    a, newer = Station(folder, "HL3-01", central=url), Station(folder, "HL3-02", central=url)
    for box in (a, newer):
        central.enroll(box)
    a.add_user("王芳", "社区工作者")
    a.start(now="2026-11-02 09:00")
    try:
        desk = Desk(browser, a)
        desk.login("王芳")
        desk.open("/topics/new")
        desk.type("标题", "北门门禁更换")
        desk.choose("渠道", "说事点")
        desk.click("登记")
        topic = "HL3-01-2026-0001"
        yishi("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--confirm", topic, data=a.data, now="2026-11-02 09:05")
        meeting = yishi("meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-06 14:30", "--place", "社区议事厅",
                        "--host", "张书记", "--topic", topic, "--json", data=a.data, now="2026-11-02 09:05")
        meeting = json.loads(meeting.stdout)["meeting"]
        sync_now(desk, a)

        # The newer build adds a field and a choice in two vocabularies, and syncs.
        yishi("sync", "--once", "--central", url, data=newer.data)
        for record, field, value in ((f"topic/{topic}", "category", "社区安全"),
                                     (f"topic/{topic}", "satisfactionSurvey", "已发放 120 份"),
                                     (f"meeting/{meeting}", "form", "线上线下结合协商会")):
            yishi("debug", "put", record, field, value, data=newer.data, test_tools=True)
        yishi("sync", "--once", "--central", url, data=newer.data)

        sync_now(desk, a)
        desk.open(f"/topics/{topic}")
        notice = desk.driver.find_element("css selector", "p.newer[role=note]").text
        assert "有新版本的内容，请升级后查看" in notice
        assert "类别“社区安全”" in notice and "satisfactionSurvey" in notice
        assert f"会议 {meeting}：会议形式“线上线下结合协商会”" in notice
        assert "北门门禁更换" in desk.text()
        screenshot(desk.driver, "21-newer-content-topic")
        desk.open(f"/meetings/{meeting}")
        notice = desk.driver.find_element("css selector", "p.newer[role=note]").text
        assert "会议形式“线上线下结合协商会”" in notice
        assert a.digest() == yishi("digest", data=newer.data).stdout
    finally:
        a.stop()
        central.stop()
