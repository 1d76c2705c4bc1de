"""The selected event's details, the events table and the timeline histogram."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geodata.taxonomy import EVENT_TYPES

if TYPE_CHECKING:
    import altair as alt

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


def md_escape(text: Any) -> str:
    """Catalogue text as literal Markdown: no links, no formatting, no HTML, no LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", " ")


def _items(value: Any) -> list[Any]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return list(value.tolist() if hasattr(value, "tolist") else value)


def _sides(event: pd.Series) -> str:
    """actor1 (type) against actor2 (type), as far as the event names them."""
    named = []
    for side in ("actor1", "actor2"):
        name = event.get(side)
        if isinstance(name, str) and name:
            kind = event.get(f"{side}_type")
            named.append(f"{name} ({kind})" if isinstance(kind, str) and kind else name)
    return " against ".join(named) or "—"


def _toll(event: pd.Series) -> str:
    low, high = event.get("fatalities_low"), event.get("fatalities_high")
    if low is None or pd.isna(low):
        return "not known"
    return f"{int(low)} reported" if low == high else f"{int(low)} to {int(high)} reported"


def show_details(event: pd.Series) -> None:
    """Every field of one event, as text."""
    kind = EVENT_TYPES[event["type"]]
    st.markdown(f"#### {md_escape(event['title'])}")
    st.caption(
        f"{md_escape(kind.label)} · ACLED: {md_escape(kind.acled_event_type)} / "
        f"{md_escape(kind.acled_sub_event_type)} · CAMEO {md_escape(kind.cameo_code)}"
    )
    place = f"{event['place_name']} ({event['geo_precision']} precision)"
    if event.get("said_at_name"):
        place += f"; said at {event['said_at_name']}"
    lines = [
        ("When", f"{event['date_text']} ({event['date_precision']} precision)"),
        ("Where", place),
        ("Actors", ", ".join(map(str, _items(event["actors"]))) or "—"),
        ("Sides", _sides(event)),
        ("Fatalities", _toll(event)),
        ("Confidence", event["confidence"]),
    ]
    for label, value in lines:
        st.markdown(f"**{label}:** {md_escape(value)}")
    if event.get("summary"):
        st.markdown(md_escape(event["summary"]))
    st.markdown(f"> {md_escape(event['source_quote'])}")
    source = f"{event['source_publisher']}: {event['source_title']}"
    url = str(event.get("source_url") or "")
    if re.match(r"^https?://", url, flags=re.IGNORECASE):
        st.link_button(f"Open source — {source}"[:120], url)
    else:
        st.markdown(f"**Source:** {md_escape(source)} {md_escape(url)}")
    if event.get("inference"):
        st.markdown(f"**Inference:** {md_escape(event['inference'])}")
    refs = _items(event.get("references"))
    if refs:
        with st.expander(f"{len(refs)} further source(s)"):
            for ref in refs:
                st.markdown(
                    f"- {md_escape(ref.get('publisher'))}: {md_escape(ref.get('title'))} — "
                    f"{md_escape(ref.get('url'))}  \n  “{md_escape(ref.get('quote'))}”"
                )


TABLE_COLUMNS = {
    "title": "Title",
    "type_label": "Type",
    "date_text": "Date",
    "place_name": "Place",
    "geo_precision": "Geo precision",
    "actors": "Actors",
    "source_publisher": "Source",
    "id": "Id",
}


def events_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """The filtered events as a plain table for ``st.dataframe``."""
    table = pd.DataFrame({label: gdf[column].to_numpy() for column, label in TABLE_COLUMNS.items()})
    table["Actors"] = [", ".join(map(str, _items(a))) for a in table["Actors"]]
    return table


def histogram(gdf: pd.DataFrame, span_days: int) -> alt.Chart:
    """Events per day (or per week over long spans), stacked by type, at each event's start."""
    import altair as alt  # here: drawn after the map, which should not wait for its import

    weekly = span_days > 120
    frame = bar_counts(gdf, weekly=weekly)
    colours = [t.colour for t in EVENT_TYPES.values()]
    labels = [t.label for t in EVENT_TYPES.values()]
    unit = "yearweek" if weekly else "yearmonthdate"
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(start):T", title="Week" if weekly else "Start date"),
            y=alt.Y("sum(events):Q", title="Events"),
            color=alt.Color("type:N", scale=alt.Scale(domain=labels, range=colours), title="Type"),
            tooltip=[
                alt.Tooltip(f"{unit}(start):T", title="Date"),
                "type:N",
                alt.Tooltip("sum(events):Q", title="Events"),
            ],
        )
        .properties(height=160)
    )


#: Bars (days x types) counted in one array; more (dates centuries apart) are counted by hashing.
BINCOUNT_LIMIT = 4_000_000


def bar_counts(gdf: pd.DataFrame, *, weekly: bool) -> pd.DataFrame:
    """Events per day (or per week, from Monday) of their start and type label: the histogram's
    rows, one per bar, so the chart does not carry one row per event. Counted on whole numbers
    of days: at ten million events, periods and a two-key group-by cost seconds."""
    labels = pd.Categorical(gdf["type_label"])
    start = gdf["date_start"].to_numpy(dtype="datetime64[ns]")
    known = ~np.isnat(start) & (labels.codes >= 0)
    kinds = max(len(labels.categories), 1)
    days = start[known].astype("datetime64[D]").astype(np.int64)
    if weekly:
        days = days - (days + 3) % 7  # back to Monday: 1 January 1970 was a Thursday
    first = int(days.min()) if len(days) else 0
    bars = (days - first) * kinds + labels.codes[known]
    if len(bars) and int(bars.max()) < BINCOUNT_LIMIT:  # one pass, no hashing
        tally = np.bincount(bars)
        bars = np.flatnonzero(tally)
        events = tally[bars]
    else:  # dates centuries apart: count what is there
        counted = pd.Series(bars).value_counts(sort=False).sort_index()
        bars, events = counted.index.to_numpy(dtype=np.int64), counted.to_numpy()
    return pd.DataFrame(
        {
            "start": (first + bars // kinds).astype("datetime64[D]").astype("datetime64[ns]"),
            "type": pd.Categorical.from_codes(bars % kinds, categories=labels.categories),
            "events": events,
        }
    )
