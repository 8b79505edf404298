// The presenter view's keys: PageDown / → next step, PageUp / ← back (a clicker sends PageDown/PageUp).
// Typing in a field is left alone. Nothing is fetched and nothing is written into the page.
// Each press sends the step it leads to (from Python's step plus the presses not yet answered), with a
// running number, so two quick presses that Streamlit folds into one run still move two steps.
// Streamlit calls this function again on every run and runs the returned cleanup only when the element goes,
// so the listener is added once per element and each run only hands it Python's new step.
const states = new WeakMap();  // element -> {step: Python's step when drawn, target: where the presses lead, ...}
let sent = 0;
export default function(component) {
    const { data, parentElement, setStateValue } = component;
    let s = states.get(parentElement);
    if (!s) {
        s = { step: null, target: null, last: data.last, send: setStateValue };
        const moves = {PageDown: 1, ArrowRight: 1, PageUp: -1, ArrowLeft: -1};
        s.onKey = (e) => {
            const t = e.target;
            if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
            const by = moves[e.key];
            if (!by || e.altKey || e.ctrlKey || e.metaKey) return;
            e.preventDefault();
            s.target = Math.min(Math.max(s.target + by, 0), s.last);
            sent += 1;
            s.send("goto", { step: s.target, n: sent });
        };
        states.set(parentElement, s);
        document.addEventListener("keydown", s.onKey);
    }
    s.send = setStateValue;
    s.last = data.last;
    if (s.step !== data.step) {  // Python has moved (or first draw): start from its step
        s.step = data.step;
        s.target = data.step;
    }
    return () => { document.removeEventListener("keydown", s.onKey); states.delete(parentElement); };
}
