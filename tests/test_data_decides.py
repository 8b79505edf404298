"""The data decides: the hierarchy, the framework's first year and Sơn La's plan come from data/ files,
not from the form of a code or a Python literal."""
import pytest

from sim.compare import PLAN, preset_plan
from sim.data import FRAMEWORK_START, code_key
from sim.errors import DataError
from sim.plans import load_plan
from sim.trend import framework_start


def test_level_and_parent_are_structure_csvs(ds):
    for ind in ds.structure:
        assert ds.level(ind.code) == ind.level and ds.parent(ind.code) == ind.parent


def test_a_code_the_structure_lacks_is_read_by_its_form(ds):
    assert ds.level("6.99") == "subdimension" and ds.parent("6.99") == "6"
    assert ds.level("99") == "dimension" and ds.parent("99") == ""


def test_codes_sort_by_number_part_by_part():
    assert sorted(["6.10", "10", "6.9", "2", "6.1"], key=code_key) == ["2", "6.1", "6.9", "6.10", "10"]


def test_the_framework_year_is_the_datas(ds):
    assert FRAMEWORK_START == framework_start(ds)


def test_the_plan_file_names_dimensions_and_a_province_of_the_data(ds):
    latest = ds.years[-1]
    assert PLAN.province in {p.name for p in ds.provinces} and PLAN.codes == ("5", "3", "8")
    assert all(ds.level(c) == "dimension" and c in ds.table(latest).dim_codes for c in PLAN.codes)
    assert all(PLAN.sources)
    assert [c.code for c in preset_plan(ds, latest, PLAN.province)] == list(PLAN.codes)
    assert preset_plan(ds, latest, "Ha Noi") == ()


@pytest.mark.parametrize("body, problem", [
    ("province,code,area,source\n", "empty_value"),
    ("province,code,area,source\nSon La,5,a,s\nSon La,5,b,s\n", "duplicate_row"),
    ("province,code,area,source\nSon La,5,a,s\nHa Noi,3,b,s\n", "duplicate_row"),
    ("province,code,area,source\nSon La,5,a,\n", "empty_value"),
])
def test_a_bad_plan_file_is_refused_naming_its_row(tmp_path, body, problem):
    path = tmp_path / "plan_areas.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_plan(path)
    assert e.value.problem == problem and e.value.file == "plan_areas.csv"
