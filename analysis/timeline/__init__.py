"""Timeline: movement cues (``cues``), events (``events``) and the route (``routes``)."""

from __future__ import annotations

from analysis.timeline.events import build_timeline
from analysis.timeline.routes import Route, route

__all__ = ["Route", "build_timeline", "route"]
