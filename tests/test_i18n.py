import json
import re

from sim.i18n import LOCALES_DIR, catalogue, fmt_num, fmt_pct

VI_MARKS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)


def test_both_languages_have_the_same_keys_and_placeholders():
    vi, en = catalogue("vi"), catalogue("en")
    assert vi.keys() == en.keys()
    for k in en:
        assert set(re.findall(r"{(\w+)}", vi[k])) == set(re.findall(r"{(\w+)}", en[k])), k


def test_vietnamese_strings_carry_diacritics():
    vi, en = catalogue("vi"), catalogue("en")
    # every Vietnamese sentence-like string (a space and letters) that differs from English has diacritics
    plain = [k for k, v in vi.items() if " " in v and v != en[k] and not VI_MARKS.search(v)]
    assert plain == []


def test_locale_files_are_valid_utf8_json():
    for f in LOCALES_DIR.glob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))


def test_number_formats():
    assert fmt_num(42.3966, "vi") == "42,40" and fmt_num(42.3966, "en") == "42.40"
    assert fmt_num(1234.5, "vi", 1) == "1.234,5" and fmt_num(0.4, "en", 2, sign=True) == "+0.40"
    assert fmt_pct(0.125, "vi", 1) == "12,5%" and fmt_num(float("nan")) == "–"


def test_the_shared_catalogue_cannot_be_changed():
    """One catalogue serves every session of the server: a write from one would reach all."""
    import pytest
    for lang in ("vi", "en"):
        cat = catalogue(lang)
        with pytest.raises(TypeError):
            cat["group.1"] = "changed"  # type: ignore[index]
        with pytest.raises((TypeError, AttributeError)):
            cat.pop("group.1")  # type: ignore[attr-defined]
        assert catalogue(lang)["group.1"] != "changed"
