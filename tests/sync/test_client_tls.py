"""Every sync client shares one certificate store, loaded once per process, and still verifies servers."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from app.sync import client as client_module
from app.sync.client import SyncClient, tls_context


def test_the_certificate_store_is_loaded_once_for_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    tls_context.cache_clear()
    loads: list[ssl.SSLContext] = []
    create = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        loads.append(create(*args, **kwargs))
        return loads[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    clients = [SyncClient(f"http://127.0.0.1:{port}") for port in (1, 2, 3)]
    for client in clients:
        client.close()
    assert len(loads) == 1  # httpx alone loads the bundle once per client: three here


def test_the_shared_context_verifies_certificates_and_host_names() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs()  # the bundle is loaded: a TLS server is checked against it
    assert client_module.tls_context() is context
