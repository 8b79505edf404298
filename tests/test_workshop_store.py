"""The workshop store on both back ends (a SQLite file in tmp_path, a fresh database on the throwaway
PostgreSQL cluster): persistence, bounds, versions, hostile text, concurrent writers."""
import sqlite3
import threading

import pytest
from sqlalchemy import func, inspect, select

from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario
from tests.pg_support import cluster
from workshop import store as store_mod
from workshop.backend import locate
from workshop.schema import history
from workshop.store import (HISTORY_PER_SCENARIO, SCENARIOS_PER_WORKSHOP, StaleVersion, Store, StoreError,
                            default_path, valid_code)

BACKENDS = ["sqlite", "postgresql"]


def named(name="Fast wins", note="", changes=(Change("5", 0.4), Change("6.1", 2.2, "target")), year=2023,
          province="Son La"):
    return NamedScenario(name, Scenario(year, province, tuple(changes)), note)


@pytest.fixture(params=BACKENDS)
def where(request, tmp_path):
    """Where a fresh, empty store lives on each back end (a path, or a PostgreSQL URL)."""
    return tmp_path / "ws.sqlite3" if request.param == "sqlite" else cluster().new_database()


@pytest.fixture
def db(where):
    store = Store(where)
    yield store
    store.dispose()


def count(store, table) -> int:
    with store._engine.connect() as con:
        return con.execute(select(func.count()).select_from(table)).scalar_one()


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


def test_scenarios_survive_a_new_store_object_on_the_same_file(where):
    path = where
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
    monkeypatch.setattr(store_mod, "SCENARIO_BYTES_MAX", 100)  # the store's bound, handed to records.checked
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


def test_a_stale_update_is_refused_and_nothing_is_lost(where):
    path = where
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
def test_sql_in_names_notes_and_provinces_is_stored_verbatim_as_data(where, db, code, text):
    s = db.save(code, named(name=text, note=text + "\n# h", province=text[:60]))
    back = Store(where).get(code, s.id)
    assert (back.name, back.note, back.province) == (text, text + "\n# h", text[:60])
    assert {"workshops", "scenarios", "history"} <= set(inspect(db._engine).get_table_names())
    assert count(db, store_mod.workshops) == 1


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


# ---------------------------------------------------------------- where the store lives

@pytest.mark.parametrize("url,kind", [
    ("postgresql://u:p@127.0.0.1:5432/papi", "postgresql"), ("postgres://u@db/papi", "postgresql"),
    ("sqlite:////srv/papi/ws.sqlite3", "sqlite"), ("/srv/papi/ws.sqlite3", "sqlite"), ("ws.sqlite3", "sqlite")])
def test_a_path_or_a_known_url_names_its_back_end(url, kind):
    loc = locate(url)
    assert loc.kind == kind
    assert (loc.path is None) == (kind == "postgresql")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "http://example.org/x", "postgresql://", "sqlite://"])
def test_an_unknown_url_is_refused_in_one_line_and_creates_nothing(tmp_path, monkeypatch, url):
    monkeypatch.chdir(tmp_path)
    db = Store(url)  # constructing never raises: every call says why
    for call in (db.create_workshop, lambda: db.list("A" * 22)):
        with pytest.raises(StoreError) as e:
            call()
        assert e.value.key == "store.bad_url"
        for lang in ("vi", "en"):
            text = e.value.message(lang)
            assert "\n" not in text and url.split(":")[0] in text
    assert list(tmp_path.iterdir()) == []  # it used to make a folder named "postgresql:"


def test_a_postgresql_server_that_is_down_is_one_store_error():
    cluster()  # only where PostgreSQL is installed: the driver is the one the deployment uses
    from tests.browser_support import free_port
    db = Store(f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    with pytest.raises(StoreError) as e:
        db.create_workshop()
    assert e.value.key == "store.unavailable"


# ---------------------------------------------------------------- writers at once (threads, both back ends)

def at_once(n, job):
    """Run ``job(i)`` in n threads released together; their results, or the exceptions they raised."""
    gate, out = threading.Barrier(n), [None] * n

    def run(i):
        gate.wait()
        try:
            out[i] = job(i)
        except Exception as e:  # collected, then asserted on
            out[i] = e
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_concurrent_overwrites_of_one_version_keep_every_version(db, code):
    """Eight editors overwrite version 1 at once: one wins, seven are stale and keep theirs as "name (k)"."""
    s = db.save(code, named())

    def edit(i):
        mine = named(changes=(Change("5", i / 10),))
        try:
            return db.update(code, s.id, 1, mine)
        except StaleVersion:
            return db.save_free(code, mine)
    results = at_once(8, edit)
    assert not [r for r in results if isinstance(r, Exception)], results
    names = sorted(r.name for r in results)
    assert names == sorted(["Fast wins"] + [f"Fast wins ({k})" for k in range(2, 9)])
    kept = {r.changes[0].value for r in db.list(code)}
    assert kept == {i / 10 for i in range(8)}  # every editor's version is in the list
    assert [h.version for h in db.history(code, s.id)] == [1] and db.get(code, s.id).version == 2


def test_concurrent_writers_keep_versions_consecutive_and_the_history_bounded(db, code):
    s = db.save(code, named())
    per_thread = 20

    def writer(i):
        done = 0
        while done < per_thread:
            cur = db.get(code, s.id)
            try:
                db.update(code, s.id, cur.version, named(changes=(Change("5", (i * 100 + done) / 1000),)))
                done += 1
            except StaleVersion:
                pass
        return done
    assert at_once(4, writer) == [per_thread] * 4
    final = db.get(code, s.id)
    kept = db.history(code, s.id)
    assert final.version == 1 + 4 * per_thread
    assert len(kept) == HISTORY_PER_SCENARIO and count(db, history) == HISTORY_PER_SCENARIO
    assert [h.version for h in kept] == list(range(final.version - HISTORY_PER_SCENARIO, final.version))


def test_concurrent_saves_and_creations_respect_the_bounds(db, code, monkeypatch):
    results = at_once(SCENARIOS_PER_WORKSHOP + 6, lambda i: db.save(code, named(name=f"s{i}")))
    refused = [r for r in results if isinstance(r, InputError)]
    assert len(refused) == 6 and {r.key for r in refused} == {"workshop.full"}
    assert len(db.list(code)) == SCENARIOS_PER_WORKSHOP
    monkeypatch.setattr(store_mod, "WORKSHOPS_PER_SERVER", 5)
    made = at_once(10, lambda i: db.create_workshop())
    assert sum(isinstance(m, str) for m in made) == 4 and count(db, store_mod.workshops) == 5


def test_concurrent_duplicates_take_distinct_names(db, code):
    s = db.save(code, named())
    copies = at_once(6, lambda i: db.duplicate(code, s.id))
    assert sorted(c.name for c in copies) == [f"Fast wins ({k})" for k in range(2, 8)]


# ---------------------------------------------------------------- operating it

def test_one_client_creates_a_bounded_number_of_workshops_per_hour(db):
    for _ in range(store_mod.CREATIONS_PER_CLIENT):
        db.create_workshop(client="c1")
    with pytest.raises(InputError) as e:
        db.create_workshop(client="c1")
    assert e.value.key == "store.client_limit"
    assert valid_code(db.create_workshop(client="c2")) and valid_code(db.create_workshop())


def test_an_hour_later_the_client_may_create_again(db, monkeypatch):
    from datetime import timedelta
    for _ in range(store_mod.CREATIONS_PER_CLIENT):
        db.create_workshop(client="c1")
    monkeypatch.setattr(store_mod, "CREATION_WINDOW", timedelta(0))
    assert valid_code(db.create_workshop(client="c1"))


def test_writes_are_logged_as_json_lines_without_names_or_notes(db, code):
    import json
    import logging
    from workshop import events
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    events.LOGGER.addHandler(handler)
    try:
        s = db.save(code, named(name="Bí mật", note="Ông Nguyễn Văn A"))
        db.update(code, s.id, 1, named(name="Bí mật 2", note="ghi chú"))
        db.delete(code, s.id, 2)
    finally:
        events.LOGGER.removeHandler(handler)
    records = [json.loads(line) for line in lines]
    assert [(r["action"], r["version"]) for r in records] == [("save", 1), ("update", 2), ("delete", 2)]
    assert {r["workshop"] for r in records} == {events.workshop_hash(code)}
    text = "\n".join(lines)
    for secret in ("Bí mật", "Nguyễn", "ghi chú", code):
        assert secret not in text


# ---------------------------------------------------------------- backup and restore

def filled_store(db):
    """Three workshops with scenarios, overwrites and a delete (so the history has rows)."""
    codes = [db.create_workshop() for _ in range(3)]
    for i, code in enumerate(codes):
        a = db.save(code, named(name=f"A{i}", note="Sở Nội vụ"))
        db.save(code, named(name=f"B{i}", changes=(Change("8", 4.5, "target"),)))
        db.update(code, a.id, 1, named(name=f"A{i}", changes=(Change("3", 0.25),)))
        gone = db.save(code, named(name="tạm"))
        db.delete(code, gone.id, 1)
    return codes


def snapshot(db, codes):
    return {c: (db.list(c), {s.id: db.history(c, s.id) for s in db.list(c)}) for c in codes}


@pytest.mark.parametrize("target", BACKENDS)
def test_a_backup_restores_into_an_empty_store_and_every_workshop_reopens(db, tmp_path, target):
    from workshop.backup import dump, restore
    codes = filled_store(db)
    before = snapshot(db, codes)
    data = dump(db)
    empty = Store(tmp_path / "restored.sqlite3" if target == "sqlite" else cluster().new_database())
    try:
        assert restore(empty, data) == (3, 6)
        assert snapshot(empty, codes) == before
        for code in codes:  # the restored store goes on: new ids never collide with restored ones
            s = empty.save(code, named(name="mới"))
            assert s.id not in {x.id for x in before[code][0]} and empty.exists(code)
        with pytest.raises(StoreError) as e:
            restore(empty, data)
        assert e.value.key == "store.restore_not_empty"
    finally:
        empty.dispose()


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[]", b'{"format": "x"}',
                                  b'{"format": "papi-workshop-backup", "version": 1, "tables": {"workshops": [[1]]}}'])
def test_a_damaged_backup_is_refused_and_restores_nothing(tmp_path, data):
    from workshop.backup import restore
    db = Store(tmp_path / "ws.sqlite3")
    with pytest.raises(StoreError) as e:
        restore(db, data)
    assert e.value.key == "store.bad_backup" and count(db, store_mod.workshops) == 0


def test_the_backup_command_round_trips_in_one_line(tmp_path):
    import subprocess
    import sys
    from tests.conftest import ROOT
    src = Store(tmp_path / "a.sqlite3")
    codes = filled_store(src)

    def cli(*args):
        p = subprocess.run([sys.executable, "-m", "workshop", *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
        return p.returncode, p.stdout.strip(), p.stderr.strip()
    assert cli("--db", str(tmp_path / "a.sqlite3"), "backup", str(tmp_path / "b.json"))[:2] == (
        0, f"đã ghi 3 hội thảo vào {tmp_path / 'b.json'}")
    code, out, _ = cli("--lang", "en", "--db", str(tmp_path / "c.sqlite3"), "restore", str(tmp_path / "b.json"))
    assert (code, out) == (0, f"3 workshops with 6 scenarios restored from {tmp_path / 'b.json'}")
    assert snapshot(Store(tmp_path / "c.sqlite3"), codes) == snapshot(src, codes)
    code, out, err = cli("--lang", "en", "--db", str(tmp_path / "c.sqlite3"), "restore", str(tmp_path / "b.json"))
    assert code == 2 and err == "the workshop store already holds workshops: a backup is restored only into an " \
                                "empty store, nothing was changed"
    code, _, err = cli("--db", "mysql://x/y", "backup", str(tmp_path / "d.json"))
    assert code == 2 and "\n" not in err and "mysql" in err and not (tmp_path / "d.json").exists()


def test_the_page_refuses_a_visitors_extra_workshop_in_their_language(tmp_path, monkeypatch):
    """Two fresh sessions of one visitor (same hashed address) with a bound of one: the second save says
    why, in Vietnamese, and creates nothing."""
    from sim.i18n import t
    from tests.conftest import ROOT
    from tests.test_app import open_app
    import ui.workshop
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(tmp_path / "ws.sqlite3"))
    monkeypatch.setattr(store_mod, "CREATIONS_PER_CLIENT", 1)
    monkeypatch.setattr(ui.workshop, "client", lambda: "one-visitor")
    for attempt in range(2):
        at = open_app(year="2023")
        at.switch_page(str(ROOT / "views" / "workshop.py")).run()
        at.text_input(key="ws.name").input("Mới")
        at.button(key="ws.btn.save").click().run()
        assert not at.exception
    assert [w.value.replace("\\", "") for w in at.warning] == [t("store.client_limit", "vi", max=1)]
    assert count(Store(tmp_path / "ws.sqlite3"), store_mod.workshops) == 1
