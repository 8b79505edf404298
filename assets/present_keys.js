// The presenter view's keys: PageDown / → next step, PageUp / ← back (a clicker sends PageDown/PageUp).
// Typing in a field is left alone. Nothing is fetched and nothing is written into the page.
// Each press sends the step it leads to (from Python's step plus the presses not yet answered), with a
// running number, so two quick presses that Streamlit folds into one run still move two steps.
const pending = new WeakMap();  // element -> {step: Python's step when drawn, target: where the presses lead}
let sent = 0;
export default function(component) {
    const { data, parentElement, setStateValue } = component;
    const step = data.step, last = data.last;
    let s = pending.get(parentElement);
    if (!s || s.step !== step) {  // Python has moved (or first draw): start from its step
        s = { step, target: step };
        pending.set(parentElement, s);
    }
    const moves = {PageDown: 1, ArrowRight: 1, PageUp: -1, ArrowLeft: -1};
    const onKey = (e) => {
        const t = e.target;
        if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
        const by = moves[e.key];
        if (!by || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        s.target = Math.min(Math.max(s.target + by, 0), last);
        sent += 1;
        setStateValue("goto", { step: s.target, n: sent });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
}
