"""The Qt-free service layer between the front ends (CLI, GUI) and the domain.

One function per user action opens the unit of work, calls the domain and returns what changed, so the command
line and the window cannot diverge. :mod:`app.services.workspace` opens a data directory (key, database, blobs).
"""
