"""What the organiser's console shows about the queue: final failures and periodic runs.

The queue itself lives in Huey's storage (Redis or SQLite); these rows are in the main
database so that the console can list them and retry a failure exactly once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import db


class JobFailure(db.Model):
    """A task that failed after its last retry. `args` is the JSON of its arguments, so that
    the console can queue it again; `status` goes failed → retried once (compare-and-set)."""

    __tablename__ = "job_failures"
    __table_args__ = (
        CheckConstraint("status IN ('failed', 'retried')", name="status"),
        Index("ix_job_failures_status", "status", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(String(200))
    task_id: Mapped[str] = mapped_column(String(64), default="")
    args: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    error: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="failed", server_default="failed")
    failed_at: Mapped[datetime] = mapped_column(default=clock.now)
    retried_at: Mapped[datetime | None]


class JobScheduleRun(db.Model):
    """The last run of one periodic task (one row per task, updated in place)."""

    __tablename__ = "job_schedule_runs"

    task_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default="")
    error: Mapped[str] = mapped_column(Text, default="", server_default="")
    runs: Mapped[int] = mapped_column(default=0, server_default="0")
