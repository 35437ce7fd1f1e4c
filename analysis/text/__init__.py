"""Shared text jobs, one implementation each: script and language detection, Chinese folding.

Every stage that needs to know whether a text is Chinese, or to match simplified words in a
traditional text, calls these; none keeps its own copy (see ``ARCHITECTURE.md``).
"""

from __future__ import annotations

__all__ = ["fold", "invisible", "script"]
