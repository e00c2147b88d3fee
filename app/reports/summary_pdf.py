"""The campaign summary PDF: defined in :mod:`core.summary_report`, shared with the district office's console
(its district report is the same document over the district's rows)."""

from core.summary_report import ITEM_STATE_ROWS, opening_text, render_summary

__all__ = ["ITEM_STATE_ROWS", "opening_text", "render_summary"]
