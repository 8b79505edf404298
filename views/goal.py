"""Goal seeking: the least effort that reaches a target rank, group or total, as a plan per dimension
or per sub-dimension."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.data import FRAMEWORK_START, code_key
from sim.effort import EFFORTS
from sim.errors import InputError
from sim.goal import default_limits, variables
from sim.goal_request import DEFAULT_EFFORT
from sim.scenario import NamedScenario, parse_decimal
from charts import specs as charts
from ui.cache import goal_plan, goal_request, history
from ui.exports import export_buttons
from sim.i18n import t
from ui.common import (dataset, fmt_pct_s, formatter, group_name, indicator_label, lang, num, plain, province_name,
                       show_chart, tr)
from ui.goal_link import lock_key as lock_key_of, read_link, write_link
from ui.state import apply_plan, follow_goto_whatif, ranked_provinces


# pixel widths of the plan table's columns: together about 900 px, within the main area at 1366 x 768
PLAN_WIDTHS = {"dimension": 420, "from": 70, "to": 70, "change": 120, "share": 108, "cap": 64}

def safe_message(e: InputError) -> str:
    """An error's message with every text it quotes from the user escaped (shown as typed, never as Markdown)."""
    return t(e.key, lang(), **{k: plain(v) if isinstance(v, str) else v for k, v in e.params.items()})


ds = dataset()
ss = st.session_state
follow_goto_whatif()
year, province = ss["year"], ss["province"]
table = ds.table(year)
label = province_name(province)
base_total = float(table.total[table.index(province)])
of = len(ranked_provinces(year))
st.markdown(f"### {tr('goal.title', province=plain(label), year=year)}")
st.caption(tr("goal.intro2"))
for notice in read_link(ds, year, province, of):  # a shared link's settings, taken before any widget is drawn
    st.warning(notice, icon=":material/warning:")

kinds = {"rank": tr("goal.kind.rank"), "group": tr("goal.kind.group"), "total": tr("goal.kind.total")}
ss.setdefault("goal.kind", "rank")
ss.setdefault("goal.rank", 15)
ss.setdefault("goal.group", 1)
ss.setdefault("goal.total", num(base_total + 2.0))
c1, c2, c3 = st.columns([2, 2, 3])
kind = c1.radio(tr("goal.kind"), list(kinds), key="goal.kind", format_func=kinds.get, horizontal=True)
if kind == "rank":
    c2.number_input(tr("goal.rank"), min_value=1, max_value=of, step=1, key="goal.rank")
    value = float(ss["goal.rank"])
elif kind == "group":
    groups_shown = {g: group_name(g) for g in (1, 2, 3)}
    c2.selectbox(tr("goal.group"), list(groups_shown), key="goal.group", format_func=groups_shown.get)
    value = float(ss["goal.group"])
else:
    c2.text_input(tr("goal.total"), key="goal.total", help=tr("goal.total_help", low=num(table.scale[0], 0),
                                                               high=num(table.scale[1], 0)))
    value = None

has_subs = variables(ds, year, province, "sub") != table.dim_codes
levels = {"dim": tr("goal.level.dim"), "sub": tr("goal.level.sub")}
efforts = {e: tr(f"goal.effort.{e}") for e in EFFORTS}
ss.setdefault("goal.level", "dim")
ss.setdefault("goal.effort", DEFAULT_EFFORT)
if not has_subs and ss["goal.level"] == "sub":
    ss["goal.level"] = "dim"
l1, l2 = st.columns([2, 5])
level = l1.radio(tr("goal.level"), list(levels), key="goal.level", format_func=levels.get, horizontal=True,
                 disabled=not has_subs, help=tr("goal.level_help") if has_subs else tr("goal.level_none"))
effort = l2.radio(tr("goal.effort"), list(efforts), key="goal.effort", format_func=efforts.get, horizontal=True,
                  help=tr("goal.effort_help"))
codes = variables(ds, year, province, level)
names = {c: indicator_label(c, year) for c in codes}
lock_key = lock_key_of(level)
if lock_key in ss:  # a lock that does not exist this year (5.2 after 2020, 8.3 in 2018) is dropped
    ss[lock_key] = [c for c in ss[lock_key] if c in codes]
# short pills ("1", "6.2") that wrap, every one in view, with the locked names written out below
c3.pills(tr("goal.lock"), list(codes), selection_mode="multi", key=lock_key, help=tr("goal.lock_help"), wrap=True)
locked = tuple(sorted(ss.get(lock_key) or [], key=code_key))
c3.caption(tr("goal.locked", names=plain("; ".join(names[c] for c in locked))) if locked else tr("goal.lock_none"))

errors: list[str] = []
if kind == "total":
    try:
        value = parse_decimal(ss["goal.total"])
    except InputError as e:
        errors.append(tr("goal.field_error", field=tr("goal.total"), message=safe_message(e)))

reasons = {r: tr(f"goal.reason.{r}") for r in ("scale", "best", "history", "user")}
defaults = default_limits(ds, year, province, history(), effort, level)
caps, weights = [], []


def _read(code: str, field: str, text: str, default: float, store: list) -> None:
    """A typed cap or weight: kept when it differs from the default, or a field error naming it."""
    try:
        v = parse_decimal(text)
    except InputError as e:
        errors.append(tr("goal.field_error", field=f"{names[code]} · {tr('goal.' + field)}", message=safe_message(e)))
        return
    if abs(v - round(default, 4 if field == "cap" else 3)) > 1e-9:
        store.append((code, v))


with st.expander(tr("goal.limits_title")):
    st.caption(tr("goal.limits_help_level"))
    if level == "dim":
        for code in codes:
            cap, reason, weight = defaults[code]
            wkey = f"goal.weight.{code}" if effort == "gap" else f"goal.weight.{effort}.{code}"
            ss.setdefault(f"goal.cap.{code}", num(cap, 4))
            ss.setdefault(wkey, num(weight, 3))
            a, b, c = st.columns([3, 2, 2], vertical_alignment="bottom")
            a.markdown(f"{plain(names[code])}  \n:gray[{tr('goal.default_cap', cap=num(cap, 4), reason=reasons[reason])}]")
            b.text_input(tr("goal.cap"), key=f"goal.cap.{code}")
            c.text_input(tr("goal.weight"), key=wkey)
            _read(code, "cap", ss[f"goal.cap.{code}"], cap, caps)
            _read(code, "weight", ss[wkey], weight, weights)
    else:
        rows = pd.DataFrame({"name": [names[c] for c in codes],
                             "default": [f"{num(defaults[c][0], 4)} ({reasons[defaults[c][1]]})" for c in codes],
                             "cap": [num(defaults[c][0], 4) for c in codes],
                             "weight": [num(defaults[c][2], 3) for c in codes]})
        edited = st.data_editor(
            rows, key=f"goalsub.limits.{year}.{province}.{effort}", hide_index=True, width="stretch",
            disabled=["name", "default"],
            column_config={"name": st.column_config.TextColumn(tr("goal.level.sub"), width="large"),
                           "default": st.column_config.TextColumn(tr("goal.col.default"), width="medium"),
                           "cap": st.column_config.TextColumn(tr("goal.cap"), width="small"),
                           "weight": st.column_config.TextColumn(tr("goal.weight"), width="small")})
        for code, cap_text, weight_text in zip(codes, edited["cap"], edited["weight"]):
            _read(code, "cap", cap_text, defaults[code][0], caps)
            _read(code, "weight", weight_text, defaults[code][2], weights)

o1, o2 = st.columns([1, 3])
ss.setdefault("goal.odds", False)
o1.toggle(tr("goal.with_odds"), key="goal.odds", disabled=year < FRAMEWORK_START, help=tr("goal.with_odds_help"))
probability = None
if ss["goal.odds"] and year >= FRAMEWORK_START:
    ss.setdefault("goal.p", 0.8)
    o2.select_slider(tr("goal.p"), [round(0.5 + 0.05 * k, 2) for k in range(10)], key="goal.p",
                     format_func=formatter("pct"))
    probability = float(ss["goal.p"])

write_link(kind, value, level, effort, locked, probability)
for message in errors:
    st.error(message)
if errors:
    st.stop()

try:
    with st.spinner(tr("goal.computing")):
        plan = goal_plan(goal_request(year, province, kind, float(value), tuple(sorted(locked)),
                                      tuple(caps), tuple(weights), effort, probability, level))
except InputError as e:
    st.error(safe_message(e))
    st.stop()

res = plan.outcome.result
if plan.already_met:
    st.success(tr("goal.met"))
elif plan.reachable:
    st.success(tr("goal.reachable", n=len(plan.steps)))
else:
    st.error(tr("goal.unreachable", caps=", ".join(names[c] for c in plan.binding_caps) or "–"))
# two rows, so a Vietnamese group name ("Nhóm đạt điểm thấp nhất") is never cut at 1366 px
m1, m2, _ = st.columns([1, 1, 1])
m3, m4 = st.columns([2, 1])
m1.metric(tr("head.total"), num(res.total), num(res.total - base_total, sign=True) if plan.steps else None)
m2.metric(tr("head.rank"), f"{res.rank}/{res.of}")
m3.metric(tr("head.group"), group_name(res.group))
if plan.probability is not None:
    m4.metric(tr("goal.probability"), fmt_pct_s(plan.probability), tr("goal.required", p=fmt_pct_s(probability)),
              delta_color="off", delta_arrow="off")  # a requirement, not a gain: no arrow
else:
    # the plan reaches its target by construction; "0,0000 past it" reads as nothing, so say "just enough"
    slack = ("–" if plan.slack == float("inf") else tr("goal.slack_none") if round(plan.slack, 4) == 0
             else num(plan.slack, 4))
    m4.metric(tr("goal.slack"), slack, help=tr("goal.slack_help"))

if plan.steps:
    def steps_text(s) -> str:
        return "" if s.typical_steps != s.typical_steps else f" · {num(s.typical_steps, 1)}×"
    col = tr("chart.dimension") if level == "dim" else tr("goal.col.indicator")
    st.dataframe(
        pd.DataFrame({"dimension": [names[s.code] for s in plan.steps],
                      "from": [num(s.start, 4) for s in plan.steps],
                      "to": [num(s.end, 4) for s in plan.steps],
                      "change": [num(s.change, 4, sign=True) + steps_text(s) for s in plan.steps],
                      "share": [fmt_pct_s(s.share) for s in plan.steps],
                      "cap": [num(s.cap, 2) for s in plan.steps]}),
        hide_index=True, width="stretch", height="content",  # every row, no inner scroll (row height follows the font)
        column_config={"dimension": st.column_config.TextColumn(col, width=PLAN_WIDTHS["dimension"]),
                       "from": st.column_config.TextColumn(tr("goal.col.from"), width=PLAN_WIDTHS["from"]),
                       "to": st.column_config.TextColumn(tr("goal.col.to"), width=PLAN_WIDTHS["to"]),
                       "change": st.column_config.TextColumn(tr("chart.change"), width=PLAN_WIDTHS["change"],
                                                             help=tr("goal.col.change_help")),
                       "share": st.column_config.TextColumn(tr("goal.col.share"), width=PLAN_WIDTHS["share"]),
                       "cap": st.column_config.TextColumn(tr("goal.col.cap"), width=PLAN_WIDTHS["cap"])})
    by_reason = {r: [s.code for s in plan.steps if s.cap_reason == r] for r in reasons}
    st.caption(tr("goal.cap_reasons", reasons="; ".join(f"{reasons[r]}: {', '.join(c)}" for r, c in by_reason.items() if c)))
    # the sliders are per dimension: a sub-level plan goes there as the dimension totals it adds up to (exact)
    moved_dims = sorted({ds.parent(s.code) or s.code for s in plan.steps}, key=code_key)
    actions = st.container(horizontal=True, gap="small")
    actions.button(tr("goal.apply"), key="goal.btn.apply", type="primary", on_click=apply_plan,
                   args=(tuple((d, round(res.dimensions[d], 4)) for d in moved_dims),), icon=":material/tune:",
                   help=tr("goal.apply_sub_help") if level == "sub" else None)
    # the plan as a workbook and a brief (built on click, ui/exports.py): the plan's scenario and the plan
    export_buttons([NamedScenario(tr("story.goal_export_name"), plan.outcome.scenario)], plan=plan,
                   key_prefix="goal.", row=actions)
    # sub-dimensions span 1/k-10/k: the chart shows each indicator times k, on the dimensions' 1-10 scale
    k = {s.code: 9.0 / (ds.indicator(s.code, year).scale_max - ds.indicator(s.code, year).scale_min)
         for s in plan.steps}
    df = pd.DataFrame([{"dimension": names[s.code], "start": s.start * k[s.code], "end": s.end * k[s.code],
                        "cap": s.cap * k[s.code], "one": 1.0, "change_label": num(s.change, 2, sign=True),
                        "cap_label": num(s.cap, 4)} for s in plan.steps])
    show_chart(charts.plan_chart(df, lang(), {
        "title": tr("goal.chart.title"),
        "subtitle": tr("goal.chart.subtitle") if level == "dim" else tr("goal.chart.subtitle_sub"),
        "x": tr("chart.score"), "change": tr("chart.change"), "cap": tr("goal.cap")}))
