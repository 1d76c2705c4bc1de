"""What this session's last run computed from the same rows, kept for its next run.

Streamlit runs the whole page again for every click, and the map itself asks for one more run as
soon as it has drawn (it reports its view). At ten million events the map's layer, the timeline's
bars and the table's rows cost seconds to make; a run whose catalogue and filters have not
changed takes them from here instead, so a filter clicked just after the map appears is not kept
waiting behind the same work done again.

Each value is held with a weak reference to the frame it was made from (a new catalogue is never
served another's values, and an old frame is not kept alive) and a key of its inputs: the rows
kept by the filters as a digest of the mask, and the rest of what the value depends on.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

T = TypeVar("T")
_SLOT = "_memo"


def mask_key(mask: Any) -> bytes:
    """A digest of which rows ``mask`` keeps (16 bytes; a few milliseconds at ten million)."""
    bits = np.packbits(np.asarray(mask, dtype=bool))
    return hashlib.blake2b(bits.tobytes(), digest_size=16).digest() + len(mask).to_bytes(8, "little")


def recall(name: str, frame: object, key: Hashable, make: Callable[[], T]) -> T:
    """The value ``make`` gave in an earlier run of this session for the same ``frame`` (the
    same object) and an equal ``key``; else ``make()``, kept under ``name`` for the next run."""
    return recall_if(name, frame, lambda held, _value: held == key, key, make)


def recall_if(
    name: str, frame: object, fits: Callable[[Any, Any], bool], key: Any, make: Callable[[], T]
) -> T:
    """:func:`recall`, with ``fits(earlier key, earlier value)`` deciding whether it will do.
    Nothing is kept where the session state must be picklable (a weak reference is not)."""
    if st.get_option("runner.enforceSerializableSessionState"):
        return make()
    memos: dict[str, tuple[weakref.ref[Any], Any, Any]] = st.session_state.setdefault(_SLOT, {})
    held = memos.get(name)
    if held is not None and held[0]() is frame and fits(held[1], held[2]):
        return held[2]
    value = make()
    memos[name] = (weakref.ref(frame), key, value)
    return value
