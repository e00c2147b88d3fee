"""The pure rules the laptop and the district server must compute identically.

Nothing here imports Qt, SQLAlchemy, :mod:`app` or :mod:`server`: both sides import this package, so a figure,
a deadline, a legal threshold or the layout of an official page is defined once and cannot drift between the
coordinator's notice and the office's report. Errors a coordinator can cause derive from
:class:`core.errors.LaborCheckError`.
"""
