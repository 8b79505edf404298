"""The published national table of the selected year, with the sources of its figures."""
from __future__ import annotations

import streamlit as st

from sim.compare import baseline_frame
from ui.common import dataset, dim_name, group_name, num, province_label, tr

ds = dataset()
year = st.session_state["year"]
table = ds.table(year)
st.markdown(f"### {tr('data.title', year=year)}")
if len(table.dim_codes) == 6:
    st.info(tr("data.six_dims"))
df = baseline_frame(ds, year)
shown = {tr("chart.rank"): df["rank"], tr("chart.province"): [province_label(p) for p in df["province"]],
         tr("chart.total"): [num(v, 4) for v in df["total"]], tr("chart.group"): [group_name(g) for g in df["group"]]}
for code in table.dim_codes:
    shown[f"{code}. {dim_name(code, year)}"] = [num(v, 4) for v in df[f"d{code}"]]
st.dataframe(shown, hide_index=True, width="stretch", height=560)
missing = [ds.province(p).label(st.session_state["lang"]) for p in table.provinces if p not in set(df["province"])]
absent = [p.label(st.session_state["lang"]) for p in ds.provinces if p.name not in table.provinces]
st.caption(tr("data.missing", year=year, names=", ".join(missing + absent) or "–"))
st.caption(tr("data.totals_official" if table.total_official.any() else "data.totals_derived"))
st.caption(tr("data.source", source=ds.source(year, df["province"].iloc[0], "1")))
