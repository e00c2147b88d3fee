"""Enterprise search at province scale: 100k enterprises, p50/p95 per kind of query (target p95 ≤ 30 ms).

Run ``python -m bench.bench_search`` (or ``make bench``). The registry is built in a temporary directory with
realistic names (region + 字号 + industry + 有限公司), valid credit codes, and initials from the application's
``name_initials``; rows go in through plain INSERTs so the FTS triggers index them as in real use. Each query kind
runs ``QUERIES_PER_KIND`` times through ``search_enterprises`` with the default limit of 50.

The realistic kinds are what coordinators type: a 字号 ("恒达"), 字号 plus the start of the industry ("恒达机械"),
the first characters of a code, and initials. The ``common_*`` kinds are deliberately bad cases — fragments that
match most of the table — reported so nobody is surprised by them; they are not part of the target.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, bindparam, insert, update

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.enterprise_search import EnterpriseFilters, search_enterprises
from app.audit.enterprises import name_initials
from app.audit.uscc import ALPHABET, make_uscc
from app.db import open_database
from app.models import Audit, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem
from app.models.base import new_id, utcnow

ENTERPRISES = 100_000
QUERIES_PER_KIND = 150
TARGET_P95_MS = 30.0
SEED = 20261126
VISITED_SHARE = 0.03
TODAY = dt.date(2026, 11, 26)

REGIONS = {
    "重庆": "500103",
    "重庆渝北": "500112",
    "长寿": "500115",
    "万州": "500101",
    "成都": "510104",
    "成都高新": "510109",
    "绵阳": "510703",
    "德阳": "510603",
    "南充": "511302",
    "宜宾": "511502",
    "泸州": "510502",
    "达州": "511702",
    "达川区": "511703",
    "通川区": "511702",
    "宣汉县": "511722",
    "开江县": "511723",
    "大竹县": "511724",
    "渠县": "511725",
    "万源": "511781",
    "广安": "511602",
    "巴中": "511902",
    "遂宁": "510903",
    "内江": "511002",
    "乐山": "511102",
    "眉山": "511402",
    "雅安": "511802",
    "攀枝花": "510402",
    "自贡": "510302",
    "长沙": "430102",
    "厦门": "350203",
}
BRAND_CHARACTERS = (
    "恒达宏图鑫盛兴隆华泰瑞丰安顺创新明东德伟昌荣和嘉金银宝利佳"
    "源博通海天中长重乐福永祥远航辉晨星光诚信益康美凯盈润峰腾骏锦"
)
INDUSTRIES = (
    "机械",
    "食品",
    "建筑工程",
    "物流",
    "商贸",
    "餐饮管理",
    "科技",
    "电子",
    "纺织",
    "服装",
    "建材",
    "汽车销售",
    "医药",
    "印务",
    "家具",
    "农业开发",
    "物业管理",
    "劳务",
    "装饰工程",
    "化工",
    "环保科技",
    "酒店管理",
    "钢结构",
    "混凝土",
    "运输",
)
SUFFIXES = ("有限公司",) * 7 + ("有限责任公司", "股份有限公司", "实业有限公司")


def _brand(rng: random.Random) -> str:
    first, second = rng.sample(BRAND_CHARACTERS, 2)
    return first + second


def _code(rng: random.Random, division: str, serial: int) -> str:
    digits = []
    for _ in range(7):
        serial, digit = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[digit])
    kind = rng.choice("1111111123")
    return make_uscc(f"9{kind}{division}MA{''.join(reversed(digits))}")


def build_registry(path: Path, count: int, rng: random.Random) -> list[dict[str, object]]:
    """Create ``count`` enterprises in a fresh database at ``path``; returns the rows for sampling queries."""
    database = open_database(path)
    regions = list(REGIONS.items())
    rows: list[dict[str, object]] = []
    initials_cache: dict[str, str] = {}
    now = utcnow()
    for serial in range(count):
        region, division = rng.choice(regions)
        brand, industry = _brand(rng), rng.choice(INDUSTRIES)
        name = f"{region}{brand}{industry}{rng.choice(SUFFIXES)}"
        initials = initials_cache.get(name)
        if initials is None:
            initials = initials_cache.setdefault(name, name_initials(name))
        rows.append(
            {
                "id": new_id(),
                "uscc": _code(rng, division, serial * 7919 + 104_729),
                "name": name,
                "name_initials": initials,
                "industry": industry,
                "district": region,
                "headcount": rng.randint(3, 2000),
                "is_key": rng.random() < 0.05,
                "created_at": now,
                "updated_at": now,
                "brand": brand,
                "region": region,
                "trade": industry,
            }
        )
    columns = {column.key for column in Enterprise.__table__.columns}
    with database.engine.begin() as connection:
        for start in range(0, count, 5000):
            chunk = [{k: v for k, v in row.items() if k in columns} for row in rows[start : start + 5000]]
            connection.execute(insert(Enterprise), chunk)
        _add_rectification_items(connection, rows, rng)
    database.close()
    return rows


def _add_rectification_items(connection: Connection, rows: list[dict[str, object]], rng: random.Random) -> None:
    """Visits to ``VISITED_SHARE`` of the enterprises, 1–3 items each, some verified, some past their deadline;
    5 % graded 高 — what the filters work on."""
    coordinator_id = new_id()
    connection.execute(insert(Coordinator), [{"id": coordinator_id, "name": "李协调", "device_code": "A3"}])
    audits, findings, items = [], [], []
    for row in rng.sample(rows, int(len(rows) * VISITED_SHARE)):
        row["risk_grade"] = rng.choice(("高", "中", "中", "低", "低", "低"))
        audit_id = new_id()
        audits.append(
            {"id": audit_id, "enterprise_id": row["id"], "coordinator_id": coordinator_id, "visit_date": TODAY}
        )
        for position in range(rng.randint(1, 3)):
            finding_id = new_id()
            findings.append(
                {
                    "id": finding_id,
                    "audit_id": audit_id,
                    "module": "contract",
                    "item_id": f"C{position:02}",
                    "severity": "中",
                    "description": "未签订书面劳动合同",
                    "position": position,
                }
            )
            items.append(
                {
                    "id": new_id(),
                    "finding_id": finding_id,
                    "audit_id": audit_id,
                    "enterprise_id": row["id"],
                    "requirement": "补签书面劳动合同",
                    "deadline": TODAY + dt.timedelta(days=rng.randint(-30, 30)),
                    "deadline_days": 15,
                    "deadline_working_days": False,
                    "status": rng.choice(list(ItemStatus)),
                }
            )
    connection.execute(insert(Audit), audits)
    connection.execute(insert(Finding), findings)
    connection.execute(insert(RectificationItem), items)
    grades = [{"row_id": row["id"], "grade": row["risk_grade"]} for row in rows if "risk_grade" in row]
    connection.execute(
        update(Enterprise).where(Enterprise.id == bindparam("row_id")).values(risk_grade=bindparam("grade")), grades
    )


Query = str | tuple[str, EnterpriseFilters]


def _query_kinds(rows: list[dict[str, object]], rng: random.Random) -> dict[str, Callable[[], Query]]:
    def pick() -> dict[str, object]:
        return rng.choice(rows)

    def two_char() -> str:
        return str(pick()["brand"])

    high_risk = [row for row in rows if row.get("risk_grade") == "高"]

    def three_plus(row: dict[str, object] | None = None) -> str:
        row = row or pick()
        brand, trade, region = str(row["brand"]), str(row["trade"]), str(row["region"])
        return rng.choice([brand + trade[:2], brand + trade[:1], region[-1:] + brand, region + brand])

    def code_prefix() -> str:
        return str(pick()["uscc"])[: rng.randint(6, 14)]

    def initials() -> str:
        row = pick()
        spelled = name_initials(str(row["brand"]) + str(row["trade"])).split()[0]
        return spelled[: rng.randint(3, len(spelled))] if len(spelled) > 3 else spelled

    def two_initials() -> str:
        return name_initials(str(pick()["brand"])).split()[0]

    def one_char() -> str:
        return rng.choice(str(pick()["brand"]))

    def region_initials() -> str:
        return name_initials(str(pick()["region"])).split()[0][:2]

    def overdue_list() -> tuple[str, EnterpriseFilters]:
        return "", EnterpriseFilters(overdue_as_of=TODAY)

    def open_items_by_brand() -> tuple[str, EnterpriseFilters]:
        return two_char(), EnterpriseFilters(has_open_items=True)

    def high_risk_by_fragment() -> tuple[str, EnterpriseFilters]:
        return three_plus(rng.choice(high_risk)), EnterpriseFilters(risk_grade="高")

    def common_fragment() -> str:
        return rng.choice(["有限公司", "有限", "公司", "科技有限", "机械有限公司"])

    def common_code_prefix() -> str:
        return rng.choice(["91", "915", "9151", "915117"])

    return {
        "two_char": two_char,
        "three_plus_char": three_plus,
        "code_prefix": code_prefix,
        "initials": initials,
        "two_initials": two_initials,
        "one_char": one_char,
        "region_initials": region_initials,
        "filter_overdue_list": overdue_list,
        "filter_open_2char": open_items_by_brand,
        "filter_high_risk_3plus": high_risk_by_fragment,
        "common_fragment": common_fragment,
        "common_code_prefix": common_code_prefix,
    }


def _percentile(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def run(count: int = ENTERPRISES, queries: int = QUERIES_PER_KIND, seed: int = SEED) -> dict[str, float]:
    """Build the registry and time each query kind; returns ``{"<kind>_p50_ms": …, "<kind>_p95_ms": …, …}``."""
    rng = random.Random(seed)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="laborcheck-bench-") as directory:
        path = Path(directory) / "bench.db"
        started = time.perf_counter()
        rows = build_registry(path, count, rng)
        results["build_s"] = time.perf_counter() - started
        workload = {
            kind: [make_query() for _ in range(queries)] for kind, make_query in _query_kinds(rows, rng).items()
        }
        del rows  # 100k sampled dicts would make every garbage collection during the timings slow
        gc.collect()
        database = open_database(path)
        try:
            with database.session() as session:
                for warm_up in ("恒达", "恒达机械", "915117", "hdjx", "hd", "h", "达"):
                    search_enterprises(session, warm_up)
                for kind, kind_queries in workload.items():
                    timings: list[float] = []
                    hits = 0
                    for query in kind_queries:
                        text, filters = query if isinstance(query, tuple) else (query, None)
                        started = time.perf_counter()
                        found = search_enterprises(session, text, filters=filters)
                        timings.append((time.perf_counter() - started) * 1000)
                        hits += len(found)
                        session.expunge_all()
                    results[f"{kind}_p50_ms"] = _percentile(timings, 50)
                    results[f"{kind}_p95_ms"] = _percentile(timings, 95)
                    results[f"{kind}_mean_hits"] = hits / queries
        finally:
            database.close()
    return results


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else ENTERPRISES
    print(f"building {count} enterprises …", flush=True)
    results = run(count)
    print(f"build: {results['build_s']:.1f} s")
    kinds = sorted({key.rsplit("_p", 1)[0] for key in results if key.endswith("_p95_ms")})
    print(f"{'query kind':<24}{'p50 ms':>9}{'p95 ms':>9}{'hits':>7}  target p95 ≤ {TARGET_P95_MS:g} ms")
    for kind in kinds:
        p50, p95 = results[f"{kind}_p50_ms"], results[f"{kind}_p95_ms"]
        flag = "" if kind.startswith("common") else ("ok" if p95 <= TARGET_P95_MS else "OVER")
        print(f"{kind:<24}{p50:>9.2f}{p95:>9.2f}{results[f'{kind}_mean_hits']:>7.1f}  {flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
