"""Files for the edition tests, built in the test from the bundled data (never shipped): a valid 2025 edition
made of the 2024 values shifted up (the workbook builder lives in test_edition_workbook.py)."""
from __future__ import annotations

import csv
import io

from sim.compare import baseline_frame
from sim.editions import structure_for

SHIFT = 0.1


def shifted_rows(ds, year: int = 2025, source_year: int = 2024, shift: float = SHIFT) -> tuple[list[str], list[list]]:
    """Header and rows of a valid ``year`` edition: every 2024 dimension + 0.1 (sub-dimensions, where the data
    has a province's whole set, + 0.1/k each), the total the sum; ranks and groups copied from 2024."""
    df = baseline_frame(ds, source_year)
    table = ds.table(source_year)
    inds = structure_for(ds, year)
    dims = [i.code for i in inds if i.level == "dimension"]
    sets = {d: [i.code for i in inds if i.level == "subdimension" and i.parent == d] for d in dims}
    with_subs = [d for d in dims if sets[d] and any(all(c in s for c in sets[d]) for s in table.subs.values())]
    header = ["province", "total", "rank", "group", *(f"d{d}" for d in dims),
              *(f"s{c}" for d in with_subs for c in sets[d]), "year"]
    rows = []
    for _, r in df.iterrows():
        values = [round(float(r[f"d{d}"]) + shift, 4) for d in dims]
        subs = table.subs.get(r["province"], {})
        cells = []
        for d in with_subs:
            k = len(sets[d])
            cells += ([round(subs[c] + shift / k, 4) for c in sets[d]] if all(c in subs for c in sets[d])
                      else [""] * k)
        rows.append([r["province"], round(sum(values), 4), int(r["rank"]), int(r["group"]), *values, *cells, year])
    return header, rows


def to_csv(header: list[str], rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def shifted_csv(ds, year: int = 2025, shift: float = SHIFT) -> bytes:
    return to_csv(*shifted_rows(ds, year, shift=shift)).encode("utf-8")


def dims_only_csv(ds, year: int = 2025, shift: float = SHIFT) -> bytes:
    """The shifted edition with its dimension scores and totals only, as ``template --year`` is filled in by
    hand (no sub-dimension columns)."""
    header, rows = shifted_rows(ds, year, shift=shift)
    keep = [i for i, h in enumerate(header) if not h.startswith("s")]
    return to_csv([header[i] for i in keep], [[r[i] for i in keep] for r in rows]).encode("utf-8")
