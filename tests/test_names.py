import pytest

from sim.errors import InputError
from sim.names import find_province, fold, search_provinces


@pytest.mark.parametrize("query", ["Son La", "Sơn La", "son la", "SON LA", "sonla", "  Sơn  La "])
def test_province_names_match_without_diacritics_or_case(ds, query):
    assert find_province(ds, query) == "Son La"


@pytest.mark.parametrize("query,name", [("Thừa Thiên Huế", "Thua Thien-Hue"), ("Đắk Lắk", "Dak Lak"),
                                        ("ba ria vung tau", "Ba Ria-Vung Tau"), ("Hà Nội", "Ha Noi")])
def test_vietnamese_and_hyphenated_names(ds, query, name):
    assert find_province(ds, query) == name


def test_unknown_province_suggests_the_closest(ds):
    with pytest.raises(InputError) as e:
        find_province(ds, "Son Laa")
    assert "Son La" in e.value.params["suggestions"]


def test_search_finds_by_part_of_a_name(ds):
    assert search_provinces(ds, "quang") == ["Tuyen Quang", "Quang Ninh", "Quang Binh", "Quang Tri", "Quang Nam", "Quang Ngai"]
    assert fold("Đồng Tháp") == "dongthap"
