// The lever panel (ui/lever_panel.py): draws the headline and the levers, and follows a key press at once.
// It decides no number on its own: it adds whole units of 0.0001 and looks them up in the tables Python hands
// over (sim/headline_lookup.py), writes text only from Python's strings and templates, and sends the scenario
// back (debounced), after which Python's own figures replace its own. Data reaches the DOM only through
// textContent and attributes.

const GRID = 100; // 0,01 in units: an arrow key's step
const SEND_MS = 150; // after the last key press, the scenario goes back to Python
const HOLD_MS = 3000; // the longest a click elsewhere waits for Python to take in a move before it goes through
const panels = new WeakMap(); // one state per mounted panel, kept across reruns

function fmt(units, decimal, dp, sign) {
  // sim.headline_lookup.fmt_units, step by step: half away from zero, in integers
  const step = 10 ** (4 - dp);
  const abs = Math.abs(units);
  let whole = Math.floor(abs / step);
  if ((abs % step) * 2 >= step) whole += 1;
  const scale = 10 ** dp;
  let body = String(Math.floor(whole / scale));
  if (dp) body += decimal + String(whole % scale).padStart(dp, "0");
  const neg = units < 0 && whole !== 0;
  return (neg ? "-" : sign ? "+" : "") + body;
}

function fill(template, parts) {
  let out = template;
  for (const [name, value] of Object.entries(parts)) out = out.split("{" + name + "}").join(value);
  return out;
}

function decimalText(units) {
  // aria-valuenow wants a number: units as a decimal with a point
  const sign = units < 0 ? "-" : "";
  const abs = Math.abs(units);
  return sign + Math.floor(abs / 10000) + "." + String(abs % 10000).padStart(4, "0");
}

function compute(d, values) {
  // sim.headline_lookup.headline on the lookup's integers
  const dims = {};
  for (const lv of d.levers) {
    if (lv.parent === lv.code) dims[lv.code] = d.opened.includes(lv.code) ? lv.base : values[lv.code];
  }
  for (const lv of d.levers) {
    if (lv.parent !== lv.code && d.opened.includes(lv.parent)) dims[lv.parent] += values[lv.code] - lv.base;
  }
  let total = d.base_total;
  for (const lv of d.levers) if (lv.parent === lv.code) total += dims[lv.code] - lv.base;
  let above = 0;
  while (above < d.others.length && d.others[above] > total) above += 1;
  const nextUp = above ? d.others.indexOf(d.others[above - 1]) : null;
  let group = 4;
  for (let g = 1; g <= 3; g += 1) if (total >= d.enter[g - 1]) { group = g; break; }
  return {
    total, rank: 1 + above, group, next_up: nextUp,
    to_next_rank: nextUp === null ? null : d.others[nextUp] - total + 1,
    to_next_group: group > 1 ? Math.max(d.enter[group - 2] - total, 1) : null, dims,
  };
}

function moved(d, values) {
  return d.levers.some((lv) => (lv.parent === lv.code) !== d.opened.includes(lv.parent) && values[lv.code] !== lv.base);
}

function texts(d, h, isMoved) {
  // sim.headline_lookup.headline_text
  const t = d.texts;
  const num = (u, dp, sign) => fmt(u, t.decimal, dp, sign);
  let yoy = t.yoy;
  if (d.previous) {
    const gained = d.previous[2] - h.rank;
    const places = gained > 0 ? t.places_up[gained] : gained < 0 ? t.places_down[-gained] : t.places_same;
    yoy = fill(t.yoy, { change: num(h.total - d.previous[1], 2, true), places });
  }
  const climb = [];
  if (h.next_up !== null) climb.push(fill(t.to_next_rank, { points: num(h.to_next_rank, 4, false), province: t.names[h.next_up] }));
  if (h.to_next_group !== null) climb.push(fill(t.to_next_group, { points: num(h.to_next_group, 4, false), group: t.groups_lower[h.group - 1] }));
  return {
    total: num(h.total, 2, false), rank: t.rank_of[h.rank], group: t.groups[h.group],
    change: isMoved ? fill(t.change, { change: num(h.total - d.base_total, 2, true) }) : "",
    yoy, climb: climb.join(" · ") || t.top,
  };
}

function el(tag, cls, attrs) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function build(p) {
  // the levers of this place: one per dimension, or the sub-dimensions of an opened one
  const d = p.data;
  const box = p.root.querySelector(".levers");
  const focused = p.root.getRootNode().activeElement;
  const focusCode = focused && focused.dataset ? focused.dataset.code : null;
  const focusExact = focused && focused.classList && focused.classList.contains("exact");
  box.replaceChildren();
  p.nodes = {};
  const half = Math.ceil(d.levers.filter((lv) => lv.parent === lv.code).length / 2);
  let column = null;
  let count = 0;
  for (const lv of d.levers) {
    const isDim = lv.parent === lv.code;
    if (isDim) {
      if (count % half === 0) { column = el("div", "lever-group"); box.appendChild(column); }
      count += 1;
    }
    const opened = d.opened.includes(lv.parent);
    if (isDim && opened) {
      const line = el("div", "dim-line");
      const name = el("span"); name.textContent = lv.label;
      const sum = el("span", "sum");
      line.append(name, document.createTextNode(" "), sum);
      column.appendChild(line);
      p.nodes[lv.code] = { sum };
      continue;
    }
    if (isDim === opened) continue; // a sub-dimension of a closed dimension has no lever
    const row = el("div", "lever" + (isDim ? "" : " sub"));
    const head = el("div", "lever-head");
    const label = el("span", "name"); label.textContent = lv.label;
    const value = el("span", "value");
    head.append(label, value);
    const line = el("div", "lever-row");
    const track = el("div", "track", {
      role: "slider", tabindex: "0", "aria-label": lv.label, "data-code": lv.code, "data-testid": "lever-" + lv.code,
      "aria-valuemin": decimalText(lv.low), "aria-valuemax": decimalText(lv.high), "aria-orientation": "horizontal",
      "data-base": String(lv.base),
    });
    const fillBar = el("div", "fill");
    const base = el("div", "base-mark");
    const thumb = el("div", "thumb");
    track.append(fillBar, base, thumb);
    const exact = el("input", "exact", {
      type: "text", inputmode: "decimal", "aria-label": fill(d.field_label, { name: lv.label }), "data-code": lv.code,
      "data-testid": "exact-" + lv.code, title: lv.field_help, autocomplete: "off",
    });
    line.append(track, exact);
    const note = el("div", "note");
    const error = el("div", "error", { role: "alert", "data-testid": "error-" + lv.code });
    row.append(head, line, note, error);
    column.appendChild(row);
    base.style.left = (100 * (lv.base - lv.low) / Math.max(lv.high - lv.low, 1)) + "%";
    p.nodes[lv.code] = { value, track, fillBar, thumb, exact, note, error };
    wire(p, lv, track, exact);
  }
  if (focusCode && p.nodes[focusCode]) {
    const again = focusExact ? p.nodes[focusCode].exact : p.nodes[focusCode].track;
    if (again) again.focus({ preventScroll: true });
  }
}

function release(p) {
  // the click that waited for the move, now that Python has it (after this render, in a task of its own)
  const target = p.held;
  p.waitFor = null;
  p.held = null;
  if (target && target.isConnected) setTimeout(() => target.click(), 0);
}

function send(p, typed) {
  clearTimeout(p.timer);
  p.timer = null;
  p.seq += 1;
  p.root.setAttribute("data-sent", String(performance.now())); // when the sync began (bench/run.py browser)
  const values = {};
  for (const lv of p.data.levers) values[lv.code] = p.values[lv.code];
  p.api.setStateValue("scenario", { seq: p.seq, rev: p.data.rev, place: p.data.place, values, typed: typed || null });
}

function move(p, lv, to, later) {
  const v = Math.min(Math.max(to, lv.low), lv.high);
  if (v === p.values[lv.code]) return;
  p.values[lv.code] = v;
  p.shownByPython = false;
  draw(p);
  clearTimeout(p.timer);
  if (later) p.timer = setTimeout(() => send(p), SEND_MS);
  else send(p);
}

function wire(p, lv, track, exact) {
  track.addEventListener("keydown", (e) => {
    const v = p.values[lv.code];
    const steps = {
      ArrowRight: (Math.floor(v / GRID) + 1) * GRID, ArrowUp: (Math.floor(v / GRID) + 1) * GRID,
      ArrowLeft: (Math.ceil(v / GRID) - 1) * GRID, ArrowDown: (Math.ceil(v / GRID) - 1) * GRID,
      PageUp: v + lv.page, PageDown: v - lv.page, Home: lv.low, End: lv.high,
    };
    if (!(e.key in steps)) return;
    e.preventDefault();
    p.lastKey = performance.now();
    move(p, lv, steps[e.key], true);
  });
  const at = (e) => {
    const box = track.getBoundingClientRect();
    const share = Math.min(Math.max((e.clientX - box.left) / Math.max(box.width, 1), 0), 1);
    const raw = lv.low + share * (lv.high - lv.low);
    return Math.round(raw / GRID) * GRID;
  };
  track.addEventListener("pointerdown", (e) => {
    track.setPointerCapture(e.pointerId);
    track.focus({ preventScroll: true });
    p.dragging = lv.code;
    move(p, lv, at(e), true);
    e.preventDefault();
  });
  track.addEventListener("pointermove", (e) => { if (p.dragging === lv.code) move(p, lv, at(e), true); });
  const release = () => { if (p.dragging === lv.code) { p.dragging = null; if (p.timer) send(p); } };
  track.addEventListener("pointerup", release);
  // leaving the lever (a click on the language, a preset, another page) sends a pending move at once
  track.addEventListener("blur", () => { if (p.timer) send(p); });
  track.addEventListener("pointercancel", release);
  const submit = () => {
    const text = exact.value;
    if (text.trim() === "") return;
    exact.dataset.sent = text;
    send(p, { code: lv.code, text });
  };
  exact.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); submit(); } });
  exact.addEventListener("change", () => { if (exact.dataset.sent !== exact.value) submit(); });
}

function draw(p) {
  // the headline and every lever from the panel's own values (or, once in sync, Python's strings)
  const d = p.data;
  const h = compute(d, p.values);
  const own = texts(d, h, moved(d, p.values));
  const shown = p.shownByPython ? d.shown : own;
  if (p.shownByPython && JSON.stringify(own) !== JSON.stringify(d.shown)) {
    p.root.setAttribute("data-mismatch", JSON.stringify({ panel: own, python: d.shown }));
  }
  const q = (id) => p.root.querySelector('[data-testid="' + id + '"]');
  q("headline-total").textContent = shown.total;
  q("headline-rank").textContent = shown.rank;
  q("headline-group").textContent = shown.group;
  q("headline-change").textContent = shown.change;
  q("headline-yoy").textContent = shown.yoy;
  q("headline-climb").textContent = shown.climb;
  p.root.setAttribute("data-source", p.shownByPython ? "python" : "panel");
  p.root.setAttribute("data-seq", String(p.seq));
  for (const lv of d.levers) {
    const n = p.nodes[lv.code];
    if (!n) continue;
    if (n.sum) { n.sum.textContent = fill(d.texts.dim_sum, { value: fmt(h.dims[lv.code], d.texts.decimal, 2, false) }); continue; }
    const v = p.values[lv.code];
    const text = fmt(v, d.texts.decimal, 2, false);
    n.value.textContent = text;
    const share = 100 * (v - lv.low) / Math.max(lv.high - lv.low, 1);
    n.thumb.style.left = share + "%";
    n.fillBar.style.width = share + "%";
    n.track.setAttribute("aria-valuenow", decimalText(v));
    n.track.setAttribute("data-value", String(v));
    n.track.setAttribute("aria-valuetext", fill(d.texts.valuetext, { name: lv.label, value: text, base: fmt(lv.base, d.texts.decimal, 2, false) }));
    n.exact.setAttribute("placeholder", text);
    n.note.textContent = d.notes[lv.code] || "";
    n.error.textContent = d.error && d.error[0] === lv.code ? d.error[1] : "";
  }
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".papi-panel");
  let p = panels.get(root);
  if (!p) {
    p = { root, seq: 0, rev: null, place: null, values: {}, timer: null, nodes: {}, shape: null, waitFor: null, held: null };
    panels.set(root, p);
    // A press anywhere else (a page in the sidebar, a preset, the language) sends a pending move at once, and the
    // click it leads to waits until Python has taken the move in: sent with the old page and coalesced with the
    // click's own rerun, the move would either pull the presenter back to this page or be lost on the new one.
    const detach = () => { window.removeEventListener("pointerdown", early, true); window.removeEventListener("click", hold, true); };
    const early = (e) => {
      if (!root.isConnected) { detach(); return; }
      if (!p.timer || e.composedPath().includes(root)) return;
      send(p);
      const seq = p.seq;
      p.waitFor = seq;
      setTimeout(() => { if (p.waitFor === seq) release(p); }, HOLD_MS); // no answer: the click goes through
    };
    const hold = (e) => {
      if (!root.isConnected) { detach(); p.waitFor = null; p.held = null; return; } // the panel has left: nothing to wait for
      if (p.waitFor === null || e.composedPath().includes(root)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      p.held = e.target;
    };
    window.addEventListener("pointerdown", early, true);
    window.addEventListener("click", hold, true);
  }
  p.api = component;
  p.data = data;
  const python = data.place !== p.place || data.rev !== p.rev || (data.ack >= p.seq && !p.timer && !p.dragging);
  if (python) {
    // Python's values: a new place, a preset / reset / link / typed value, or the sync of our own last move
    p.place = data.place;
    p.rev = data.rev;
    p.seq = Math.max(p.seq, data.ack);
    p.values = { ...data.values };
    p.shownByPython = true;
  }
  const shape = JSON.stringify([data.place, data.opened, data.levers.map((lv) => lv.label)]);
  if (shape !== p.shape) { p.shape = shape; build(p); }
  for (const id of ["total", "rank", "group"]) {
    root.querySelector('[data-part="' + id + '-label"]').textContent = data.texts[id];
  }
  root.querySelector('[data-part="total-label"]').setAttribute("title", data.texts.total_help);
  for (const lv of data.levers) {
    const n = p.nodes[lv.code];
    if (n && n.exact && data.clear_typed && n.exact.dataset.sent === n.exact.value) { n.exact.value = ""; delete n.exact.dataset.sent; }
  }
  draw(p);
  if (p.waitFor !== null && data.ack >= p.waitFor) release(p);
}
