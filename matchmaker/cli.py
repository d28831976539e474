"""Registers every package's command group on the `flask` CLI."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .competitions.cli import rounds_cli
    from .demo.cli import demo_cli
    from .jobs.cli import jobs_cli
    from .scenarios.cli import taxonomy_cli
    from .search.app.cli import search_cli

    app.cli.add_command(taxonomy_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(jobs_cli)
    _register_backup_commands()


def _register_backup_commands() -> None:
    """`flask db backup` and `flask db restore FILE`, beside Flask-Migrate's `db` commands."""
    import click
    from flask import current_app
    from flask_migrate.cli import db as db_group

    from .backups import BackupError, backup_current_app, restore

    @db_group.command("backup")
    def backup_command() -> None:
        """Back the database up into BACKUP_DIR (default instance/backups), keep BACKUP_KEEP."""
        try:
            click.echo(f"backup written: {backup_current_app()}")
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc

    @db_group.command("restore")
    @click.argument("backup_file", type=click.Path(dir_okay=False))
    def restore_command(backup_file: str) -> None:
        """Restore BACKUP_FILE into the (empty) database at DATABASE_URL."""
        from pathlib import Path

        try:
            restore(Path(backup_file), current_app.config["SQLALCHEMY_DATABASE_URI"])
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"restored {backup_file}; run `flask db upgrade` if the backup is older")
