"""``python -m workshop backup FILE`` / ``restore FILE``: the store's backup for operators (see cli)."""
from .cli import main

main()
