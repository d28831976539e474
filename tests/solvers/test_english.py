"""Every vendor-side page renders in English too (the catalogue's placeholders match)."""

from tests.factories import login, make_offering

from .test_offering_views import form


def english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_pages_in_english(client, tax, vendor, organiser):
    published = make_offering(
        vendor.organisation,
        "published",
        price_min=10,
        price_max=20,
        delivery_weeks=4,
        categories=[tax.categories["vision"]],
        tech=["vision"],
    )
    english(client)
    for url in (
        "/solutions/",
        f"/solutions/{published.id}",
        "/vendors/",
        f"/vendors/{vendor.organisation_id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Machine vision" in response.get_data(as_text=True) or url.startswith("/vendors")
    assert "10–20 × 10k CNY" in client.get(f"/solutions/{published.id}").get_data(as_text=True)
    login(client, vendor.email)
    english(client)
    for url in (
        "/vendor/offerings",
        "/vendor/offerings/new",
        "/vendor/profile",
        "/vendor/profile/edit",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post("/vendor/offerings/new", data=form(tax, price_min="9", price_max="1"))
    assert response.status_code == 422
    assert "The maximum price may not be below the minimum price." in response.get_data(
        as_text=True
    )
    client.post("/logout")
    login(client, organiser.email)
    english(client)
    submitted = make_offering(vendor.organisation, "submitted")
    assert client.get("/console/offerings/").status_code == 200
    assert "Return for changes" in client.get(f"/console/offerings/{submitted.id}").get_data(
        as_text=True
    )
