// The presenter view's keys: PageDown / → next step, PageUp / ← back (a clicker sends PageDown/PageUp).
// Typing in a field is left alone. Nothing is fetched and nothing is written into the page.
export default function(component) {
    const { setTriggerValue } = component;
    const moves = {PageDown: "next", ArrowRight: "next", PageUp: "prev", ArrowLeft: "prev"};
    const onKey = (e) => {
        const t = e.target;
        if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
        const move = moves[e.key];
        if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        setTriggerValue("move", move);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
}
