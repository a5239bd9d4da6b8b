"""Inline assets and escaping for self-contained HTML: vis-network's files, templates, safe JSON.

Every page netmap writes carries its scripts and styles inline, so it draws
from a laptop with no network. vis-network (dual licensed Apache-2.0 / MIT,
(c) Almende B.V. and the visjs contributors) is read from the copy that the
``pyvis`` package ships, never fetched.
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from ..errors import NetmapError
from ..export.safety import visible
from ..values import plain, show_bidi

__all__ = ["VIS_LICENSE", "cut", "esc", "esc_cut", "fill", "script_json", "template", "vis_network_css", "vis_network_js"]

HERE = Path(__file__).resolve().parent

#: Licence notice kept next to the inlined vis-network code.
VIS_LICENSE = (
    "vis-network (https://visjs.github.io/vis-network/), (c) 2011-2017 Almende B.V., "
    "(c) 2017-2019 visjs contributors; dual licensed under the Apache License 2.0 and the MIT License."
)


def esc(value) -> str:
    """HTML-escape any value for element content or a quoted attribute.

    Bidirectional and control characters show as ``[U+202E]`` / ``<U+001B>``
    (see :func:`netmap.export.safety.visible`).

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return html.escape(visible(str(value)), quote=True)


def cut(text, limit: int = 80) -> str:
    """``text`` shortened to at most ``limit`` characters for display, ending with an ellipsis when cut.

    The full text belongs in a tooltip (``title``) or in the exported tables.

    >>> cut("Acme Manufacturing", 10), cut("Acme", 10)
    ('Acme Manu…', 'Acme')
    """
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def esc_cut(value, limit: int = 80) -> str:
    """:func:`esc` of ``value`` cut to ``limit`` characters; when cut, inside a ``<span>`` whose
    tooltip (``title``) holds the full text.

    >>> esc_cut("<b>" + "x" * 20, 10)
    '<span title="&lt;b&gt;xxxxxxxxxxxxxxxxxxxx">&lt;b&gt;xxxxxx…</span>'
    """
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if len(text) <= limit:
        return esc(text)
    return f'<span title="{esc(text)}">{esc(cut(text, limit))}</span>'



_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(obj) -> str:
    """JSON text that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so no value can
    close the script element (``</script>``) or open a comment.

    >>> script_json({"name": "</script><script>alert(1)</script>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    try:  # native values as they are; numpy, pandas and date values through plain(), only where they occur
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain_value)
    except (ValueError, TypeError):  # NaN or infinity (null, as plain() writes them) or a key JSON refuses
        text = json.dumps(plain(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # bidirectional controls stand only inside strings; their visible marks hold no quote or backslash,
    # so one pass over the text shows them all (a walk over every value costs seconds on large maps)
    text = show_bidi(text)
    for ch, rep in _JSON_UNSAFE.items():
        text = text.replace(ch, rep)
    return text


def _plain_value(v):
    """``json.dumps``'s hook for a value it cannot write: the value as :func:`netmap.values.plain` gives it."""
    out = plain(v)
    if out is v:
        raise TypeError(f"{type(v).__name__} is not JSON")
    return out


def _vis_dir() -> Path:
    """The newest vis-network copy shipped inside the installed pyvis package."""
    local = HERE / "static"
    if (local / "vis-network.min.js").exists() and (local / "vis-network.css").exists():
        return local
    try:
        import pyvis
    except ImportError as e:  # pragma: no cover - pyvis is a declared dependency
        raise NetmapError("netmap needs the pyvis package to draw maps: pip install pyvis") from e
    base = Path(pyvis.__file__).resolve().parent
    found = sorted(
        (p.parent for p in base.glob("**/vis-*/vis-network.min.js") if (p.parent / "vis-network.css").exists()),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)),
    )
    if not found:  # pragma: no cover - depends on the pyvis build
        raise NetmapError(
            f"the installed pyvis ({base}) ships no vis-network files; reinstall pyvis (pip install 'pyvis>=0.3.2')"
        )
    return found[-1]


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's minified JavaScript, safe to place inside a ``<script>`` element."""
    text = (_vis_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def vis_network_css() -> str:
    """vis-network's stylesheet (its images are inline ``data:`` URIs)."""
    text = (_vis_dir() / "vis-network.css").read_text(encoding="utf-8")
    return text.replace("</style", "<\\/style")


@lru_cache(maxsize=8)
def template(name: str) -> str:
    """The text of ``templates/<name>``."""
    return (HERE / "templates" / name).read_text(encoding="utf-8")


def fill(text: str, **parts: str) -> str:
    """Replace each ``{{NAME}}`` placeholder of a template in one pass.

    Values are inserted as given (callers escape them); a value that itself
    contains ``{{...}}`` is never expanded again.
    """
    def repl(m: re.Match) -> str:
        key = m.group(1)
        if key not in parts:
            raise KeyError(f"template placeholder {key} has no value")
        return parts[key]

    return re.sub(r"\{\{([A-Z_]+)\}\}", repl, text)
