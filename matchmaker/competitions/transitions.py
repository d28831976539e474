"""Writing a status change safely: a compare-and-set on the status that was read.

    move = Move(objection, st.OBJECTION_MACHINE, st.UPHOLD, st.ORGANISER)  # 403 / 409 here
    if move.repeat:                  # already upheld: a double click, a second tab
        return False
    ...                              # the service's own checks (window, stage, input)
    if not move.apply(resolved_at=clock.now()):
        db.session.rollback()        # a concurrent request made the same move first
        return False
    ...                              # audit entry, notifications: once, by the winner
    db.session.commit()

`apply` is one conditional UPDATE (`WHERE id = … AND status = <the status read>`): of two
concurrent requests PostgreSQL's row lock makes the second re-check its WHERE after the first
commits, so exactly one writes. The loser re-reads the row: the same target is a repeat (False);
another status (two tabs sending opposite answers) is refused with the machine's 409 message.
"""

from __future__ import annotations

from sqlalchemy import update

from ..extensions import db
from ..statemachine import StateMachine


def claim(obj, *conditions, **values) -> bool:
    """UPDATE the object's row with `values` only while `conditions` hold; True when this call
    wrote them (the object is refreshed from the row)."""
    model = type(obj)
    result = db.session.execute(
        update(model)
        .where(model.id == obj.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


class Move:
    """One action on one record through its machine (see the module's docstring)."""

    def __init__(self, obj, machine: StateMachine, action: str, role, column: str = "status"):
        self.obj, self.machine, self.action, self.role = obj, machine, action, role
        self.column = column
        self.current = getattr(obj, column)
        self.target = machine.step(self.current, action, role)

    @property
    def repeat(self) -> bool:
        """The record is already where the action leads: nothing to do, nobody to tell."""
        return self.target is None

    def apply(self, **values) -> bool:
        """Write the target (and `values`) if the status is still the one read. True when this
        call wrote it; False when a concurrent request made the same move; a concurrent request
        that moved the record elsewhere makes this one refused (409)."""
        if self.repeat:
            return False
        column = getattr(type(self.obj), self.column)
        if claim(self.obj, column == self.current, **{self.column: self.target}, **values):
            return True
        db.session.refresh(self.obj, [self.column])
        now = getattr(self.obj, self.column)
        if self.machine.step(now, self.action, self.role) is None:  # raises the worded 409
            return False
        # moved elsewhere and back within reach of the action: let the user look again
        raise self.machine.refused(current=now, action=self.action, role=self.role)
