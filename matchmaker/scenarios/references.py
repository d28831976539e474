"""Find and re-point every foreign key that references a scenario template.

Merging two templates must move whatever references the old one, including tables of
packages that land later; so the references are read from the live schema, not listed here.
"""

from __future__ import annotations

from sqlalchemy import and_, column, inspect, select, table
from sqlalchemy.orm import Session

TEMPLATE_TABLE = "scenario_templates"


def template_references(session: Session) -> list[tuple[str, str, list[str]]]:
    """(table, fk column, primary-key columns) for every single-column FK to scenario_template.id."""
    inspector = inspect(session.connection())
    found = []
    for name in inspector.get_table_names():
        pk = inspector.get_pk_constraint(name).get("constrained_columns") or []
        for fk in inspector.get_foreign_keys(name):
            if fk["referred_table"] != TEMPLATE_TABLE or len(fk["constrained_columns"]) != 1:
                continue
            col = fk["constrained_columns"][0]
            if name == TEMPLATE_TABLE and col == "merged_into_id":
                continue
            found.append((name, col, pk))
    return found


def repoint_references(session: Session, old_id: int, new_id: int) -> dict[str, int]:
    """Move references from old_id to new_id; returns rows moved per table.column.

    Where the FK column is part of a composite primary key (an association table), rows
    that would collide with an existing link to the new template are dropped first.
    """
    moved: dict[str, int] = {}
    for name, col, pk in template_references(session):
        others = [c for c in pk if c != col]
        tbl = table(name, column(col), *(column(c) for c in others))
        if col in pk and others:
            _drop_colliding(session, tbl, col, others, old_id, new_id)
        result = session.execute(tbl.update().where(tbl.c[col] == old_id).values({col: new_id}))
        moved[f"{name}.{col}"] = result.rowcount or 0
    return moved


def _drop_colliding(session, tbl, col, others, old_id, new_id) -> None:
    existing = session.execute(
        select(*(tbl.c[c] for c in others)).where(tbl.c[col] == new_id)
    ).all()
    for row in existing:
        match = and_(
            tbl.c[col] == old_id, *(tbl.c[c] == v for c, v in zip(others, row, strict=True))
        )
        session.execute(tbl.delete().where(match))
