"""Benchmark only: the production settings without the access log's middleware, so that
`python -m bench --access-log-overhead` can measure what logging costs on the same database.
Never deploy this: it stops recording who read whose data."""

from cadence.settings import *  # noqa: F403
from cadence.settings import MIDDLEWARE

MIDDLEWARE = [name for name in MIDDLEWARE if name != "trust.access_log.AccessLogMiddleware"]
