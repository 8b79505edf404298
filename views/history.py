"""History & peers: the province's total, rank and indicators by year against the nation, and the provinces
that improved where it is weak, each loadable into the what-if sliders as "reach what X reached"."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import history as charts
from sim.data import code_key
from sim.errors import InputError
from sim.peers import find_peers, reach_scenario
from sim.previous import compare_total
from sim.scenario import Change
from sim.trend import (
    TOTAL,
    breaks,
    breaks_frame,
    framework_start,
    segment_of,
    series,
    series_frame,
    trend,
)
from sim.units import source_note
from ui.common import (bundled_dataset, dataset, group_name, indicator_label, lang, num, plain, province_label,
                       province_name, show_chart, tr, units)
from ui.sliders import load_changes
from ui.state import follow_goto_whatif, goto_whatif
from ui.units import estimate

ds = dataset()
ss = st.session_state
follow_goto_whatif()
year, province = ss["year"], ss["province"]
label = province_name(province)
start = framework_start(ds)
last = ds.years[-1]
modern_years = tuple(y for y in ds.years if y >= start)
rows = trend(ds, province)


def _reach(code: str, value: float, source: str) -> None:
    """Callback: set our indicator to the peer's level in the sliders, then open the what-if page, which
    names the scenario by the button the user pressed."""
    load_changes((Change(code, value, "target"),), source=source)
    goto_whatif(source)


def _reset_span() -> None:
    for key in ("hist.from", "hist.to"):
        st.session_state.pop(key, None)


def _code_label(code: str) -> str:
    if code == TOTAL:
        return tr("hist.total_option")
    y = max(y for y in modern_years if any(i.code == code and i.in_force(y) for i in ds.structure))
    return indicator_label(code, y)


def _labelled(df: pd.DataFrame, dp: int) -> pd.DataFrame:
    df = df.copy()
    df["value_label"] = [num(v, dp) for v in df["value"]]
    df["median_label"] = [num(v, dp) for v in df["median"]]
    df["band_label"] = [f"{num(a, dp)}–{num(b, dp)}" for a, b in zip(df["q25"], df["q75"])]
    df["best_label"] = [f"{num(v, dp)} ({province_name(p)})" for v, p in zip(df["best"], df["best_province"])]
    return df


def _breaks_labelled(code: str, first: int, to: int) -> pd.DataFrame:
    bf = breaks_frame(breaks(ds, code), first, to)
    bf["label"] = [f"{y}: {tr('hist.break.' + k)}" for y, k in zip(bf["year"], bf["kind"])]
    bf["note"] = [n or lbl for n, lbl in zip(bf["note"], bf["label"])]
    return bf


def _indicator_chart(code: str, first: int, to: int, title: str, legend_columns: int = 2) -> None:
    df = series_frame(series(ds, province, code), first, to)
    if df.empty:
        st.info(tr("hist.no_points", code=_code_label(code), first=first))
        return
    bf = _breaks_labelled(code, first, to)
    text = {"title": title, "x": tr("hist.year"), "y": _code_label(code), "ours": label,
            "median": tr("chart.median"), "best": tr("chart.best"), "band": tr("hist.band"),
            "legend_columns": legend_columns}
    show_chart(charts.indicator_chart(_labelled(df, 4 if code == TOTAL else 2), bf, lang(), text))
    if not bf.empty:
        st.caption(tr("hist.breaks_caption", list="; ".join(bf["label"])))


def _rank_chart(first: int, to: int) -> None:
    pts = [r for r in rows if first <= r.year <= to and r.rank is not None]
    if not pts:
        return
    seg, prev, seg_rows = -1, None, []
    for r in pts:  # a missing year starts a new segment, as in every series
        seg += prev is None or ds.years.index(r.year) != ds.years.index(prev) + 1
        prev = r.year
        seg_rows.append({"year": r.year, "segment": seg, "rank": r.rank, "of": r.of, "rank_label": f"{r.rank}/{r.of}",
                         "group_label": group_name(r.group)})
    show_chart(charts.rank_chart(pd.DataFrame(seg_rows), _breaks_labelled(TOTAL, first, to),
                                 {"title": tr("hist.rank_title", first=first, last=to), "x": tr("hist.year"),
                                  "y": tr("chart.rank"), "group": tr("chart.group")}))


def _changes(r) -> tuple[str, str]:
    """A year's change in total and in rank against the previous edition (sim.previous), "–" where none."""
    prev = compare_total(ds, r.year, province, r.total, r.rank, r.of)[0] if r.rank else None
    if prev is None:
        return "–", "–"
    n = abs(prev.rank_change)
    places = tr("yoy.up", n=n) if prev.rank_change > 0 else tr("yoy.down", n=n) if prev.rank_change < 0 \
        else tr("yoy.same_rank")
    return num(prev.total_change, 2, sign=True), places


def _table(first: int, to: int) -> None:
    shown = [r for r in rows if first <= r.year <= to]
    changes = [_changes(r) for r in shown]
    st.dataframe({
        tr("hist.year"): [str(r.year) for r in shown],
        tr("chart.total"): [num(r.total, 4) if r.total is not None else tr("hist.no_total") for r in shown],
        tr("hist.col.total_kind"): [tr("data.estimated") if units() == "2025" else tr(f"hist.{r.total_kind}")
                                    for r in shown],
        tr("chart.rank"): [f"{r.rank}/{r.of}" if r.rank else "–" for r in shown],
        tr("chart.group"): [group_name(r.group) if r.group else "–" for r in shown],
        tr("story.hist.total_change"): [c[0] for c in changes],
        tr("story.hist.rank_change"): [c[1] for c in changes],
    }, hide_index=True, width="stretch", key=f"hist.table.{first}")
    counts = list(dict.fromkeys(r.of for r in shown if r.rank))
    notes = [tr("story.hist.first_change", year=shown[0].year)] if shown and shown[0].year == start else []
    if len(counts) > 1:  # ranks of 63 and of 61 compare only loosely: said once, under the table
        notes.append(tr("story.hist.of_differs", counts=", ".join(str(c) for c in counts)))
    if notes:
        st.caption(" ".join(notes))


def _peers(code: str) -> None:
    st.markdown(f"#### {tr('hist.peers_title')}")
    in_force = [y for y in modern_years if code == TOTAL or any(i.code == code and i.in_force(y) for i in ds.structure)]
    if len(in_force) < 2:
        return
    to_default = year if year in in_force else in_force[-1]
    seg = [y for y in segment_of(breaks(ds, code), tuple(in_force), to_default) if y < to_default]
    ss.setdefault("hist.to", to_default)
    ss.setdefault("hist.from", seg[0] if seg else in_force[0])
    if ss["hist.to"] not in in_force or ss["hist.from"] not in in_force:
        _reset_span()
        ss["hist.to"], ss["hist.from"] = to_default, seg[0] if seg else in_force[0]
    a, b = st.columns(2)
    a.selectbox(tr("hist.from"), in_force[:-1], key="hist.from")
    b.selectbox(tr("hist.to"), in_force[1:], key="hist.to")
    try:
        result = find_peers(ds, province, code, int(ss["hist.from"]), int(ss["hist.to"]))
    except InputError as e:
        st.warning(e.message(lang()))
        return
    st.caption(tr("hist.peers_caption", code=_code_label(code), start=result.year_from, end=result.year_to,
                  n=result.considered, own_start=num(result.own_start), own_end=num(result.own_end),
                  tol=num(result.tolerance)))
    if not result.peers:
        st.info(tr("hist.none"))
        return
    st.dataframe({
        tr("chart.province"): [province_label(p.province) for p in result.peers],
        tr("hist.col.region"): [p.region_vi if lang() == "vi" else p.region for p in result.peers],
        str(result.year_from): [num(p.start) for p in result.peers],
        str(result.year_to): [num(p.end) for p in result.peers],
        tr("hist.col.change"): [num(p.change, sign=True) for p in result.peers],
        tr("hist.col.similar"): [tr("hist.similar_yes") if p.similar else "" for p in result.peers],
    }, hide_index=True, width="stretch", key="hist.peers")
    _reach_buttons(result)


def _reach_buttons(result) -> None:
    """One button per peer; disabled (with the reason) where the scenario year is built differently or the
    peer's level is not above ours."""
    try:
        reach_scenario(ds, result, result.peers[0], year)
    except InputError as e:
        st.caption(tr("hist.reach_off", year=year, reason=e.message(lang())))
        return
    ours = {TOTAL: None}.get(result.code)
    table = ds.table(year)
    if province in table.provinces:
        k = table.index(province)
        ours = (float(table.dims[k, table.dim_codes.index(result.code)]) if "." not in result.code
                else table.subs.get(province, {}).get(result.code))
    cols = st.columns(2)
    for i, p in enumerate(result.peers):
        lower = ours is not None and p.end <= ours
        text = tr("hist.reach", province=province_name(p.province), code=result.code, value=num(p.end))
        cols[i % 2].button(
            text, key=f"hist.btn.reach.{i}", on_click=_reach, args=(result.code, round(p.end, 4), text),
            width="stretch",
            disabled=lower or ours is None,
            help=tr("hist.reach_lower", year=year, value=num(ours)) if lower
            else tr("hist.reach_help", code=result.code, year=year, value=num(p.end)))


st.markdown(f"### {tr('hist.title', province=plain(label))}")
st.caption(tr("hist.intro"))
if units() == "2025":
    if src := ds.source(year, province, "total"):
        names = {p.name: p.label(lang()) for p in bundled_dataset().provinces}
        st.caption(tr("hist.estimate_source", year=year, source=plain(source_note(src, lang(), names))))
    sub_gaps = [g for g in estimate().missing_in(year) if g.unit == province and any(ds.level(c) == "subdimension" for c in g.codes)]
    if sub_gaps:
        st.caption(tr("hist.sub_gaps", year=year, names=plain("; ".join(
            f"{bundled_dataset().province(g.province).label(lang())} ({', '.join(c for c in g.codes if ds.level(c) == 'subdimension')})"
            for g in sub_gaps))))

lo, hi = ds.table(last).scale
left, right = st.columns(2)
with left:
    _indicator_chart(TOTAL, start, last, tr("hist.total_title", first=start, last=last, low=num(lo, 0), high=num(hi, 0)),
                     legend_columns=1)
with right:
    _rank_chart(start, last)
_table(start, last)

early = [y for y in ds.years if y < start]
if early:
    e_lo, e_hi = ds.table(early[0]).scale
    n_early = len(ds.table(early[0]).dim_codes)
    with st.expander(tr("hist.early_title", first=early[0], last=early[-1], n=n_early, low=num(e_lo, 0),
                        high=num(e_hi, 0), next=start)):
        st.caption(tr("hist.early_note", next=start, n=n_early, low=num(e_lo, 0), high=num(e_hi, 0)))
        _indicator_chart(TOTAL, early[0], early[-1], tr("hist.total_title", first=early[0], last=early[-1],
                                                        low=num(e_lo, 0), high=num(e_hi, 0)))
        _rank_chart(early[0], early[-1])
        _table(early[0], early[-1])

st.divider()
latest = ds.table(last)
subs_seen = sorted({c for y in modern_years for c in ds.table(y).subs.get(province, {})},
                   key=code_key)
codes = list(latest.dim_codes) + subs_seen + [TOTAL]
ss.setdefault("hist.code", "5" if "5" in codes else codes[0])
if ss["hist.code"] not in codes:
    ss["hist.code"] = codes[0]
code_labels = {c: _code_label(c) for c in codes}  # bound now: a widget may format outside the run
code = st.selectbox(tr("hist.indicator"), codes, key="hist.code", format_func=code_labels.get, on_change=_reset_span)
_indicator_chart(code, start, last, tr("hist.indicator_title", name=_code_label(code), province=label))
_peers(code)
