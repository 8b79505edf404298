"""Goal seeking: the least effort that reaches a target rank, group or total, as a plan per dimension."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.errors import InputError
from sim.goal import default_limits
from sim.scenario import parse_decimal
from sim.uncertainty import FIRST_YEAR
from charts import specs as charts
from ui.cache import goal_plan, history
from ui.common import dataset, dim_name, fmt_pct_s, formatter, group_name, lang, num, show_chart, tr
from ui.state import apply_plan, ranked_provinces

ds = dataset()
ss = st.session_state
if ss.pop("goto_whatif", False):
    st.switch_page("views/whatif.py")
year, province = ss["year"], ss["province"]
table = ds.table(year)
codes = table.dim_codes
label = ds.province(province).label(lang())
base_total = float(table.total[table.index(province)])
of = len(ranked_provinces(year))
st.markdown(f"### {tr('goal.title', province=label, year=year)}")
st.caption(tr("goal.intro"))

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
names = {c: f"{c}. {dim_name(c, year)}" for c in codes}
c3.multiselect(tr("goal.lock"), list(codes), key="goal.lock", format_func=names.get, help=tr("goal.lock_help"),
               placeholder=tr("goal.lock_none"))

errors: list[str] = []
if kind == "total":
    try:
        value = parse_decimal(ss["goal.total"])
    except InputError as e:
        errors.append(tr("goal.field_error", field=tr("goal.total"), message=e.message(lang())))

weightings = {"gap": tr("goal.weighting.gap"), "equal": tr("goal.weighting.equal")}
reasons = {r: tr(f"goal.reason.{r}") for r in ("scale", "best", "history", "user")}
ss.setdefault("goal.weighting", "gap")
defaults = default_limits(ds, year, province, history(), ss["goal.weighting"])
caps, weights = [], []
with st.expander(tr("goal.limits_title")):
    st.radio(tr("goal.weighting"), list(weightings), key="goal.weighting", format_func=weightings.get, horizontal=True)
    st.caption(tr("goal.limits_help"))
    for code in codes:
        cap, reason, weight = defaults[code]
        ss.setdefault(f"goal.cap.{code}", num(cap, 4))
        ss.setdefault(f"goal.weight.{code}", num(weight, 3))
        a, b, c = st.columns([3, 2, 2], vertical_alignment="bottom")
        a.markdown(f"{names[code]}  \n:gray[{tr('goal.default_cap', cap=num(cap, 4), reason=reasons[reason])}]")
        b.text_input(tr("goal.cap"), key=f"goal.cap.{code}")
        c.text_input(tr("goal.weight"), key=f"goal.weight.{code}")
        for field, store, default in (("cap", caps, cap), ("weight", weights, weight)):
            try:
                v = parse_decimal(ss[f"goal.{field}.{code}"])
            except InputError as e:
                errors.append(tr("goal.field_error", field=f"{names[code]} · {tr('goal.' + field)}", message=e.message(lang())))
                continue
            if abs(v - round(default, 4 if field == "cap" else 3)) > 1e-9:
                store.append((code, v))

o1, o2 = st.columns([1, 3])
ss.setdefault("goal.odds", False)
o1.toggle(tr("goal.with_odds"), key="goal.odds", disabled=year < FIRST_YEAR, help=tr("goal.with_odds_help"))
probability = None
if ss["goal.odds"] and year >= FIRST_YEAR:
    ss.setdefault("goal.p", 0.8)
    o2.select_slider(tr("goal.p"), [round(0.5 + 0.05 * k, 2) for k in range(10)], key="goal.p",
                     format_func=formatter("pct"))
    probability = float(ss["goal.p"])

for message in errors:
    st.error(message)
if errors:
    st.stop()

try:
    with st.spinner(tr("goal.computing")):
        plan = goal_plan(year, province, kind, float(value), tuple(sorted(ss.get("goal.lock", []))), tuple(caps),
                         tuple(weights), ss["goal.weighting"], probability, 5_000, 7)
except InputError as e:
    st.error(e.message(lang()))
    st.stop()

res = plan.outcome.result
if plan.already_met:
    st.success(tr("goal.met"))
elif plan.reachable:
    st.success(tr("goal.reachable", n=len(plan.steps)))
else:
    st.error(tr("goal.unreachable", caps=", ".join(names[c] for c in plan.binding_caps) or "–"))
m1, m2, m3, m4 = st.columns([2, 2, 3, 2])
m1.metric(tr("head.total"), num(res.total), num(res.total - base_total, sign=True) if plan.steps else None)
m2.metric(tr("head.rank"), f"{res.rank}/{res.of}")
m3.metric(tr("head.group"), group_name(res.group))
if plan.probability is not None:
    m4.metric(tr("goal.probability"), fmt_pct_s(plan.probability), tr("goal.required", p=fmt_pct_s(probability)),
              delta_color="off")
else:
    m4.metric(tr("goal.slack"), num(plan.slack, 4) if plan.slack != float("inf") else "–",
              help=tr("goal.slack_help"))

if plan.steps:
    left, right = st.columns([3, 2])
    with left:
        df = pd.DataFrame([{"dimension": names[s.code], "start": s.start, "end": s.end, "cap": s.cap, "one": 1.0,
                            "change_label": num(s.change, 2, sign=True), "cap_label": num(s.cap, 4)} for s in plan.steps])
        show_chart(charts.plan_chart(df, lang(), {"title": tr("goal.chart.title"), "subtitle": tr("goal.chart.subtitle"),
                                                  "x": tr("chart.score"), "change": tr("chart.change"),
                                                  "cap": tr("goal.cap")}))
    with right:
        st.dataframe({tr("chart.dimension"): [names[s.code] for s in plan.steps],
                      tr("goal.col.from"): [num(s.start, 4) for s in plan.steps],
                      tr("goal.col.to"): [num(s.end, 4) for s in plan.steps],
                      tr("chart.change"): [num(s.change, 4, sign=True) for s in plan.steps],
                      tr("goal.col.share"): [fmt_pct_s(s.share) for s in plan.steps],
                      tr("goal.col.cap"): [f"{num(s.cap, 2)} ({reasons[s.cap_reason]})" for s in plan.steps]},
                     hide_index=True, width="stretch")
        st.button(tr("goal.apply"), key="goal.btn.apply", type="primary", on_click=apply_plan,
                  args=(tuple((s.code, s.end) for s in plan.steps),), icon=":material/tune:")
