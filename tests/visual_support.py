"""What a person sees, measured in Chromium: helpers for tests/test_visual.py.

Every check returns a list of problems (plain sentences naming the element and the numbers), so one state can
report all its broken rules at once. The checks look at the rendered page, never at code:

* Charts: Streamlit 1.67 draws Vega-Lite charts with Vega's SVG renderer, so every title, axis label and
  legend entry is a ``<text>`` element whose bounding box the browser knows. A chart passes when its box is
  tall enough, its plot area (the root frame's background rectangle) at least 80 px tall, and every visible
  text box lies inside it and does not end in an ellipsis (Vega's labelLimit cuts with "…"). This holds whatever the chart shows, so it keeps passing once a chart is redesigned.
* Data grids (glide-data-grid) draw on a canvas, where the DOM holds no text. An init script wraps
  ``CanvasRenderingContext2D.fillText`` and remembers, per canvas and per drawn position, the text and its
  measured width. A column's left edge is where its header text starts minus the grid's cell padding; a cell
  whose text crosses the next column's edge is cut (glide clips it silently, without an ellipsis).
* Inner scrolls are read from the grid's scroller: scrollWidth > clientWidth hides columns, scrollHeight >
  clientHeight hides rows.
* English in the Vietnamese UI: the visible text (``innerText``) and the accessible names (aria-label, title)
  are split into words and matched against common English words; phrases Streamlit writes itself and offers
  no way to translate are removed first (ALLOWED_PHRASES, each with its reason).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

# Records every canvas text draw: {canvas id: {"x,y": [text, left, right]}}, the latest draw per position, so a
# redraw replaces what it overwrites. Coordinates are CSS pixels of the canvas (transform applied, DPR removed).
CANVAS_HOOK = """
(() => {
  const texts = window.__canvasTexts = {};
  const P = CanvasRenderingContext2D.prototype, orig = P.fillText;
  let n = 0;
  P.fillText = function (text, x, y, maxWidth) {
    try {
      const c = this.canvas;
      if (!c.__vid) c.__vid = 'cv' + (++n);
      const m = this.getTransform(), d = window.devicePixelRatio || 1, s = String(text);
      const w = this.measureText(s).width * m.a / d, px = (m.a * x + m.e) / d, py = (m.d * y + m.f) / d;
      const left = this.textAlign === 'right' || this.textAlign === 'end' ? px - w
                 : this.textAlign === 'center' ? px - w / 2 : px;
      (texts[c.__vid] = texts[c.__vid] || {})[Math.round(px) + ',' + Math.round(py)] = [s, left, left + w, py];
    } catch (e) { /* never break the page's drawing */ }
    return orig.apply(this, arguments);
  };
})();
"""

# What a page is still doing ("" once settled): Streamlit running, elements stale, a spinner, a chart without
# its SVG text, a shown grid that has drawn no text yet.
PENDING = """() => {
  if (document.querySelector('[data-testid=stStatusWidget]')) return 'Streamlit is running';
  if (document.querySelector('[data-stale=true]')) return 'elements are stale';
  if (document.querySelector('[data-testid=stSpinner]')) return 'a spinner is shown';
  if ([...document.querySelectorAll('[data-testid=stSkeleton]')].some(s => s.checkVisibility()))
    return 'grey placeholders are shown where elements are still to come';
  if (!document.querySelector('[data-testid=stSidebar] [data-testid=stSelectbox]')) return 'no sidebar yet';
  const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].filter(ch => ch.checkVisibility());
  if (charts.some(ch => !ch.querySelector('svg text'))) return 'a chart has not drawn';
  const texts = window.__canvasTexts || {};
  for (const g of document.querySelectorAll('[data-testid=stDataFrame]')) {
    if (!g.checkVisibility()) continue;  // in a closed expander: glide draws nothing
    if (![...g.querySelectorAll('canvas')].some(c => c.__vid && texts[c.__vid])) return 'a grid has not drawn';
  }
  return '';
}"""
SETTLED = f"() => ({PENDING})() === ''"

CHARTS = """() => {
  const out = [], PLOT_MIN = 80;
  const shown = e => e.checkVisibility() && e.getBoundingClientRect().height > 0;
  for (const ch of document.querySelectorAll('[data-testid=stVegaLiteChart]')) {
    if (!shown(ch)) continue;  // in a closed expander or an unselected tab
    const box = ch.getBoundingClientRect();
    const texts = [...ch.querySelectorAll('svg text')].filter(t => {
      for (let e = t; e && e !== ch; e = e.parentElement)
        if (getComputedStyle(e).opacity === '0' || e.getAttribute('opacity') === '0') return false;
      return t.textContent.trim() && t.getBoundingClientRect().width > 0;
    });
    const title = ch.querySelector('.role-title-text, .role-title text');
    const name = ((title || texts[0] || {}).textContent || '(no text)').trim().slice(0, 60);
    const side = !!ch.closest('[data-testid=stColumn], [data-testid=stSidebar], [data-testid=stExpander]');
    const min = side ? 150 : 200;
    if (box.height < min)
      out.push(`chart "${name}": ${Math.round(box.height)} px tall (< ${min} px${side ? ', in a column' : ''})`);
    // the plot area (the root frame's background) must be tall enough to show what it is drawn for
    const frame = ch.querySelector('.role-frame.root > g > path.background');
    const plot = frame && frame.getBoundingClientRect();
    if (plot && plot.height < PLOT_MIN)
      out.push(`chart "${name}": plot area ${Math.round(plot.height)} px tall (< ${PLOT_MIN} px)`);
    for (const t of texts) {
      const s = t.textContent.trim(), r = t.getBoundingClientRect();
      // a text's box spans the font's whole line (ascent to descent): a third of it past the edge cuts no glyph
      const slack = Math.min(r.width, r.height) / 3 + 1;
      if (/(…|\\.\\.\\.)$/.test(s)) out.push(`chart "${name}": text cut by an ellipsis: "${s}"`);
      if (r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack)
        out.push(`chart "${name}": text "${s.slice(0, 50)}" outside its box (text ${Math.round(r.left)}..` +
                 `${Math.round(r.right)} x ${Math.round(r.top)}..${Math.round(r.bottom)}, box ` +
                 `${Math.round(box.left)}..${Math.round(box.right)} x ${Math.round(box.top)}..${Math.round(box.bottom)})`);
    }
  }
  return out;
}"""

# Text cut for the eye: an element's own text ending in an ellipsis, or CSS text-overflow: ellipsis in effect.
CUT_TEXT = """() => {
  const out = [];
  const roots = document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]');
  for (const root of roots) for (const e of root.querySelectorAll('*')) {
    if (e.closest('svg')) continue;  // chart text: CHARTS checks it against the chart's box
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !e.checkVisibility()) continue;
    const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (own && /(…|\\.\\.\\.)$/.test(own)) out.push(`text ends in an ellipsis: "${own.slice(-70)}"`);
    const cs = getComputedStyle(e);
    if (cs.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1 && (e.innerText || '').trim())
      out.push(`text cut by CSS (text-overflow: ellipsis, ${e.scrollWidth} > ${e.clientWidth} px): ` +
               `"${e.innerText.trim().slice(0, 70)}"`);
  }
  return [...new Set(out)];
}"""

# Every grid: inner scrolls, and each drawn cell text against its column's edges. A grid of more than
# ``long_list`` rows is a list to scroll through (the Data page's every province): it may scroll vertically;
# a shorter table must show every row. (Streamlit gives a keyed st.dataframe no st-key class, so grids are
# told apart by what they hold.)
GRIDS = """(long_list) => {
  const out = [], texts = window.__canvasTexts || {}, PAD = 8;
  const grids = [...document.querySelectorAll('[data-testid=stDataFrame]')].filter(g => g.checkVisibility());
  for (const g of grids) {
    const heads = [...g.querySelectorAll('[role=columnheader]')].map(h => (h.textContent || '').trim());
    const name = `grid (${heads.slice(0, 3).join(', ')})`;
    const sc = g.querySelector('.dvn-scroller');
    const counted = g.querySelector('[aria-rowcount]');
    const rows = counted ? Number(counted.getAttribute('aria-rowcount')) - 1 : Infinity;
    if (sc && sc.scrollWidth > sc.clientWidth + 1)
      out.push(`${name}: columns hidden to the right (content ${sc.scrollWidth} px in ${sc.clientWidth} px)`);
    if (sc && sc.scrollHeight > sc.clientHeight + 1 && rows <= long_list)
      out.push(`${name}: rows hidden behind an inner scroll (scrollHeight ${sc.scrollHeight} > clientHeight ${sc.clientHeight})`);
    const cvs = [...g.querySelectorAll('canvas')].filter(c => c.__vid && texts[c.__vid]);
    if (cvs.length < 2) continue;
    // the header canvas is the short one: its texts start at each column's left edge + padding
    cvs.sort((a, b) => a.getBoundingClientRect().height - b.getBoundingClientRect().height);
    const head = Object.values(texts[cvs[0].__vid]).sort((a, b) => a[1] - b[1]);
    const right = cvs[1].getBoundingClientRect().width;
    const edges = head.map(h => h[1] - PAD).concat([Math.min(right, sc ? sc.scrollWidth : right)]);
    const check = (cells, what) => {
      for (const [s, l, r] of Object.values(cells)) {
        let i = edges.length - 2;
        while (i > 0 && l < edges[i] - 1) i--;
        if (r > edges[i + 1] + 1) out.push(`${name}: ${what} "${s.slice(0, 60)}" is ${Math.round(r - edges[i + 1])} px wider than column "${head[i] ? head[i][0] : i}"`);
      }
    };
    check(texts[cvs[0].__vid], 'header');
    for (const c of cvs.slice(1)) check(texts[c.__vid], 'cell');
  }
  return [...new Set(out)];
}"""

# The texts every visible grid has drawn (what is on screen without scrolling it).
GRID_TEXT = """() => {
  const texts = window.__canvasTexts || {};
  return [...document.querySelectorAll('[data-testid=stDataFrame] canvas')].filter(c => c.checkVisibility())
    .flatMap(c => Object.values(texts[c.__vid] || {}).map(t => t[0]));
}"""

# What a person reads: the visible text (Material icons hidden first: their ligature names, "expand_more",
# are not text anybody sees) and the accessible names screen readers say (chart internals excluded: see
# ALLOWED_NAMES).
VISIBLE_TEXT = """() => {
  const icons = [...document.querySelectorAll('span, i')].filter(e => /Material/.test(getComputedStyle(e).fontFamily));
  const was = icons.map(e => e.style.display);
  icons.forEach(e => { e.style.display = 'none'; });
  const text = document.body.innerText;
  icons.forEach((e, i) => { e.style.display = was[i]; });
  const names = [];
  for (const e of document.querySelectorAll('[aria-label], [title]')) {
    if (e.closest('svg') || !e.closest('[data-testid=stMain], [data-testid=stSidebar]')) continue;
    for (const a of ['aria-label', 'title']) if (e.getAttribute(a)) names.push(e.getAttribute(a));
  }
  return {text, names};
}"""

# Common English words that never occur in Vietnamese text written without them ("to", "an", "no" and
# "the" are left out on purpose: they are Vietnamese words too; "to" means big, "no" full).
ENGLISH = frozenset("""
and of per for with from not are this that these your you our all any into than then when which while
file files upload uploads drag drop browse limit estimate estimated estimates help mean weighted population
published figure figures score scores rank ranks group groups total totals change changes scenario scenarios
province provinces baseline download open close show hide more less view search fullscreen chart charts
page pages choose option options select press enter apply results result clear remove source sources data
census official unofficial level levels dimension dimensions indicator indicators step steps loading running
error warning notice link copy
""".split())

# Streamlit's own words, which no parameter of the widget translates. Each is cut from the visible text before
# the check, with the reason; nothing else is excused.
ALLOWED_PHRASES: dict[str, str] = {
    r"Drag and drop files? here": "st.file_uploader's dropzone instruction: fixed English in Streamlit 1.67",
    r"(Limit )?\d+(\.\d+)?\s?[KMG]?B per file( • [A-Z0-9, .]+)?": "st.file_uploader's size line: fixed English in "
                                                                 "Streamlit 1.67 (the app states its limit in "
                                                                 "its own caption)",
    r"Browse files": "st.file_uploader's button: fixed English in Streamlit 1.67",
    r"(?<![\w])Upload(?![\w])": "st.file_uploader's compact button label: fixed English in Streamlit 1.67",
    r"Press Enter to (apply|submit form)": "st.text_input's hint while it has focus: fixed English",
    r"Select all": "st.multiselect's first option in Streamlit 1.67 (shown while its list is open)",
    r"\d+ results? available\.?|\d+ options? available\.?|No results": "the multiselect's screen-reader "
                                                                        "announcement (BaseWeb, visually hidden)",
    r"Page Up/Down|Page Up|Page Down": "key names as printed on the keyboard",
    r"province, total, rank, group, d1…d8, tuỳ chọn year và s1\.1…s8\.3": "the columns a CSV edition must have, "
                                                                          "spelled as its header spells them",
}

# Accessible names (aria-label, title) Streamlit gives its own controls, matched as the whole name. Chart
# internals (Vega's generated "X-axis titled ..." descriptions inside the SVG) are not checked: Vega writes
# them, per mark, for screen readers only.
ALLOWED_NAMES: dict[str, str] = {
    r"Help for .*": "the help icon of every labelled widget (\"Help for <label>\")",
    r"Sidebar|Collapse sidebar|Expand sidebar|App pages": "the sidebar and its page navigation",
    r"Open|Close|Clear all|Delete|Remove .*|Selected values|Select all": "select and multiselect controls",
    r"Decrement|Increment": "st.number_input's step buttons",
    r"Link to heading": "the anchor link of every Markdown heading",
    r"Show data|Download as PNG|Copy Vega-Lite spec|Fullscreen|Close fullscreen|Vega visualization":
        "the chart toolbar and the chart's own role name",
    r"Show/hide columns|Download as CSV|Search|Clear search": "the data grid's toolbar",
    r"Copy to clipboard": "st.code's copy button",
    r"file upload|Add files": "st.file_uploader's drop zone and its add-another-file button",
}


def css_key(key: str) -> str:
    """The class Streamlit 1.67 gives a keyed element is ``st-key-`` + the key with anything but letters,
    digits, "_" and "-" written "-"."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def english_words(seen: dict) -> list[str]:
    """The English words a person reads (VISIBLE_TEXT's answer), each with its line, after cutting the allowed
    phrases and names."""
    text = seen["text"]
    for phrase in ALLOWED_PHRASES:
        text = re.sub(phrase, " ", text)
    names = [n for n in seen["names"] if not any(re.fullmatch(a, n.strip(), re.S) for a in ALLOWED_NAMES)]
    found = []
    for line in text.splitlines() + [f"(accessible name) {n}" for n in names]:
        words = {w for w in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", line) if w.lower() in ENGLISH}
        if words:
            found.append(f"English {sorted(words)} in: \"{line.strip()[:110]}\"")
    return sorted(set(found))


def shots_dir() -> Path | None:
    """Where to leave a screenshot of every state: PAPI_SHOTS, or nowhere."""
    d = os.environ.get("PAPI_SHOTS")
    if not d:
        return None
    path = Path(d)
    path.mkdir(parents=True, exist_ok=True)
    return path


def full_page_shot(page, path: Path) -> None:
    """A full-page picture at 1366 px: Streamlit scrolls inside its main block, not the document, so the
    viewport is grown to the content's height for the picture and put back to 768 afterwards."""
    height = page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
        const s = document.querySelector('[data-testid=stSidebarContent]');
        return Math.max(768, m ? m.scrollHeight : 0, s ? s.scrollHeight : 0); }""")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height), 12000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size({"width": width, "height": 768})
