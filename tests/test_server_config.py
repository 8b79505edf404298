"""The settings every server of the app starts with (``streamlit run app.py`` from the repo: the README's command,
the replicas of deploy/launch.py), read the way Streamlit reads them, in a process of their own."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = ("from streamlit import config; config.get_config_options(force_reparse=True); "
        "print(config.get_option('runner.postScriptGC'), config.get_option('runner.magicEnabled'))")


def test_no_forced_collection_after_a_run():
    # A full collection after every run took 90-110 ms on this app's heap with the GIL held, so each run's
    # messages reached the browser that much later (a lever's sync: 226 -> 145 ms, bench/run.py browser).
    out = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
