"""Scenario workshop: save the sliders under a name, keep a shared list, compare scenarios side by side.

Buttons only record what was asked (``ui.workshop.intend``, with the version on screen); this script does
the writing at its top, before it reads the list, so a stale version is caught and both versions kept.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.compare import compare_chart, compare_frame
from formats.pack import read_pack, write_pack
from sim.compare_scenarios import MAX_SIDE_BY_SIDE, Comparison, compare, dimension_changes
from sim.errors import InputError
from sim.scenario import NamedScenario
from ui.common import dataset, group_name, indicator_label, lang, num, plain, province_name, show_chart, tr
from ui.exports import export_buttons
from ui.sliders import scenario_from_state
from ui.state import follow_goto_whatif, load_saved
from ui.workshop import change_summary, client, intend, store
from workshop.store import SCENARIOS_PER_WORKSHOP, StaleVersion

ds = dataset()
ss = st.session_state
follow_goto_whatif()
year, province = ss["year"], ss["province"]
label = province_name(province)
db = store()


def flash(kind: str, text: str) -> None:
    """A one-line message for the top of the page (user text inside it is escaped when shown)."""
    ss.setdefault("ws.flash", []).append((kind, text))


def ensure_workshop() -> str:
    """The session's workshop, created on the first save (so merely opening the page writes nothing)."""
    if not ss.get("workshop"):
        ss["workshop"] = db.create_workshop(client())
        st.query_params["w"] = ss["workshop"]  # the address bar is the workshop link from now on
    return ss["workshop"]


def keep_both(err: StaleVersion, mine: NamedScenario) -> None:
    """A stale overwrite: theirs stays, ours is saved under a free name; the notice names both."""
    code = ss["workshop"]
    saved = db.save_free(code, mine)  # the free "name (2)" is picked in the same transaction as the save
    flash("warn", tr("ws.conflict_kept", problem=err.message(lang()), theirs=err.current.name, mine=saved.name))


def perform(intent: dict) -> None:
    """Carry out what a button asked for, with the version the user saw when clicking."""
    action, sid, version = intent["action"], intent["id"], intent["version"]
    try:
        if action == "save":
            mine = NamedScenario(intent["name"], scenario_from_state(year, province), intent["note"])
            saved = db.save(ensure_workshop(), mine)
            flash("ok", tr("ws.saved", name=saved.name))
            return
        code = ss["workshop"]
        old = db.get(code, sid)
        if action == "update":
            mine = NamedScenario(old.name, scenario_from_state(year, province), old.note)
            try:
                saved = db.update(code, sid, version, mine)
                flash("ok", tr("ws.updated", name=saved.name, version=saved.version))
            except StaleVersion as e:
                keep_both(e, mine)
        elif action == "rename":
            saved = db.rename(code, sid, version, intent["rename_to"])
            flash("ok", tr("ws.renamed", name=saved.name))
        elif action == "duplicate":
            flash("ok", tr("ws.duplicated", name=db.duplicate(code, sid).name))
        elif action == "delete":
            db.delete(code, sid, version)
            flash("ok", tr("ws.deleted", name=old.name))
    except StaleVersion as e:
        flash("warn", tr("ws.conflict_nothing", problem=e.message(lang())))
    except InputError as e:
        flash("warn", e.message(lang()))


def import_pack(upload) -> None:
    """Read an uploaded pack and add all its scenarios, or none, with a one-line notice either way."""
    try:
        scenarios = read_pack(upload.getvalue(), ds)
        added = db.save_all(ensure_workshop(), scenarios)
        flash("ok", tr("ws.pack_imported", n=len(added), file=upload.name))
    except InputError as e:
        flash("warn", tr("ws.pack_refused", file=upload.name, problem=e.message(lang())))


def saved_table(saved) -> pd.DataFrame:
    """The saved list as a static table: it wraps long names, notes and changes at 1366 px instead of
    scrolling sideways or cutting them. Cells are Markdown there, so every one goes through plain()."""
    df = pd.DataFrame({
        tr("ws.col.name"): [s.name for s in saved], tr("ws.col.note"): [s.note for s in saved],
        tr("ws.col.changes"): [change_summary(s.changes) or tr("ws.no_changes") for s in saved],
        tr("ws.col.place"): [f"{province_name(s.province)}, {s.year}" for s in saved],
        tr("ws.col.version_updated"): [tr("ws.version_updated", version=s.version, updated=s.updated[:16].replace("T", " "))
                                       for s in saved],
    }).map(plain).rename(columns=plain)
    return df.set_index(df.columns[0])


def comparison_table(c: Comparison) -> pd.DataFrame:
    """The comparison as text cells in the user's language, ★ on each row's best value."""
    def cell(key: str, v: float | None) -> str:
        if v is None:
            return tr("ws.top_group") if key == "to_next_group" else "–"
        if key == "rank":
            return f"{int(v)}/{c.of}"
        if key == "group":
            return group_name(int(v))
        return num(v, 4 if key in ("total", "subdimension") else 2)

    labels = {"total": tr("ws.row.total"), "rank": tr("ws.row.rank"), "group": tr("ws.row.group"),
              "to_next_group": tr("ws.row.to_next_group")}
    columns = [tr("ws.baseline"), *c.names]
    columns = [name if columns.index(name) == i else f"{name} ({i})" for i, name in enumerate(columns)]
    rows = []
    for r in c.rows:
        measure = labels.get(r.key) or indicator_label(r.code, c.year)
        rows.append([measure] + [cell(r.key, v) + (" ★" if best else "") for v, best in zip(r.values, r.best)])
    return pd.DataFrame(rows, columns=[tr("ws.measure"), *columns])


def change_label(v: float) -> str:
    """A dimension's change as the table would say it: 2 dp, or 4 where a plan is finer (+0,1140)."""
    return num(v, 2 if round(v, 2) == v else 4, sign=v != 0)


def comparison_chart(c: Comparison) -> None:
    """The changes each scenario makes, per dimension (a 1-10 score chart would hide +0,10 to +0,50)."""
    moved = dimension_changes(c)
    if not moved:
        st.caption(tr("ws.chart_none"))
        return
    rows = [(code, indicator_label(code, c.year), name, v, change_label(v))
            for code, changes in moved for name, v in zip(c.names, changes)]
    show_chart(compare_chart(compare_frame(rows), lang(), {
        "title": tr("chart.compare.title"), "x": tr("chart.compare.x"), "dimension": tr("chart.dimension"),
        "series": tr("chart.compare.series"), "change": tr("chart.change")}))


if (intent := ss.pop("ws.intent", None)) is not None:
    perform(intent)

st.markdown(f"### {tr('ws.title', province=plain(label), year=year)}")
st.caption(tr("ws.intro"))
for kind, text in ss.pop("ws.flash", []):
    (st.success if kind == "ok" else st.warning)(plain(text))

code = ss.get("workshop")
if code:
    base_url = (st.context.url or "").split("?")[0]
    st.caption(tr("ws.link"))
    st.code(f"{base_url}?w={code}&lang={lang()}", language=None)
else:
    st.info(tr("ws.no_workshop"))

current = scenario_from_state(year, province)
with st.form("ws.save_form", clear_on_submit=True, border=True):
    st.markdown(f"**{tr('ws.save_title')}**")
    st.caption(plain(tr("ws.current", summary=change_summary(current.changes) or tr("ws.no_changes"))))
    st.text_input(tr("ws.name"), key="ws.name", max_chars=80, placeholder=tr("ws.name_placeholder"))
    st.text_area(tr("ws.note"), key="ws.note", max_chars=500, height=80)
    st.form_submit_button(tr("ws.save"), key="ws.btn.save", on_click=intend, args=("save",),
                          icon=":material/save:")

try:
    saved = db.list(code) if code else ()
except InputError as e:  # the store's file cannot be used (workshop.store.StoreError): say so, draw the rest
    st.warning(plain(e.message(lang())))
    saved = ()
by_id = {s.id: s for s in saved}
st.markdown(f"#### {tr('ws.list_title', n=len(saved), max=SCENARIOS_PER_WORKSHOP)}")
if not saved:
    st.caption(tr("ws.empty"))
else:
    st.table(saved_table(saved))
    if ss.get("ws.pick") not in by_id:
        ss.pop("ws.pick", None)
    pick = by_id[st.selectbox(tr("ws.pick"), list(by_id), key="ws.pick", format_func=lambda i: by_id[i].name)]
    a, b, c, d = st.columns(4)
    a.button(tr("ws.load"), key="ws.btn.load", on_click=load_saved, width="stretch", icon=":material/tune:",
             args=(pick.year, pick.province, pick.changes, pick.name))
    b.button(tr("ws.update"), key="ws.btn.update", on_click=intend, args=("update", pick.id, pick.version),
             width="stretch", disabled=(pick.year, pick.province) != (year, province))
    c.button(tr("ws.duplicate"), key="ws.btn.duplicate", on_click=intend, args=("duplicate", pick.id, pick.version),
             width="stretch")
    d.button(tr("ws.delete"), key="ws.btn.delete", on_click=intend, args=("delete", pick.id, pick.version),
             width="stretch", icon=":material/delete:")
    e, f = st.columns([3, 1], vertical_alignment="bottom")
    e.text_input(tr("ws.rename_to"), key="ws.rename_to", max_chars=80)
    f.button(tr("ws.rename"), key="ws.btn.rename", on_click=intend, args=("rename", pick.id, pick.version),
             width="stretch")

st.markdown(f"#### {tr('ws.pack_title')}")
st.caption(tr("ws.pack_help"))
p1, p2 = st.columns(2)
if saved:
    p1.download_button(tr("ws.pack_download"), write_pack([s.named for s in saved]), key="ws.btn.pack",
                       file_name=f"papi_workshop_{code}.json", mime="application/json", icon=":material/download:")
upload = p2.file_uploader(tr("upload.pack_label"), type=["json"], key="ws.upload", max_upload_size=1,  # whole MB only
                          help=tr("upload.pack_help"))  # the real limit, 128 KiB, in the label: the box says 1MB
if upload is not None and ss.get("ws.upload_done") != upload.file_id:
    ss["ws.upload_done"] = upload.file_id
    import_pack(upload)
    st.rerun()

st.markdown(f"#### {tr('ws.compare_title')}")
here = [s.id for s in saved if (s.year, s.province) == (year, province)]
if len(here) < len(saved):
    st.caption(tr("ws.compare_other", n=len(saved) - len(here)))
ss["ws.compare"] = [i for i in ss.get("ws.compare", []) if i in here]
chosen = st.multiselect(tr("ws.compare_pick", province=label, year=year, max=MAX_SIDE_BY_SIDE), here, key="ws.compare",
                        max_selections=MAX_SIDE_BY_SIDE, format_func=lambda i: by_id[i].name,
                        placeholder=tr("ws.compare_placeholder"))
if not chosen:
    st.caption(tr("ws.compare_hint", max=MAX_SIDE_BY_SIDE))
else:
    selected = [by_id[i].named for i in chosen]  # the scenarios compared, in the order picked
    try:
        comparison = compare(ds, selected)
    except InputError as e:  # a saved scenario the data no longer takes: say which, draw nothing
        st.warning(plain(e.message(lang())))
        st.stop()
    table = comparison_table(comparison)
    # a static table wraps long scenario and indicator names at 1366 px instead of cutting them; it renders
    # cells as Markdown, so scenario names (typed by users) and every cell go through plain()
    shown = table.map(plain).rename(columns=plain)
    st.table(shown.set_index(shown.columns[0]))
    st.caption(tr("ws.best_legend"))
    comparison_chart(comparison)
    with st.container(key="ws.exports"):  # the compared scenarios, to paper: built only on click
        export_buttons(selected, key_prefix="ws.")
