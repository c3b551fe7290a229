"""The residents' board over plain HTTP: a crawl of every public page of a district whose
records carry phone numbers, addresses and residents' names in every field staff type
(and its QR targets and error pages), in which none of them may appear; and bad input on
the online form — refused beside its field, nothing written — including oversized bodies
and a flood from one address, while stations keep syncing."""

import datetime
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import Central, Client, Station, yishi, yishi_json

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
PHONES = ["13812345678", "139 8765 4321", "0451-86123456", "+86 137 1234 5678"]
# Each phone as the digits a page would carry however it was spaced.
PHONE_DIGITS = ["13812345678", "13987654321", "045186123456", "13712345678"]
ADDRESSES = ["幸福里9号楼1单元1101室", "7号楼501", "3单元402室"]
NAMES = ["钱秘密", "孙隐私", "周不公开", "吴评价人", "郑报名"]


def leaks(text):
    """Every piece of personal data found in `text`."""
    flat = re.sub(r"[\s\-－()（）+＋]", "", text)
    found = [name for name in NAMES if name in text]
    found += [address for address in ADDRESSES if address in text]
    found += [room for room in ("1101室", "号楼501", "402室") if room in text]
    found += [digits for digits in PHONE_DIGITS if digits in flat or digits[-8:] in flat]
    return found


def pii(index):
    """Text that carries one of each kind: a name, an address, a phone."""
    return f"{NAMES[index % 3]}（{ADDRESSES[index % 3]}，电话 {PHONES[index % 4]}）"


def district(station, central, now):
    """Every record kind, with personal data typed into every field that takes text. The
    meeting is tomorrow (an urgent one); what follows it is done then. What only the street
    records (its opinion, a department's answer) the office records at the central."""
    tomorrow = (datetime.datetime.strptime(now, "%Y-%m-%d %H:%M") + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    after = f"{tomorrow} 10:30"

    def run(*args, at=None):
        return yishi(*args, data=station.data, now=at or now)

    for name, category in [("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表"), ("赵监督", "居务监督委员会代表")]:
        run("committee", "add", "--name", name, "--category", category, "--from", "2024-01-01", "--to", "2030-12-31")
    topics = []
    for index in range(3):
        topics.append(yishi_json("topic", "raise", "--title", f"北门车棚 {NAMES[index]} {PHONES[index]}", "--channel", "说事厅",
                                 "--proposer", NAMES[index], "--address", ADDRESSES[index], "--phone", PHONE_DIGITS[index],
                                 "--description", f"反映人 {pii(index)}。\n另一位 {pii(index + 1)}", data=station.data, now=now)["topic"])
    draft = topics[2]  # stays 已登记: a draft, never on the board
    run("topic", "classify", topics[0], "--as", "待办", "--public-service")
    run("joint", "hold", "--date", now[:10], "--participant", f"张书记 {PHONES[0]}", "--confirm", topics[0],
        "--set-aside", f"{topics[1]}=等 {pii(1)} 回来再议", "--public-service", topics[0])
    opinion = yishi_json("topic", "ask-street", topics[0], "--question", f"征询 {pii(2)}", data=station.data, now=now)["opinion"]
    central.office(station, "opinion", "answer", opinion, "--answer", f"同意，请联系 {pii(0)}", now=now,
                   shows=lambda box: "同意，请联系" in yishi("topic", "show", topics[0], data=box.data).stdout)
    meeting = yishi_json("meeting", "schedule", "--form", "居民议事会", "--time", f"{tomorrow} 10:00", "--place", f"{ADDRESSES[0]}门口",
                         "--host", f"张书记 {PHONES[1]}", "--content", f"议 {pii(0)}", "--participant", f"居民：{NAMES[1]}",
                         "--participant", f"物业：吴经理 {PHONES[2]}", "--topic", topics[0], "--urgent", f"{pii(2)} 家漏水",
                         data=station.data, now=now)["meeting"]
    run("meeting", "register", meeting, f"3号楼 {NAMES[4]}")
    for member in ["张书记", "李主任", "赵监督"]:
        run("meeting", "vote", meeting, "--topic", topics[0], "--member", member, "同意", at=after)
    run("meeting", "close", meeting, "--topic", topics[0], at=after)
    run("meeting", "minutes", meeting, "--text", f"纪要：{pii(1)} 发言。", at=after)
    action = yishi_json("action", "add", "--topic", topics[0], "--meeting", meeting, "--owner", f"物业 {PHONES[3]}",
                        "--standard", f"给 {pii(0)} 家门口装车棚", "--deadline", "2030-12-31", "--supervisor", f"居民代表 {NAMES[1]}",
                        data=station.data, now=after)["action"]
    run("action", "update", action, "--status", "已完成", "--note", f"已装好，{pii(2)} 验收", at=after)
    escalation = yishi_json("escalation", "add", "--topic", topics[0], "--level", "街道", "--department", "城管科",
                            "--reason", f"占道，{pii(1)}", data=station.data, now=after)["escalation"]
    central.office(station, "escalation", "respond", escalation, "--reported-on", tomorrow, "--response", f"已处理，见 {pii(0)}",
                   now=after, shows=lambda box: "已处理，见" in yishi("topic", "show", topics[0], data=box.data, now=after).stdout)
    for who, rating in [(NAMES[3], "满意"), (NAMES[0], "满意")]:
        run("evaluation", "add", "--topic", topics[0], "--evaluator", who, "--rating", rating, "--comment", f"{pii(2)} 很满意",
            at=after)
    run("topic", "idea", topics[0], "--as", "金点子", at=after)
    major = yishi_json("major", "start", topics[0], data=station.data, now=now)["major"]
    for step in ["党组织提议", "班子商议", "单位联议", "会议审议", "集体决议"]:
        run("major", "step", major, "--step", step, "--date", now[:10], "--people", f"两委 {pii(0)}", "--note", f"议定 {pii(1)}")
    run("major", "file", major, "--resolution", f"决议：为 {pii(2)} 所在楼装车棚")
    central.office(station, "major", "acknowledge", major, now=now,
                   shows=lambda box: "街道尚未签收" not in yishi("major", "show", major, data=box.data, now=now).stdout)
    run("major", "publish", major, "--resolution")
    dispute = yishi_json("topic", "raise", "--title", f"{NAMES[0]}和{NAMES[1]}的漏水纠纷", "--channel", "说事厅",
                         "--category", "邻里及家庭纠纷", data=station.data, now=now)["topic"]
    mediation = yishi_json("mediation", "start", dispute, "--mediator", "李主任", "--participant", f"当事人：{pii(0)}",
                           data=station.data, now=now)["mediation"]
    run("mediation", "session", mediation, "--note", f"{pii(1)} 同意修", at=after)
    run("mediation", "close", mediation, "--outcome", "化解", "--agreement", f"{pii(2)} 赔偿", at=after)
    return {"topics": topics, "draft": draft, "meeting": meeting, "major": major, "dispute": dispute}


def crawl(base):
    """Every page reachable from /public, its QR codes' targets, and the error pages."""
    seen, queue, pages = set(), ["/public"], {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, body = fetch(base + path)
        pages[path] = (status, body)
        for link in re.findall(r'href="(/public[^"#]*)"', body):
            queue.append(link.replace("&amp;", "&"))
        for target in re.findall(r'aria-label="二维码：(http[^"]+)"', body):
            queue.append(target[len(base):])
    return pages


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_no_public_page_shows_a_residents_phone_address_or_name(backend, folder):
    central = Central(folder, backend)
    url = central.start(public=True)
    now = datetime.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M")
    stations = []
    for station_id, community in (("HL3-01", "HL3"), ("DSF-01", "DSF")):
        station = Station(folder, station_id, community=community, central=url)
        central.enroll(station, community=community)
        stations.append((station, district(station, central, now)))
        yishi("sync", "--once", "--central", url, data=station.data)
    station, records = stations[0]
    try:
        pages = crawl(url)
        shown = [path for path in pages if "/topics/" in path or "/meetings/" in path or "/majors/" in path]
        assert len(shown) == 6, sorted(pages)  # per community: the topic, its meeting, the major matter
        for community, (_, found) in zip(("HL3", "DSF"), stations):
            assert f"/public/{community}/topics/{found['topics'][0]}" in pages
            assert f"/public/{community}/majors/{found['major']}" in pages
        # Drafts, set-aside topics and disputes have no page; error pages say nothing more.
        for path in (f"/public/HL3/topics/{records['draft']}", f"/public/HL3/topics/{records['topics'][1]}",
                     f"/public/HL3/topics/{records['dispute']}", "/public/HL3/topics/HL3-01-2026-9999", "/public/NOPE",
                     "/public/HL3/topics/%E9%92%B1", "/public/HL3/receipt?code=ABCDE-FGHJK", "/public/HL3/receipt?code=%E9%92%B1"):
            pages[path] = fetch(url + path)
            assert pages[path][0] in (400, 404), (path, pages[path][0])
        for path, (status, body) in pages.items():
            assert not leaks(body), (path, status, leaks(body))
        # A community's record under another community's address is not there.
        for community, (_, found) in zip(("DSF", "HL3"), stations):
            assert fetch(url + f"/public/{community}/topics/{found['topics'][0]}")[0] == 404, community
            assert fetch(url + f"/public/{community}/majors/{found['major']}")[0] == 404, community
        # The station's own board shows the same, redacted the same way.
        station.start()
        for path in ("/public/HL3", f"/public/HL3/topics/{records['topics'][0]}", f"/public/HL3/meetings/{records['meeting']}",
                     f"/public/HL3/majors/{records['major']}", "/public/HL3/ideas"):
            status, body = fetch(station.url + path)
            assert status == 200 and not leaks(body), (path, leaks(body))
    finally:
        for box, _ in stations:
            box.stop()
        central.stop()


def board_form(client, community="HL3"):
    status, _, page = client.get(f"/public/{community}/raise")
    assert status == 200
    return re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)


BAD_INPUT = [
    ({"matter": ""}, "matter", "请写上您要反映的事情"),
    ({"matter": "灯坏"}, "matter", "请多写几个字"),
    ({"matter": "长" * 1001}, "matter", "最多 1000 个字"),
    ({"matter": "东门路灯坏了三盏", "place": "地" * 101}, "place", "最多 100 个字"),
    ({"matter": "东门路灯坏了三盏", "place": "东门\u0007"}, "place", "控制字符"),
    ({"matter": "东门路灯坏了三盏", "place": "东门\u202e口"}, "place", "看不见的字符"),
    ({"matter": "东门路灯坏了三盏", "name": "王\u200b芳"}, "name", "看不见的字符"),
    ({"matter": "东门路灯坏了三盏", "name": "名" * 51}, "name", "最多 50 个字"),
    ({"matter": "东门路灯坏了三盏", "phone": "12345"}, "phone", "格式不对"),
]


def test_bad_input_on_the_form_is_refused_beside_its_field_and_writes_nothing(backend, folder):
    central = Central(folder, backend)
    url = central.start(public=True)
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    yishi("topic", "raise", "--title", "已有的议题", "--channel", "说事厅", data=station.data)
    yishi("sync", "--once", "--central", url, data=station.data)
    client = Client(url)

    def unchanged():
        return central.command("digest", "--scope", "HL3").stdout

    before = unchanged()
    try:
        token = board_form(client)
        for fields, field, message in BAD_INPUT:
            status, _, page = client.post("/public/HL3/raise", dict(fields, _csrf=token))
            assert status == 422, (fields, status)
            beside = re.search(rf'id="{field}-error">([^<]*)<', page)
            assert beside and message in beside.group(1), (field, page[:2000])
            for name, value in fields.items():
                if value and "\u0007" not in value:
                    assert value in page, (name, value)  # what was typed is kept
        # A form not from this board, an expired one, and one a bot filled in.
        status, _, page = client.post("/public/HL3/raise", {"matter": "东门路灯坏了三盏"})
        assert status == 403 and "页面已过期" in page and "东门路灯坏了三盏" in page
        status, _, page = client.post("/public/HL3/raise", {"_csrf": "0" * 32, "matter": "东门路灯坏了三盏"})
        assert status == 403
        status, _, page = client.post("/public/HL3/raise", {"_csrf": token, "matter": "东门路灯坏了三盏", "website": "http://spam"})
        assert status == 400 and "没有提交" in page
        # Bytes that are not UTF-8, and a body past the form's limit.
        request = urllib.request.Request(url + "/public/HL3/raise", data=f"_csrf={token}&matter=%FF%FE%FD".encode())
        status, body = send(client, request)
        assert status == 400 and "UTF-8" in body
        request = urllib.request.Request(url + "/public/HL3/raise", data=(f"_csrf={token}&matter=" + "x" * 40_000).encode())
        status, body = send(client, request)
        assert status == 413 and "内容太长" in body
        assert unchanged() == before

        # A flood from one address: five go through, the sixth is told when to try again.
        moment = time.time()
        codes = []
        for index in range(6):
            status, headers, page = client.post("/public/HL3/raise", {"_csrf": token, "matter": f"第 {index} 次反映：东门路灯坏了"})
            codes.append(status)
        assert codes == [303] * 5 + [429], codes
        assert "提交太频繁" in page and "分钟后" in page and int(headers["Retry-After"]) > 0
        # Sync is not slowed by the board's limits: it keeps its own budget.
        sync = yishi("sync", "--once", "--central", url, data=station.data)
        assert sync.returncode == 0 and time.time() - moment < 30
        listed = yishi("topic", "list", data=station.data).stdout
        assert listed.count("东门路灯坏了") == 5, listed
    finally:
        central.stop()


def send(client, request):
    try:
        with client.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_name_typed_on_the_board_never_reaches_a_notice_and_markup_stays_text(folder):
    """The form says only staff see the name: it is on the staff's topic page, and on no notice
    — printed (HTML), the Markdown copy for the WeChat group, or the desk's notice page. What
    the resident typed is text in the Markdown, never a link, an image or HTML."""
    central = Central(folder)
    url = central.start(public=True)
    station = Station(folder, "HL3-01", central=url)
    station.add_user("王芳", "社区工作者")
    central.enroll(station)
    try:
        client = Client(url)
        token = board_form(client)
        matter = "东门路灯坏了 [点我领奖](http://evil.example) ![x](http://evil.example/x.png) <b>粗</b> *急*"
        status, _, page = client.post("/public/HL3/raise", {"_csrf": token, "matter": matter, "name": "钱秘密", "phone": "13812345678"})
        assert status == 303, page[:500]
        yishi("sync", "--once", "--central", url, data=station.data)
        topic = json.loads(yishi("topic", "list", "--json", data=station.data).stdout)[0]["reference"]
        assert "钱秘密" in yishi("topic", "show", topic, data=station.data).stdout, "staff see the name"
        out = folder / "notices"
        yishi("notice", "result", topic, "--out", str(out), data=station.data)
        html = (out / f"结果公示-{topic}.html").read_text()
        markdown = (out / f"结果公示-{topic}.md").read_text()
        for text in (html, markdown):
            assert "钱秘密" not in text and "13812345678" not in text and "匿名居民" in text
        assert "](http" not in markdown.replace("\\](", "") and "<b>" not in markdown.replace("\\<b\\>", "")
        assert "\\[点我领奖\\]" in markdown and "\\!\\[x\\]" in markdown and "\\<b\\>" in markdown and "\\*急\\*" in markdown
        station.start()
        desk = Client(station.url).login("王芳")
        status, _, page = desk.get(f"/notices/result/{topic}")
        assert status == 200 and "钱秘密" not in page and "匿名居民" in page
    finally:
        station.stop()
        central.stop()
