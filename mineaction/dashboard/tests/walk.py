"""The dashboard's records of the every-URL walk; see `walks.py`."""


def walk_records():
    """The component pages and search name no record."""
    return {}
