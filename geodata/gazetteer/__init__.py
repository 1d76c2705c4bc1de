"""Offline place lookup: countries, regions, seas, GeoNames cities and towns, curated sites.

- ``entry``: the entry type (imports nothing else of the package);
- ``names``: the name keys (exact, loose, consonant skeleton) entries are found by;
- ``index``: the :class:`Gazetteer` over any entries;
- ``points``: where a big place sits when references disagree;
- ``sources``: one reader per source; ``build``: the only module that combines them;
- ``cache``: the on-disk copy of a built gazetteer.
"""

from geodata.gazetteer.build import load_gazetteer
from geodata.gazetteer.entry import KINDS, PRECISION_OF_KIND, Entry, Match
from geodata.gazetteer.index import Gazetteer

__all__ = ["KINDS", "PRECISION_OF_KIND", "Entry", "Gazetteer", "Match", "load_gazetteer"]
