"""Places: the gazetteer index (``build`` → ``index``) and the geoparser (``geoparse``)."""

from __future__ import annotations

from analysis.places.geoparse import find_places
from analysis.places.index import Gazetteer, gazetteer

__all__ = ["Gazetteer", "find_places", "gazetteer"]
