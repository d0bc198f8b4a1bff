"""What an import found and did: the counts, and every error and warning with its line."""

import csv
import io
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowIssue:
    """One problem: the line of the file (0 = the file as a whole), the file's column (empty
    when the problem is not one cell's) and a message for the user."""

    line: int
    column: str
    message: str

    def as_dict(self):
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # {canonical column: file column} as used.
    columns: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors

    def error(self, line, column, message):
        self.errors.append(RowIssue(line, column or "", str(message)))

    def warning(self, line, column, message):
        self.warnings.append(RowIssue(line, column or "", str(message)))

    def sort(self):
        """Issues in the order of the file (stable, so a row's problems keep their order)."""
        self.errors.sort(key=lambda issue: issue.line)
        self.warnings.sort(key=lambda issue: issue.line)


def issues_csv(issues):
    """ "line,column,message" CSV text of RowIssues or of their stored dicts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["line", "column", "message"])
    for issue in issues:
        if isinstance(issue, dict):
            writer.writerow([issue.get("line", 0), issue.get("column", ""), issue["message"]])
        else:
            writer.writerow([issue.line, issue.column, issue.message])
    return buffer.getvalue()
