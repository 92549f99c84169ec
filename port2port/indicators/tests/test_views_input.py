"""Bad input on every indicator page: a clear message that names the field, and nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from port2port.indicators.actions import NewIndicator, add_indicators, create_watch
from port2port.indicators.models import Indicator, Sighting, Watch

pytestmark = pytest.mark.django_db

CONTAINER = "MSKU 123456-5"


def text(response) -> str:
    return response.content.decode()


def test_adding_a_value_that_is_not_of_its_kind_names_the_value_field(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:add", args=[report.pk]),
                                                {"kind": "imo", "value": "not a ship"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "value" in form.errors
    assert "Value: " in text(response)
    assert not Indicator.objects.exists()


def test_adding_without_a_kind_names_the_kind_field(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:add", args=[report.pk]), {"kind": "", "value": "9074731"})
    assert "kind" in response.context["form"].errors
    assert "Kind: " in text(response)
    assert not Indicator.objects.exists()


def test_an_unknown_kind_is_refused_by_the_form(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:add", args=[report.pk]), {"kind": "starship", "value": "x"})
    assert "kind" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_the_actions_row_errors_land_on_the_form_field_they_name(world, client_for):
    from django.core.exceptions import ValidationError

    from port2port.indicators.forms import AddIndicatorForm
    from port2port.indicators.views import _field_errors

    form = AddIndicatorForm({"kind": "imo", "value": "x"})
    form.is_valid()
    _field_errors(form, ValidationError({"indicators.0.value": "Not an IMO number."}), AddIndicatorForm.ACTION_FIELDS)
    assert form.errors["value"] == ["Not an IMO number."]


def test_pasting_nothing_names_the_text_field(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), {"text": ""})
    assert "text" in response.context["form"].errors
    assert "Text to search for indicators: " in text(response)


def test_pasting_text_without_indicators_says_so(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), {"text": "Nothing here at all."})
    assert "No indicators were found in that text." in text(response)


def test_confirming_with_nothing_ticked_adds_nothing_and_says_why(world, client_for):
    report = world.report()
    data = {"confirm": "1", "count": "1", "kind_0": "email", "raw_0": "jan@evil.be", "confidence_0": "0.9"}
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), data)
    assert response.status_code == 200
    assert "Tick at least one indicator" in text(response)
    assert not Indicator.objects.exists()


def test_a_tampered_candidate_is_marked_on_its_row_and_nothing_is_added(world, client_for):
    report = world.report()
    data = {"confirm": "1", "count": "2", "pick": ["0", "1"],
            "kind_0": "email", "raw_0": "jan@evil.be", "confidence_0": "0.9",
            "kind_1": "imo", "raw_1": "not a ship", "confidence_1": "0.9"}
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), data)
    assert response.status_code == 200
    rows = response.context["candidates"]
    assert rows[1]["error"] and not rows[0]["error"]
    assert "Nothing was added" in text(response)
    assert not Indicator.objects.exists()


def test_search_with_a_value_not_of_the_kind_names_the_value_field(world, client_for):
    response = client_for(world.analyst_a).get(reverse("indicators:search"), {"kind": "container", "value": "hello"})
    assert "value" in response.context["form"].errors
    assert "Value: " in text(response)
    assert not response.context["searched"]


def test_search_without_a_kind_names_the_kind_field(world, client_for):
    response = client_for(world.analyst_a).get(reverse("indicators:search"), {"value": "MSKU1234565"})
    assert "kind" in response.context["form"].errors


def test_a_watch_on_a_bad_value_names_the_value_field_and_saves_nothing(world, client_for):
    response = client_for(world.analyst_a).post(reverse("indicators:watchlist"), {"kind": "imo", "value": "12"})
    assert response.status_code == 200
    assert "value" in response.context["form"].errors
    assert not Watch.objects.exists()


def test_watching_a_value_twice_names_the_value_field(world, client_for):
    create_watch(acting_user=world.analyst_a, organisation=world.org_a, kind="container", raw=CONTAINER)
    response = client_for(world.analyst_a).post(reverse("indicators:watchlist"), {"kind": "container", "value": CONTAINER})
    assert "already watches" in " ".join(response.context["form"].errors["value"])
    assert Watch.objects.count() == 1


def test_keeping_without_a_reason_names_the_reason_field_and_keeps_nothing(world, client_for):
    report = world.report()
    [phone] = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("phone", "+32 470 12 34 56")])
    due = timezone.now() - timedelta(days=1)
    Indicator.objects.filter(pk=phone.pk).update(review_at=due)
    response = client_for(world.analyst_a).post(reverse("indicators:keep", args=[phone.pk]), {f"keep-{phone.pk}-reason": " "})
    assert response.status_code == 200
    assert "Reason to keep: " in text(response)
    phone.refresh_from_db()
    assert phone.kept_reason == "" and phone.review_at == due


def test_an_unknown_sighting_kind_is_refused(world, client_for):
    report = world.report()
    [indicator] = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", CONTAINER)])
    response = client_for(world.analyst_b).post(reverse("indicators:sighting", args=[indicator.pk]), {"kind": "bogus"},
                                                follow=True)
    assert "Unknown kind of sighting." in text(response)
    assert not Sighting.objects.exists()


def test_a_person_found_in_pasted_text_is_proposed_in_the_form_the_person_type_takes(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]),
                                                {"text": "Stopped: Jan Janssens (°12/03/1985) at gate 4."})
    [row] = [row for row in response.context["candidates"] if row["kind"] == "person"]
    assert not row["error"] and row["raw"] == "Jan Janssens; 12/03/1985"
