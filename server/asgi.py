"""The ASGI entry point for uvicorn workers (``server.asgi:app``), configured from the environment."""

from __future__ import annotations

from server.app import create_app
from server.config import ServerSettings

app = create_app(ServerSettings.from_env())
