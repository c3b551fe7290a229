"""One topic walked through the whole 六事 loop using only the station desk's pages, in
Chromium, as a community worker would: clicking buttons, typing into labelled fields,
reading what the pages say. The command line checks at the end that the records agree."""

from conftest import screenshot, yishi_json
from desk import Desk

MEMBERS = [("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表"), ("赵监督", "居务监督委员会代表"),
           ("钱网格", "网格员代表"), ("孙代表", "居民代表"), ("周大姐", "妇女代表"), ("吴经理", "驻社区单位代表"),
           ("郑师傅", "社区骨干")]


def test_a_topic_through_the_whole_loop(station, browser):
    station.start(now="2026-11-02 09:00")
    desk = Desk(browser, station)
    desk.open("/")
    screenshot(browser, "01-login")
    desk.login("王芳")
    assert "今日" in desk.text() and "上次成功同步" in browser.page_source
    screenshot(browser, "02-today")

    # The committee: eight members, each through the committee page's form.
    for name, category in MEMBERS:
        desk.open("/committee/new")
        desk.type("姓名", name)
        desk.choose("界别", category)
        desk.type("任期开始", "2024-01-01")
        desk.type("任期结束", "2026-12-31")
        desk.click("登记")
        assert f"已登记委员 {name}" in desk.flash()
    assert "今天在任委员 8 人" in desk.text()
    screenshot(browser, "03-committee")

    # 居民说事: a refused form keeps what was typed and says what is wrong beside the field.
    desk.open("/today")
    desk.click("登记居民反映的事项")
    desk.choose("渠道", "红马扎")
    desk.type("具体内容", "北门垃圾桶每天满溢，气味很大。\n南门没有厨余垃圾桶。")
    desk.type("提议人姓名", "刘阿姨")
    desk.type("提议人电话", "13812345678")
    desk.click("登记")
    assert "请填写标题" in desk.error_beside("标题")
    assert desk.field("提议人姓名").get_attribute("value") == "刘阿姨"
    assert "北门垃圾桶" in desk.field("具体内容").get_attribute("value")
    screenshot(browser, "04-raise-refused")
    desk.type("标题", "北门垃圾分类设施选址")
    desk.click("登记")
    assert "已登记议题 HL3-01-2026-0001" in desk.flash()
    topic = "HL3-01-2026-0001"

    # 下沉听事.
    desk.click("分类")
    desk.radio("办理类别", "待办件")
    desk.choose("类别", "居民公约（养犬、垃圾分类、绿化等）")
    desk.click("保存分类")
    assert "已分类为“待办件”" in desk.flash()

    # 确定议题: not before the 两委联席会议 has confirmed it (001 art. 9 (3)).
    desk.click("安排协商会议")
    desk.choose("会议形式", "红板凳议事会")
    desk.type("会议时间", "2026-11-06 14:30")
    desk.type("会议地点", "北门说事点")
    desk.type("主持人", "张书记")
    desk.click("安排并公示")
    assert "还没有经两委联席会议确定为议题" in desk.text() and "记录两委联席会议" in desk.text()
    desk.open(f"/topics/{topic}")
    desk.click("两委联席会议确定")
    desk.type("参加人员", "张书记\n李主任")
    desk.radio(topic, "确定")
    desk.click("记录联席会议")
    assert "确定 1 个议题" in desk.flash()
    desk.open(f"/topics/{topic}")
    assert "已确定议题" in desk.text() and "两委联席会议" in desk.text()

    # 公开议事: the 3-day rule is explained, and a meeting too soon is refused beside the time.
    desk.click("安排协商会议")
    assert "须提前 3 天公示" in desk.text()
    desk.choose("会议形式", "红板凳议事会")
    desk.type("会议时间", "2026-11-04 14:30")
    desk.type("会议地点", "北门说事点")
    desk.type("主持人", "张书记")
    desk.type("参加人员", "物业：吴经理\n居民代表：孙代表")
    desk.click("安排并公示")
    assert "须提前 3 天公示" in desk.error_beside("会议时间")
    assert desk.field("会议地点").get_attribute("value") == "北门说事点"
    screenshot(browser, "05-schedule-refused")
    desk.type("会议时间", "2026-11-06 14:30")
    desk.click("安排并公示")
    assert "已安排会议 HL3-01-2026-H001" in desk.flash()
    meeting = "HL3-01-2026-H001"
    desk.click("登记报名列席")
    desk.type("报名人", "3号楼 刘阿姨")
    desk.click("登记")
    assert "已登记“3号楼 刘阿姨”报名列席" in desk.flash()
    screenshot(browser, "06-meeting")

    # At the meeting: seven of eight agree — 87.5 %, over 80 % of all members.
    station.restart(now="2026-11-06 16:00")
    desk.open(f"/meetings/{meeting}")
    desk.click("记录表决")
    for name, _ in MEMBERS:
        desk.radio(name, "不同意" if name == "郑师傅" else "同意")
    screenshot(browser, "07-vote")
    desk.click("保存表决")
    assert "已记录 8 位委员" in desk.flash()
    desk.click("结束本轮协商")
    assert "同意 7、不同意 1" in desk.text()
    desk.radio("本轮结果", "按表决结果")
    desk.click("结束本轮")
    assert "达成共识" in desk.flash()

    # Minutes with actions: not final while an action lacks its supervisor.
    desk.open(f"/topics/{topic}")
    desk.click("添加落实事项")
    desk.type("谁来干", "物业 吴经理")
    desk.type("干到什么标准", "北门增设四组分类垃圾桶，每日清运两次")
    desk.type("什么时间干完", "2026-11-30")
    desk.click("添加")
    assert "尚缺：谁来监督" in desk.flash()
    desk.open(f"/meetings/{meeting}")
    desk.click("写会议纪要")
    desk.type("纪要全文", "会议内容：物业负责增设四组分类垃圾桶，11月30日前完成，孙代表监督。", clear=False)
    desk.click("保存纪要")
    assert "纪要已保存" in desk.flash()
    desk.click("纪要定稿")
    assert "谁来监督" in desk.text()
    desk.click("定稿")
    assert "纪要还不能定稿" in desk.form_error()
    screenshot(browser, "08-finalise-refused")
    desk.open(f"/topics/{topic}")
    desk.click("HL3-01-2026-A001")
    desk.type("谁来监督", "居民代表 孙代表")
    desk.click("保存")
    assert "已更新" in desk.flash()
    desk.open(f"/meetings/{meeting}/finalise")
    desk.click("定稿")
    assert "纪要已定稿" in desk.flash()

    # 合力办事: done before the deadline.
    station.restart(now="2026-11-28 10:00")
    desk.open("/actions/HL3-01-2026-A001")
    desk.choose("进度", "已完成")
    desk.type("新的一条进展", "四组分类垃圾桶已安装")
    desk.click("保存")

    # 群众评事: below 80 % → rectification and a re-inspection round; then closed.
    station.restart(now="2026-12-01 10:00")
    ratings = [("孙代表", "满意"), ("周大姐", "不满意"), ("冯老师", "不满意"), ("刘阿姨", "基本满意"), ("王代表", "不满意")]
    for evaluator, rating in ratings:
        desk.open(f"/topics/{topic}/evaluate")
        desk.type("评价人", evaluator)
        desk.radio("评价", rating)
        desk.click("记录评价")
        assert f"已记录 {evaluator} 的评价" in desk.flash()
    desk.click("结束本轮评议")
    desk.click("结束本轮评议")
    assert "进入整改" in desk.flash()
    desk.click("记录整改")
    desk.type("谁来干", "物业 吴经理")
    desk.type("干到什么标准", "南门加设厨余垃圾桶，清运改为早晚各一次")
    desk.click("记录整改")
    assert "请填写" in desk.error_beside("什么时间干完") or "什么时间干完" in desk.text()
    desk.type("什么时间干完", "2026-12-08")
    desk.type("谁来监督", "居民代表 孙代表")
    desk.click("记录整改")
    assert "已记录整改 HL3-01-2026-A002" in desk.flash()
    station.restart(now="2026-12-07 16:00")
    desk.open("/actions/HL3-01-2026-A002")
    desk.choose("进度", "已完成")
    desk.click("保存")
    station.restart(now="2026-12-10 10:00")
    for evaluator, rating in [("孙代表", "满意"), ("周大姐", "满意"), ("冯老师", "基本满意"), ("刘阿姨", "满意"), ("王代表", "不满意")]:
        desk.open(f"/topics/{topic}/evaluate")
        desk.type("评价人", evaluator)
        desk.radio("评价", rating)
        desk.click("记录评价")
    desk.open(f"/topics/{topic}/evaluation/close")
    desk.click("结束本轮评议")
    assert "通过验收，议题已办结" in desk.flash()
    page = desk.text()
    assert "已办结" in page and "第 2 轮（再次验收）" in page and "物业 吴经理" in page
    screenshot(browser, "09-topic-closed")

    # The pages around it.
    desk.click("修改记录")
    assert "王芳" in desk.text() and "HL3-01" in desk.text()
    screenshot(browser, "10-history")
    desk.open("/topics?q=垃圾分类")
    assert topic in desk.text()
    screenshot(browser, "11-topics")
    desk.open("/stats")
    assert "100.0%" in desk.text()
    screenshot(browser, "12-stats")
    desk.open(f"/notices/result/{topic}")
    assert "议事结果公示" in browser.page_source and "13812345678" not in browser.page_source
    screenshot(browser, "13-result-notice")
    desk.open(f"/notices/meeting/{meeting}")
    assert "协商会议公示" in browser.page_source
    screenshot(browser, "14-meeting-notice")

    # What the command line says agrees with what was entered through the pages.
    stats = yishi_json("stats", data=station.data, now="2026-12-10 10:00")
    assert stats["raised"] == 1 and stats["solved"] == 1 and stats["meetings"] == 1
    shown = yishi_json("topic", "show", topic, data=station.data)
    assert shown["status"] == "closed" and shown["title"] == "北门垃圾分类设施选址" and shown["handling"] == "待办"
    history = yishi_json("topic", "history", topic, data=station.data)
    assert {entry["author"] for entry in history} == {"王芳"}


def test_a_phone_sized_screen_reads_without_sideways_scrolling(station, browser):
    station.start(now="2026-11-02 09:00")
    browser.set_window_size(390, 844)
    desk = Desk(browser, station)
    desk.login("王芳")
    desk.open("/topics/new")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(browser, "15-phone-raise")
