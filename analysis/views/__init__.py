"""Views: static maps and timelines, animation, the basemap and the ipywidgets explorer."""

from __future__ import annotations
