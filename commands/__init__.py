"""The command-line front end (``python -m sim``). It sits above the engine and the file formats, so
a command may use both; ``sim/__main__.py`` only dispatches here."""
