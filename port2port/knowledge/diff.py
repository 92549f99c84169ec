"""Line differences between two texts of an article, for the history and proposal pages.

The rows hold plain text; templates escape it like any other value, so a diff of hostile
Markdown shows the hostile text, never runs it.
"""

import difflib
from dataclasses import dataclass

# Unchanged lines kept around each change, so the reader sees where it is.
CONTEXT = 2


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added", "removed" or "gap"
    text: str
    old_number: int | None = None
    new_number: int | None = None


def line_diff(old: str, new: str, *, context: int = CONTEXT) -> list[Line]:
    """The lines removed from `old` and added in `new`, with a little context around each."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    rows: list[Line] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(Line("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Line("same", a[i], i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)]
                continue
            rows += [Line("removed", a[i], old_number=i + 1) for i in range(i1, i2)]
            rows += [Line("added", b[j], new_number=j + 1) for j in range(j1, j2)]
    return rows


def text_changes(old, new, fields=("title", "summary", "body")) -> list[dict]:
    """Per field, the lines that changed between two objects with these text fields."""
    return [
        {"field": name, "lines": line_diff(getattr(old, name), getattr(new, name))}
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]
