"""The multilingual gazetteer: GeoNames, CLDR/ISO country names and the curated supplement.

The index is built once from offline sources (see ``analysis.places.build``) into a versioned pickle in
the user's cache directory (``platformdirs.user_cache_dir("news-geotimeline")``, or the folder named by
the ``NEWS_GEOTIMELINE_CACHE`` environment variable). It is rebuilt when a source file or the build code
changes; :meth:`Gazetteer.build` forces it.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import schema
from analysis.io.atomic import atomic_write, pickle_to

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

logger = logging.getLogger(__name__)

__all__ = ["Gazetteer", "gazetteer"]

_CACHE: dict[str, Gazetteer] = {}
OVERRIDE_COLUMNS = ("name", "latitude", "longitude")
_MEMO_MAX = 200_000


def cache_dir() -> Path:
    """Return the folder holding the built index."""
    env = os.environ.get("NEWS_GEOTIMELINE_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("news-geotimeline"))


def _source_key() -> str:
    from analysis.places import build as _geo_build

    h = hashlib.sha1(f"v{_geo_build.INDEX_VERSION}".encode())
    code = Path(_geo_build.__file__)
    for p in [code, *_geo_build.source_files()]:
        try:
            st = p.stat()
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"{p.name}:missing".encode())
    return h.hexdigest()[:16]


class Gazetteer:
    """Places and their names in Chinese (simplified and traditional, folded) and English.

    Use :func:`gazetteer` to get the cached instance; construct one directly only to add overrides.

    Parameters
    ----------
    index : dict
        The built index (columns of places plus ``zh_names`` and ``en_names`` maps).
    source : str
        Where the index came from, shown in the HTML summary.

    Examples
    --------
    >>> import analysis as an
    >>> gaz = an.gazetteer()
    >>> gaz.candidates("平壤").iloc[0]["name"]
    'Pyongyang'
    """

    def __init__(self, index: dict, source: str = "") -> None:
        import numpy as np

        from analysis.places.build import NameMap, pack

        index = pack(index)
        self._index = index
        self.source = source
        self.place_id = _PlaceIds(index["place_id"])
        self.name: list[str] = index["name"]
        self.name_zh: list[str] = index["name_zh"]
        cats, codes = index["feature"]
        self.feature: list[str] = [cats[c] for c in codes.tolist()]
        self._prior = self._priors(cats, codes, index)
        cats, codes = index["country_code"]
        self.country_code: list[str] = [cats[c] for c in codes.tolist()]
        cats, codes = index["admin1"]
        self.admin1: list[str] = [cats[c] for c in codes.tolist()]
        self.lat = np.asarray(index["latitude"], dtype="float64")
        self.lon = np.asarray(index["longitude"], dtype="float64")
        self.population = np.asarray(index["population"], dtype="int64")
        self.metonym = np.asarray(index["metonym"], dtype=bool)
        # name -> row numbers (see zh_senses / en_senses)
        self.zh_names = NameMap.from_dict(index["zh_names"])
        self.en_names = NameMap.from_dict(index["en_names"])
        self.zh_common: set[str] = set(index.get("zh_common", ()))
        self.zh_ns: set[str] = set(index.get("zh_ns", ()))
        self.en_demonyms: dict[str, int] = index.get("en_demonyms", {})
        if "en_first" not in index:
            from analysis.places.build import first_words

            index["en_first"] = first_words(list(self.en_names) + list(self.en_demonyms))
        self.en_first: frozenset[str] = index["en_first"]
        self.en_stop: frozenset[str] = index.get("en_stop", frozenset())
        self._automaton = None
        self._derived: dict[str, Any] = {}  # tables derived from the index on first use
        self._zh_memo: dict[str, tuple[int, ...]] = {}
        self._en_memo: dict[str, tuple[int, ...]] = {}
        self._zh_keys: list[str] | None = None
        self._t2s: dict[int, str] | None = index.get("t2s")
        self._pid_index: dict[str, int] | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(cls, *, rebuild: bool = False) -> Gazetteer:
        """Load the index from the cache directory, building it first if missing or stale."""
        folder = cache_dir()
        key = _source_key()
        path = folder / f"gazetteer-{key}.pkl"
        if not rebuild and path.exists():
            t0 = time.perf_counter()
            with open(path, "rb") as fh:
                index = pickle.load(fh)
            logger.debug("gazetteer loaded from %s in %.2fs", path, time.perf_counter() - t0)
            return cls(index, source=str(path))
        return cls.build(_path=path)

    @classmethod
    def build(cls, *, _path: Path | None = None) -> Gazetteer:
        """Rebuild the index from its sources now and store it in the cache directory.

        Returns
        -------
        Gazetteer
            The freshly built gazetteer (also becomes the one :func:`gazetteer` returns).

        Examples
        --------
        >>> import analysis as an
        >>> gaz = an.Gazetteer.build()  # doctest: +SKIP
        """
        from analysis.places import build as _geo_build

        t0 = time.perf_counter()
        index = _geo_build.build()
        index["t2s"] = _geo_build.t2s_table()
        path = _path or cache_dir() / f"gazetteer-{_source_key()}.pkl"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: pickle_to(tmp, index))
        _geo_build.write_jieba_dict(path.parent / f"jieba-words-{path.stem[10:]}.txt",
                                    list(_geo_build.NameMap.from_dict(index["zh_names"])))
        for old in [*path.parent.glob("gazetteer-*.pkl"), *path.parent.glob("jieba-words-*")]:
            if path.stem[-16:] not in old.name:  # also the segmenter's table (places._Segmenter)
                try:
                    old.unlink()
                except OSError:
                    pass
        logger.info("gazetteer index built in %.1fs -> %s", time.perf_counter() - t0, path)
        gaz = cls(index, source=str(path))
        _CACHE["default"] = gaz
        return gaz

    def with_overrides(self, places: pd.DataFrame | str | os.PathLike) -> Gazetteer:
        """Return a new gazetteer with an analyst's places added or corrected.

        Parameters
        ----------
        places : DataFrame or path to a CSV
            Rows in the layout of ``analysis/places/data/places_curated.csv``: at least ``name``,
            ``latitude`` and ``longitude``; optionally ``id``, ``name_zh``, ``name_zh_hant``,
            ``aliases_en``, ``aliases_zh`` (``|``-separated), ``feature``, ``country_code``,
            ``admin1``, ``population``, ``geonames_id`` (to correct that GeoNames entry) and
            ``metonym``. Override places get ids ``user:<id>``.

        Examples
        --------
        >>> import pandas as pd, analysis as an
        >>> mine = pd.DataFrame({"name": ["Camp Nowhere"], "name_zh": ["无名营地"],
        ...                      "latitude": [10.0], "longitude": [20.0]})
        >>> an.gazetteer().with_overrides(mine).candidates("无名营地").iloc[0]["place_id"]
        'user:camp-nowhere'
        """
        import pandas as pd

        from analysis.places import build as _geo_build

        if isinstance(places, (str, os.PathLike)):
            p = Path(places)
            if not p.exists():
                raise FileNotFoundError(f"overrides file {p} not found; pass a CSV path or a DataFrame")
            frame = pd.read_csv(p, dtype=str, keep_default_na=False)
        elif isinstance(places, pd.DataFrame):
            frame = places
        else:
            raise TypeError("overrides must be a DataFrame or a CSV path, "
                            f"not {type(places).__name__}")
        missing = [c for c in OVERRIDE_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"overrides lack column(s) {missing}; each row needs name, latitude, "
                             "longitude (see Gazetteer.with_overrides)")
        rows = [{k: ("" if pd.isna(v) else str(v)) for k, v in r.items()}
                for r in frame.to_dict("records")]
        b = _geo_build.Builder(self.fold)
        b.cols = {"place_id": list(self.place_id), "name": list(self.name),
                  "name_zh": list(self.name_zh), "feature": list(self.feature),
                  "country_code": list(self.country_code), "admin1": list(self.admin1),
                  "latitude": self.lat.tolist(), "longitude": self.lon.tolist(),
                  "population": self.population.tolist(), "metonym": self.metonym.tolist()}
        b.by_pid = dict(self._pid_map())
        b.zh, b.en = self.zh_names.to_dict(), self.en_names.to_dict()
        _geo_build.apply_curated(b, rows, origin="user")
        index = dict(b.cols)
        index["zh_names"], index["en_names"] = b.zh, b.en
        index["t2s"] = self._t2s
        index["zh_common"], index["zh_ns"] = self.zh_common, self.zh_ns
        index["en_demonyms"] = self.en_demonyms
        index["en_stop"] = self.en_stop
        index["version"] = self._index.get("version")
        return Gazetteer(index, source=f"{self.source} + {len(rows)} overrides")

    # ------------------------------------------------------------------ lookups
    def _pid_map(self) -> dict[str, int]:
        if self._pid_index is None:
            self._pid_index = {p: i for i, p in enumerate(self.place_id)}
        return self._pid_index

    def derived(self, key: str, make: Callable[[], Any]) -> Any:
        """A table derived from this gazetteer, made by ``make()`` on first use and kept.

        The recogniser keeps its segmenter and the capitals' rows here, so they live and die
        with the gazetteer they were made from (an override gazetteer gets its own).
        """
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def fold(self, text: str) -> str:
        """Return ``text`` with traditional Chinese characters folded to simplified (same length)."""
        if self._t2s is None:
            from analysis.places import build as _geo_build

            self._t2s = _geo_build.t2s_table()
        return text.translate(self._t2s)

    def zh_senses(self, key: str) -> list[int]:
        """Return the row numbers of the places whose folded Chinese name is ``key``."""
        return self._memo_get(self._zh_memo, self.zh_names, key)

    def en_senses(self, key: str) -> list[int]:
        """Return the row numbers of the places whose English (Latin) name is exactly ``key``."""
        return self._memo_get(self._en_memo, self.en_names, key)

    @staticmethod
    def _memo_get(memo: dict, names, key: str) -> list[int]:
        # names recur across articles; the packed map's binary search and slice cost more than a
        # dict hit (the memo is bounded: emptied when it grows past _MEMO_MAX names)
        hit = memo.get(key)
        if hit is None:
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            hit = memo[key] = tuple(names.get(key))
        return list(hit)

    def senses(self, name: str) -> list[int]:
        """Return the row numbers of every place called ``name`` (Chinese or English)."""
        if not name:
            return []
        return self.zh_senses(self.fold(name.strip())) or self.en_senses(name.strip())

    @staticmethod
    def _priors(cats, codes, index):
        """Context-free importance of every place: feature class, population, fame as a seat."""
        import numpy as np

        from analysis.places.build import FEATURE_PRIOR, IMPLIED_POPULATION

        fp = np.array([FEATURE_PRIOR.get(c, 0.3) for c in cats])[codes]
        implied = np.array([IMPLIED_POPULATION.get(c, 0) for c in cats])[codes]
        pop = np.maximum(np.asarray(index["population"], dtype="float64"), implied)
        # seats of government used as metonyms (White House, Kremlin) are known worldwide
        fame = 0.8 * np.asarray(index["metonym"], dtype="float64")
        return fp + 0.25 * np.log10(pop + 10) + fame

    def prior(self, i: int) -> float:
        """Return the context-free importance of place row ``i`` (about 0.3..3)."""
        return float(self._prior[i])

    def record(self, i: int) -> dict[str, Any]:
        """Return place row ``i`` as a dict with the schema's column names."""
        return {
            schema.PLACE_ID: self.place_id[i], schema.NAME: self.name[i],
            schema.NAME_ZH: self.name_zh[i] or None, schema.FEATURE: self.feature[i],
            schema.COUNTRY_CODE: self.country_code[i] or None, "admin1": self.admin1[i] or None,
            schema.LATITUDE: float(self.lat[i]), schema.LONGITUDE: float(self.lon[i]),
            "population": int(self.population[i]),
        }

    def candidates(self, name: str) -> pd.DataFrame:
        """Return every place called ``name``, most important first (no article context).

        Parameters
        ----------
        name : str
            A place name in Chinese (simplified or traditional) or English.

        Returns
        -------
        DataFrame
            One row per sense: ``place_id, name, name_zh, feature, country_code, admin1,
            latitude, longitude, population, prior`` (the context-free score used to rank).

        Examples
        --------
        >>> import analysis as an
        >>> top = an.gazetteer().candidates("華盛頓").iloc[0]
        >>> top["feature"], round(float(top["latitude"]), 1)
        ('capital', 38.9)
        """
        import pandas as pd

        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        rows = [dict(self.record(i), prior=round(self.prior(i), 4)) for i in self.senses(name)]
        cols = [schema.PLACE_ID, schema.NAME, schema.NAME_ZH, schema.FEATURE, schema.COUNTRY_CODE,
                "admin1", schema.LATITUDE, schema.LONGITUDE, "population", "prior"]
        frame = pd.DataFrame(rows, columns=cols)
        return frame.sort_values("prior", ascending=False, kind="stable").reset_index(drop=True)

    def jieba_dict(self) -> Path:
        """Return the trimmed jieba dictionary built beside the index (written if missing)."""
        from analysis.places import build as _geo_build

        src = Path(self.source.split(" + ")[0]) if self.source else cache_dir() / "gazetteer-x.pkl"
        path = src.parent / f"jieba-words-{src.stem[10:]}.txt"
        if not path.exists():
            _geo_build.write_jieba_dict(path, list(self.zh_names))
        return path

    def zh_automaton(self):
        """Return the Aho-Corasick automaton over all (folded) Chinese names, built on first use."""
        if self._automaton is None:
            import ahocorasick_rs

            self._zh_keys = list(self.zh_names)
            self._automaton = ahocorasick_rs.AhoCorasick(self._zh_keys)
        return self._automaton, self._zh_keys

    def __len__(self) -> int:
        return len(self.place_id)

    def __repr__(self) -> str:
        return (f"<Gazetteer: {len(self):,} places, {len(self.zh_names):,} Chinese and "
                f"{len(self.en_names):,} English names>")

    def _repr_html_(self) -> str:
        from collections import Counter

        feats = Counter(self.feature).most_common(8)
        rows = "".join(f"<tr><td>{html.escape(str(f))}</td><td>{n:,}</td></tr>" for f, n in feats)
        return (f"<div><b>Gazetteer</b>: {len(self):,} places, {len(self.zh_names):,} Chinese and "
                f"{len(self.en_names):,} English names<br><small>{html.escape(self.source)}</small>"
                f"<table><tr><th>feature</th><th>places</th></tr>{rows}</table></div>")


class _PlaceIds:
    """Place ids stored compactly: GeoNames ids as ints, others (curated, user, fips) as strings."""

    __slots__ = ("_v",)

    def __init__(self, values: list) -> None:
        self._v = values

    def __getitem__(self, i: int) -> str:
        v = self._v[i]
        return f"geonames:{v}" if isinstance(v, int) else v

    def __len__(self) -> int:
        return len(self._v)

    def __iter__(self):
        return (self[i] for i in range(len(self._v)))


def gazetteer(overrides: pd.DataFrame | str | os.PathLike | None = None) -> Gazetteer:
    """Return the shared gazetteer, loading (or building) its index on first use.

    Parameters
    ----------
    overrides : DataFrame or CSV path, optional
        An analyst's own places (see :meth:`Gazetteer.with_overrides`); returns a new gazetteer
        that adds them, leaving the shared one unchanged.

    Examples
    --------
    >>> import analysis as an
    >>> an.gazetteer().candidates("Vladivostok").iloc[0]["country_code"]
    'RU'
    """
    gaz = _CACHE.get("default")
    if gaz is None:
        gaz = Gazetteer.load()
        _CACHE["default"] = gaz
    if overrides is not None:
        return gaz.with_overrides(overrides)
    return gaz
