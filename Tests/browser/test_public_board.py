"""The residents' board (公示栏) and online intake (网络征集) in Chromium at a phone's size
(360×740), as a resident would use it: open the community's board, open a result, raise a
matter, get a receipt and look it up; a community worker then sees it on 今日 and
classifies it, and the receipt shows the new status. The same at a station's own board
with the central unreachable. The QR code on a printed notice is read back with zbarimg."""

import datetime
import re
import shutil
import subprocess
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import ARTIFACTS, Central, Station, chromium, screenshot, yishi, yishi_json
from desk import Desk

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def phone():
    driver = chromium()
    driver.set_window_size(360, 740)
    return driver


def no_sideways_scrolling(driver):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360, width


def community_with_a_meeting(station, central_url):
    """A committee, a topic confirmed and noticed for a meeting in five days, synced."""
    for name, category in [("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表")]:
        yishi("committee", "add", "--name", name, "--category", category, "--from", "2024-01-01", "--to", "2030-12-31", data=station.data)
    topic = yishi_json("topic", "raise", "--title", "北门增设自行车棚", "--channel", "说事厅", "--proposer", "钱秘密",
                       "--phone", "13812345678", "--description", "钱秘密反映北门没有车棚，电瓶车堆在楼道。", data=station.data)["topic"]
    yishi("joint", "hold", "--date", datetime.datetime.now(BEIJING).strftime("%Y-%m-%d"), "--participant", "张书记", "--confirm", topic,
          data=station.data)
    when = (datetime.datetime.now(BEIJING) + datetime.timedelta(days=5)).strftime("%Y-%m-%d 14:30")
    meeting = yishi_json("meeting", "schedule", "--form", "居民议事会", "--time", when, "--place", "北门说事点", "--host", "张书记",
                         "--topic", topic, data=station.data)["meeting"]
    if central_url:
        yishi("sync", "--once", "--central", central_url, data=station.data)
    return topic, meeting


def raise_on_the_board(board, base, community, matter, place):
    board.get(f"{base}/public/{community}")
    desk = Desk(board, type("Board", (), {"url": base})())
    desk.click("我要反映一件事")
    no_sideways_scrolling(board)
    desk.click("提交")
    assert "请写上您要反映的事情" in desk.error_beside("反映的事项（必填）")
    desk.type("反映的事项（必填）", matter)
    desk.type("地点", place)
    desk.type("电话", "1381234")
    desk.click("提交")
    assert "格式不对" in desk.error_beside("电话")
    assert desk.field("反映的事项（必填）").get_attribute("value") == matter
    desk.type("称呼", "赵大爷")
    desk.type("电话", "13912345678")
    desk.click("提交")
    code = board.find_element(By.CSS_SELECTOR, ".receipt").text
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code), code
    return desk, code


def look_up(board, desk, base, community, code):
    board.get(f"{base}/public/{community}/receipt")
    desk.type("回执号", code.lower().replace("-", " "))
    desk.click("查询")
    return board.find_element(By.CSS_SELECTOR, ".steps").text


def test_a_resident_on_a_phone_raises_a_matter_at_the_central_and_follows_it(backend, folder, browsers):
    central = Central(folder, backend)
    url = central.start(public=True)
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    station.add_user("王芳", "社区工作者")
    topic, meeting = community_with_a_meeting(station, url)
    board = phone()
    try:
        board.get(f"{url}/public")
        assert board.current_url.endswith("/public/HL3")
        page = board.find_element(By.TAG_NAME, "main").text
        assert "HL3 议事公示栏" in page and "收集事项" in page and "居民议事会" in page
        no_sideways_scrolling(board)
        screenshot(board, "60-board-phone")
        board.find_element(By.LINK_TEXT, "北门增设自行车棚").click()
        page = board.find_element(By.TAG_NAME, "main").text
        assert "北门增设自行车棚" in page and "经社区党组织和居委会联席会议确定为议题" in page
        assert "钱秘密" not in board.page_source and "13812345678" not in board.page_source
        no_sideways_scrolling(board)
        screenshot(board, "61-board-result-phone")

        desk, code = raise_on_the_board(board, url, "HL3", "7号楼501门口的下水道堵了，臭味很大，请尽快疏通。", "7号楼")
        screenshot(board, "62-board-receipt-phone")
        steps = look_up(board, desk, url, "HL3", code)
        assert "已受理" in steps and "待分类" in steps and "赵大爷" not in board.page_source
        screenshot(board, "63-board-lookup-phone")

        # The matter reaches the station on its next sync, among the topics to classify.
        yishi("sync", "--once", "--central", url, data=station.data)
        station.start()
        worker = Desk(browsers(), station)
        worker.login("王芳")
        online = "HL3-W-" + datetime.datetime.now(BEIJING).strftime("%Y") + "-0001"
        today = worker.text()
        assert "待分类的议题" in today and f"{online} 7号楼：7号楼501门口的下水道堵了" in today
        worker.click(f"{online} 7号楼：7号楼501门口的下水道堵了，臭味很大，请尽快疏通")
        assert "网络平台" in worker.text() and "赵大爷" in worker.text()
        worker.click("分类")
        worker.radio("办理类别", "即办件")
        worker.click("保存分类")
        assert "已分类为“即办件”" in worker.flash()
        shown = yishi("topic", "show", online, data=station.data).stdout
        assert "网络平台" in shown
        history = yishi("clock", data=station.data).stdout
        # The community's own origin: the single central's, or the writing process's.
        assert re.search(r"central(-[0-9a-f]{8})?\.HL3=", history), history
        yishi("sync", "--once", "--central", url, data=station.data)
        steps = look_up(board, desk, url, "HL3", code)
        assert "已分类" in steps and "即办件" in steps
    finally:
        board.quit()
        station.stop()
        central.stop()


def test_the_stations_own_board_works_with_the_central_unreachable(folder, browsers):
    station = Station(folder, "HL3-01", central="http://127.0.0.1:9")
    station.add_user("王芳", "社区工作者")
    community_with_a_meeting(station, None)
    station.start()
    board = phone()
    try:
        board.get(station.url + "/public")
        assert board.current_url.endswith("/public/HL3")
        desk, code = raise_on_the_board(board, station.url, "HL3", "东门路灯坏了三盏，晚上很黑。", "东门")
        steps = look_up(board, desk, station.url, "HL3", code)
        assert "已受理" in steps
        screenshot(board, "64-station-board-phone")
        worker = Desk(browsers(), station)
        worker.login("王芳")
        local = "HL3-01-" + datetime.datetime.now(BEIJING).strftime("%Y") + "-0002"
        assert f"{local} 东门：东门路灯坏了三盏" in worker.text()
        worker.click(f"{local} 东门：东门路灯坏了三盏，晚上很黑")
        worker.click("分类")
        worker.radio("办理类别", "待办件")
        worker.click("保存分类")
        assert "已分类为“待办件”" in worker.flash()
        steps = look_up(board, desk, station.url, "HL3", code)
        assert "已分类" in steps and "待办件" in steps
        assert "上次连接失败" in yishi("status", data=station.data).stdout or "从未" in yishi("status", data=station.data).stdout
    finally:
        board.quit()
        station.stop()


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="没有 zbarimg（scripts/setup 会安装 zbar-tools）")
def test_the_qr_code_on_a_printed_notice_decodes_to_its_own_page(backend, folder, browser):
    central = Central(folder, backend)
    url = central.start(public=True)
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    station.add_user("王芳", "社区工作者")
    topic, meeting = community_with_a_meeting(station, url)
    station.start()
    try:
        desk = Desk(browser, station)
        desk.login("王芳")
        for path, target, shot in ((f"/notices/meeting/{meeting}", f"{url}/public/HL3/meetings/{meeting}", "65-meeting-notice-qr"),
                                   (f"/notices/result/{topic}", f"{url}/public/HL3/topics/{topic}", "66-result-notice-qr")):
            desk.open(path)
            assert "扫码看网上公示" in browser.page_source
            image = screenshot(browser, shot)
            decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True).stdout.strip()
            assert decoded == target, (decoded, target)
            with urllib.request.urlopen(decoded, timeout=10) as page:
                assert page.status == 200
        printed = yishi("notice", "meeting", meeting, "--out", str(folder / "公示"), data=station.data)
        assert printed.returncode == 0
        assert f"{url}/public/HL3/meetings/{meeting}" in (folder / "公示" / f"会议公示-{meeting}.md").read_text()
    finally:
        station.stop()
        central.stop()
