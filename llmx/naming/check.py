"""The cross-check: nothing the model says about a number is taken on trust.

The model only names figures, by the ids of the regex-found list; value, unit and
quote come from the source text, never from the model. A name is accepted when:

- it carries no figure the text lacks (`name_problems`): every run of digits (with
  the letters and signs glued to it, `1e9`, `GDP9`) and every run of two or more
  Chinese numerals (`九十九万`) must stand verbatim in the section's text;
- it is not shifted to a neighbour (`shifted_name`): a name that shares nothing
  with the words around its own figure but does with another figure's is that
  other figure's name, given to the wrong id;
- it is grounded in its own sentence (`ungrounded_name`): at least a third of its
  pieces (two-character pieces with a Chinese character, and words in Latin letters, so that a
  name in another script is held to its text too) stand in the sentence of its figure or in the section's heading
  (short forms written out on both sides). A name taken from some other sentence of the
  section (`同建行上海长三角支行签署战略合作协议` for a credit line) fails, even where
  `shifted_name` finds no neighbour it belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["name_problems", "shifted_name", "ungrounded_name", "grounded_share", "GROUNDED_SHARE"]

# The least share of a name's two-character pieces that its own sentence or heading must hold.
GROUNDED_SHARE = 1 / 3

_NAME_DIGITS = re.compile(r"[0-9A-Za-z.+%&\-]*[0-9][0-9A-Za-z.+%&\-]*")
_NAME_NUMERALS = re.compile(r"[零〇○一二两三四五六七八九十百千万亿]{2,}")


def name_problems(name: str, text: str) -> list[str]:
    """Why a name fails: it holds a number (digits, or a run of Chinese numerals) that
    does not stand in `text`, the words it was asked to name."""
    name = unicodedata.normalize("NFKC", name)
    text = unicodedata.normalize("NFKC", text)
    alien = [run for pattern in (_NAME_DIGITS, _NAME_NUMERALS) for run in pattern.findall(name)
             if run.strip(".+-&") and run.strip(".+-&") not in text]
    return [f"名称“{name}”含有原文没有的数字“{run}”" for run in alien]


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _bigrams(text: str) -> set[str]:
    """The pieces of a text that a name must share with it: its two-character pieces with a
    Chinese character in them, and its words in Latin letters (`GDP`, `budget`), whatever the
    case. A name in another script is checked like any other: by its words."""
    grams = {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isascii()}
    return grams | {w.lower() for w in _LATIN_WORD.findall(text)}


def shifted_name(name: str, own: str, others: Mapping[int, str]) -> int | None:
    """The id of the neighbouring figure a name belongs to, or None.

    Each figure's words (`own`, and the values of `others`) are the clause it stands
    in. A name is shifted when some neighbour's words hold at least half of the name's
    two-character pieces and its own words hold less than a fifth of them: it then
    most likely names that neighbour. A
    share or rate named with the subject of the figure before it (`全社会研发经费支出
    占GDP比重`) keeps enough of its own clause (`占GDP比重`) to pass. A name that shares little with every clause (an
    abbreviation spelled out, 高企 -> 高新技术企业) is no evidence of a shift and passes."""
    grams = _bigrams(unicodedata.normalize("NFKC", name))
    if not grams:
        return None
    own_share = len(grams & _bigrams(unicodedata.normalize("NFKC", own))) / len(grams)
    scored = [(len(grams & _bigrams(unicodedata.normalize("NFKC", w))) / len(grams), k) for k, w in others.items()]
    best, neighbour = max(scored, default=(0.0, None))
    return neighbour if best >= 0.5 and own_share < 0.2 else None


def grounded_share(name: str, own: str, expand=lambda t: t) -> float:
    """The share of `name`'s two-character pieces that stand in `own` (1.0 for a name with
    none); `expand` writes out short forms (高企 -> 高新技术企业) in both first."""
    grams = _bigrams(unicodedata.normalize("NFKC", expand(name)))
    if not grams:
        return 1.0
    return len(grams & _bigrams(unicodedata.normalize("NFKC", expand(own)))) / len(grams)


def ungrounded_name(name: str, own: str, expand=lambda t: t) -> str | None:
    """Why `name` is not grounded in `own` (its figure's sentence and the section's heading),
    or None. `expand` writes out short forms (高企 -> 高新技术企业) in both before comparing."""
    share = grounded_share(name, own, expand)
    if share >= GROUNDED_SHARE:
        return None
    return f"名称“{name}”与所在句子和标题几乎无关（{share:.0%} 的字词见于其中）"
