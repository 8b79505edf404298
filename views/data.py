"""The published national table of the selected year (the chosen province highlighted, all dimensions on one
screen), the sources of its figures, and the uploader that adds a new PAPI edition to this session."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from formats.edition import MAX_BYTES, read_edition, summary, template_csv
from sim.compare import baseline_frame
from sim.errors import InputError
from ui.common import bundled_dataset, dataset, dim_name, group_name, lang, plain, plain_label, province_label, tr
from ui.editions import add, added

HIGHLIGHT = "background-color: rgba(255, 196, 0, 0.35); font-weight: 700"

ss = st.session_state
ds = dataset()
year, chosen = ss["year"], ss["province"]
table = ds.table(year)
st.markdown(f"### {tr('data.title', year=year)}")
if len(table.dim_codes) == 6:
    st.info(tr("data.six_dims"))
df = baseline_frame(ds, year)
dims = [f"D{c}" for c in table.dim_codes]
# the Vietnamese name alone (or the English one): "Sơn La (Son La)" would crowd out the eight dimension columns
shown = pd.DataFrame({"rank": df["rank"], "province": [ds.province(p).label(lang()) for p in df["province"]],
                      "total": df["total"], "group": df["group"], **{f"D{c}": df[f"d{c}"] for c in table.dim_codes}})
mine = (df["province"] == chosen).to_numpy()
styler = (shown.style
          .format(precision=4, decimal="," if lang() == "vi" else ".", thousands="", subset=["total", *dims])
          .apply(lambda row: [HIGHLIGHT if mine[row.name] else ""] * len(row), axis=1))
groups_help = "; ".join(f"{g} = {group_name(g)}" for g in (1, 2, 3, 4))
# widths that keep all eight dimensions in view at 1366 px with the sidebar open (about 875 px of table)
config = {"rank": st.column_config.Column(tr("chart.rank"), width=44),
          "province": st.column_config.Column(tr("chart.province"), width=150),
          "total": st.column_config.Column(tr("chart.total"), width=80),
          "group": st.column_config.Column(tr("chart.group"), width=52, help=groups_help),
          **{f"D{c}": st.column_config.Column(f"D{c}", width=64, help=f"{c}. {plain_label(dim_name(c, year))}")
             for c in table.dim_codes}}
if mine.any():
    row = df[mine].iloc[0]
    st.caption(tr("data.highlight", province=plain_label(province_label(chosen)), rank=int(row["rank"]), of=len(df)))
st.dataframe(styler, hide_index=True, column_config=config, height=560, key="data.table")
st.caption(" · ".join(f"D{c}: {plain_label(dim_name(c, year))}" for c in table.dim_codes))  # data text
missing = [ds.province(p).label(ss["lang"]) for p in table.provinces if p not in set(df["province"])]
absent = [p.label(ss["lang"]) for p in ds.provinces if p.name not in table.provinces]
st.caption(tr("data.missing", year=year, names=plain_label(", ".join(missing + absent)) or "–"))
st.caption(tr("data.totals_official" if table.total_official.any() else "data.totals_derived"))
st.caption(tr("data.source", source=plain(ds.source(year, df["province"].iloc[0], "1"))))

# ---- a new edition, for this session only -------------------------------------------------------------
st.markdown(f"#### {tr('edition.title')}")
base = bundled_dataset()
upload = st.file_uploader(tr("edition.upload"), type=["csv", "xlsx"], key="edition.file",
                          help=tr("edition.upload_help"), max_upload_size=MAX_BYTES // 1_000_000)
given_year = st.number_input(tr("edition.year_input"), min_value=2018, max_value=2100, value=None, step=1,
                             key="edition.year", width=360)
if st.button(tr("edition.check"), key="btn.edition.add", disabled=upload is None) and upload is not None:
    data = upload.getvalue()
    ed = read_edition(data, upload.name, base, int(given_year) if given_year is not None else None)
    if not ed.valid:
        ss["edition.report"] = ("problems", ed.problems)
    else:
        try:
            add(base, ed.year, ed.rows, upload.name, data)
            ss["edition.report"] = ("added", (summary(ed, "vi"), summary(ed, "en"), ed.year, len(ed.rows)))
            st.rerun()  # this page and the sidebar start again on the data with the new year
        except InputError as e:
            ss["edition.report"] = ("refused", e)
kind, payload = ss.get("edition.report", (None, None))
if kind == "problems":
    st.error(tr("edition.refused", n=len(payload)))
    st.dataframe({tr("edition.col_row"): [str(p.row) if p.row is not None else "" for p in payload],
                  tr("edition.col_column"): [p.column or "" for p in payload],
                  tr("edition.problem"): [p.detail(lang()) for p in payload]},
                 hide_index=True, key="edition.problems")
elif kind == "refused":
    st.error(plain(payload.message(lang())))
elif kind == "added":
    st.success(tr("edition.added", year=payload[2], n=payload[3]))
    st.caption(plain(payload[0] if lang() == "vi" else payload[1]))
if added():
    st.caption(tr("edition.session_years", years=", ".join(str(a.year) for a in added())))
next_year = max(ds.years) + 1
st.download_button(tr("edition.template"), data=template_csv(base, next_year), file_name=f"papi_{next_year}.csv",
                   mime="text/csv", key="btn.edition.template")
