"""The workshop store against a real SQLite file in tmp_path: persistence, bounds, versions, hostile text."""
import sqlite3

import pytest

from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario
from workshop import store as store_mod
from workshop.store import SCENARIOS_PER_WORKSHOP, StaleVersion, Store, default_path, valid_code


def named(name="Fast wins", note="", changes=(Change("5", 0.4), Change("6.1", 2.2, "target")), year=2023,
          province="Son La"):
    return NamedScenario(name, Scenario(year, province, tuple(changes)), note)


@pytest.fixture
def db(tmp_path):
    return Store(tmp_path / "ws.sqlite3")


@pytest.fixture
def code(db):
    return db.create_workshop()


def test_the_file_is_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "new.sqlite3"
    Store(path)
    assert path.is_file()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("PAPI_WORKSHOP_DB")
    assert default_path().name == "workshops.sqlite3" and (default_path().parent / "app.py").is_file()


def test_codes_are_22_url_safe_characters_and_unique(db):
    codes = {db.create_workshop() for _ in range(20)}
    assert len(codes) == 20 and all(valid_code(c) and len(c) == 22 for c in codes)


def test_scenarios_survive_a_new_store_object_on_the_same_file(tmp_path):
    path = tmp_path / "ws.sqlite3"
    first = Store(path)
    code = first.create_workshop()
    saved = first.save(code, named(note="Sở Nội vụ; giả định: khảo sát 2024"))
    del first
    again = Store(path).list(code)
    assert again == (saved,)
    assert again[0].named == named(note="Sở Nội vụ; giả định: khảo sát 2024")


def test_a_saved_scenario_keeps_changes_at_4_dp(db, code):
    s = db.save(code, named(changes=(Change("5", 0.123456), Change("8", 4.5, "target"))))
    assert db.get(code, s.id).changes == (Change("5", 0.1235), Change("8", 4.5, "target"))


@pytest.mark.parametrize("bad", ["", "short", "A" * 21, "A" * 23, "A" * 21 + "/", "' OR '1'='1' --xxxxxxxxx",
                                 "é" * 22, None, 12345])
def test_a_malformed_code_is_refused(db, bad):
    assert not db.exists(bad)
    with pytest.raises(InputError) as e:
        db.list(bad)
    assert e.value.key == "workshop.bad_code"


def test_an_unknown_well_formed_code_is_refused(db):
    with pytest.raises(InputError) as e:
        db.save("A" * 22, named())
    assert e.value.key == "workshop.unknown_code" and not db.exists("A" * 22)


def test_at_most_20_scenarios_per_workshop(db, code):
    for i in range(SCENARIOS_PER_WORKSHOP):
        db.save(code, named(name=f"s{i}"))
    with pytest.raises(InputError) as e:
        db.save(code, named(name="one more"))
    assert e.value.key == "workshop.full" and len(db.list(code)) == SCENARIOS_PER_WORKSHOP


def test_workshops_per_server_are_bounded(db, monkeypatch):
    monkeypatch.setattr(store_mod, "WORKSHOPS_PER_SERVER", 3)
    for _ in range(3):
        db.create_workshop()
    with pytest.raises(InputError) as e:
        db.create_workshop()
    assert e.value.key == "workshop.server_full"


@pytest.mark.parametrize("field,value,key", [
    ("name", "x" * 81, "workshop.bad_name"), ("name", "   ", "workshop.bad_name"),
    ("name", "a\x00b", "text.bad_char"), ("note", "n" * 501, "workshop.bad_note"),
    ("note", "bell\x07", "text.bad_char")])
def test_names_and_notes_are_bounded(db, code, field, value, key):
    with pytest.raises(InputError) as e:
        db.save(code, named(**{field: value}))
    assert e.value.key == key and db.list(code) == ()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10.5, -11])
def test_change_values_are_finite_and_within_ten(db, code, value):
    with pytest.raises(InputError) as e:
        db.save(code, named(changes=(Change("5", value),)))
    assert e.value.key == "workshop.bad_value"


def test_the_byte_bound_is_checked(db, code, monkeypatch):
    """500 characters of note and 40 changes stay under 4 KiB; the guard is shown with a smaller bound."""
    monkeypatch.setattr(store_mod, "SCENARIO_BYTES_MAX", 100)
    with pytest.raises(InputError) as e:
        db.save(code, named(note="ư" * 60))
    assert e.value.key == "workshop.too_big"


def test_names_are_unique_within_a_workshop_and_duplicate_picks_a_free_one(db, code):
    first = db.save(code, named())
    with pytest.raises(InputError) as e:
        db.save(code, named())
    assert e.value.key == "workshop.name_taken"
    copy = db.duplicate(code, first.id)
    again = db.duplicate(code, first.id)
    assert (copy.name, again.name) == ("Fast wins (2)", "Fast wins (3)")
    assert copy.changes == first.changes and copy.version == 1


def test_rename_and_update_raise_the_version_and_keep_history(db, code):
    s = db.save(code, named())
    renamed = db.rename(code, s.id, 1, "Kế hoạch")
    updated = db.update(code, s.id, 2, named(name="Kế hoạch", changes=(Change("8", 4.5, "target"),)))
    assert (renamed.version, updated.version) == (2, 3)
    assert [h.version for h in db.history(code, s.id)] == [1, 2]
    assert db.history(code, s.id)[0].name == "Fast wins"


def test_a_stale_update_is_refused_and_nothing_is_lost(tmp_path):
    path = tmp_path / "ws.sqlite3"
    alice, bob = Store(path), Store(path)  # two laptops, one file
    code = alice.create_workshop()
    s = alice.save(code, named())
    alice.update(code, s.id, 1, named(changes=(Change("3", 0.5),)))
    with pytest.raises(StaleVersion) as e:
        bob.update(code, s.id, 1, named(changes=(Change("8", 1.0),)))
    assert e.value.key == "workshop.stale" and e.value.current.version == 2
    assert "version 1" in e.value.message("en") and "version 2" in e.value.message("en")
    assert bob.get(code, s.id).changes == (Change("3", 0.5),)
    assert bob.history(code, s.id)[0].changes == named().scenario.changes


def test_a_stale_delete_is_refused_and_a_delete_keeps_the_last_version(db, code):
    s = db.save(code, named())
    db.rename(code, s.id, 1, "B")
    with pytest.raises(StaleVersion):
        db.delete(code, s.id, 1)
    db.delete(code, s.id, 2)
    assert db.list(code) == () and [h.name for h in db.history(code, s.id)] == ["Fast wins", "B"]
    with pytest.raises(InputError) as e:
        db.get(code, s.id)
    assert e.value.key == "workshop.gone"


HOSTILE = ["Robert'); DROP TABLE scenarios;--", "\" OR 1=1; DELETE FROM workshops; --", "x' UNION SELECT * FROM history--",
           "[x](http://e.x) ![i](http://e.x/a.png) $x$", "%s %d {0} ?"]


@pytest.mark.parametrize("text", HOSTILE)
def test_sql_in_names_notes_and_provinces_is_stored_verbatim_as_data(db, code, text):
    s = db.save(code, named(name=text, note=text + "\n# h", province=text[:60]))
    back = Store(db.path).get(code, s.id)
    assert (back.name, back.note, back.province) == (text, text + "\n# h", text[:60])
    with sqlite3.connect(db.path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"workshops", "scenarios", "history"} <= tables
        assert con.execute("SELECT COUNT(*) FROM workshops").fetchone()[0] == 1


def test_save_all_adds_every_scenario_or_none(db, code):
    db.save(code, named(name="A"))
    added = db.save_all(code, [named(name="A"), named(name="B")])
    assert [s.name for s in added] == ["A (2)", "B"]
    with pytest.raises(InputError) as e:
        db.save_all(code, [named(name=f"n{i}") for i in range(SCENARIOS_PER_WORKSHOP)])
    assert e.value.key == "workshop.full" and len(db.list(code)) == 3


def test_workshops_do_not_see_each_other(db):
    a, b = db.create_workshop(), db.create_workshop()
    s = db.save(a, named())
    assert db.list(b) == ()
    with pytest.raises(InputError):
        db.get(b, s.id)
