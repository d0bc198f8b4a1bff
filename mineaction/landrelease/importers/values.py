"""Reading one cell: text, whole numbers, areas, dates, choices, device lists, geometry.

Each function takes the cell as the file gave it (text from a CSV, a number or a date from a
spreadsheet or a GIS file) and returns the value to store, or raises `CellError` with a message
that quotes the value. Empty cells are the caller's business (`is_blank`).
"""

import datetime
import decimal
import functools
import json
import math
import re

import shapely
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from mineaction.landrelease import geometry as geo
from mineaction.landrelease.models import (
    DeviceCategory,
    HazardArea,
    HazardStatus,
    HazardType,
    ReleaseMethod,
)

# Excel's serial day numbers of 1 January 1950 and 31 December 2100: a number in a date column
# of a spreadsheet outside them is rather a year or an amount than a date.
EXCEL_SERIAL_RANGE = (18264, 73415)
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})([/.\-])(?P<month>\d{1,2})\2(?P<year>\d{4})$")
ISO_DATE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
# Year first with slashes or dots (KML writes 2024/05/31): never ambiguous.
YEAR_FIRST = re.compile(r"^(?P<year>\d{4})([/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DEVICE_SEPARATORS = re.compile(r"[,;|]")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the user."""


def is_blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def quoted(value):
    """The value as the user typed it, for a message."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, shapely.Geometry):
        return value.geom_type
    text = str(value).strip()
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


def text(value, *, max_length=None):
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in a spreadsheet: "1234", not "1234.0"
    if isinstance(value, datetime.date):
        value = value.isoformat()
    result = " ".join(str(value).split())
    if max_length and len(result) > max_length:
        raise CellError(
            _("%(value)s is longer than %(max)s characters.")
            % {"value": quoted(value), "max": max_length}
        )
    return result


def _decimal(value):
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a number.") % {"value": quoted(value)})
    if isinstance(value, int):
        return decimal.Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("%(value)s is not a number.") % {"value": quoted(value)})
        return decimal.Decimal(repr(value))
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if NUMBER.match(raw):
        return decimal.Decimal(raw)
    if re.match(r"^[+-]?[\d.,]+$", raw) and "," in raw:
        raise CellError(
            _(
                "%(value)s is not a number as the file must write it: no thousands "
                "separators, and a point for decimals (1234.5)."
            )
            % {"value": quoted(value)}
        )
    raise CellError(_("%(value)s is not a number.") % {"value": quoted(value)})


def whole_number(value, *, minimum=None, maximum=None):
    number = _decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": quoted(value)})
    number = int(number)
    if minimum is not None and number < minimum:
        raise CellError(
            _("%(value)s is less than %(minimum)s.") % {"value": quoted(value), "minimum": minimum}
        )
    if maximum is not None and number > maximum:
        raise CellError(
            _("%(value)s is more than %(maximum)s.") % {"value": quoted(value), "maximum": maximum}
        )
    return number


def area_m2(value, *, allow_zero=False):
    """Whole square metres, rounded half up; negative (and zero, unless allowed) refused."""
    number = _decimal(value)
    if number < 0:
        raise CellError(_("%(value)s is a negative area.") % {"value": quoted(value)})
    rounded = int(number.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))
    if rounded == 0 and not allow_zero:
        raise CellError(
            _("%(value)s is an area of 0 m²: the area must be more than 0.")
            % {"value": quoted(value)}
        )
    if rounded > 2**62:
        raise CellError(_("%(value)s is too large an area.") % {"value": quoted(value)})
    return rounded


def date(value, *, latest=None):
    """A date from a date cell, ISO text (2024-05-31), day-first text (31/05/2024, 31.05.2024)
    or an Excel serial day number; a date after `latest` (default: today) is refused."""
    result = _date(value)
    if result > (latest or timezone.localdate()):
        raise CellError(_("%(value)s is a date in the future.") % {"value": quoted(value)})
    return result


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_date(value)
    raw = str(value).strip()
    iso = ISO_DATE.match(raw)
    day_first = DAY_FIRST.match(raw) or YEAR_FIRST.match(raw)
    try:
        if iso:
            return datetime.date.fromisoformat(iso["date"])
        if day_first:
            return datetime.date(
                int(day_first["year"]), int(day_first["month"]), int(day_first["day"])
            )
    except ValueError:
        raise CellError(_("%(value)s is not a valid date.") % {"value": quoted(value)}) from None
    raise CellError(
        _("%(value)s is not a date: write it as yyyy-mm-dd (2024-05-31) or dd/mm/yyyy.")
        % {"value": quoted(value)}
    )


def _excel_date(value):
    low, high = EXCEL_SERIAL_RANGE
    if not math.isfinite(value) or not low <= value <= high:
        raise CellError(
            _("%(value)s is a number, not a date: write it as yyyy-mm-dd (2024-05-31).")
            % {"value": quoted(value)}
        )
    # The fraction of a serial is the time of day.
    return EXCEL_EPOCH + datetime.timedelta(days=math.floor(value))


def _key(value):
    return re.sub(r"[^0-9a-z]+", " ", str(value).strip().lower()).strip()


def _lookup(choices, extra):
    """{normalised spelling: code} from the codes, their English labels and common spellings."""
    table = {}
    with override("en"):
        for code, label in choices:
            table[_key(code)] = code
            table[_key(label)] = code
    for spelling, code in extra.items():
        table[_key(spelling)] = code
    return table


@functools.cache
def spellings():
    """The accepted spellings of each choice, built once (English labels need translations
    loaded, so not at import time)."""
    return {
        "hazard_type": _lookup(
            HazardType.choices,
            {
                "suspected hazardous area": HazardType.SHA,
                "suspected hazard area": HazardType.SHA,
                "confirmed hazardous area": HazardType.CHA,
                "confirmed hazard area": HazardType.CHA,
            },
        ),
        "status": _lookup(HazardStatus.choices, {}),
        "method": _lookup(
            ReleaseMethod.choices,
            {
                "canceled": ReleaseMethod.CANCELLED,
                "cancellation": ReleaseMethod.CANCELLED,
                "cancelled by nts": ReleaseMethod.CANCELLED,
                "nts": ReleaseMethod.CANCELLED,
                "non technical survey": ReleaseMethod.CANCELLED,
                "reduction": ReleaseMethod.REDUCED,
                "reduced by ts": ReleaseMethod.REDUCED,
                "ts": ReleaseMethod.REDUCED,
                "technical survey": ReleaseMethod.REDUCED,
                "clearance": ReleaseMethod.CLEARED,
                "clear": ReleaseMethod.CLEARED,
                "cleared by clearance": ReleaseMethod.CLEARED,
            },
        ),
        "device": _lookup(DeviceCategory.choices, DEVICE_SPELLINGS),
    }


DEVICE_SPELLINGS = {
    "ap": "ap_mine",
    "apm": "ap_mine",
    "ap mine": "ap_mine",
    "anti personnel mines": "ap_mine",
    "av": "av_mine",
    "at": "av_mine",
    "atm": "av_mine",
    "av mine": "av_mine",
    "at mine": "av_mine",
    "anti tank mine": "av_mine",
    "anti vehicle mines": "av_mine",
    "ied": "improvised_mine",
    "improvised": "improvised_mine",
    "improvised explosive device": "improvised_mine",
    "cluster munition": "cmr",
    "submunition": "cmr",
    "unexploded ordnance": "uxo",
    "abandoned explosive ordnance": "axo",
    "booby trap": "booby_trap",
    "booby traps": "booby_trap",
    "erw": "other_erw",
    "other": "other_erw",
}


ACCEPTED = {
    "hazard_type": "SHA, CHA",
    "status": gettext_lazy("open, closed, handed over"),
    "method": gettext_lazy("cancelled, reduced, cleared"),
}


def choice(value, name):
    code = _choice(value, name) if isinstance(value, str) else None
    if code is None:
        raise CellError(
            _("%(value)s is not one of: %(accepted)s.")
            % {"value": quoted(value), "accepted": ACCEPTED[name]}
        )
    return code


@functools.lru_cache(maxsize=4096)
def _choice(value, name):
    """Files repeat the same few spellings on every row: each is looked up once."""
    code = spellings()[name].get(_key(value))
    return None if code is None else str(code)


def hazard_type(value):
    return choice(value, "hazard_type")


def hazard_status(value):
    return choice(value, "status")


def release_method(value):
    return choice(value, "method")


def device_categories(value):
    """The category codes of a list such as "AP mine; UXO" (codes or English names), as
    stored: ",ap_mine,uxo,"."""
    return _device_categories(str(value))


@functools.lru_cache(maxsize=4096)
def _device_categories(value):
    codes, unknown = [], []
    for part in DEVICE_SEPARATORS.split(value):
        if not part.strip():
            continue
        code = spellings()["device"].get(_key(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(str(code))
    if unknown:
        raise CellError(
            _("Unknown device categories: %(unknown)s. Use %(codes)s.")
            % {"unknown": ", ".join(unknown), "codes": ", ".join(DeviceCategory.values)}
        )
    return HazardArea.join_devices(codes)


def geometry(value):
    """A shapely geometry from the file's own geometry, or WKT or GeoJSON text."""
    if isinstance(value, shapely.Geometry):
        try:
            return geo.check_type_and_coordinates(value)
        except geo.GeometryError as error:
            raise CellError(str(error)) from None
    raw = str(value).strip()
    try:
        if raw.startswith("{"):
            return geo.parse(raw)
        parsed = shapely.from_wkt(raw)
    except geo.GeometryError as error:
        raise CellError(str(error)) from None
    except shapely.errors.GEOSException:
        raise CellError(
            _("%(value)s is neither WKT (POLYGON ((...))) nor GeoJSON geometry text.")
            % {"value": quoted(value)}
        ) from None
    try:
        return geo.check_type_and_coordinates(parsed)
    except geo.GeometryError as error:
        raise CellError(str(error)) from None


def coordinate(value, *, limit):
    number = float(_decimal(value))
    if not -limit <= number <= limit:
        raise CellError(
            _("%(value)s is not between -%(limit)s and %(limit)s degrees.")
            % {"value": quoted(value), "limit": limit}
        )
    return number


def as_stored_json(value):
    """The value as it reads back from a JSON field (lists, not tuples), so that a stored
    geometry and a new one compare equal when they are the same."""
    return json.loads(json.dumps(value)) if value is not None else None
