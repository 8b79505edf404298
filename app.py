"""PAPI What-If: the Streamlit entry point. The pages, then the shared sidebar (language, year, province)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from sim.i18n import LANGS
from ui.common import dataset, formatter, plain, tr
from ui.state import on_place_change, persist_widgets, ranked_provinces
from ui.lever_panel import take_moves
from ui.url import init_session, sync_query_params
from ui.units import units_notice, units_switch

HERE = Path(__file__).parent


def sidebar() -> None:
    """Language, basis, year and province. Drawn after the page (a keyed widget's value is in session state
    before the widget is drawn), so a slider move's first new elements are the page's headline: the browser
    redraws the page once per batch of new elements, and whatever arrives first delays the headline."""
    with st.sidebar:
        # both languages' names are shown in both languages, so the switch is always readable
        st.radio(tr("sidebar.language"), LANGS, key="lang", horizontal=True, format_func=lambda code: tr(f"lang.{code}"))
        units_switch()
        ds = dataset()
        st.selectbox(tr("sidebar.year"), ds.years[::-1], key="year", on_change=on_place_change,
                     help=tr("sidebar.year_help"))
        st.selectbox(tr("sidebar.province"), sorted(ranked_provinces(st.session_state["year"])), key="province",
                     format_func=formatter("province"), on_change=on_place_change, help=tr("sidebar.province_help"))
        # a year a user added is their file, not the published report: the sidebar says so while it is chosen
        chosen = st.session_state["year"]
        st.caption(tr("sidebar.about_uploaded", year=chosen) if chosen in ds.added_years else tr("sidebar.about"))


init_session()  # state and URL only, no elements: the page config below can use the language
persist_widgets()
# a local icon: a Material page_icon would make the browser fetch it from the internet
st.set_page_config(page_title=tr("app.title"), page_icon=str(HERE / "assets" / "favicon.png"), layout="wide",
                   initial_sidebar_state="expanded")

take_moves()  # the lever panel's last move (its callback only recorded it), before the URL follows it
sync_query_params()

for key, params in st.session_state.get("notices", []):
    # values from the URL are data, never markup: each is escaped before it joins the sentence
    st.warning(tr(key, **{k: plain(v) for k, v in params.items()}), icon=":material/warning:")
st.session_state["notices"] = []
units_notice()

pages = [
    st.Page(str(HERE / "views" / "whatif.py"), title=tr("nav.whatif"), icon=":material/tune:", default=True, url_path="home"),
    st.Page(str(HERE / "views" / "goal.py"), title=tr("nav.goal"), icon=":material/flag:", url_path="goal"),
    st.Page(str(HERE / "views" / "levers.py"), title=tr("nav.levers"), icon=":material/stairs:", url_path="levers"),
    st.Page(str(HERE / "views" / "odds.py"), title=tr("nav.odds"), icon=":material/casino:", url_path="odds"),
    st.Page(str(HERE / "views" / "history.py"), title=tr("nav.history"), icon=":material/timeline:", url_path="history"),
    st.Page(str(HERE / "views" / "workshop.py"), title=tr("nav.workshop"), icon=":material/compare:", url_path="workshop"),
    st.Page(str(HERE / "views" / "present.py"), title=tr("present.nav"), icon=":material/slideshow:", url_path="present"),
    st.Page(str(HERE / "views" / "data.py"), title=tr("nav.data"), icon=":material/table_view:", url_path="data"),
    # /whatif (a shared link, a bookmark) opens the what-if page, which is served at the root
    st.Page(lambda: st.switch_page(pages[0]), title=tr("nav.whatif_redirect"), url_path="whatif", visibility="hidden"),
]
navigation = st.navigation(pages)
st.session_state["page.title"] = navigation.title  # names a scenario this page sends to the what-if page
try:
    navigation.run()
finally:  # also after a page's st.stop()
    sidebar()
