"""The web dashboard on the same FastAPI app: signed in by a one-time link from Slack, pages rendered on the
server with Jinja2, every asset served by the app itself (no CDN: it works on a closed network)."""

from handlers.web.api import add_api_routes
from handlers.web.command import register
from handlers.web.routes import SIGN_IN_PATH, add_web_routes

__all__ = ["SIGN_IN_PATH", "add_api_routes", "add_web_routes", "register"]
