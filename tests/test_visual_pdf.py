"""The PDF brief as a reader sees it: every chart whole, at its own shape, big enough to read, nothing cut.

Each brief is rasterised page by page (pdftoppm; with PAPI_SHOTS=dir the page PNGs are kept there to look
at). Each chart the brief places is rendered again with vl-convert, the way formats.pdf_charts renders it,
to a scenegraph: every text box must lie inside the image (a label past the edge is cut on paper) and no
text may be longer than its own ``limit`` (Vega would end it in an ellipsis). The PDF's content streams say
where and how big each image was placed: its width/height must equal the chart's within 2%, its height be
at least 4 cm, and its smallest label print at 7 pt or more. pdftotext must contain every chart title and
every scenario's full name.
"""
import datetime as dt
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from formats.chart_png import CONFIG, FONT_DIR, _fonts
from formats.pdf import to_pdf
from formats.pdf_charts import brief_charts_for
from formats.summary import entries
from sim.goal import GoalRequest, Target, seek
from sim.scenario import Change, NamedScenario, Scenario
from sim.realism import change_history

TODAY = dt.date(2026, 12, 2)
PT_PER_MM = 72 / 25.4
MIN_HEIGHT_MM = 40
MIN_LABEL_PT = 7.0


def _named(name, *changes, province="Son La"):
    return NamedScenario(name, Scenario(2024, province, tuple(changes)))


# the walkthrough's workshop comparison (long names the old legend cut) and the what-if page's single scenario
# The visual suite's workshop (tests/test_visual.py): B is the real least-effort plan for the top group, so
# a reader comparing the brief with the app sees the same three options; B's name is long on purpose.
B_NAME = "Phương án B: ít nhất để vào nhóm cao nhất, do Sở Nội vụ chủ trì, báo cáo Ủy ban nhân dân tỉnh"
WORKSHOP = [_named("Phương án A: Kế hoạch +0,5 (5, 3, 8)", Change("5", 0.5), Change("3", 0.5), Change("8", 0.5)),
            B_NAME,
            _named("Phương án C: thận trọng (+0,2 cho 5 và 8)", Change("5", 0.2), Change("8", 0.2))]
# the what-if page's "Kế hoạch Sơn La (5, 3, 8)" preset with the Goal page's top-group plan, as the app exports them
WHATIF = [_named("Kế hoạch Sơn La (5, 3, 8)", Change("5", 0.5), Change("3", 0.5), Change("8", 0.5))]
CASES = {"workshop": (WORKSHOP, "vi", False), "whatif_plan": (WHATIF, "vi", True), "english": (WORKSHOP[:2], "en", False)}


def _need(tool):
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is required in CI")
        pytest.skip(f"{tool} (poppler-utils) not installed")


@pytest.fixture(scope="module", params=list(CASES))
def brief(request, ds, tmp_path_factory):
    scenarios, lang, with_plan = CASES[request.param]
    if B_NAME in scenarios:
        top = seek(ds, GoalRequest(2024, "Son La", Target("group", 1)), change_history(ds))
        b = _named(B_NAME, *(Change(s.code, s.end, "target") for s in top.steps))
        scenarios = [b if s == B_NAME else s for s in scenarios]
    plan = seek(ds, GoalRequest(2024, "Son La", Target("group", 1)), change_history(ds)) if with_plan else None
    data = to_pdf(ds, scenarios, lang, plan, TODAY)
    folder = tmp_path_factory.mktemp(request.param)
    path = folder / "brief.pdf"
    path.write_bytes(data)
    charts = brief_charts_for(ds, entries(ds, scenarios, lang), lang)
    return {"name": request.param, "path": path, "data": data, "charts": charts, "scenarios": scenarios}


def _placements(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in pt of every image drawn, in drawing order, read from the page content streams."""
    out = []
    for m in re.finditer(rb"stream\r?\n", data):
        raw = data[m.end():data.find(b"endstream", m.end())]
        try:
            text = zlib.decompress(raw)
        except zlib.error:
            continue  # a JPEG or another stream that is not Flate-compressed content
        out += [(float(w), float(h)) for w, h in re.findall(rb"([\d.]+) 0 0 ([\d.]+) [\d.-]+ [\d.-]+ cm /I\w+ Do", text)]
    return out


@pytest.fixture(scope="module")
def scenes(brief):
    """Each chart's scenegraph, rendered by vl-convert from the spec the brief renders."""
    import vl_convert as vlc
    _fonts()
    return [vlc.vegalite_to_scenegraph(c.spec, config=CONFIG, allowed_base_urls=[]) for c in brief["charts"]]


def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), max(1, round(size)))


def _texts(mark: dict, ox: float, oy: float):
    """Every visible text item of a scenegraph with its anchor in image coordinates."""
    for item in mark.get("items", []):
        x, y = ox + item.get("x", 0), oy + item.get("y", 0)
        if mark.get("marktype") == "text":
            text = item.get("text")
            if text not in (None, "", []) and item.get("opacity", 1) != 0 and item.get("fillOpacity", 1) != 0:
                yield item, x, y
        for child in item.get("items", []) if mark.get("marktype") == "group" else []:
            yield from _texts(child, x, y)


def _box(item: dict, x: float, y: float) -> tuple[list[tuple[float, float]], float]:
    """The four corners of a text item (font metrics of the shipped font) and its longest line's width."""
    import math
    size = item.get("fontSize", 11)
    font = _font(size, str(item.get("fontWeight", "")) in ("bold", "700"))
    lines = item["text"] if isinstance(item["text"], list) else [str(item["text"])]
    width = max(font.getlength(str(line)) for line in lines)
    line_h = item.get("lineHeight") or size + 2
    height = size + line_h * (len(lines) - 1)
    left = {"left": 0, "center": -width / 2, "right": -width}[item.get("align", "left")]
    top = {"top": 0, "middle": -height / 2, "bottom": -height, "line-top": 0, "line-bottom": -height}.get(
        item.get("baseline", "alphabetic"), -0.8 * size)
    left += item.get("dx", 0)
    top += item.get("dy", 0)
    a = math.radians(item.get("angle", 0))
    corners = [(left, top), (left + width, top), (left, top + height), (left + width, top + height)]
    return [(x + cx * math.cos(a) - cy * math.sin(a), y + cx * math.sin(a) + cy * math.cos(a)) for cx, cy in corners], width


def test_every_page_rasterises_and_its_margins_are_blank(brief):
    _need("pdftoppm")
    shots = os.environ.get("PAPI_SHOTS")
    folder = Path(shots) if shots else brief["path"].parent
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"brief_{brief['name']}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(brief["path"]), str(stem)], check=True)
    pages = sorted(folder.glob(f"{stem.name}-*.png"))
    assert 1 <= len(pages) <= 6  # the first scenario's story has page 1 to itself (issue 20)
    for page in pages:
        with Image.open(page) as im:
            grey = im.convert("L")
            w, h = grey.size
            band = round(6 / 25.4 * 60)  # 6 mm: the page margin is 12 mm, nothing may reach the edge
            for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
                assert grey.crop(box).getextrema()[0] > 200, f"{page.name}: ink at the page edge {box}"


def test_every_chart_is_placed_at_its_own_shape_and_readable(brief, scenes):
    placed = _placements(brief["data"])
    assert len(placed) == len(brief["charts"]), "one image per chart"
    for chart, scene, (w, h) in zip(brief["charts"], scenes, placed):
        own = scene["width"] / scene["height"]
        assert abs((w / h) / own - 1) <= 0.02, f"{chart.key}: placed {w / h:.3f}, chart {own:.3f}"
        assert h / PT_PER_MM >= MIN_HEIGHT_MM, f"{chart.key}: {h / PT_PER_MM:.0f} mm tall"
        sizes = [item.get("fontSize", 11) for item, _, _ in _texts(scene["scenegraph"], *scene["origin"])]
        smallest = min(sizes) * w / scene["width"]  # pt on paper
        assert smallest >= MIN_LABEL_PT, f"{chart.key}: its smallest text prints at {smallest:.1f} pt"


def test_every_chart_text_lies_inside_the_chart(brief, scenes):
    for chart, scene in zip(brief["charts"], scenes):
        width, height = scene["width"], scene["height"]
        for item, x, y in _texts(scene["scenegraph"], *scene["origin"]):
            corners, length = _box(item, x, y)
            label = item["text"]
            assert all(-1 <= cx <= width + 1 and -1 <= cy <= height + 1 for cx, cy in corners), \
                f"{chart.key}: {label!r} passes the edge of the {width}x{height} chart"
            limit = item.get("limit") or 0
            assert not limit or length <= limit, f"{chart.key}: {label!r} is cut at {limit} px"


def test_chart_titles_and_full_scenario_names_are_in_the_text(brief):
    _need("pdftotext")
    out = subprocess.run(["pdftotext", str(brief["path"]), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(out.split())
    for chart in brief["charts"]:
        assert chart.title and chart.title in text, chart.key
        if chart.subtitle:
            assert chart.subtitle in text, chart.key
    for s in brief["scenarios"]:
        assert s.name in text
