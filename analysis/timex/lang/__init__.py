"""One grammar module per language: ``zh`` and ``en``."""

from __future__ import annotations
