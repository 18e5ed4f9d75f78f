"""One reconciliation run in a process of its own: prints seconds and peak memory as JSON.

`python -m benchmarks.reconcile_probe <entity_type>` with the run's environment. Peak memory is
the peak of Python allocations during the run (tracemalloc, which also slows the run a little,
alike at every size).
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc

__all__ = ["main"]


def main() -> None:
    from config.settings import get_settings
    from persistence.graph.driver import make_sync_driver
    from persistence.reconcile.engine import reconcile
    from persistence.sql.database import make_sync_engine, sync_session_factory

    settings = get_settings()
    engine = make_sync_engine(settings.database_url)
    driver = make_sync_driver(settings)
    driver.verify_connectivity()
    tracemalloc.start()
    started = time.perf_counter()
    summary = reconcile(
        sync_session_factory(engine), driver, settings=settings, entity_types=[sys.argv[1]]
    )
    seconds = time.perf_counter() - started
    growth = tracemalloc.get_traced_memory()[1] // 1024
    tracemalloc.stop()
    totals = summary.totals
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_growth_kib": growth,
                "status": summary.status,
                "totals": repr(totals),
            }
        )
    )
    driver.close()
    engine.dispose()


if __name__ == "__main__":
    main()
