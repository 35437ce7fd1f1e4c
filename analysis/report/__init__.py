"""The offline HTML report (``render_report``)."""

from __future__ import annotations
