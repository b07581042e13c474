"""What the access log costs: the pages that record reads, served twice from the same
database, by one server with the access log and one without (`bench.settings_without_access_log`,
the only difference), measured in alternating rounds so that both see the same machine.

The target (issue 15): p95 with the log within 10 % of p95 without, on the person, goal,
conversation and 360 report pages read by a manager (each read of a report's data is logged).
"""

from __future__ import annotations

import statistics
from typing import Any

from bench.pages import PAGES, Persona
from bench.run import Server, personas_of, probe, sign_in, wrk

PAGES_MEASURED = (
    "Person page (report)",
    "Goal page (report's)",
    "Conversation page",
    "360 report",
)
LIMIT = 1.10  # p95 with the log at most 10 % above p95 without


def measure(url: str, args) -> dict[str, Any]:
    manager = next(p for p in personas_of(url) if p.key == "manager")
    plan: list[tuple[str, str]] = []
    for page in PAGES:
        path = page.url(manager) if page.name in PAGES_MEASURED else None
        if path:
            plan.append((page.name, path))
    servers = {
        "with": Server(url, args.workers),
        "without": Server(url, args.workers, settings="bench.settings_without_access_log"),
    }
    try:
        cookie = sign_in(servers["with"], manager.email)  # sessions live in the database
        for server in servers.values():
            for _name, path in plan:
                status = probe(server, path, cookie)["status"]
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                for _ in range(args.workers * 3):
                    probe(server, path, cookie)
        runs: dict[tuple[str, str], list[dict]] = {}
        for round_ in range(args.rounds):
            order = ["with", "without"] if round_ % 2 == 0 else ["without", "with"]
            for name, path in plan:
                for mode in order:
                    result = wrk(servers[mode].url + path, cookie, 1, args.requests, args.seconds)
                    runs.setdefault((name, mode), []).append(result)
    finally:
        for server in servers.values():
            server.stop()
    return {"persona": manager.label, "pages": _figures(plan, runs, manager)}


def _figures(plan, runs, manager: Persona) -> list[dict]:
    rows = []
    for name, path in plan:
        row: dict[str, Any] = {"page": name, "path": path}
        for mode in ("with", "without"):
            done = runs[(name, mode)]
            row[mode] = {
                "median_ms": round(statistics.median(r["p50_us"] for r in done) / 1000, 2),
                "p95_ms": round(statistics.median(r["p95_us"] for r in done) / 1000, 2),
                "requests": sum(r["requests"] for r in done),
            }
        row["p95_ratio"] = round(row["with"]["p95_ms"] / max(row["without"]["p95_ms"], 0.01), 3)
        row["ok"] = row["p95_ratio"] <= LIMIT
        rows.append(row)
    return rows


def print_overhead(result: dict) -> None:
    print(f"\nAccess log overhead, as the {result['persona']} (p95 with / without, in ms):")
    print(f"{'page':<24} {'with':>16} {'without':>16}  ratio")
    for row in result["pages"]:
        w, wo = row["with"], row["without"]
        mark = "ok" if row["ok"] else "MISSED"
        print(
            f"{row['page']:<24} {w['median_ms']:>6.1f} / {w['p95_ms']:>6.1f}  "
            f"{wo['median_ms']:>6.1f} / {wo['p95_ms']:>6.1f}  {row['p95_ratio']:.2f} {mark}"
        )
