"""How a world's copies (转载) are made from their originals: a record names its original and
lists edit operations, and these functions apply them to the original's paragraphs.

Operations (tuples): ``("same",)``; ``("title", new)`` (a new headline, returned apart);
``("sub", old, new)`` (replace in the text; a problem when ``old`` is absent); ``("keep", share)``
or ``("cut", share)`` (abridge to about ``share`` of the text, ending on a sentence end);
``("drop", i)`` (paragraph ``i``); ``("lead", text)`` / ``("tail", text)`` (a paragraph
prepended / appended); ``("nodateline",)`` (remove the first paragraph's dateline, given the
world's dateline pattern).
"""

SENTENCE_ENDS = "。！？"


def paragraphs(text):
    """The non-empty lines of a body, stripped."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def keep(paras, share):
    """About ``share`` of the text, cut at the sentence end nearest that length."""
    text = "\n".join(paras)
    goal = int(len(text) * share)
    ends = [i + 1 for i, ch in enumerate(text) if ch in SENTENCE_ENDS]
    stop = min(ends, key=lambda i: abs(i - goal)) if ends else len(text)
    return [p for p in text[:stop].split("\n") if p]


def apply_ops(key, ops, paras, problems, dateline=None, unknown="op"):
    """(paragraphs, new title or None) after the operations; problems noted under ``key``."""
    paras, title = list(paras), None
    for op in ops:
        kind = op[0]
        if kind == "same":
            continue
        if kind == "title":
            title = op[1]
        elif kind == "sub":
            joined = "\n".join(paras)
            if op[1] not in joined:
                problems.append(f"{key}: sub finds no {op[1]!r}")
            paras = joined.replace(op[1], op[2]).split("\n")
        elif kind in ("keep", "cut"):
            paras = keep(paras, op[1])
        elif kind == "drop":
            if 0 <= op[1] < len(paras):
                del paras[op[1]]
            else:
                problems.append(f"{key}: drop {op[1]} out of range")
        elif kind == "lead":
            paras.insert(0, op[1])
        elif kind == "tail":
            paras.append(op[1])
        elif kind == "nodateline" and dateline is not None:
            new = dateline.sub("", paras[0], count=1)
            if new == paras[0]:
                problems.append(f"{key}: no dateline to drop")
            paras[0] = new
        else:
            problems.append(f"{key}: unknown {unknown} {kind!r}")
    return paras, title
