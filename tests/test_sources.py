"""The source cited on screen, in the brief and in the workbook: the official dataset, in the user's language."""
import pytest

from sim.editions import YearRow, add_year
from sim.errors import DataError
from sim.sources import citation, load_citations
from tests.conftest import ROOT
from tests.test_app import open_app


@pytest.mark.parametrize("year,file", [(2024, "2024PAPI_ProvincialIndicators"), (2018, "2018PAPI_ProvincialIndicators"),
                                       (2015, "PAPI-2015-Du-lieu-1.xlsx")])
def test_bundled_years_cite_the_official_file(ds, year, file):
    assert citation(ds, year, "Son La", "vi") == \
        f"Dữ liệu PAPI cấp tỉnh (CECODES, RTA, UNDP), papi.org.vn; tệp {file}; bản PAPI {year}"
    assert citation(ds, year, "Son La", "en") == \
        f"PAPI provincial dataset (CECODES, RTA, UNDP), papi.org.vn; file {file}; PAPI {year} edition"


def test_every_cited_file_is_the_one_the_scores_name(ds):
    # the file name is not invented: the source column of every bundled score names it
    for c in load_citations():
        for year in range(c.year_from, c.year_to + 1):
            sources = {v for (y, _, _), v in ds.sources.items() if y == year and "github.com/tunah72" in v}
            assert sources and all(c.match in v for v in sources), year


def test_an_added_year_is_cited_as_its_file(ds):
    t = ds.table(2024)
    rows = tuple(YearRow(p, tuple((c, float(t.dims[i, j])) for j, c in enumerate(t.dim_codes)))
                 for i, p in enumerate(t.provinces))
    new = add_year(ds, 2025, rows, source="papi_2025.csv")
    assert citation(new, 2025, "Son La", "vi") == "tệp đã thêm trong phiên này: papi_2025.csv"


def test_a_province_without_figures_cites_nothing(ds):
    assert citation(ds, 2023, "Quang Ninh", "vi") == "–"


def test_a_bad_year_in_the_citations_file_is_refused(tmp_path):
    path = tmp_path / "citations.csv"
    path.write_text("year_from,year_to,match,file,dataset_vi,dataset_en,site,source\nx,2024,a,b,c,d,e,f\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_citations.__wrapped__(path)
    assert e.value.column == "year_from" and e.value.row == 2


@pytest.mark.parametrize("page", ["whatif", "data"])
def test_the_screen_cites_the_official_dataset_in_vietnamese(page):
    at = open_app()
    if page == "data":
        at.switch_page(str(ROOT / "views" / "data.py")).run()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # captions escape Markdown characters
    assert "Dữ liệu PAPI cấp tỉnh (CECODES, RTA, UNDP), papi.org.vn; tệp" in captions
    assert "github" not in captions.lower() and "built by" not in captions


def test_a_34_unit_estimate_is_cited_as_an_estimate_from_the_official_dataset(ds):
    from sim.units import on_basis
    units = on_basis(ds, "2025")
    assert citation(units, 2024, "Son La", "vi") == (
        "ước tính theo dân số cho đơn vị sau sáp nhập, từ Dữ liệu PAPI cấp tỉnh (CECODES, RTA, UNDP), papi.org.vn; "
        "tệp 2024PAPI_ProvincialIndicators; bản PAPI 2024; không phải số liệu PAPI đã công bố")
