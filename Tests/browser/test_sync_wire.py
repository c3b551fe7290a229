"""The compact wire form meets an older central. A station that has synced with a central
of this build pushes compact batches; if the central is then replaced by an older build
(restored from an old backup, or rolled back), the older central refuses the compact batch
whole, and the station sends the same ops again as journal lines, without losing any and
without asking anyone. The older central is played by a small server on 127.0.0.1 that
answers as builds before the compact form did: it reads only version-1 bundles and never
says it reads more."""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import Central, Station, yishi, yishi_json


class OlderCentral(BaseHTTPRequestHandler):
    seen = []  # (path, bundle version, op count)

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        now = int(time.time() * 1000)
        if self.path == "/v1/push":
            lines = body.decode().splitlines()
            header = json.loads(lines[0])
            OlderCentral.seen.append(("push", header["version"], len(lines) - 1))
            if header.get("version", 1) != 1:
                # What an older build's strict decoder made of a compact line.
                return self.answer(400, {"error": "上传的数据第 2 行：缺少“schema”。没有导入任何内容。", "reason": "bad_batch"})
            counters = [int(json.loads(line)["dot"].split(":")[-1]) for line in lines[1:]]
            return self.answer(200, {"acknowledged": max(counters), "stored": len(counters), "duplicates": 0, "time": now})
        if self.path == "/v1/pull":
            OlderCentral.seen.append(("pull", json.loads(body).get("wire"), 0))
            header = json.dumps({"cursor": json.loads(body)["cursor"], "more": False, "time": now})
            bundle = json.dumps({"yishi": "bundle", "version": 1, "from": "central", "community": "HL3", "schema": 1, "ops": 0})
            return self.answer(200, (header + "\n" + bundle + "\n").encode(), raw=True)
        self.answer(404, {"error": "no", "reason": "not_found"})

    def answer(self, status, payload, raw=False):
        data = payload if raw else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def pending(station):
    return int(yishi_json("status", data=station.data)["queued"])


def test_a_station_falls_back_to_journal_lines_for_an_older_central(folder):
    central = Central(folder)
    url = central.start()
    station = Station(folder, "HL3-01", central=url)
    central.enroll(station)
    try:
        yishi("topic", "raise", "--title", "北门门禁", "--channel", "说事点", data=station.data)
        yishi("sync", "--once", "--central", url, data=station.data)
        assert pending(station) == 0
    finally:
        central.stop()

    older = ThreadingHTTPServer(("127.0.0.1", 0), OlderCentral)
    threading.Thread(target=older.serve_forever, daemon=True).start()
    older_url = f"http://127.0.0.1:{older.server_address[1]}"
    try:
        yishi("topic", "raise", "--title", "南门路灯", "--channel", "微信群", data=station.data)
        waiting = pending(station)
        assert waiting > 0
        yishi("sync", "--once", "--central", older_url, data=station.data)
        pushes = [(version, count) for path, version, count in OlderCentral.seen if path == "push"]
        # Compact first (this central had said it reads it), refused whole; then the same ops as lines.
        assert pushes == [(2, waiting), (1, waiting)], pushes
        assert pending(station) == 0
        # The older central never says it reads compact batches: the next push is lines at once.
        OlderCentral.seen.clear()
        yishi("topic", "raise", "--title", "西门垃圾桶", "--channel", "意见箱", data=station.data)
        yishi("sync", "--once", "--central", older_url, data=station.data)
        assert [version for path, version, _ in OlderCentral.seen if path == "push"] == [1]
        assert pending(station) == 0
    finally:
        older.shutdown()
