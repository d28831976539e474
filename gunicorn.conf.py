"""Gunicorn settings, read from the working directory by every `gunicorn wsgi:app` here
(`make serve`, the load test, the benchmarks, the browser journeys); command-line flags win.

One sync worker per core (WEB_CONCURRENCY, default 2): the pages are CPU-bound Python, so
more processes than cores only add switching, and a sync worker keeps one database
connection. GUNICORN_THREADS > 1 switches to threaded workers for slow clients.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# Recycle a worker now and then (jittered, never all at once) to bound slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
