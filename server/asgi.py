"""The ASGI entry point for uvicorn workers (``server.asgi:app``), configured from the environment."""

from __future__ import annotations

from core.initials import load_dictionaries
from server.app import create_app
from server.config import ServerSettings

load_dictionaries()  # before the worker accepts a request (see load_dictionaries)
app = create_app(ServerSettings.from_env())
