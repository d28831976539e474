from matchmaker.extensions import db
from matchmaker.scenarios.services import merge_templates
from tests.factories import make_offering


def test_merging_templates_moves_offering_links_without_duplicates(tax, vendor, organiser):
    t1, t2 = tax.templates["T001"], tax.templates["T002"]
    both = make_offering(vendor.organisation, templates=[t1, t2])
    only_old = make_offering(vendor.organisation, templates=[t2])
    moved = merge_templates(organiser, t2, t1)
    assert moved["offering_templates.template_id"] == 1
    db.session.expire_all()  # the merge updates rows in bulk
    assert [t.code for t in both.templates] == ["T001"]
    assert [t.code for t in only_old.templates] == ["T001"]
