"""Why an element of a page is invisible, from its inline style, the page's ``<style>`` blocks
(parsed with tinycss2, selectors resolved by the lexbor tree), ``hidden`` attributes,
tiny ``<marquee>`` boxes and the common script idioms that hide an element by id.

Not covered: external stylesheets (not fetched by a page check), specificity and
``!important`` (later declarations win, inline last), layout computed by a browser.

Each reason is *strong* (techniques that exist to hide content from readers: off-screen
positioning, zero or 1-px boxes with overflow hidden, font size ≤ 2px, text coloured like its
background, opacity 0) or *weak* (display:none, visibility:hidden, the hidden attribute —
also used by drop-down menus and tabs that a click reveals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tinycss2
from selectolax.lexbor import SelectolaxError

_RELEVANT = frozenset(
    {
        "display", "visibility", "opacity", "position", "left", "top", "right", "margin-left", "margin-top",
        "height", "width", "max-height", "max-width", "overflow", "font-size", "color", "background",
        "background-color",
    }
)  # fmt: skip
_SCRIPT_HIDE_RES = (
    re.compile(r"getElementById\(\s*['\"]([\w\-]+)['\"]\s*\)\.style\.display\s*=\s*['\"]none", re.I),
    re.compile(r"\$\(\s*['\"]#([\w\-]+)['\"]\s*\)\.(?:hide\(\)|css\(\s*['\"]display['\"]\s*,\s*['\"]none)", re.I),
)
_LENGTH_RE = re.compile(r"^\s*(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh)?\s*$", re.I)
_NAMED_COLOURS = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "navy": "#000080",
    "maroon": "#800000", "orange": "#ffa500", "purple": "#800080", "teal": "#008080", "fuchsia": "#ff00ff",
    "lime": "#00ff00", "aqua": "#00ffff", "olive": "#808000",
}  # fmt: skip
OFF_SCREEN_PX = -500.0
TINY_FONT_PX = 2.0


@dataclass(frozen=True, slots=True)
class Hidden:
    reason: str
    strong: bool


def parse_declarations(css: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration" and decl.lower_name in _RELEVANT:
            out[decl.lower_name] = tinycss2.serialize(decl.value).strip().lower()
    return out


class PageStyles:
    """Declarations that apply to each element of one parsed page (by lexbor node id)."""

    def __init__(self, dom: Any) -> None:
        self.dom = dom
        self.rules: dict[int, dict[str, str]] = {}
        self.script_hidden: set[str] = set()
        for style in dom.css("style"):
            self._apply_stylesheet(style.text(deep=True))
        for script in dom.css("script"):
            body = script.text(deep=True)
            if "none" in body or "hide" in body:
                for regex in _SCRIPT_HIDE_RES:
                    self.script_hidden.update(regex.findall(body))

    def _apply_stylesheet(self, css: str) -> None:
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule" or rule.content is None:
                continue
            declarations = parse_declarations(tinycss2.serialize(rule.content))
            if not declarations:
                continue
            for selector in tinycss2.serialize(rule.prelude).split(","):
                selector = selector.strip()
                if not selector or ":" in selector or "@" in selector:
                    continue  # states (:hover, :focus) reveal menus; they are not the resting look
                try:
                    nodes = self.dom.css(selector)
                except SelectolaxError:  # a selector lexbor does not support
                    continue
                for node in nodes:
                    self.rules.setdefault(node.mem_id, {}).update(declarations)

    def declarations(self, node: Any) -> dict[str, str]:
        own = self.rules.get(node.mem_id, {})
        inline = node.attributes.get("style")
        if inline:
            return {**own, **parse_declarations(inline)}
        return own

    def hidden(self, link: Any) -> Hidden | None:
        """Why ``link`` (an element) is invisible, or None."""
        has_image = link.css_first("img") is not None
        font_size: float | None = None
        colour: str | None = None
        visibility: str | None = None
        background: str | None = None
        background_at: Any = None
        depth = 0
        node = link
        while node is not None and node.tag not in ("html", "#document", None):
            decls = self.declarations(node)
            found = self._box_hidden(node, decls)
            if found:
                return found
            if visibility is None and "visibility" in decls:
                visibility = decls["visibility"]
                if visibility in ("hidden", "collapse"):
                    return Hidden(f"visibility:hidden on {_describe(node)}", False)
            if font_size is None and "font-size" in decls:
                font_size = _px(decls["font-size"])
                if font_size is not None and font_size <= TINY_FONT_PX and not has_image:
                    return Hidden(f"font-size:{decls['font-size']} on {_describe(node)}", True)
            if colour is None and ("color" in decls or (node.tag == "font" and node.attributes.get("color"))):
                colour = _colour(decls.get("color") or node.attributes.get("color") or "")
            if background is None and depth <= 2:
                painted = decls.get("background-color") or decls.get("background") or ""
                if "url(" in painted or "gradient" in painted:
                    background = "unknown"  # an image behind the text: its colour is not known
                else:
                    background = _colour(painted)
                    background_at = node if background is not None else None
            node = node.parent
            depth += 1
        # Only a background on the link or its two nearest ancestors counts: farther up, a
        # background from a stylesheet we do not see may lie in between.
        if colour is not None and colour == background and not has_image and background_at is not None:
            return Hidden(f"text colour {colour} on background {background} at {_describe(background_at)}", True)
        return None

    def _box_hidden(self, node: Any, decls: dict[str, str]) -> Hidden | None:
        where = _describe(node)
        attrs = node.attributes
        if "hidden" in attrs:
            return Hidden(f"hidden attribute on {where}", False)
        if decls.get("display") == "none":
            return Hidden(f"display:none on {where}", False)
        element_id = attrs.get("id")
        if element_id and element_id in self.script_hidden:
            return Hidden(f"hidden by script on {where}", False)
        opacity = _number(decls.get("opacity", ""))
        if opacity is not None and opacity <= 0.01:
            return Hidden(f"opacity:{decls['opacity']} on {where}", True)
        if decls.get("position") in ("absolute", "fixed"):
            for prop in ("left", "top", "right", "margin-left", "margin-top"):
                value = _px(decls.get(prop, ""))
                if value is not None and value <= OFF_SCREEN_PX:
                    return Hidden(f"position:{decls['position']};{prop}:{decls[prop]} on {where}", True)
        overflow = decls.get("overflow", "")
        if "hidden" in overflow or "clip" in overflow:
            for prop in ("height", "width", "max-height", "max-width"):
                value = _px(decls.get(prop, ""))
                if value is not None and value <= 1:
                    return Hidden(f"{prop}:{decls[prop]};overflow:hidden on {where}", True)
        if node.tag == "marquee":
            for prop in ("height", "width"):
                value = _px(attrs.get(prop) or decls.get(prop) or "")
                if value is not None and value <= 2:
                    return Hidden(f"marquee {prop}={value:g}", True)
        return None


def _describe(node: Any) -> str:
    attrs = node.attributes
    out = node.tag
    if attrs.get("id"):
        out += f"#{attrs['id']}"
    elif attrs.get("class"):
        out += "." + ".".join((attrs["class"] or "").split()[:2])
    return out


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _px(value: str | None) -> float | None:
    if not value:
        return None
    m = _LENGTH_RE.match(value)
    if not m:
        return None
    number = float(m[1])
    unit = (m[2] or "px").lower()
    if unit in ("em", "rem"):
        return number * 16
    if unit == "pt":
        return number * 4 / 3
    if unit in ("%", "vw", "vh"):
        return number * 10 if number < 0 else (number if number == 0 else None)
    return number


def _colour(value: str) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    for token in value.split():
        if token in _NAMED_COLOURS:
            return _NAMED_COLOURS[token]
        m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", token)
        if m:
            hexa = m[1]
            return "#" + ("".join(c * 2 for c in hexa) if len(hexa) == 3 else hexa)
    m = re.search(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)", value)
    if m:
        return "#" + "".join(f"{min(255, int(x)):02x}" for x in m.groups())
    return None
