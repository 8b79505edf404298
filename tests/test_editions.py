"""sim.editions: a new year joins a dataset as a new Dataset; the one passed in, and anything bundled, never change."""
import numpy as np
import pytest

from sim.editions import YearRow, add_year
from sim.errors import InputError
from sim.scenario import Change, Scenario, apply, baseline


def rows_from(ds, year=2024, shift=0.1, subs=True):
    t = ds.table(year)
    out = []
    for i, p in enumerate(t.provinces):
        if np.isnan(t.total[i]):
            continue
        dims = tuple((c, round(float(t.dims[i, j]) + shift, 4)) for j, c in enumerate(t.dim_codes))
        s = tuple((c, v) for c, v in t.subs.get(p, {}).items()) if subs and shift == 0 else ()
        out.append(YearRow(p, dims, round(sum(v for _, v in dims), 4), s))
    return tuple(out)


def test_a_new_year_is_added_and_the_original_is_untouched(ds):
    new = add_year(ds, 2025, rows_from(ds), source="papi_2025.csv")
    assert new.years[-1] == 2025 and 2025 not in ds.years and new.tables[2024] is ds.tables[2024]
    assert baseline(new, 2025, "Son La").total == pytest.approx(baseline(ds, 2024, "Son La").total + 0.8, abs=2e-4)
    assert new.source(2025, "Son La", "3") == "papi_2025.csv" and ds.source(2025, "Son La", "3") is None
    assert [i.code for i in new.indicators(2025, "dimension")] == [str(c) for c in range(1, 9)]


def test_ranks_and_groups_are_the_engines_with_the_default_tie_rule(ds):
    new = add_year(ds, 2025, rows_from(ds))
    assert new.tie_rule(2025) == ds.tie_rules["default"]
    b24, b25 = baseline(ds, 2024, "Son La"), baseline(new, 2025, "Son La")
    assert (b25.rank, b25.of) == (b24.rank, b24.of)


def test_sub_dimensions_come_along_and_can_be_moved(ds):
    new = add_year(ds, 2025, rows_from(ds, shift=0.0))
    t = new.table(2025)
    assert t.sub_codes and t.sub_values.shape == (len(t.provinces), len(t.sub_codes))
    o = apply(new, Scenario(2025, "Son La", (Change("6.1", 0.1),)))
    assert o.result.total == pytest.approx(o.baseline.total + 0.1)


def test_an_existing_year_is_refused_unless_replacing(ds):
    with pytest.raises(InputError) as e:
        add_year(ds, 2024, rows_from(ds))
    assert e.value.key == "edition.year_exists"
    new = add_year(ds, 2025, rows_from(ds))
    again = add_year(new, 2025, rows_from(ds, shift=0.2), replace=True)
    assert baseline(again, 2025, "Son La").total == pytest.approx(baseline(ds, 2024, "Son La").total + 1.6, abs=3e-4)
    assert len([i for i in again.structure if i.in_force(2025)]) == len([i for i in new.structure if i.in_force(2025)])


@pytest.mark.parametrize("year", [2017, 2101])
def test_a_year_outside_the_framework_is_refused(ds, year):
    with pytest.raises(InputError) as e:
        add_year(ds, year, rows_from(ds))
    assert e.value.key == "edition.bad_year"


@pytest.mark.parametrize("bad", ["unknown", "duplicate", "off_scale", "total", "missing_dim"])
def test_inconsistent_rows_are_refused(ds, bad):
    rows = list(rows_from(ds))
    r = rows[0]
    if bad == "unknown":
        rows[0] = YearRow("Atlantis", r.dims, r.total)
    elif bad == "duplicate":
        rows.append(r)
    elif bad == "off_scale":
        rows[0] = YearRow(r.province, (("1", 11.0), *r.dims[1:]), None)
    elif bad == "total":
        rows[0] = YearRow(r.province, r.dims, r.total + 0.01)
    else:
        rows[0] = YearRow(r.province, r.dims[1:], None)
    with pytest.raises(InputError):
        add_year(ds, 2025, tuple(rows))


@pytest.mark.parametrize("subs", [False, True])
def test_a_new_edition_with_the_same_dimensions_continues_every_series(ds, subs):
    """Defect 7: the new year's structure rows are copies of 2024's with their own span; they must not read as
    a change of construction, so no break, no cut line and peers may span 2024-2025."""
    from sim.peers import find_peers
    from sim.trend import TOTAL, breaks, series
    new = add_year(ds, 2025, rows_from(ds, shift=0.0 if subs else 0.1, subs=subs))
    codes = [TOTAL, *new.table(2025).dim_codes, *new.table(2025).sub_codes]
    assert len(codes) > (9 if subs else 0)
    for code in codes:
        assert [b for b in breaks(new, code) if b.year == 2025] == [], code
        assert breaks(new, code) == breaks(ds, code)
        last = series(new, "Son La", code).segments[-1]
        assert last.years[-2:] == (2024, 2025), code
    r = find_peers(new, "Son La", "1", 2024, 2025)
    assert r.year_to == 2025 and r.considered > 50


def test_a_typed_total_is_uploaded_never_official(ds):
    """Defect 27: totals typed in a user's file are "uploaded"; the bundled ones stay "official", and a year
    without totals is the sum of its dimensions."""
    from sim.editions import total_kind
    from sim.trend import trend, trend_json
    typed = add_year(ds, 2025, rows_from(ds))
    summed = add_year(ds, 2025, tuple(YearRow(r.province, r.dims) for r in rows_from(ds)))
    assert total_kind(typed, 2025, "Son La") == "uploaded" and total_kind(typed, 2024, "Son La") == "official"
    assert total_kind(summed, 2025, "Son La") == "derived" and total_kind(ds, 2018, "Son La") == "derived"
    # the year as a whole (the data page's note): the same rule over every province of the year
    assert (total_kind(typed, 2025), total_kind(ds, 2024), total_kind(summed, 2025), total_kind(ds, 2018)) == (
        "uploaded", "official", "derived", "derived")
    rows = {r.year: r for r in trend(typed, "Son La")}
    assert (rows[2025].total_kind, rows[2024].total_kind, rows[2018].total_kind) == ("uploaded", "official", "derived")
    doc = trend_json(tuple(rows.values()), "Son La", "Sơn La")
    assert [r["total_kind"] for r in doc["rows"] if r["year"] == 2025] == ["uploaded"]
