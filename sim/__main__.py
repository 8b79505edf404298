"""``python -m sim``: the command line lives above the engine (it may use the file formats); this only
dispatches to it."""
from commands.main import main

main()
