"""One benchmarked server (`benchmarks.served:<factory>`), run as `learngraph serve` runs the API.

`python -m benchmarks.serve <factory> <port> <processes>`: every server of a run (ours, direct,
naive) gets the same process count and the same listening socket (cli.serving.run_api).
"""

from __future__ import annotations

import sys

from cli.main import WORKER_START_SECONDS
from cli.serving import run_api


def main() -> None:
    factory, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    run_api(
        f"benchmarks.served:{factory}",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
