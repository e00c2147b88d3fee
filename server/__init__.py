"""The district office's central server (its own package: it shares only ``app.sync.protocol`` with the app)."""
