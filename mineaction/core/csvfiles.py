"""Small CSV files that load reference lists (the IMAS catalogue, the Convention's action
plans): read all rows or report why not, the same way for every such file."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportIssue:
    line: int  # 0: the file as a whole
    message: str


def issue_line(issue):
    """An issue as a command prints it."""
    if not issue.line:
        return _("file: %(message)s") % {"message": issue.message}
    return _("line %(line)s: %(message)s") % {"line": issue.line, "message": issue.message}


def read_rows(content, columns, *, errors, empty_message):
    """[(line, {column: value})] of a UTF-8 CSV file's rows that are not blank, or None when
    the file itself is refused. Problems are appended to `errors` as ImportIssue: a file that
    is not UTF-8, a header without one of `columns`, a line with more values than the header,
    and (with `empty_message`) a file without rows."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(ImportIssue(0, _("The file is not UTF-8 text.")))
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in columns if name not in headers]
    if missing:
        errors.append(
            ImportIssue(
                1,
                _("The header lacks the columns: %(columns)s. It needs: %(required)s.")
                % {"columns": ", ".join(missing), "required": ", ".join(columns)},
            )
        )
        return None
    reader.fieldnames = headers
    rows = []
    for row in reader:
        if None in row:
            errors.append(
                ImportIssue(reader.line_num, _("This line has more values than the header."))
            )
            continue
        values = {name: (row.get(name) or "").strip() for name in columns}
        if any(values.values()):
            rows.append((reader.line_num, values))
    if not rows and not errors:
        errors.append(ImportIssue(0, empty_message))
    return rows
