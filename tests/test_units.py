"""The 34-unit basis: the merger mapping, its validation, the population-weighted estimates and --units."""
import json
import math
import shutil
from dataclasses import replace

import pytest

from sim.data import DATA_DIR
from sim.errors import DataError
from sim.scenario import baseline
from sim.units import UNIT_COUNT, load_merger, merge_dataset, on_basis
from tests.test_cli import cli


@pytest.fixture(scope="module")
def merger(ds):
    return load_merger(provinces=ds.provinces)


@pytest.fixture(scope="module")
def est(ds, merger):
    return merge_dataset(ds, merger)


def test_merger_maps_each_of_the_63_old_provinces_once_onto_34_units(ds, merger):
    members = [m for u in merger.units for m in u.members]
    assert sorted(members) == sorted(p.name for p in ds.provinces) and len(members) == 63
    assert len(merger.units) == UNIT_COUNT == 34
    assert merger.unit("Son La").members == ("Son La",)  # Son La was not merged


def test_unit_names_come_from_the_merger_file(est):
    units = {p.name: p.name_vi for p in est.dataset.provinces}
    assert units["Son La"] == "Sơn La" and units["Hue"] == "Huế" and units["Lao Cai"] == "Lào Cai"
    assert len(units) == 34


def test_lao_cai_2023_is_the_population_weighted_mean_of_lao_cai_and_yen_bai(est):
    """By hand, from data/population.csv (2019 census, thousands) and data/papi_scores.csv (2023):
    Lao Cai 730.42 thousand, D1 5.0013, total 42.1075; Yen Bai 821.03 thousand, D1 4.7348, total 42.4908.
    D1 = (730.42 * 5.0013 + 821.03 * 4.7348) / (730.42 + 821.03) = 4.8603 (4 dp)."""
    d1 = (730.42 * 5.0013 + 821.03 * 4.7348) / (730.42 + 821.03)
    table = est.dataset.table(2023)
    k = table.index("Lao Cai")
    assert table.dims[k, 0] == round(d1, 4) == 4.8603
    assert table.total[k] == round(sum(table.dims[k]), 4) and not table.total_official[k]


def test_missing_old_province_is_named_and_the_weights_renormalised(est):
    """Vinh Phuc has no 2024 data: Phu Tho's unit = Phu Tho (1463.726) and Hoa Binh (854.131) only."""
    d1 = (1463.726 * 5.2345 + 854.131 * 5.2307) / (1463.726 + 854.131)
    table = est.dataset.table(2024)
    assert table.dims[table.index("Phu Tho"), 0] == round(d1, 4)
    gaps = [g for g in est.missing_in(2024) if g.unit == "Phu Tho"]
    assert [g.province for g in gaps] == ["Vinh Phuc"] and gaps[0].codes[:8] == tuple("12345678")


def test_an_old_province_without_sub_dimensions_withholds_its_units_estimate_and_is_named(ds, merger):
    """Tuyen Quang's 2024 sub-dimensions removed: its unit (with Ha Giang) gets no sub-dimension estimate,
    and Tuyen Quang is named with the codes it lacked."""
    table = ds.table(2024)
    cut = replace(table, subs={p: s for p, s in table.subs.items() if p != "Tuyen Quang"})
    est = merge_dataset(replace(ds, tables={**ds.tables, 2024: cut}), merger)
    unit = est.dataset.table(2024)
    assert "Tuyen Quang" not in unit.subs and "Son La" in unit.subs
    gap = next(g for g in est.missing_in(2024) if g.province == "Tuyen Quang")
    assert gap.unit == "Tuyen Quang" and "8.3" in gap.codes and "8" not in gap.codes


def test_unit_sub_dimensions_add_up_to_the_unit_dimension(est):
    table = est.dataset.table(2024)
    k = table.index("Lao Cai")
    for j, code in enumerate(table.dim_codes):
        parts = [v for c, v in table.subs["Lao Cai"].items() if c.split(".")[0] == code]
        assert sum(parts) == pytest.approx(table.dims[k, j], abs=0.002)
    assert table.sub_values.shape == (len(table.provinces), len(table.sub_codes))


def test_every_old_province_missing_in_a_year_is_named(ds, est):
    for year in ds.years:
        absent = {p.name for p in ds.provinces} - set(ds.table(year).provinces)
        assert absent <= {g.province for g in est.missing_in(year)}


def test_son_la_exists_on_both_bases_with_its_own_scores(ds, est):
    a, b = baseline(ds, 2024, "Son La"), baseline(est.dataset, 2024, "Son La")
    assert a.dimensions == b.dimensions and (a.of, b.of) == (61, 34)


def test_on_basis_63_is_the_dataset_itself(ds):
    assert on_basis(ds, "63") is ds


@pytest.fixture
def vn_copy(tmp_path):
    dest = tmp_path / "data"
    dest.mkdir()
    for name in ("provinces.csv", "merger_2025.csv", "population.csv"):
        shutil.copy(DATA_DIR / name, dest / name)
    return dest


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, problem", [
    ("merger_2025.csv", "Hà Giang,Ha Giang,", "Hà Giang,Ha Noi,", "duplicate_row"),
    ("merger_2025.csv", "Hà Giang,Ha Giang,", "Hà Giang,Ha Giangg,", "unknown_province"),
    ("merger_2025.csv", "Tuyên Quang,Tuyen Quang,Tuyên Quang,Tuyen Quang", "Tuyên Quang,Tuyen Quang,X,X",
     "merger_unit_count"),
    ("population.csv", "Cao Bang,2019,530.341", "Cao Bang,2019,0", "not_positive"),
    ("population.csv", "Cao Bang,2019,530.341", "Cao Bang,2023,530.341", "population_year"),
])
def test_merger_and_population_are_validated(vn_copy, file, old, new, problem):
    _edit(vn_copy / file, old, new)
    with pytest.raises(DataError) as e:
        load_merger(vn_copy)
    assert e.value.problem == problem and e.value.file == file


def test_a_missing_old_province_in_the_merger_is_refused_by_name(vn_copy):
    path = vn_copy / "merger_2025.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                            if ",Bac Kan," not in line), encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_merger(vn_copy)
    assert e.value.problem == "merger_incomplete" and "Bac Kan" in e.value.message("en")


@pytest.mark.parametrize("args", [
    ("score", "--year", "2024", "--province", "Son La"),
    ("whatif", "--year", "2024", "--province", "Son La", "--change", "8=+0.5"),
])
def test_units_2025_ranks_of_34(args):
    code, out, _ = cli(*args, "--units", "2025", "--json")
    doc = json.loads(out)
    standing = doc if "of" in doc else doc["scenario"]
    assert code == 0 and standing["of"] == 34 and standing["total_official"] is False
    assert "population-weighted" in standing["source"]


def test_table_units_2025_has_34_rows_and_text_says_of_34():
    code, out, _ = cli("table", "--year", "2024", "--units", "2025", "--json")
    assert code == 0 and len(json.loads(out)["rows"]) == 34
    code, out, _ = cli("score", "--year", "2024", "--province", "Son La", "--units", "2025", "--lang", "en")
    assert code == 0 and "/34" in out


def test_unit_totals_are_the_sum_of_estimated_dimensions(est):
    for year in est.dataset.years:
        t = est.dataset.table(year)
        for k in range(len(t.provinces)):
            if not math.isnan(t.total[k]):
                assert t.total[k] == round(float(t.dims[k].sum()), 4)


def test_an_added_edition_is_estimated_on_34_units_too(ds, merger):
    """A session year added by the importer (here 2024's rows, +0.1 each, as 2025) merges like any other."""
    from sim.editions import add_year
    from tests.test_editions import rows_from
    est = merge_dataset(add_year(ds, 2025, rows_from(ds)), merger)
    b = baseline(est.dataset, 2025, "Son La")
    assert b.of == 34 and b.total == pytest.approx(baseline(est.dataset, 2024, "Son La").total + 0.8, abs=2e-4)
    assert {g.province for g in est.missing_in(2025)} == {"Vinh Phuc", "Tien Giang"}
