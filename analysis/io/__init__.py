"""Input/output: atomic writes, ``export`` and the Dask corpus runner."""

from __future__ import annotations
