"""The desktop GUI (PySide6): the only package that imports Qt.

Widgets here present data and ask questions; every action calls a service in ``app.audit``/``app.reports``/
``app.sync``. Slow work runs on :class:`app.ui.tasks.TaskRunner` so the window never freezes during a visit.
"""
