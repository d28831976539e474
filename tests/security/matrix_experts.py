"""Matrix rows of the 专家库 (expert pool) and the expert's invitation page (issue 19, item 5)."""

from __future__ import annotations

from .rows import LOGIN, NOT_FOUND, Row, everyone, organisers

_POOL = "/rounds/console/experts"
_EXPERT = "/rounds/console/experts/<int:user_id>"
_ACTIVE = "/rounds/console/experts/<int:user_id>/<any(deactivate, activate):action>"
_REINVITE = "/rounds/console/experts/<int:user_id>/reinvite"
_INVITATION = "/rounds/experts/invitation/<token>"
_RECORD = "/rounds/console/experts/<int:user_id>/relations"
_REMOVE = "/rounds/console/experts/<int:user_id>/relations/<int:organisation_id>/remove"
_RELATION = {"relation-organisation": "{vendor_b_name}", "relation-note": "配偶任职于该企业"}
_NO_NOTE = {"relation-organisation": "{vendor_b_name}", "relation-note": ""}
_PROFILE = {"name": "改名专家", "availability": "available"}
_MISMATCH = {"new_password": "amber-lantern-73", "new_password2": "different-words-5"}

EXPERT_POOL = [
    Row("GET", _POOL, _POOL, organisers()),
    Row("POST", _POOL, _POOL, organisers(), {"email": "new-expert@example.com", **_PROFILE}),
    Row("GET", _EXPERT, "/rounds/console/experts/{user_expert}", organisers()),
    Row("GET", _EXPERT, "/rounds/console/experts/{user_factory_a}", organisers(NOT_FOUND)),
    Row("GET", _EXPERT, "/rounds/console/experts/{missing_id}", organisers(NOT_FOUND)),
    Row("POST", _EXPERT, "/rounds/console/experts/{user_expert}", organisers(), _PROFILE),
    Row("POST", _EXPERT, "/rounds/console/experts/{missing_id}", organisers(NOT_FOUND), _PROFILE),
    Row("POST", _ACTIVE, "/rounds/console/experts/{user_expert}/deactivate", organisers()),
    Row("POST", _ACTIVE, "/rounds/console/experts/{user_expert}/activate", organisers()),
    Row("POST", _ACTIVE, "/rounds/console/experts/{missing_id}/deactivate", organisers(NOT_FOUND)),
    Row("POST", _REINVITE, "/rounds/console/experts/{invited_expert}/reinvite", organisers()),
    Row("POST", _REINVITE, "/rounds/console/experts/{missing_id}/reinvite", organisers(NOT_FOUND)),
    # Relations an organiser records (and removes); a missing note re-shows the page (422).
    Row(
        "POST", _RECORD, "/rounds/console/experts/{user_expert}/relations", organisers(), _RELATION
    ),
    Row("POST", _RECORD, "/rounds/console/experts/{user_expert}/relations", organisers(), _NO_NOTE),
    Row(
        "POST",
        _RECORD,
        "/rounds/console/experts/{missing_id}/relations",
        organisers(NOT_FOUND),
        _RELATION,
    ),
    Row(
        "POST",
        _REMOVE,
        "/rounds/console/experts/{user_expert}/relations/{org_vendor_b}/remove",
        organisers(),
    ),
    Row(
        "POST",
        _REMOVE,
        "/rounds/console/experts/{missing_id}/relations/{org_vendor_b}/remove",
        organisers(NOT_FOUND),
    ),
    # The link is the credential; a bad one leads to the login page with a message.
    Row("GET", _INVITATION, "/rounds/experts/invitation/{invite_token}", everyone()),
    Row("POST", _INVITATION, "/rounds/experts/invitation/{invite_token}", everyone(), _MISMATCH),
    Row("GET", _INVITATION, "/rounds/experts/invitation/bad", everyone(LOGIN)),
    Row("POST", _INVITATION, "/rounds/experts/invitation/bad", everyone(LOGIN), _MISMATCH),
]
