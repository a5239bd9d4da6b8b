"""The Cypher statements netmap sends to Neo4j, loaded by name from ``cypher/*.cypher``.

Every value in these statements is a query parameter (``$rows``, ``$ids``,
``$types``). Labels and relationship types cannot be parameters in Cypher, so
a statement may name them as ``{{placeholder}}``; :func:`statement` fills a
placeholder only with a name from netmap's validated vocabulary (the role
labels, the tie types and netmap's own fixed labels) or, for a property key
(``{{key}}``), a plain identifier (letters, digits and ``_``), and refuses
anything else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..errors import NetmapError
from ..schema import ROLE_LABELS, TIE_TYPES

__all__ = ["statement", "text", "names", "IDENTIFIERS", "PROPERTY_KEYS"]

#: Labels, relationship types and property keys a statement may be filled with.
IDENTIFIERS: frozenset[str] = frozenset(
    {"Organization", "Capability", "Market", "HAS_CAPABILITY", "SERVES_MARKET", "NetmapLoad"}
    | set(ROLE_LABELS.values())
    | set(TIE_TYPES)
)
#: Property keys used in schema statements.
PROPERTY_KEYS: frozenset[str] = frozenset({"id", "name", "lock"})

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=None)
def text(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` without its ``//`` comment lines.

    Raises
    ------
    NetmapError
        When no statement of that name ships with netmap.
    """
    if not re.fullmatch(r"[a-z_]+", name):
        raise NetmapError(f"'{name}' is not a Cypher statement name")
    res = resources.files("netmap").joinpath("cypher", f"{name}.cypher")
    try:
        raw = res.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as e:
        raise NetmapError(f"netmap's Cypher statement '{name}' is missing from the installation; reinstall netmap") from e
    lines = [ln.rstrip() for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("//")]
    return "\n".join(lines)


def names() -> list[str]:
    """Names of every statement shipped with netmap, sorted."""
    folder = resources.files("netmap").joinpath("cypher")
    return sorted(p.name[: -len(".cypher")] for p in folder.iterdir() if p.name.endswith(".cypher"))


def statement(name: str, **identifiers: str | list[str]) -> str:
    """The statement ``name`` with its ``{{placeholders}}`` filled.

    Each value must be a label, relationship type or key from
    :data:`IDENTIFIERS` / :data:`PROPERTY_KEYS`, or, for ``{{key}}``, a
    plain identifier; a list of labels becomes ``:A:B`` (for
    ``{{labels}}``). Every placeholder in the text must be given.

    Examples
    --------
    >>> print(statement("remove_label", label="Supplier").splitlines()[-1])
    REMOVE o:Supplier
    >>> statement("remove_label", label="Supplier) DETACH DELETE (o")
    Traceback (most recent call last):
    ...
    netmap.errors.NetmapError: 'Supplier) DETACH DELETE (o' is not a label, relationship type or key netmap uses
    """
    body = text(name)
    filled: dict[str, str] = {}
    for key, value in identifiers.items():
        values = [value] if isinstance(value, str) else list(value)
        for v in values:
            if v not in IDENTIFIERS and v not in PROPERTY_KEYS and not (key == "key" and _PROPERTY.fullmatch(v)):
                raise NetmapError(f"'{v}' is not a label, relationship type or key netmap uses")
        filled[key] = "".join(":" + v for v in values) if not isinstance(value, str) else value

    def sub(m: re.Match) -> str:
        if m.group(1) not in filled:
            raise NetmapError(f"the Cypher statement '{name}' needs a value for {{{{{m.group(1)}}}}}")
        return filled[m.group(1)]

    return _PLACEHOLDER.sub(sub, body)
