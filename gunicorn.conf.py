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


def on_starting(server):
    """Tell the workers how many of them share the cores (command-line --workers included):
    each runs PyTorch with cores ÷ workers threads unless SEARCH_THREADS says otherwise."""
    os.environ["SEARCH_WORKERS"] = str(server.cfg.workers)


def post_worker_init(worker):
    """Load the search model and index as the worker boots, before it accepts a request,
    so no user's request pays for it (matchmaker.search.app.service.warm_up; never fails).

    The worker keeps telling the arbiter it is alive while it loads: on a busy machine the
    load can outlast `timeout`, and a worker killed for it would boot (and load) again."""
    import threading

    from matchmaker.search.app.service import warm_up

    loaded = threading.Event()
    every = max(0.5, min(5.0, worker.timeout / 2))  # the worker's share of `timeout`

    def heartbeat():
        while not loaded.wait(every):
            worker.notify()

    threading.Thread(target=heartbeat, name="warm-up-heartbeat", daemon=True).start()
    try:
        warm_up(worker.wsgi)
    finally:
        loaded.set()
