"""``make bench``: run every benchmark and print its figures. Nothing here is asserted; figures go in notes."""

from __future__ import annotations

import importlib

BENCHES = [
    "bench.bench_answer",
    "bench.bench_search",
    "bench.bench_ledger",
    "bench.bench_demo",
    "bench.bench_gui",
    "bench.bench_notice",
    "bench.bench_sync",
    "bench.bench_encryption",
    "bench.bench_wage",
    "bench.bench_console",
]


def main() -> None:
    for name in BENCHES:
        print(f"== {name}")
        importlib.import_module(name).main()
        print()


if __name__ == "__main__":
    main()
