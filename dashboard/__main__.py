"""Start the dashboard: ``python -m dashboard [Streamlit's options] [-- the page's options]``.

The same as ``streamlit run dashboard/app.py ...``, with the map page's libraries imported while
the browser loads Streamlit's page (``dashboard.warm``): the first map comes about a second sooner.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    from dashboard import warm

    warm.start()
    # No full garbage collection after every run: at ten million events it holds up the next
    # click by a quarter of a second, and the page's large arrays are freed as they go anyway.
    options = ["--runner.postScriptGC", "false"]
    return int(cli.main(["run", str(APP), *options, *argv], prog_name="streamlit") or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
