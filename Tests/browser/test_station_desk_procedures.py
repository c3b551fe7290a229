"""The seeds' last procedures in Chromium, as a community worker and the street office
would do them: a topic confirmed at the 两委联席会议 that waits for the street's opinion,
answered on the office desk; a residents' assembly that lacks its quorum and then
decides; a major matter through its five steps, filed, signed for at the office and made
public twice; a dispute mediated, resolved and rated. And two stations closing one
mediation two ways while cut off: both conflict pages show it."""

import os

from conftest import Central, Station, screenshot, yishi, yishi_json
from desk import Desk
from test_station_desk_conflicts import sync_now

MEMBERS = [("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表"), ("赵监督", "居务监督委员会代表"),
           ("钱网格", "网格员代表"), ("孙代表", "居民代表")]


def start_central(central, now):
    """The central as the office sees it at `now` (YISHI_NOW), on a port of its own."""
    os.environ["YISHI_NOW"] = now
    try:
        return central.start()
    finally:
        del os.environ["YISHI_NOW"]


def test_the_seeds_procedures_at_the_station_desk_and_the_office(folder, browsers):
    central = Central(folder)
    yishi("central", "user", "add", "--data", str(central.data), "--name", "街道李", "--role", "街道工作人员", stdin="mima12345\n")
    url = start_central(central, "2026-12-31 10:00")
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    station.add_user("王芳", "社区工作者")
    for name, category in MEMBERS:
        yishi("committee", "add", "--name", name, "--category", category, "--from", "2024-01-01", "--to", "2026-12-31", data=station.data)
    station.start(now="2026-11-02 09:00")
    try:
        desk = Desk(browsers(), station)
        office = Desk(browsers(), type("Office", (), {"url": url})())
        desk.login("王芳")
        office.login("街道李")

        # 1. A matter touching public services: confirmed at the joint meeting, then it
        # waits for the street's opinion, answered at the office.
        desk.open("/topics/new")
        desk.type("标题", "北门外增设公交站")
        desk.choose("渠道", "说事厅")
        desk.click("登记")
        topic = "HL3-01-2026-0001"
        desk.click("分类")
        desk.radio("办理类别", "待办件")
        desk.field("涉及政府公共服务").click()
        desk.click("保存分类")
        desk.click("两委联席会议确定")
        desk.type("参加人员", "张书记\n李主任")
        desk.radio(topic, "确定")
        screenshot(desk.driver, "40-joint-meeting")
        desk.click("记录联席会议")
        assert "确定 1 个议题" in desk.flash()
        desk.open(f"/meetings/new?topic={topic}")
        desk.choose("会议形式", "居民议事会")
        desk.type("会议时间", "2026-11-06 14:30")
        desk.type("会议地点", "议事厅")
        desk.type("主持人", "张书记")
        desk.click("安排并公示")
        assert "须先征求街道意见" in desk.error_beside("协商的议题编号")
        assert "征求街道意见" in desk.error_beside("协商的议题编号") and "yishi" not in desk.error_beside("协商的议题编号")
        desk.open(f"/topics/{topic}")
        desk.click("征求街道意见")
        desk.type("征询的内容", "公交站选址是否在区里的规划内")
        desk.click("提交征询")
        assert "已向街道征求意见（HL3-01-2026-Q001）" in desk.flash()
        sync_now(desk, station)

        office.open("/office/opinions")
        assert "HL3-01-2026-Q001" in office.text() and "北门外增设公交站" in office.text()
        screenshot(office.driver, "41-office-opinions")
        office.click("答复")
        office.click("答复")
        assert "请填写" in office.error_beside("街道意见") or "请写明街道的意见" in office.error_beside("街道意见")
        office.type("街道意见", "同意在北门外设站，由区交通局落实")
        office.click("答复")
        assert "已答复征询 HL3-01-2026-Q001" in office.flash()
        sync_now(desk, station)
        desk.open(f"/topics/{topic}")
        assert "同意在北门外设站" in desk.text() and "街道已答复" in desk.text()
        desk.open(f"/meetings/new?topic={topic}")
        desk.choose("会议形式", "居民议事会")
        desk.type("会议时间", "2026-11-06 14:30")
        desk.type("会议地点", "议事厅")
        desk.type("主持人", "张书记")
        desk.click("安排并公示")
        assert "已安排会议 HL3-01-2026-H001" in desk.flash()
        meeting = "HL3-01-2026-H001"

        # 2. The 议事厅 sends it to the residents' assembly; nothing is implemented until
        # the assembly decides, and a meeting without its quorum decides nothing.
        station.restart(now="2026-11-06 16:00")
        for name, _ in MEMBERS:
            yishi("meeting", "vote", meeting, "--topic", topic, "--member", name, "同意", data=station.data, now="2026-11-06 15:30")
        desk.open(f"/meetings/{meeting}")
        desk.click("结束本轮协商")
        desk.radio("本轮结果", "提交居民会议")
        desk.click("结束本轮")
        assert "已提交居民会议" in desk.flash()
        desk.open(f"/topics/{topic}/actions/new")
        desk.type("谁来干", "区交通局")
        desk.click("添加")
        assert "居民会议作出决定之前不能添加落实事项" in desk.form_error() and "记录居民会议决定" in desk.form_error()
        desk.open(f"/topics/{topic}")
        desk.click("记录居民会议决定")
        desk.radio("参加范围", "户代表")
        desk.type("应到人数", "1800")
        desk.type("实到人数", "900")
        desk.type("赞成", "850")
        desk.click("记录")
        assert "未达法定人数" in desk.flash()
        desk.click("记录居民会议决定")
        desk.radio("参加范围", "户代表")
        desk.type("应到人数", "1800")
        desk.type("实到人数", "2000")
        desk.type("赞成", "850")
        desk.click("记录")
        assert "实到人数应在 0 到应到人数 1800 之间" in desk.error_beside("实到人数")
        assert desk.field("赞成").get_attribute("value") == "850"
        desk.type("实到人数", "1000")
        desk.type("赞成", "600")
        desk.type("反对", "300")
        desk.click("记录")
        assert "：通过" in desk.flash()
        page = desk.text()
        assert "居民会议通过" in page and "HL3-01-2026-R001" in page and "HL3-01-2026-R002" in page
        screenshot(desk.driver, "42-topic-assembly")
        desk.click("添加落实事项")
        desk.type("谁来干", "区交通局")
        desk.type("干到什么标准", "北门外增设公交站一处")
        desk.type("什么时间干完", "2026-12-31")
        desk.type("谁来监督", "居民代表 孙代表")
        desk.click("添加")
        assert "已添加落实事项" in desk.flash()

        # 3. A major matter: five steps in order, filed, signed for, made public twice.
        station.restart(now="2026-11-10 09:00")
        major_topic = yishi_json("topic", "raise", "--title", "动用社区公益金修缮活动室", "--channel", "说事厅",
                                 data=station.data, now="2026-11-10 09:00")["topic"]
        desk.open(f"/topics/{major_topic}")
        desk.click("列为重大事项")
        desk.click("列为重大事项")
        assert "已列为重大事项 HL3-01-2026-Z001" in desk.flash()
        major = "HL3-01-2026-Z001"
        for step, people in [("党组织提议", "社区党委"), ("班子商议", "两委班子"), ("单位联议", "驻区单位、物业"),
                             ("会议审议", "居民代表会议"), ("集体决议", "两委联席会议")]:
            desk.click(f"记录“{step}”")
            desk.type("参加人员或单位", people)
            desk.click("记录")
            assert f"已记录“{step}”" in desk.flash()
        desk.click("报街道党工委备案")
        desk.type("书面决议", "动用社区公益金 3 万元修缮活动室，12 月底前完成。")
        desk.click("备案")
        assert "已报街道党工委备案" in desk.flash()
        screenshot(desk.driver, "43-major-filed")
        sync_now(desk, station)
        office.open("/office/filings")
        assert major in office.text()
        screenshot(office.driver, "44-office-filings")
        office.click("签收")
        office.type("签收日期", "2026-11-10")  # the day it reached the office, not the office clock's
        office.click("签收")
        assert f"已签收 {major} 的备案" in office.flash()
        sync_now(desk, station)
        desk.open(f"/majors/{major}")
        assert "由 街道李 签收" in desk.text()
        desk.click("公开决议")
        desk.click("公开")
        assert "已公开决议" in desk.flash()
        desk.open(f"/notices/major/{major}/resolution")
        source = desk.driver.page_source
        assert "重大事项决议公开" in source and "集体决议" in source and "由 街道李" not in source
        screenshot(desk.driver, "45-major-resolution-notice")
        station.restart(now="2026-12-28 09:00")
        desk.open(f"/majors/{major}")
        desk.click("公开实施结果")
        desk.type("实施结果", "活动室已修缮完毕，经居民代表验收合格。")
        desk.click("公开")
        assert "已公开实施结果" in desk.flash()
        desk.open(f"/notices/major/{major}/outcome")
        assert "重大事项实施结果公开" in desk.driver.page_source and "验收合格" in desk.driver.page_source
        screenshot(desk.driver, "46-major-outcome-notice")

        # 4. A dispute mediated, resolved, rated, and counted in the 化解率.
        desk.open("/topics/new")
        desk.type("标题", "楼上漏水")
        desk.choose("渠道", "说事厅")
        desk.choose("类别", "邻里及家庭纠纷")
        desk.click("登记")
        dispute = "HL3-01-2026-0003"
        desk.click("调解纠纷")
        desk.type("调解人", "李主任")
        desk.type("参与调解的人", "律师：王律师\n人民调解员：赵大姐")
        desk.click("开始调解")
        assert "已开始调解 HL3-01-2026-T001" in desk.flash()
        desk.click("记录一次调解")
        desk.type("调解情况", "双方陈述，检查发现防水层破损")
        desk.click("记录")
        desk.click("记录调解结果")
        desk.radio("结果", "化解")
        desk.click("记录结果")
        assert "写明调解协议" in desk.error_beside("调解协议（化解时）")
        desk.type("调解协议（化解时）", "楼上一周内修复防水，承担楼下粉刷费 800 元")
        desk.click("记录结果")
        assert "已记录调解结果：化解" in desk.flash()
        screenshot(desk.driver, "47-mediation")
        for evaluator, rating in [("楼下刘阿姨", "满意"), ("楼上张先生", "基本满意")]:
            desk.open(f"/topics/{dispute}/evaluate")
            desk.type("评价人", evaluator)
            desk.radio("评价", rating)
            desk.click("记录评价")
        desk.open(f"/topics/{dispute}/evaluation/close")
        desk.click("结束本轮评议")
        assert "已办结" in desk.flash()
        desk.open("/stats?from=2026-01-01&to=2026-12-31")
        page = desk.text()
        assert "化解率" in page and "100.0%" in page
        screenshot(desk.driver, "48-stats-disputes")
        sync_now(desk, station)
        office.open("/office/stats?from=2026-01-01&to=2026-12-31")
        assert "化解率" in office.text()
        office.open(f"/office/communities/HL3/topics/{dispute}")
        assert "调解" in office.text() and "楼上一周内修复防水" in office.text()
        assert yishi("digest", "--scope", "HL3", data=station.data).stdout == yishi("central", "digest", "--scope", "HL3",
                                                                                      data=central.data).stdout
    finally:
        station.stop()
        central.stop()


def test_two_outcomes_of_one_mediation_show_on_both_conflict_pages(folder, browsers):
    central = Central(folder)
    url = central.start()
    a, b = Station(folder, "HL3-01", central=url), Station(folder, "HL3-02", central=url)
    for box, person in ((a, "王芳"), (b, "李强")):
        central.enroll(box)
        box.add_user(person, "社区工作者")
    dispute = yishi_json("topic", "raise", "--title", "楼道堆物纠纷", "--channel", "说事厅", "--category", "邻里及家庭纠纷",
                         data=a.data, now="2026-11-02 09:00")["topic"]
    mediation = yishi_json("mediation", "start", dispute, "--mediator", "李主任", data=a.data, now="2026-11-02 09:00")["mediation"]
    yishi("mediation", "session", mediation, "--note", "第一次调解", data=a.data, now="2026-11-02 10:00")
    for box in (a, b):
        yishi("sync", "--once", "--central", url, data=box.data)
    central.stop()
    # Cut off: each station records an outcome of its own.
    yishi("mediation", "close", mediation, "--outcome", "化解", "--agreement", "三日内清理楼道", data=a.data, now="2026-11-03 10:00",
          author="王芳")
    yishi("mediation", "close", mediation, "--outcome", "转交", "--to", "街道人民调解委员会", data=b.data, now="2026-11-03 11:00",
          author="李强")
    url = central.start()
    for box in (a, b, a):
        yishi("sync", "--once", "--central", url, data=box.data)
    try:
        for box, person, shot in ((a, "王芳", "49-conflict-mediation-a"), (b, "李强", "50-conflict-mediation-b")):
            box.start(now="2026-11-03 12:00")
            desk = Desk(browsers(), box)
            desk.login(person)
            desk.open("/conflicts")
            page = desk.text()
            assert f"调解 {mediation}" in page or mediation in page
            assert "化解" in page and "转交" in page and "王芳" in page and "李强" in page
            screenshot(desk.driver, shot)
        assert a.digest() == b.digest()
    finally:
        a.stop()
        b.stop()
        central.stop()


def test_one_choice_at_a_desk_settles_the_mediation_and_its_topic_everywhere(folder, browsers):
    """化解 at one station, 未化解 at the other: both desks show the topic's status in
    conflict beside its mediation's, every side in words (调解化解, not mediated); one person
    picks the mediation's outcome at one desk, and at both the topic follows."""
    central = Central(folder)
    url = central.start()
    a, b = Station(folder, "HL3-01", central=url), Station(folder, "HL3-02", central=url)
    for box, person in ((a, "王芳"), (b, "李强")):
        central.enroll(box)
        box.add_user(person, "社区工作者")
    dispute = yishi_json("topic", "raise", "--title", "楼上漏水", "--channel", "说事厅", "--category", "邻里及家庭纠纷",
                         data=a.data, now="2026-11-02 09:00")["topic"]
    mediation = yishi_json("mediation", "start", dispute, "--mediator", "李主任", data=a.data, now="2026-11-02 09:00")["mediation"]
    yishi("mediation", "session", mediation, "--note", "双方陈述", data=a.data, now="2026-11-02 10:00")
    for box in (a, b):
        yishi("sync", "--once", "--central", url, data=box.data)
    yishi("mediation", "close", mediation, "--outcome", "化解", "--agreement", "楼上一周内修复防水", data=a.data,
          now="2026-11-03 10:00", author="王芳")
    yishi("mediation", "close", mediation, "--outcome", "未化解", data=b.data, now="2026-11-03 11:00", author="李强")
    for box in (a, b, a):
        yishi("sync", "--once", "--central", url, data=box.data)
    try:
        desks = {}
        for box, person, shot in ((a, "王芳", "51-conflict-outcome-a"), (b, "李强", "52-conflict-outcome-b")):
            box.start(now="2026-11-03 12:00")
            desk = Desk(browsers(), box)
            desk.login(person)
            desk.open(f"/topics/{dispute}")
            assert "调解化解 / 调解未成" in desk.text() or "调解未成 / 调解化解" in desk.text()
            assert "两处记录不一致，待确认" in desk.text()
            desk.open("/conflicts")
            page = desk.text()
            assert "调解化解" in page and "调解未成" in page and "未化解" in page
            assert "mediated" not in page and "mediation-failed" not in page
            assert f"选定后，议题 {dispute} 的“状态”也按同一边确定" in page
            screenshot(desk.driver, shot)
            desks[box.id] = desk
        desk_a, desk_b = desks[a.id], desks[b.id]
        # At A, the mediation's outcome: 未化解.
        outcome = (f"//section[.//input[@name='record' and @value='mediation/{mediation}']"
                   " and .//input[@name='field' and @value='outcome']]")
        desk_a.driver.find_element("xpath", outcome + "//div[@class='side'][.//strong[text()='未化解']]//input").click()
        desk_a.press(desk_a.driver.find_element("xpath", outcome + "//button[normalize-space()='确认']"))
        assert "已确认" in desk_a.flash() and "没有等待确认的冲突" in desk_a.text()
        sync_now(desk_a, a)
        sync_now(desk_b, b)
        for desk in (desk_a, desk_b):
            desk.open("/conflicts")
            assert "没有等待确认的冲突" in desk.text()
            desk.open(f"/topics/{dispute}")
            assert "调解未成" in desk.text() and "待确认" not in desk.text()
        assert a.digest() == b.digest()
    finally:
        a.stop()
        b.stop()
        central.stop()
