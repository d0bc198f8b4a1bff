"""What every benchmark measures with: its own Django set-up, timed calls with their query
counts, and pages."""

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def configure_django(workdir):
    """Point the settings at the temporary directory; must run before django.setup()."""
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["SQLITE_PATH"] = str(workdir / "benchmark.sqlite3")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "1"
    os.environ["DEMO_MODE"] = "0"
    os.environ["TWO_FACTOR_REQUIRED"] = "1"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host name
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


class Measure:
    """Times and query counts of one page, endpoint or function. `prepare` runs before each
    timed call, outside the timing (for example to empty a cache); `bound` marks the lower bound
    the other measures are compared with."""

    def __init__(self, name, run, *, bound=False, prepare=None):
        self.name, self.run, self.bound, self.prepare = name, run, bound, prepare
        self.times, self.queries = [], []

    def once(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if self.prepare is not None:
            self.prepare()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            self.run()
            elapsed = time.perf_counter() - started
        self.times.append(elapsed * 1000)
        self.queries.append(len(captured.captured_queries))

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def p90(self):
        return statistics.quantiles(self.times, n=10, method="inclusive")[8]

    @property
    def query_count(self):
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def page(client, path):
    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}, not 200; stopping.")

    return get
