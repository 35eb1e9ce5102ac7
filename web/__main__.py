"""``python -m web``: serve the app on this machine (the demo: `make demo` runs it after building the demo day).

Production runs gunicorn from the Procfile instead. On 127.0.0.1 the session cookie is allowed
over plain HTTP, so the pages work in a local browser without TLS.
"""

from __future__ import annotations

import argparse

from werkzeug.serving import run_simple

from web import create_app
from web.i18n import CataloguesNotCompiled


def main() -> None:
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    try:
        app = create_app()
    except CataloguesNotCompiled as e:
        raise SystemExit(str(e)) from e
    if args.host in ("127.0.0.1", "localhost"):
        app.config["SESSION_COOKIE_SECURE"] = False
    print(f"The app is at http://{args.host}:{args.port}/ (staff: /staff/sign-in; Ctrl-C stops it)")
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
