"""FalkorDB's Bolt endpoint: how netmap recognises it and what it does differently there.

FalkorDB speaks Bolt and the common Cypher subset and reports itself as
``Neo4j/5.13.0``, but it has no ``CREATE CONSTRAINT``, no
``dbms.components()`` and no ``date()`` values; it writes the parameters out
as Cypher text in front of the query, unescaped (text inside single quotes,
with backslash escapes read as such; numbers with six decimals), and a
message larger than about 4 KB crashes it. It also leaves the first
handshake after a client's Bolt goodbye unanswered. netmap therefore

* recognises it by what it reports (:func:`is_falkordb`: the procedures it
  lists are FalkorDB's own), never by a failure alone;
* loads it with :data:`FALKORDB_PROFILE` (indexes instead of constraints,
  dates as ``YYYY-MM-DD`` text, messages below 3,000 bytes and 3,600
  characters of Cypher text);
* makes every value arrive unchanged: text is escaped the way the server
  reads it back (:func:`escape`, chosen by sending :data:`PROBE` and
  comparing what comes back, :func:`text_encoder`), a number that six
  decimals would change travels as an exact ``[mantissa, exponent]`` pair
  (:func:`exact_numbers`), and a value that cannot travel (text with a NUL
  character, an infinite number) is refused before anything is written
  (:class:`Encoder`, :func:`uncarried`);
* closes its connections without a goodbye and makes sure the next
  handshake is answered (:func:`close_driver`).
"""

from __future__ import annotations

import math
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import numpy as np

from ..errors import StoreError
from .cypher import text
from .settings import ServerProfile
from .watchdog import kill_connections

__all__ = ["FALKORDB_PROFILE", "FALKORDB_PROCEDURES", "PROBE", "is_falkordb", "close_driver", "escape",
           "text_encoder", "Encoder", "survives", "binary", "exact_numbers", "uncarried"]

#: FalkorDB: no constraints, dates as text, each message under 3,000 bytes and
#: its parameters, written out as Cypher, under 3,600 characters; a commit per
#: 1,000 rows; values encoded to survive being written into the query.
FALKORDB_PROFILE = ServerProfile(
    "FalkorDB", constraints=False, native_dates=False,
    message_bytes=3_000, max_rows=10_000, text_bytes=3_600, tx_rows=1_000,
    parameters_as_text=True, transaction_timeout=False,
)

#: Procedures only FalkorDB (and RedisGraph before it) offers; Neo4j's
#: full-text procedures are called ``db.index.fulltext.*``.
FALKORDB_PROCEDURES: frozenset[str] = frozenset({"db.idx.fulltext.createNodeIndex", "db.idx.fulltext.queryNodes"})

#: Text that must come back unchanged before netmap writes to a server that
#: writes parameters into the query: quotes, backslashes before letters a
#: Cypher string reads as escapes, comment marks, a parameter sign, control
#: and bidirectional characters, and text beyond ASCII.
PROBE = "McDonald's C:\\new\\table \\' \\\\ \"q\" a\\ // */ $v {x} \t\r\n\x01 é 中 \U0001f600 \u202e end\\"

_HANDSHAKE = b"\x60\x60\xb0\x17" + b"\x00\x04\x04\x05" + b"\x00\x00\x00\x04" + b"\x00\x00\x00\x03" + b"\x00" * 4


def is_falkordb(read: Callable[[str], list[dict]]) -> bool:
    """True when the server lists FalkorDB's own procedures.

    Parameters
    ----------
    read : callable
        Runs one read-only statement and returns its records as dicts (it
        raises the driver's exceptions).

    Returns
    -------
    bool
        False when the server refuses the question (Neo4j 5 has no
        ``dbms.procedures()``) or lists other procedures.

    Examples
    --------
    >>> is_falkordb(lambda q: [{"name": "db.idx.fulltext.createNodeIndex"}, {"name": "db.idx.fulltext.queryNodes"}])
    True
    >>> is_falkordb(lambda q: [{"name": "db.index.fulltext.queryNodes"}])
    False
    """
    from neo4j.exceptions import ClientError, DatabaseError

    try:
        names = {str(r.get("name")) for r in read(text("list_procedures"))}
    except (ClientError, DatabaseError):
        return False
    return FALKORDB_PROCEDURES <= names


# ---------------------------------------------------------------- values that arrive unchanged
def escape(s: str) -> str:
    r"""``s`` written so that the server's Cypher string reads it back unchanged: ``\`` and ``'`` escaped.

    >>> print(escape("McDonald's C:\\new"))
    McDonald\'s C:\\new
    """
    if "\\" in s:
        s = s.replace("\\", "\\\\")
    return s.replace("'", "\\'") if "'" in s else s


def text_encoder(echo: Callable[[str], object], where: str = "the server") -> Callable[[str], str] | None:
    """How text must be sent for the server to store it byte for byte, found by sending :data:`PROBE`.

    Parameters
    ----------
    echo : callable
        Sends one text parameter and returns the value the server gives
        back (``RETURN $v``).
    where : str
        The server in words, for the message.

    Returns
    -------
    callable or None
        :func:`escape` when the escaped probe comes back unchanged, ``None``
        when the probe comes back unchanged as it is (a server that escapes
        parameters itself).

    Raises
    ------
    StoreError
        Neither comes back unchanged: netmap writes nothing.

    Examples
    --------
    A server that reads ``\\x`` as ``x``, as a Cypher string does:

    >>> import re
    >>> text_encoder(lambda v: re.sub(r"\\\\(.)", r"\\1", v, flags=re.S)) is escape
    True
    """
    answers = []
    for encode in (escape, None):
        try:
            got = echo(encode(PROBE) if encode else PROBE)
        except Exception as e:  # noqa: BLE001 - an unescaped quote may break the statement: that is an answer
            if getattr(e, "param", None) == "timeout":
                raise  # the server stopped answering: say that, not something about text
            answers.append(f"failed: {str(e).splitlines()[0][:120] if str(e) else type(e).__name__}")
            continue
        if got == PROBE:
            return encode
        answers.append(f"gave back {got!r}")
    raise StoreError(
        f"{where} does not store text unchanged (sent {PROBE!r} escaped and as it is, it {' and '.join(answers)}); "
        "netmap writes nothing to it: load into Neo4j instead"
    )


class Encoder:
    """Values as a server that writes parameters into the query needs them.

    Text is escaped by ``text`` (or sent as it is when ``text`` is None); a
    number that six decimals would change, an infinite number or text with a
    NUL character raise :class:`~netmap.errors.StoreError` (the loader sends
    such numbers exactly beforehand, see :func:`exact_numbers`).

    Examples
    --------
    >>> enc = Encoder(escape, "the test server")
    >>> print(enc([["McDonald's", 0.5, None], {"k": "x"}]))
    [["McDonald\\\\'s", 0.5, None], {'k': 'x'}]
    >>> enc(["a\\x00b"])
    Traceback (most recent call last):
    ...
    netmap.errors.StoreError: the test server cannot store 'a\\x00b' unchanged (a NUL character); netmap stops before writing it: remove it from the data, or load into Neo4j
    """

    def __init__(self, text: Callable[[str], str] | None, where: str = "the server") -> None:
        self.text = text
        self.where = where

    def __call__(self, value):
        cls = value.__class__
        if cls is list or cls is tuple:
            return [self._value(v) for v in value]
        if cls is dict:
            return {k: self._value(v) for k, v in value.items()}
        return self._value(value)

    def _value(self, v):
        cls = v.__class__
        if cls is str:
            if "'" in v or "\\" in v or "\x00" in v:  # the common case, plain text, goes as it is
                if "\x00" in v:
                    self._refuse(v, "a NUL character")
                if self.text is not None:
                    return self.text(v)
            return v
        if cls is float:
            if not survives(v):
                self._refuse(v, "the server keeps six decimals" if math.isfinite(v) else "not a finite number")
            return v
        if cls is list or cls is tuple or cls is dict:
            return self(v)
        return v

    def _refuse(self, value, why: str):
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        raise StoreError(f"{self.where} cannot store {shown} unchanged ({why}); netmap stops before writing it: "
                         "remove it from the data, or load into Neo4j")


def survives(x: float) -> bool:
    """True when ``x`` comes back unchanged after being written with six decimals.

    >>> survives(0.125), survives(131795.5), survives(0.1234567), survives(1e-7), survives(float("inf"))
    (True, True, False, False, False)
    """
    return math.isfinite(x) and float(f"{x:f}") == x


def binary(x: float) -> tuple[int, int]:
    """``(mantissa, exponent)`` with ``x == mantissa * 2.0 ** exponent`` exactly (the mantissa odd, or 0).

    >>> binary(0.1234567), binary(-3.0), binary(0.0)
    ((4447996384931129, -55), (-3, 0), (0, 0))
    """
    m, e = math.frexp(x)
    n, e = int(m * (1 << 53)), e - 53
    if n == 0:
        return 0, 0
    zeros = (n & -n).bit_length() - 1
    return n >> zeros, e + zeros


def exact_numbers(rows: list[list], slots: Sequence[int], key: Sequence[int]) -> tuple[list[list], dict[int, list]]:
    """Take out of ``rows`` the numbers six decimals would change, to be sent exactly afterwards.

    Returns
    -------
    (rows, fixes)
        ``rows`` with those numbers set to ``None`` (rows without any are
        the same objects), and ``{slot: [[*key values, mantissa, exponent],
        ...]}`` for the statements that set them exactly
        (``mantissa * 2.0 ^ exponent`` in Cypher).

    Examples
    --------
    >>> exact_numbers([["S1", 0.5], ["S2", 0.1234567]], slots=[1], key=[0])
    ([['S1', 0.5], ['S2', None]], {1: [['S2', 4447996384931129, -55]]})
    """
    out, fixes = [], {}
    for r in rows:
        bad = [i for i in slots if r[i].__class__ is float and not survives(r[i]) and math.isfinite(r[i])]
        if bad:
            r = list(r)
            for i in bad:
                fixes.setdefault(i, []).append([*(r[k] for k in key), *binary(r[i])])
                r[i] = None
        out.append(r)
    return out, fixes


def uncarried(network) -> list[str]:
    """The values of ``network`` no encoding carries to the server: text with a NUL character, infinite numbers.

    Returns descriptions such as ``"organisation 'A1' name"``, at most five.
    """
    found = []
    for what, df, key in (("organisation", network.nodes, lambda i: repr(network.nodes["id"].iloc[i])),
                          ("tie", network.edges, lambda i: "on row " + str(int(network.edges["row"].iloc[i])))):
        for col in df.columns:
            s = df[col]
            if s.dtype.kind == "f":
                bad = np.flatnonzero(np.isinf(s.to_numpy()))
            elif s.dtype.kind in "biumM":
                continue
            else:  # text, or lists of text
                bad = [i for i, v in enumerate(s.tolist())
                       if (isinstance(v, str) and "\x00" in v)
                       or (isinstance(v, tuple) and any("\x00" in str(x) for x in v))]
            found.extend(f"{what} {key(i)} {col}" for i in list(bad)[:5])
    return found[:5]


# ---------------------------------------------------------------- closing
def close_driver(driver, uri: str, *, nudge: bool = True) -> None:
    """Close ``driver`` the way FalkorDB needs: its connections dropped without a Bolt goodbye.

    FalkorDB stops answering the next handshake after a goodbye; afterwards
    a bare handshake checks that the next connection gets an answer (and
    uses up the unanswered turn if there is one) unless ``nudge`` is false
    (a server that stopped answering). Closing a lost connection never
    raises.
    """
    kill_connections(driver)
    try:
        driver.close()
    except Exception:  # noqa: BLE001 - closing a lost connection must not hide the real error
        pass
    if nudge:
        _nudge(uri)


def _nudge(uri: str, tries: int = 4) -> None:
    """Make sure the next connection to ``uri`` gets an answer.

    Each try opens a connection and sends a Bolt handshake; an unanswered one
    has used up that turn, an answered one shows the way is clear (and a bare
    handshake leaves nothing behind).
    """
    try:
        parts = urlsplit(uri)
        address = (parts.hostname or "localhost", parts.port or 7687)
    except ValueError:
        return
    for _ in range(tries):
        try:
            with socket.create_connection(address, timeout=0.5) as s:
                s.sendall(_HANDSHAKE)
                if len(s.recv(4)) == 4:
                    return
        except OSError:
            if not _port_open(address):
                return


def _port_open(address) -> bool:
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False
