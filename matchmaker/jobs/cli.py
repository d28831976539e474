"""`flask jobs …`: the worker process and a look at the queue."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from .core import drain, huey_for, registered_tasks

# An idle consumer polls a SQLite queue at most this far apart (Huey's default backs off to
# 10 s): the search index's bound (a committed change searchable within 5 s) counts on it.
IDLE_POLL_SECONDS = 1.0

jobs_cli = AppGroup("jobs", help="The job queue: worker, state, one-off runs.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic tasks here.")
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run the queue's consumer (threads) and, unless told not to, the periodic scheduler."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    huey = huey_for(current_app)
    for job in registered_tasks().values():
        if job.at_start:
            job.enqueue(app=current_app)
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=not no_periodic,
        check_worker_health=True,
        max_delay=IDLE_POLL_SECONDS,
    )
    consumer.run()


@jobs_cli.command("list")
def list_command() -> None:
    """The declared tasks and how many tasks wait in the queue."""
    huey = huey_for(current_app)
    for name, job in sorted(registered_tasks().items()):
        click.echo(f"{'periodic' if job.periodic else 'task    '}  {name}")
    click.echo(f"waiting: {huey.pending_count()}  scheduled: {huey.scheduled_count()}")


@jobs_cli.command("drain")
def drain_command() -> None:
    """Run every waiting task in this process, then stop (no worker needed)."""
    click.echo(f"ran {drain(current_app)} task(s)")
