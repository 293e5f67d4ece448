"""Count what a schemathesis run sent and got, from its NDJSON reports.

usage: count.py REPORT.ndjson...   prints one line per file and a total:
requests sent, answers by status class, 5xx answers, failed checks.
"""

import collections
import json
import sys


def count(path):
    c = collections.Counter()
    for line in open(path, encoding="utf-8"):
        event = json.loads(line)
        done = event.get("ScenarioFinished")
        if not done:
            continue
        rec = done.get("recorder") or {}
        for inter in (rec.get("interactions") or {}).values():
            c["requests"] += 1
            resp = inter.get("response")
            if resp is None:
                c["no answer"] += 1
            else:
                c[f"{resp['status_code'] // 100}xx"] += 1
        for checks in (rec.get("checks") or {}).values():
            for check in checks:
                if check.get("status") == "failure":
                    c["failed checks"] += 1
    return c


def show(name, c):
    classes = " ".join(f"{k}={c[k]}" for k in ("2xx", "3xx", "4xx", "5xx", "no answer") if c[k])
    print(f"{name}: {c['requests']} requests ({classes}); failed checks: {c['failed checks']}")


total = collections.Counter()
for path in sys.argv[1:]:
    c = count(path)
    show(path, c)
    total.update(c)
show("total", total)
