"""How sure are we? Odds of rank and group for the what-if scenario, under rivals' moves and noise."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from sim.scenario import apply
from sim.story import default_top_k
from sim.story_text import calibration_rows, coverage_rows, record_text
from sim.uncertainty import DEFAULT_SEED, NoiseModel, mc_se, odds_export, prob_decimals, tied_rivals
from charts import specs as charts
from charts.story import calibration_chart, coverage_chart
from ui.cache import as_key, backtest_doc, history, odds
from ui.common import (dataset, fmt_pct_s, formatter, framework_only, lang, num, page_title, plain, province_name,
                       show_chart, tr)
from ui.sliders import scenario_from_state
from ui.state import ranked_provinces

ds = dataset()
ss = st.session_state
year, province, label = page_title("odds.title")
framework_only(year, "odds.not_before")

scenario = scenario_from_state(year, province)
h = history()
n_ranked = len(ranked_provinces(year))
with st.expander(tr("odds.model_title"), expanded=False):
    st.markdown(tr("odds.model_text", pairs=", ".join(f"{a}→{b}" for a, b in h.pairs), n=h.n))


ss.setdefault("odds.draws", 10_000)
ss.setdefault("odds.seed", DEFAULT_SEED)
# the default K follows the number of units ranked (63 or 34, another year), unless the user set K
if ss.get("odds.k_of") != n_ranked:
    if ss.get("odds.k") in (None, ss.get("odds.k_default")) or ss["odds.k"] > n_ranked:
        ss["odds.k"] = default_top_k(n_ranked)
    ss["odds.k_of"], ss["odds.k_default"] = n_ranked, default_top_k(n_ranked)
st.columns(3)[0].number_input(tr("odds.k", n=n_ranked), min_value=1, max_value=n_ranked, step=1, key="odds.k",
                              help=tr("odds.k_help"))
for key, default in (("odds.rivals", True), ("odds.trend", False), ("odds.noise", False)):
    ss.setdefault(key, default)
# the switches in one row that wraps, so their long Vietnamese labels are never cut
switches = st.container(horizontal=True, gap="large", vertical_alignment="center")
switches.toggle(tr("odds.rivals"), key="odds.rivals")
switches.toggle(tr("odds.trend"), key="odds.trend")
switches.toggle(tr("odds.noise"), key="odds.noise")
se = None
if ss["odds.noise"]:
    ss.setdefault("odds.se_user", 0.0)
    st.select_slider(tr("odds.se"), [round(0.05 * k, 2) for k in range(21)], key="odds.se_user",
                     format_func=formatter(), help=tr("odds.se_help"))
    if ss["odds.se_user"] > 0:
        se = tuple((c, float(ss["odds.se_user"])) for c in h.dim_codes)
model = NoiseModel(draws=int(ss["odds.draws"]), seed=int(ss["odds.seed"]), rivals_move=ss["odds.rivals"],
                   own_trend=ss["odds.trend"], survey_noise=ss["odds.noise"], se=se)
k = int(ss["odds.k"])
result = odds(year, province, as_key(scenario), model)
i = result.us
b, s = result.baseline, result.result
# which scenario these odds score: the what-if page's, change by change (or the baseline)
applied = apply(ds, scenario).applied
st.caption(tr("odds.scoring", changes="; ".join(tr("odds.change_item", code=a.code, before=num(a.before), after=num(a.after))
                                                 for a in applied)) if applied else tr("odds.scoring_none"))

# probabilities are shown at the precision the draws support (whole percent up to 250,000 draws)
dp = prob_decimals(model.draws)
m1, m2, m3 = st.columns(3)
# the baseline rides in the delta slot as text: no arrow, and coloured only where the scenario changed it
for col, title, now, before in ((m1, tr("odds.p_rank", k=k), s.p_rank_at_most(i, k), b.p_rank_at_most(i, k)),
                                (m2, tr("odds.p_top"), s.p_group[i, 0], b.p_group[i, 0])):
    col.metric(title, fmt_pct_s(now, dp), tr("odds.from", value=fmt_pct_s(before, dp)), delta_arrow="off",
               delta_color="off" if fmt_pct_s(now, dp) == fmt_pct_s(before, dp) else "normal" if now > before else "inverse")
m3.metric(tr("odds.rank_range"), f"{s.rank_p5[i]}–{s.rank_p95[i]}",
          tr("odds.from", value=f"{b.rank_p5[i]}–{b.rank_p95[i]}"), delta_color="off", delta_arrow="off")
# for the committee, one plain sentence; the draws, seed and standard errors are in "technical details"
st.caption(tr("odds.reading", draws=num(model.draws, 0), spread=num(200 * mc_se(0.5, model.draws), 1),
              rounding=tr("odds.rounding_whole") if dp == 0 else tr("odds.rounding_dp", dp=dp)))
# the draws and the seed are set in there, lower on the page: a keyed widget's value is in session state
# before it is drawn, so the model above already used them
with st.expander(tr("odds.tech_title"), expanded=False):
    t1, t2 = st.columns(2)
    t1.selectbox(tr("odds.draws"), [1_000, 5_000, 10_000, 20_000], key="odds.draws", format_func=formatter(dp=0),
                 help=tr("odds.draws_help"))
    t2.number_input(tr("odds.seed"), min_value=0, max_value=2**31 - 1, step=1, key="odds.seed",
                    help=tr("odds.seed_help"))
    se_used = ", ".join(f"{c}: {num(v)}" for c, v in result.se_used.items())
    st.caption(tr("odds.params", draws=num(model.draws, 0), seed=model.seed,
                  se=tr("odds.se_used", se=se_used) if se_used else tr("odds.se_none")))
    st.caption(tr("odds.mc_precision", draws=num(model.draws, 0), se=num(100 * mc_se(0.5, model.draws), 1), dp=dp))

series = {"baseline": tr("chart.baseline"), "scenario": tr("chart.scenario")}
left, right = st.columns(2)
with left:
    g = pd.DataFrame([{"group_label": tr(f"group_short.{gr}"), "series_label": series[w], "p": float(st_.p_group[i, gr - 1])}
                      for w, st_ in (("baseline", b), ("scenario", s)) for gr in (1, 2, 3, 4)])
    g["p_label"] = [fmt_pct_s(p, dp) for p in g["p"]]
    show_chart(charts.group_odds_chart(g, {"title": tr("odds.chart.groups", province=label), "y": tr("odds.prob"),
                                           "group": tr("chart.group")}))
with right:
    r = pd.DataFrame([{"rank": rk + 1, "series_label": series[w], "p": float(st_.rank_counts[i, rk] / model.draws)}
                      for w, st_ in (("baseline", b), ("scenario", s)) for rk in range(len(s.provinces))])
    r["p_label"] = [fmt_pct_s(p, dp) for p in r["p"]]  # every rank, zeros too: the lines run 1 to the last
    show_chart(charts.rank_odds_chart(r, {"title": tr("odds.chart.ranks", province=label), "x": tr("chart.rank"),
                                          "y": tr("odds.prob"), "of": len(s.provinces)}))

left, right = st.columns([3, 2])
with left:
    iv = pd.DataFrame({"province": s.provinces, "rank_p5": s.rank_p5, "rank_median": s.rank_median,
                       "rank_p95": s.rank_p95, "order": s.rank_mean})
    iv["label"] = [province_name(p) for p in iv["province"]]
    iv["is_us"] = iv["province"] == province
    show_chart(charts.rank_interval_chart(iv, {"title": tr("odds.chart.intervals"), "subtitle": tr("odds.chart.intervals_sub"),
                                               "x": tr("chart.rank"), "province": tr("chart.province"),
                                               "median": tr("odds.median")}))
with right:
    st.markdown(f"**{tr('odds.tied_title')}**")
    tied = tied_rivals(result)
    if tied:
        st.dataframe({tr("chart.province"): [province_name(p) for p, _ in tied],
                      tr("odds.p_ahead"): [fmt_pct_s(p, dp) for _, p in tied]}, hide_index=True, width="stretch")
    else:
        st.caption(tr("odds.tied_none"))
    st.download_button(tr("odds.export"), json.dumps(odds_export(result, k), ensure_ascii=False, indent=2),
                       file_name=f"papi_odds_{province.replace(' ', '_')}_{year}_seed{model.seed}.json",
                       mime="application/json", key="odds.btn.export")


# the track record: how such statements held in past years, each fitted only on the years before (sim.backtest)
st.markdown(f"#### {tr('odds.record.title')}")
doc = backtest_doc()
st.markdown(plain(record_text(doc, lang())))
left, right = st.columns(2)
with left:
    show_chart(coverage_chart(pd.DataFrame(coverage_rows(doc, lang())), {
        "title": tr("odds.record.coverage_title"), "y": tr("odds.record.coverage_y"), "nominal": doc["overall"]["nominal"]}))
with right:
    show_chart(calibration_chart(pd.DataFrame(calibration_rows(doc, lang())), {
        "title": tr("odds.record.calibration_title"), "x": tr("odds.record.predicted"),
        "y": tr("odds.record.observed"), "n": tr("odds.record.n")}))
