"""One list export as a coordinator downloads it, in a process of its own: `make bench` measures its peak memory.

    python -m bench.export_once DATABASE_URL /exports/learners.xlsx OUT_FILE

Streams the response to OUT_FILE (never holding it) and prints the bytes written.
"""

import sys

from bench.database import bench_app
from bench.measures import signed_in_client


def main(url: str, path: str, out: str) -> int:
    app = bench_app(url)
    client = signed_in_client(app, "bench-coordinator@example.org")
    response = client.get(path, buffered=False)
    if response.status_code != 200:
        print(f"GET {path} answered {response.status_code}", file=sys.stderr)
        return 1
    written = 0
    with open(out, "wb") as handle:
        for chunk in response.response:
            handle.write(chunk)
            written += len(chunk)
    response.close()
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
