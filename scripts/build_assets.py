"""Copy GOV.UK Frontend's compiled CSS, JS and assets from node_modules into static/vendor.

The precompiled CSS refers to ``/assets/...``; those URLs are rewritten to be relative so
the files work under ``/static/`` (SETUP.md §GOV.UK Frontend).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
TARGET = ROOT / "static" / "vendor" / "govuk"


def main() -> int:
    if not DIST.exists():
        sys.stderr.write("node_modules/govuk-frontend is missing: run 'npm ci' first\n")
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "assets").mkdir(parents=True)
    shutil.copytree(DIST / "assets", TARGET / "assets", dirs_exist_ok=True)
    css = (DIST / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = css.replace("url(/assets/", "url(assets/")
    (TARGET / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    # The source maps are referenced from the files; collectstatic's manifest needs them.
    for name in (
        "govuk-frontend.min.js",
        "govuk-frontend.min.css.map",
        "govuk-frontend.min.js.map",
    ):
        shutil.copy2(DIST / name, TARGET / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
