#!/usr/bin/env bash
# How the fixture beside this script was made: a central and a station written by the release
# before signatures (commit c8c5341), for UpgradeTests. Run with that release's binary:
#
#   OLD=/path/to/previous/yishi bash make.sh
#
# The station synced once, its office answered an escalation at the central, and then,
# offline, the station raised another topic and recorded a department's answer itself (the
# previous release allowed it; it is the street's now): ops that wait in its outbox.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf central HL3-01
export YISHI_AUTHOR=王芳
old() { "$OLD" "$@"; }
old central init --data central >/dev/null
old init --station HL3-01 --community HL3 --data HL3-01 >/dev/null
old central enroll --station HL3-01 --community HL3 --key "$(old key --data HL3-01)" --data central >/dev/null
log=$(mktemp)
old central serve --port 0 --data central >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until grep -q "中心已启动" "$log"; do sleep 0.2; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
export YISHI_NOW="2026-11-02 09:00"
topic=$(old topic raise --title 北门门禁 --channel 说事点 --data HL3-01 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["topic"])')
old topic raise --title 南区充电桩 --channel 微信群 --data HL3-01 >/dev/null
first=$(old escalation add --topic "$topic" --level 街道 --department 城管科 --reason 社区无权处理 --data HL3-01 --json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["escalation"])')
old sync --once --central "$url" --data HL3-01 >/dev/null
YISHI_AUTHOR=街道城管科 YISHI_NOW="2026-11-05 10:00" old escalation respond "$first" --reported-on 2026-11-05 --response 已安排维修 --data central >/dev/null
old sync --once --central "$url" --data HL3-01 >/dev/null
kill $server
wait $server 2>/dev/null || true
export YISHI_NOW="2026-11-10 09:00"
second=$(old escalation add --topic "$topic" --level 区 --department 区住建局 --reason 涉及区级资金 --data HL3-01 --json \
         | python3 -c 'import json,sys; print(json.load(sys.stdin)["escalation"])')
old escalation respond "$second" --reported-on 2026-11-10 --response 已立项 --data HL3-01 >/dev/null
old topic raise --title 西门停车 --channel 说事点 --data HL3-01 >/dev/null
rm -f central/lock HL3-01/lock
echo "topic=$topic first=$first second=$second"
# Every write in the files themselves, none left in a -wal beside them.
for database in central/replica.sqlite HL3-01/replica.sqlite; do
    python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)')" "$database"
done
rm -f central/*-wal central/*-shm HL3-01/*-wal HL3-01/*-shm
