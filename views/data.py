"""The published national table of the selected year (the chosen province highlighted, all dimensions on one
screen), the sources of its figures, and the uploader that adds a new PAPI edition to this session."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from formats.edition import MAX_BYTES, read_edition, summary, template_csv
from sim.compare import baseline_frame
from sim.data import FRAMEWORK_START
from sim.editions import total_kind
from sim.errors import InputError
from sim.sources import citation
from ui.common import (bundled_dataset, dataset, dim_name, group_name, indicator_label, lang, plain, plain_label,
                       province_label, province_name, tr, units)
from ui.editions import add, added

HIGHLIGHT = "background-color: rgba(255, 196, 0, 0.35); font-weight: 700"

ss = st.session_state
ds = dataset()
year, chosen = ss["year"], ss["province"]
table = ds.table(year)
estimated, uploaded = units() == "2025", year in ds.added_years  # 34-unit estimates, a user's file
title = "data.title_estimate" if estimated else "data.title_uploaded" if uploaded else "data.title"
st.markdown(f"### {tr(title, year=year)}")
if len(table.dim_codes) == 6:
    st.info(tr("data.six_dims"))
df = baseline_frame(ds, year)
dims = [f"D{c}" for c in table.dim_codes]
# the Vietnamese name alone (or the English one): "Sơn La (Son La)" would crowd out the eight dimension columns
shown = pd.DataFrame({"rank": df["rank"], "province": [province_name(p) for p in df["province"]],
                      "total": df["total"], "group": [tr(f"group_short.{int(g)}") for g in df["group"]],
                      **{f"D{c}": df[f"d{c}"] for c in table.dim_codes}})
mine = (df["province"] == chosen).to_numpy()
styler = (shown.style
          .format(precision=4, decimal="," if lang() == "vi" else ".", thousands="", subset=["total", *dims])
          .apply(lambda row: [HIGHLIGHT if mine[row.name] else ""] * len(row), axis=1))
groups_help = "; ".join(f"{tr(f'group_short.{g}')} = {group_name(g)}" for g in (1, 2, 3, 4))
mark = f" ({tr('data.estimated')})" if estimated else ""  # every 34-unit figure says it is an estimate
labels = {"rank": tr("chart.rank"), "province": tr("chart.province"), "total": tr("chart.total"),
          "group": tr("chart.group"), **{f"D{c}": f"D{c}" for c in table.dim_codes}}
# widths that keep all eight dimensions in view at 1366 px with the sidebar open (about 875 px of table)
config = {"rank": st.column_config.Column(labels["rank"], width=44, help=tr("chart.rank") + mark),
          "province": st.column_config.Column(labels["province"], width=140),
          "total": st.column_config.Column(labels["total"], width=76, help=tr("chart.total") + mark),
          "group": st.column_config.Column(labels["group"], width=112, help=groups_help + mark),
          **{f"D{c}": st.column_config.Column(f"D{c}", width=60, help=f"{plain_label(indicator_label(c, year))}{mark}")
             for c in table.dim_codes}}
if estimated:
    st.caption(tr("data.estimate_note", n=len(df)))
if mine.any():
    row = df[mine].iloc[0]
    st.caption(tr("data.highlight_estimate" if estimated else "data.highlight", province=plain_label(province_label(chosen)),
                  rank=int(row["rank"]), of=len(df)))
    # the chosen province's row, pinned above the table: in the table it may sit below the first screen
    # st.table renders its cells as Markdown: the province name from the data file goes in as plain text
    pinned = shown[mine].assign(province=lambda d: d["province"].map(plain)).rename(columns=labels)
    st.table(pinned.style.format(precision=4, decimal="," if lang() == "vi" else ".", thousands="",
                                 subset=[labels["total"], *dims])
             .apply(lambda r: [HIGHLIGHT] * len(r), axis=1).hide(axis="index"))
st.dataframe(styler, hide_index=True, column_config=config, height=560, key="data.table")
st.caption(" · ".join(f"D{c}: {plain_label(dim_name(c, year))}" for c in table.dim_codes))  # data text
missing = [province_name(p) for p in table.provinces if p not in set(df["province"])]
absent = [p.label(ss["lang"]) for p in ds.provinces if p.name not in table.provinces]
st.caption(tr("data.missing", year=year, names=plain_label(", ".join(missing + absent)) or "–"))
st.caption(tr("data.totals_" + total_kind(ds, year)))
st.caption(tr("data.source", source=plain(citation(ds, year, df["province"].iloc[0], lang()))))

# ---- a new edition, for this session only -------------------------------------------------------------
st.markdown(f"#### {tr('edition.title')}")
base = bundled_dataset()
# Streamlit draws its own English words inside the box ("Drag and drop file here", "Limit 2MB per file"): our
# caption, in the user's language, says what to upload, the real limit and what the box is for
st.caption(f"{tr('edition.upload')}. {tr('upload.box_hint')} {tr('edition.upload_help')}")
upload = st.file_uploader(tr("edition.upload"), type=["csv", "xlsx"], key="edition.file",
                          label_visibility="collapsed", max_upload_size=MAX_BYTES // 1_000_000)
given_year = st.number_input(tr("edition.year_input"), min_value=FRAMEWORK_START, max_value=2100, value=None, step=1,
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
