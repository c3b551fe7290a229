"""The station desk over plain HTTP on 127.0.0.1: who may do what, the CSRF check, and bad
input in every form — each refused with its Chinese message and nothing written (the
replica's digest and journal unchanged)."""

import urllib.error

import pytest

from conftest import Client, yishi, yishi_json

NOW = "2026-11-02 09:00"


@pytest.fixture
def loop(station):
    """A station with a committee, a topic and a meeting on its notice, its desk running."""
    for name, category in [("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表")]:
        yishi("committee", "add", "--name", name, "--category", category, "--from", "2024-01-01", "--to", "2026-12-31",
              data=station.data, now=NOW)
    topic = yishi_json("topic", "raise", "--title", "北门垃圾分类设施选址", "--channel", "红马扎", "--proposer", "刘阿姨",
                       data=station.data, now=NOW)["topic"]
    yishi("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--confirm", topic, data=station.data, now=NOW)
    meeting = yishi_json("meeting", "schedule", "--form", "红板凳议事会", "--time", "2026-11-06 14:30", "--place", "北门说事点",
                         "--host", "张书记", "--topic", topic, data=station.data, now=NOW)["meeting"]
    station.start(now=NOW)
    return station, topic, meeting


def unchanged(station, before, action):
    action()
    assert (station.digest(), station.journal()) == before


def test_without_a_session_every_page_leads_to_login_and_nothing_is_written(loop):
    station, topic, _ = loop
    client = Client(station.url)
    assert client.get("/healthz")[2] == "ok\n"
    status, headers, _ = client.get("/")
    assert status == 303 and headers["Location"] == "/login"
    status, headers, _ = client.get(f"/topics/{topic}")
    assert status == 303 and headers["Location"].startswith("/login?next=%2Ftopics%2F")
    before = (station.digest(), station.journal())
    unchanged(station, before, lambda: client.post("/topics/new", {"title": "x", "channel": "红马扎"}))
    status, headers, _ = client.post("/topics/new", {"title": "x", "channel": "红马扎"})
    assert status == 303 and headers["Location"].startswith("/login")


def test_a_wrong_or_missing_csrf_token_is_refused(loop):
    station, topic, _ = loop
    client = Client(station.url).login("王芳")
    before = (station.digest(), station.journal())
    for token in [None, "0" * 64, "abc"]:
        data = {"handling": "待办"}
        if token:
            data["_csrf"] = token
        status, _, page = client.post(f"/topics/{topic}/classify", data)
        assert status == 403 and "没有做任何修改" in page
    assert (station.digest(), station.journal()) == before


def test_session_cookies_are_httponly_and_strict(loop):
    station, _, _ = loop
    client = Client(station.url)
    token = client.csrf("/login")
    status, headers, _ = client.post("/login", {"_csrf": token, "name": "王芳", "password": "mima12345"})
    cookie = headers["Set-Cookie"]
    assert status == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie


def test_a_wrong_password_and_a_login_without_its_token_are_refused(loop):
    station, _, _ = loop
    client = Client(station.url)
    token = client.csrf("/login")
    status, _, page = client.post("/login", {"_csrf": token, "name": "王芳", "password": "wrong-password"})
    assert status == 401 and "姓名或密码不对" in page and 'value="王芳"' in page
    status, _, page = Client(station.url).post("/login", {"_csrf": token, "name": "王芳", "password": "mima12345"})
    assert status == 403 and "登录页面已过期" in page


def test_roles_limit_what_a_person_may_write(loop):
    station, topic, meeting = loop
    viewer = Client(station.url).login("赵只读")
    before = (station.digest(), station.journal())
    status, _, page = viewer.get("/topics/new")
    assert status == 403 and "不能登记议题" in page
    assert viewer.get(f"/topics/{topic}")[0] == 200
    token = viewer.csrf("/today")
    status, _, page = viewer.post("/topics/new", {"_csrf": token, "title": "x", "channel": "红马扎"})
    assert status == 403 and "没有权限" in page
    assert viewer.post(f"/meetings/{meeting}/register", {"_csrf": token, "name": "x"})[0] == 403
    assert (station.digest(), station.journal()) == before
    # A grid worker takes matters in, but does not run meetings.
    grid = Client(station.url).login("李网格")
    token = grid.csrf("/topics/new")
    status, headers, _ = grid.post("/topics/new", {"_csrf": token, "title": "楼道灯不亮", "channel": "说事点"})
    assert status == 303
    assert grid.post(f"/meetings/{meeting}/register", {"_csrf": token, "name": "x"})[0] == 403
    history = yishi_json("topic", "history", "HL3-01-2026-0002", data=station.data)
    assert {entry["author"] for entry in history} == {"李网格"}


# (path, fields, what the page must say). Paths use {topic} and {meeting}.
BAD_INPUT = [
    ("/topics/new", {"title": "", "channel": "红马扎"}, "请填写标题"),
    ("/topics/new", {"title": "x", "channel": "火星"}, "渠道“火星”不在可选范围内"),
    ("/topics/new", {"title": "x", "channel": "红马扎", "phone": "123"}, "电话号码“123”格式不对"),
    ("/topics/new", {"title": "x", "channel": "红马扎", "category": "别的"}, "类别“别的”不在可选范围内"),
    ("/topics/new", {"title": "x", "channel": "红马扎", "date": "2026-02-30"}, "登记日期“2026-02-30”不是有效日期"),
    ("/topics/{topic}/classify", {"handling": "立即"}, "办理类别“立即”不在可选范围内"),
    ("/topics/{topic}/classify", {}, "请填写办理类别"),
    ("/topics/{topic}/edit", {"title": "", "description": "x"}, "请填写标题"),
    ("/topics/{topic}/edit", {"title": "x", "description": "x", "base": "乱写"}, "页面缺少原文信息"),
    ("/topics/{topic}/idea", {"mark": "银点子"}, "标记“银点子”不在可选范围内"),
    ("/meetings/new", {"topics": "{topic}", "form": "红板凳议事会", "time": "明天下午", "place": "p", "host": "h"}, "会议时间“明天下午”不是有效时间"),
    ("/meetings/new", {"topics": "{topic}", "form": "红板凳议事会", "time": "2026-11-03 09:00", "place": "p", "host": "h"}, "请在“紧急原因”一栏写明原因"),
    ("/meetings/new", {"topics": "{topic}", "form": "茶话会", "time": "2026-11-06 09:00", "place": "p", "host": "h"}, "会议形式“茶话会”不在可选范围内"),
    ("/meetings/new", {"topics": "HL3-01-2026-9999", "form": "红板凳议事会", "time": "2026-11-06 09:00", "place": "p", "host": "h"}, "找不到议题“HL3-01-2026-9999”"),
    ("/meetings/new", {"topics": "{topic}", "form": "红板凳议事会", "time": "2026-11-06 09:00", "place": "", "host": "h"}, "请填写会议地点"),
    ("/meetings/{meeting}/register", {"name": ""}, "请填写报名人"),
    ("/meetings/{meeting}/consult", {"households": "-5", "agree": "1"}, "征求意见户数应是 0 或正整数"),
    ("/meetings/{meeting}/consult", {"households": "10", "agree": "11"}, "同意户数应在 0 到 10 之间"),
    ("/meetings/{meeting}/attend", {"names": "  \n "}, "请写上到会人员"),
    ("/meetings/{meeting}/vote?topic={topic}", {"topic": "{topic}", "ballot.member/HL3-M999": "同意"}, "不是协商委员会委员"),
    ("/meetings/{meeting}/vote?topic={topic}", {"topic": "{topic}", "ballot.member/HL3-M001": "赞成"}, "表决意见“赞成”不在可选范围内"),
    ("/meetings/{meeting}/minutes", {"minutes": "x", "base": ""}, "页面缺少原文信息"),
    ("/topics/{topic}/actions/new", {"meeting": "{meeting}", "owner": "o", "deadline": "2026-13-01"}, "时限“2026-13-01”不是有效日期"),
    ("/topics/{topic}/actions/new", {"meeting": "{meeting}", "owner": "o", "deadline": "2026-11-01"}, "早于会议日期"),
    ("/topics/{topic}/escalate", {"level": "市", "department": "d", "reason": "r"}, "上报层级“市”不在可选范围内"),
    ("/topics/{topic}/escalate", {"level": "街道", "department": "", "reason": "r"}, "请填写承办部门"),
    ("/topics/{topic}/escalate", {"level": "街道", "department": "d", "reason": ""}, "请填写上报原因"),
    ("/topics/{topic}/escalate", {"level": "街道", "department": "d", "reason": "r", "deadline": "2026-01-01"}, "办理时限 2026-01-01 已经过去"),
    ("/topics/{topic}/evaluate", {"evaluator": "孙代表", "rating": "满意"}, "不能评议"),
    ("/topics/{topic}/evaluate", {"evaluator": "", "rating": "满意"}, "请填写评价人"),
    ("/topics/{topic}/evaluation/close", {}, "还没有任何评价"),
    ("/committee/new", {"name": "x", "category": "路人", "termStart": "2024-01-01", "termEnd": "2026-12-31"}, "界别“路人”不在可选范围内"),
    ("/committee/new", {"name": "x", "category": "居民代表", "termStart": "2026-01-01", "termEnd": "2025-12-31"}, "任期结束 2025-12-31 早于开始 2026-01-01"),
    ("/committee/new", {"name": "x", "category": "居民代表", "termStart": "2026-1-1", "termEnd": "2026-12-31"}, "任期开始“2026-1-1”不是有效日期"),
    ("/committee/HL3-M001/end", {"date": "2023-01-01"}, "离任日期 2023-01-01 早于任期开始"),
    ("/conflicts/resolve", {"record": "topic/{topic}", "field": "title", "key": "", "pick": "1"}, "这处冲突已经不在了"),
]


@pytest.mark.parametrize("path,fields,message", BAD_INPUT, ids=[f"{case[0]}:{case[2]}" for case in BAD_INPUT])
def test_bad_input_gets_its_message_and_changes_nothing(loop, path, fields, message):
    station, topic, meeting = loop
    client = Client(station.url).login("王芳")
    path = path.format(topic=topic, meeting=meeting)
    fields = {name.format(topic=topic, meeting=meeting): value.format(topic=topic, meeting=meeting) for name, value in fields.items()}
    before = (station.digest(), station.journal())
    fields["_csrf"] = client.csrf("/today")
    status, _, page = client.post(path, fields)
    assert status in (400, 422), (status, page[:1500])
    assert message in page, page[:3000]
    assert (station.digest(), station.journal()) == before
    # What the person typed comes back in the form (a choice from a fixed list can only
    # come back as one of the list: a value outside it was not typed but forged).
    choices = {"channel", "category", "handling", "mark", "form", "level", "rating", "status", "meeting"}
    for name, value in fields.items():
        if name not in choices | {"_csrf", "base"} and value.strip() and "\n" not in value and not name.startswith("ballot."):
            assert f'value="{value}"' in page or f">{value}<" in page or path.startswith("/conflicts"), (name, value)


def test_a_committee_addition_past_the_communitys_rules_is_kept_and_said_in_the_same_words(loop):
    """The desk says what the command line says (one message from the rule), and the form
    names the community's numbers before anyone types."""
    station, _, _ = loop
    client = Client(station.url).login("王芳")
    assert "每个方面 1 人、每届 3 年" in client.get("/committee/new")[2]
    for name, end in [("孙代表", "2026-12-31"), ("王代表", "2030-12-31")]:
        status, headers, _ = client.post("/committee/new", {"_csrf": client.csrf("/committee/new"), "name": name, "category": "居民代表",
                                                            "termStart": "2024-01-01", "termEnd": end})
        assert status == 303 and headers["Location"] == "/committee"
    page = client.get("/committee")[2]
    assert "已登记委员 王代表" in page and "提醒：" in page and "members_per_category" in page and "term_years" in page
    assert "王代表" in yishi("committee", "list", "--on", "2025-01-01", data=station.data).stdout


def test_text_that_is_not_utf8_is_refused_not_replaced(loop):
    station, _, _ = loop
    client = Client(station.url).login("王芳")
    token = client.csrf("/topics/new")
    before = (station.digest(), station.journal())
    import urllib.request
    request = urllib.request.Request(station.url + "/topics/new", data=f"_csrf={token}&title=%FF%FE&channel=%E7%BA%A2%E9%A9%AC%E6%89%8E".encode())
    try:
        client.opener.open(request)
        raise AssertionError("should be refused")
    except urllib.error.HTTPError as error:
        assert error.code == 400 and "不是有效的 UTF-8" in error.read().decode()
    assert (station.digest(), station.journal()) == before


def test_statistics_download_as_csv_for_a_spreadsheet(loop):
    station, _, _ = loop
    client = Client(station.url).login("赵只读")
    status, headers, body = client.get("/stats.csv?from=2026-01-01&to=2026-12-31")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and "attachment" in headers["Content-Disposition"]
    assert body.startswith("\ufeff指标,项目,数值") and "汇总,登记议题,1 件" in body
