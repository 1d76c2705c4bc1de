"""Vectorised checks of a catalogue's columns (the GeoParquet path), event ids in every problem.

Each check looks at a whole column at once; each kind of problem names at most :data:`EXAMPLES`
events (by id, and by row as the problem's line, counted from 1) and counts the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geodata.errors import Problem
from geodata.io.features import TOLERANCE_DEG
from geodata.model import ACTOR_TYPES, DATE_PRECISIONS, GEO_PRECISIONS, ID_PATTERN
from geodata.records import RECORD_FIELDS, loads_cell
from geodata.taxonomy import EVENT_TYPES

#: Events named for each kind of problem; the rest are counted.
EXAMPLES = 20
LISTS = ("actors", "tags")


class ColumnChecker:
    """Vectorised checks of a frame's columns; problems collect in :attr:`problems`."""

    def __init__(self, table: pa.Table, label: str) -> None:
        self.table, self.label = table, label
        try:
            self.df = table.to_pandas()
        except (pa.ArrowException, TypeError, ValueError):
            # the file's pandas metadata names types its columns do not have: read them as stored
            self.df = table.replace_schema_metadata(None).to_pandas()
        self.problems: list[Problem] = []
        self.ids = self.df["id"].astype(object).to_numpy()

    def flag(self, mask: Any, field: str, message: Callable[[int], str]) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        for row in rows[:EXAMPLES]:
            given = self.ids[row]
            event = given if isinstance(given, str) and len(given) <= 128 else f"#row {row + 1}"
            self.problems.append(
                Problem(message(row), event_id=event, field=field, line=row + 1, path=self.label)
            )
        if len(rows) > EXAMPLES:
            more = f"and {len(rows) - EXAMPLES:,} more events with this problem in column {field!r}"
            self.problems.append(Problem(more, field=field, path=self.label))

    def values(self) -> dict[str, Any]:
        """Check every column; return the columns the frame is built from."""
        df = self.df
        self.texts()
        start, end = self.date("date_start", required=True), self.date("date_end", required=True)
        self.flag(
            end < start, "date", lambda r: f"end {_day(end[r])} is before start {_day(start[r])}; swap them"
        )
        published = self.date("source_published", required=False) if "source_published" in df else None
        lat = self.number("lat", -90, 90, required=True)
        lon = self.number("lon", -180, 180, required=True)
        # The columns kept as they are stay pandas columns: a round trip through NumPy objects
        # costs seconds at a million events (Arrow-backed text to objects and back).
        columns: dict[str, Any] = {c: df[c] for c in RECORD_FIELDS if c in df}
        columns.update(date_start=start, date_end=end, lat=lat, lon=lon)
        if published is not None:
            columns["source_published"] = published
        for column in ("said_at_lat", "said_at_lon"):
            if column in df:
                limit = 90 if column.endswith("lat") else 180
                columns[column] = self.number(column, -limit, limit, required=False)
        for column in LISTS:
            if column in df:
                columns[column] = self.items(column)
        columns.update(self.sides())
        for column in ("references", "provenance"):
            if column in df:
                columns[column] = self.json(column)
        return columns

    def texts(self) -> None:
        df = self.df
        ids = df["id"].astype(object)
        self.flag(ids.isna(), "id", lambda r: "the id is missing; give every event an id")
        bad = ids.notna() & ~df["id"].astype("str").str.fullmatch(ID_PATTERN.pattern).fillna(False).astype(
            bool
        )
        self.flag(
            bad,
            "id",
            lambda r: (
                f"id {_short(self.ids[r])} is not a slug; use lower-case letters, digits, '-', '_' or '.'"
            ),
        )
        self.flag(ids.notna() & ids.duplicated(), "id", lambda r: "duplicate id; give each event its own id")
        self.choice("type", EVENT_TYPES, required=True)
        self.choice("date_precision", DATE_PRECISIONS, required=True)
        if "geo_precision" in df:
            self.choice("geo_precision", GEO_PRECISIONS, required=True)
        if "confidence" in df:
            self.choice("confidence", ("high", "medium", "low"), required=False)
        title = df["title"].astype(object)
        empty = title.isna() | (title.astype("str").str.strip() == "")
        self.flag(empty, "title", lambda r: "the title is missing; give every event a title")

    def sides(self) -> dict[str, Any]:
        """Check actor1/actor2 (a type from ACLED's list, actor2 only beside actor1) and the
        fatalities (whole numbers from 0, low <= high, both or neither); return the tolls."""
        df, out = self.df, {}
        names = {}
        for side in ("actor1", "actor2"):
            values = df[side].astype(object) if side in df else pd.Series([None] * len(df), dtype=object)
            text = values.map(lambda v: v.strip() if isinstance(v, str) else v)
            self.flag(
                values.notna().to_numpy() & (text == "").to_numpy(),
                side,
                lambda r: "the actor's name is blank",
            )
            names[side] = (text.notna() & (text != "")).to_numpy()
            if f"{side}_type" in df:
                self.choice(f"{side}_type", ACTOR_TYPES, required=False)
                typed = df[f"{side}_type"].notna().to_numpy()
                self.flag(
                    typed & ~names[side], side, lambda r: "an actor type without a name; name the actor"
                )
        self.flag(
            names["actor2"] & ~names["actor1"],
            "actor2",
            lambda r: "actor2 is given without actor1; name the side that acted as actor1",
        )
        tolls = [c for c in ("fatalities_low", "fatalities_high") if c in df]
        given = {c: self._toll(c) for c in tolls}
        out.update({c: pd.array(np.floor(v), dtype="Float64").astype("Int64") for c, v in given.items()})
        both = "give both low and high, or neither"
        if len(tolls) == 2:
            low, high = given["fatalities_low"], given["fatalities_high"]
            self.flag(np.isnan(low) != np.isnan(high), "fatalities", lambda r: both)
            swap = "high {:g} is below low {:g}; swap them"
            self.flag(high < low, "fatalities", lambda r: swap.format(high[r], low[r]))
        elif tolls:
            self.flag(df[tolls[0]].notna().to_numpy(), "fatalities", lambda r: both)
        return out

    def _toll(self, column: str) -> np.ndarray:
        if pd.api.types.is_bool_dtype(self.df[column]):
            given = self.df[column].notna().to_numpy()
            self.flag(given, column, lambda r: f"{column} is true or false, not a number of deaths")
        values = np.asarray(
            self.number(column, 0, 10_000_000, required=False, unit="a whole number of deaths"), dtype=float
        )
        fraction = ~np.isnan(values) & (values != np.floor(values))
        self.flag(fraction, column, lambda r: f"{column} {values[r]!r} is not a whole number")
        return values

    def choice(self, column: str, allowed: Any, *, required: bool) -> None:
        values = self.df[column].astype(object)
        missing = values.isna().to_numpy()
        options = ", ".join(allowed)
        self.flag(missing & required, column, lambda r: f"{column} is missing; use one of: {options}")
        unknown = ~values.isin(list(allowed)).to_numpy() & ~missing
        self.flag(
            unknown, column, lambda r: f"unknown {column} {_short(values.iloc[r])}; use one of: {options}"
        )

    def date(self, column: str, *, required: bool) -> Any:
        given = self.df[column]
        if pd.api.types.is_datetime64_any_dtype(given):
            days = given
        else:
            days = pd.to_datetime(given.astype(object), format="ISO8601", errors="coerce")
        missing = given.isna().to_numpy()
        self.flag(missing & required, column, lambda r: f"{column} is missing; give the date as YYYY-MM-DD")
        unread = days.isna().to_numpy() & ~missing
        self.flag(
            unread, column, lambda r: f"{column} {_short(given.iloc[r])} is not a date; write YYYY-MM-DD"
        )
        years = days.dt.year.to_numpy(dtype=float, na_value=np.nan)
        outside = ~np.isnan(years) & ((years < 1) | (years > 9999))
        self.flag(
            outside,
            column,
            lambda r: f"{column} {_day(days.iloc[r])} is outside the years 1 to 9999; fix the year",
        )
        return days.astype("datetime64[s]").to_numpy()  # the unit of the YAML path, for a fixpoint

    def number(
        self, column: str, low: float, high: float, *, required: bool, unit: str = "decimal degrees"
    ) -> Any:
        given = self.df[column]
        if pd.api.types.is_numeric_dtype(given) and not pd.api.types.is_bool_dtype(given):
            values = given.to_numpy(dtype=float, na_value=np.nan)
        else:
            values = pd.to_numeric(given.astype(object), errors="coerce").astype(float).to_numpy()
        missing = given.isna().to_numpy()
        self.flag(
            missing & required,
            column,
            lambda r: f"{column} is missing (null or NaN); every event needs lat and lon",
        )
        unread = np.isnan(values) & ~missing
        self.flag(
            unread,
            column,
            lambda r: f"{column} {_short(given.iloc[r])} is not a number; write {unit}",
        )
        outside = ~np.isnan(values) & ~((values >= low) & (values <= high))
        self.flag(
            outside,
            column,
            lambda r: (
                f"{column} {values[r]!r} is outside {low:g}..{high:g}; write {unit}"
                + (" (lat, lon)" if unit == "decimal degrees" else "")
            ),
        )
        return values

    def items(self, column: str) -> list[list[str]]:
        column_data = self.table[column]
        if not pa.types.is_null(column_data.type):
            flat = pc.list_flatten(column_data)
            text = pc.cast(flat, pa.large_string())
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(text), ""), True)
            rows = np.unique(pc.list_parent_indices(column_data).filter(blank).to_numpy())
            mask = np.zeros(len(self.df), dtype=bool)
            mask[rows] = True
            self.flag(
                mask,
                column,
                lambda r: f"{column} {_short(list(self.df[column].iloc[r]))} has an empty item; remove it",
            )
        return [v if v is not None else [] for v in column_data.to_pylist()]  # Arrow to lists in C++

    def json(self, column: str) -> list[Any]:
        out: list[Any] = []
        faults: dict[int, str] = {}
        for row, text in enumerate(self.table[column].to_pylist()):
            if not isinstance(text, str) or (text == "[]" and column == "references"):
                out.append([] if column == "references" else None)  # the common cases, without a parser
                continue
            try:
                value = loads_cell(text, column)
            except ValueError as err:
                faults[row], value = str(err), None
            else:
                if not _json_shape_ok(column, value):
                    faults[row] = f"{_short(value)} is not {_SHAPES[column]}; export the catalogue again"
            out.append(value)
        mask = np.zeros(len(out), dtype=bool)
        mask[list(faults)] = True
        self.flag(mask, column, lambda r: faults[r])
        return out

    def geometry(self, geometry: pa.ChunkedArray | None) -> None:
        """The geometry must be a point at the rows' lat/lon (a point moved elsewhere is reported)."""
        import shapely

        if geometry is None or not (
            pa.types.is_binary(geometry.type) or pa.types.is_large_binary(geometry.type)
        ):
            return
        wkb = geometry.to_numpy(zero_copy_only=False)
        shapes = shapely.from_wkb(wkb, on_invalid="ignore")
        kinds = shapely.get_type_id(shapes)
        given = ~geometry.is_null().to_numpy(zero_copy_only=False)
        self.flag(
            given & (kinds < 0), "geometry", lambda r: "the geometry is not valid WKB; export the file again"
        )
        self.flag(
            kinds > 0,
            "geometry",
            lambda r: (
                f"the geometry is a {shapes[r].geom_type}, but a geodata event is a point; replace it with "
                "its centroid, or write the file again with `geodata export`"
            ),
        )
        lat = pd.to_numeric(self.df["lat"].astype(object), errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(self.df["lon"].astype(object), errors="coerce").to_numpy(dtype=float)
        x, y = shapely.get_x(shapes), shapely.get_y(shapes)
        # rows whose lat/lon are themselves wrong are reported once, above
        near = (np.abs(x - lon) <= TOLERANCE_DEG) & (np.abs(y - lat) <= TOLERANCE_DEG)
        readable = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        moved = (kinds == 0) & readable & ~near
        self.flag(
            moved,
            "geometry",
            lambda r: (
                f"the geometry is at lat {y[r]}, lon {x[r]} but the lat/lon columns say {lat[r]}, {lon[r]}; "
                "if the point was moved on purpose, copy its position into lat/lon, otherwise move it back"
            ),
        )


_SHAPES = {"references": "a JSON array of source objects", "provenance": "a JSON object"}


def _json_shape_ok(column: str, value: Any) -> bool:
    if value is None:
        return True
    if column == "references":
        return isinstance(value, list) and all(isinstance(item, dict) for item in value)
    return isinstance(value, dict)


def _day(value: Any) -> str:
    return str(value)[:10]


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
