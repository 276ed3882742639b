"""The web app and JSON API over the knowledge base (`newsgraph serve`)."""

from newsgraph.web.app import create_app

__all__ = ["create_app"]
