"""Merging the same event across reports: a new draft compared with the catalogue's events and
the pending drafts, proposed as a further source of the one it reports again.

- ``keys``: what is compared (type, date window, point and precision, normalised actors);
- ``score``: the rules, a score in [0, 1] and the evidence of a match;
- ``match``: candidates found by kind of event, week and place, and the one to propose;
- ``pool``: the store's events and pending drafts a new article's drafts may match;
- ``propose``: one article's drafts proposed against the store;
- ``batch``: the step ingestion calls per article, reading the store once per wider box.
"""

from geodata.merge.batch import BatchProposer, proposer
from geodata.merge.keys import Key, key_of_event, keys_of_frame
from geodata.merge.match import Candidate, KeyIndex, best, candidates
from geodata.merge.propose import propose
from geodata.merge.score import Evidence, compare

__all__ = [
    "BatchProposer",
    "Candidate",
    "Evidence",
    "Key",
    "KeyIndex",
    "best",
    "candidates",
    "compare",
    "key_of_event",
    "keys_of_frame",
    "propose",
    "proposer",
]
