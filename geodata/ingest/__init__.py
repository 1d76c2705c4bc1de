"""Many articles in (folders, Markdown and text, HTML pages, JSON Lines, RSS and Atom feeds), each
stored once with its drafted events queued for review.

- ``sources``: files and folders to articles (or problems), lazily; ``web``: HTML and feeds;
- ``drafting``: today's drafting as the review queue takes it (confidence, evidence);
- ``run``: :func:`ingest` (paths) and :func:`ingest_sources` (files already read), and their
  :class:`Summary`.
"""

from geodata.ingest.run import Summary, ingest, ingest_sources

__all__ = ["Summary", "ingest", "ingest_sources"]
