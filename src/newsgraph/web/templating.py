"""Pages rendered from the Jinja templates, the error page among them; shared by the app and its
routes, so neither imports the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from newsgraph import __version__

HERE = Path(__file__).resolve().parent


def templates() -> Environment:
    # autoescape everywhere: article text and extracted strings are user data
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals["version"] = __version__
    return env


def render(request: Request, template_name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(template_name)
    html = template.render(request=request, writable=request.app.state.token is not None, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)
