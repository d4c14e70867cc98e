"""Runs SQL statements on chdb (an embedded, current ClickHouse engine) for the portability
tests: stdin is a JSON list of statements, stdout a JSON list of {"ok": bool, "result" or
"error"}, one per statement, in order. Statements share one session (one database)."""
import json
import sys
import tempfile

from chdb import session as chs


def main() -> None:
    statements = json.load(sys.stdin)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        sess = chs.Session(tmp)
        try:
            for stmt in statements:
                try:
                    res = sess.query(stmt, "JSONEachRow")
                    text = res.bytes().decode("utf-8") if res is not None else ""
                    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
                    out.append({"ok": True, "result": rows})
                except Exception as e:  # noqa: BLE001 - every failure is reported, per statement
                    out.append({"ok": False, "error": str(e)[:2000]})
        finally:
            sess.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
