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
    return int(cli.main(["run", str(APP), *argv], prog_name="streamlit") or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
