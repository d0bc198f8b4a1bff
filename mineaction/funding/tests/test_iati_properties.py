"""Properties of the IATI arithmetic: whatever the commitments and de-obligations, a derived
pledge's yearly parts are positive cents that add up exactly to the weighted net commitment."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mineaction.funding.iati import import_iati
from mineaction.funding.iati.importer import net_de_obligations, weighted
from mineaction.funding.models import Pledge
from mineaction.funding.tests.iatifiles import activity_xml, iati_file, transaction_xml

cents = st.integers(min_value=-10_000_000, max_value=10_000_000).map(lambda n: Decimal(n) / 100)
years = st.dictionaries(st.integers(min_value=2000, max_value=2029), cents, min_size=1, max_size=8)


@given(years)
def test_netting_keeps_the_total_and_leaves_only_positive_parts(by_year):
    total = sum(by_year.values(), Decimal(0))
    if total <= 0:
        return
    parts = net_de_obligations(by_year)

    assert sum(parts.values()) == total
    assert all(part > 0 for part in parts.values())
    assert set(parts) <= set(by_year)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.integers(min_value=2015, max_value=2030), cents), min_size=1, max_size=6
    ),
    percentage=st.integers(min_value=1, max_value=100),
)
def test_a_derived_pledge_adds_up_to_the_weighted_commitments(tmp_path_factory, values, percentage):
    path = tmp_path_factory.mktemp("iati") / "file.xml"
    iati_file(
        path,
        activity_xml(
            sectors=[("15250", str(percentage))],
            transactions=[
                transaction_xml(date=f"{year}-06-30", value=str(value)) for year, value in values
            ],
        ),
    )
    Pledge.objects.all().delete()

    record = import_iati(path)

    share = Decimal(percentage) / 100
    net = sum((weighted(value, share) for _year, value in values), Decimal(0))
    assert record.status == "done"
    pledge = Pledge.objects.filter(iati_activity__iati_identifier="XM-TEST-1").first()
    if net <= 0:
        assert pledge is None
        return
    assert pledge.amount == net
    parts = list(pledge.years.values_list("amount", flat=True))
    assert sum(parts) == net
    assert all(part > 0 for part in parts)
    assert pledge.first_year == min(year for year, _value in values)
    assert pledge.last_year == max(year for year, _value in values)
