"""First look at the raw text: length, plain ASCII, and a token scan that explains mistakes.

This stage exists for the student, not for safety: the syntax-tree whitelist in
``check`` is the security boundary. Python's own syntax errors ("invalid decimal
literal") do not tell a student that ``2x`` means ``2*x``, so the common mistakes are caught
here, in one left-to-right pass, with the column and what to write instead.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

from surfaces.formula.grammar import (
    ALL_FUNCTIONS,
    ALLOWED_HELP,
    MAX_DEPTH,
    MAX_LENGTH,
    VARIABLES,
    FormulaError,
)

# Every printable ASCII character matches one branch, so the scan never stalls.
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<num>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|//|==|!=|<=|>=|:=|[^ \t\r\nA-Za-z0-9_])"
)

_OP_HELP = {
    "^": "use ** for powers, not ^ (write x**2, not x^2)",
    "//": "floor division // is not supported: use /",
    "%": "the remainder operator % is not supported",
    "=": "write only the right-hand side, e.g. x**2 + y**2, not f = x**2 + y**2",
    ":=": "assignments (:=) are not allowed: write only the expression",
    "@": "use * for multiplication, not @",
    ".": "'.' is only allowed inside numbers: write sin(x), not np.sin(x) or x.real",
    "[": "square brackets are not allowed: use ( and ) for grouping",
    "{": "curly brackets are not allowed: use ( and ) for grouping",
    "'": "quotes (text strings) are not allowed in a formula",
    ";": "a formula is one expression: remove the ';'",
    ":": "':' is not allowed in a formula",
}
_OP_HELP.update({"]": _OP_HELP["["], "}": _OP_HELP["{"], '"': _OP_HELP["'"]})
for _op in ("==", "!=", "<", ">", "<=", ">="):
    _OP_HELP[_op] = f"comparisons like {_op} are not allowed: a formula gives a number"
for _op in ("!", "&", "|", "~"):
    _OP_HELP[_op] = f"the logic/bitwise operator {_op} is not allowed"

_KEYWORD_HELP = {
    "if": "conditions (if/else) are not allowed",
    "else": "conditions (if/else) are not allowed",
    "and": "logic operators (and, or, not) are not allowed: a formula gives a number",
    "or": "logic operators (and, or, not) are not allowed: a formula gives a number",
    "not": "logic operators (and, or, not) are not allowed: a formula gives a number",
    "True": "True is not a number here: write 1",
    "False": "False is not a number here: write 0",
    "None": "None is not a number",
    "lambda": "lambda is not allowed: type just the expression, e.g. x**2 + y**2",
}
_NAME_HELP = {
    "X": "variables are lowercase: use x",
    "Y": "variables are lowercase: use y",
    "PI": "use pi (lowercase)",
    "Pi": "use pi (lowercase)",
    "E": "use e (lowercase) for Euler's number",
    "pow": "use a**b for powers, not pow(a, b)",
}
for _module in ("np", "numpy", "math", "sympy", "sp", "scipy"):
    _NAME_HELP[_module] = "functions are used by their plain name: write sin(x), not np.sin(x)"

# Look-alikes that NFKC normalisation does not map to the ASCII a student meant.
_LOOKALIKES = {
    **dict(zip("хуеоасрікνοαεχτ", "xyeoacpikvoaext", strict=True)),
    "π": "pi",
    "−": "-",
    "–": "-",
    "—": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∗": "*",
    "÷": "/",
    "²": "**2",
    "³": "**3",
    "√": "sqrt",
    "\u00a0": " ",
}


def check_text(text: object) -> str:
    """Refuse text that is not plain, short, printable ASCII; return it unchanged otherwise."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:  # before anything else touches the text
        raise FormulaError(
            f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})"
        )
    for i, ch in enumerate(text):
        if ch > "\x7e" or (ch < " " and ch not in "\t\r\n"):
            raise FormulaError(_character_message(ch, i + 1), column=i + 1)
    return text


def _character_message(ch: str, col: int) -> str:
    if ch.isascii():
        return f"control character {ch!r} at column {col}: it is invisible, remove it"
    name = unicodedata.name(ch, "")
    if not name:
        label = f"U+{ord(ch):04X}"
    elif unicodedata.category(ch).startswith("L"):
        label = name.split()[0].title()  # the script: "Cyrillic", "Greek", "Fullwidth"
    else:
        label = name.lower()
    hint = _LOOKALIKES.get(ch) or unicodedata.normalize("NFKC", ch)
    tip = f" (did you mean {hint!r}?)" if hint.isascii() and hint.strip() else ""
    return f"non-ASCII character {ch!r} ({label}) at column {col}: type it in plain ASCII{tip}"


def scan(text: str) -> None:
    """Raise FormulaError for the first mistake in checked text; silent when it is worth parsing."""
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)]
    tokens = [t for t in tokens if t[0] != "space"]
    if not tokens:
        raise FormulaError("the formula is empty: type an expression in x and y, e.g. x**2 + y**2")
    pairs = _pair_parentheses(tokens)
    expect_operand = True  # the scan's whole state, besides the open parentheses
    open_parens: list[tuple[int, bool]] = []  # (token index, belongs to a function call)
    for i, (kind, tok, start) in enumerate(tokens):
        col = start + 1
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else None
        if tok == "=" and open_parens and open_parens[-1][1]:
            raise FormulaError(
                f"no keyword arguments: write sin(x), not sin(x=...) (column {col})", col
            )
        if kind == "op" and tok in _OP_HELP:
            raise FormulaError(f"{_OP_HELP[tok]} (at column {col})", column=col)
        if kind == "name":
            kind = _classify_name(tokens, i, nxt)
        if kind != "op" or tok == "(":
            if not expect_operand:
                raise _implicit_multiplication(text, tokens, pairs, i)
            if kind == "func" and nxt != "(":
                raise FormulaError(
                    f"{tok!r} at column {col} is a function: write {tok}(...), e.g. {tok}(x)",
                    column=col,
                )
            if tok == "(":
                open_parens.append((i, i > 0 and tokens[i - 1][0] == "name"))
                if len(open_parens) > MAX_DEPTH:
                    raise FormulaError(
                        f"too deeply nested at column {col}: at most {MAX_DEPTH} levels of "
                        "parentheses",
                        column=col,
                    )
            expect_operand = kind == "func" or tok == "("
        elif tok in ("+", "-"):
            expect_operand = True  # unary or binary, both fine
        elif tok in ("*", "/", "**", ","):
            if expect_operand:
                raise _missing_left_operand(tokens, i)
            if tok == "," and not (open_parens and open_parens[-1][1]):
                raise FormulaError(
                    f"a comma at column {col}: a formula is a single expression", column=col
                )
            expect_operand = True
        elif tok == ")":
            if not open_parens:
                raise FormulaError(
                    f"unexpected ')' at column {col}: there is no '(' to close", column=col
                )
            if expect_operand:
                what = "empty parentheses" if tokens[i - 1][1] == "(" else "something is missing"
                raise FormulaError(f"{what} before ')' at column {col}", column=col)
            open_parens.pop()
        else:  # a character no branch above knows: '`', '\\', '#', '?', '$'
            raise FormulaError(f"unexpected character {tok!r} at column {col}", column=col)
    if expect_operand:
        kind, tok, start = tokens[-1]
        raise FormulaError(
            f"the formula ends with {tok!r} (column {start + 1}): something is missing after it",
            column=start + 1,
        )
    if open_parens:
        col = tokens[open_parens[-1][0]][2] + 1
        raise FormulaError(f"missing ')': the '(' at column {col} is never closed", column=col)


def _classify_name(tokens: list[tuple[str, str, int]], i: int, nxt: str | None) -> str:
    """'var' or 'func' for an allowed name; FormulaError with advice for anything else."""
    _, tok, start = tokens[i]
    col = start + 1
    prev_kind, prev_tok, prev_start = tokens[i - 1] if i else ("", "", -1)
    if prev_kind == "num" and prev_start + len(prev_tok) == start:  # glued: "0x1f", "1j", "2x"
        if prev_tok == "0" and tok[0] in "xXoObB":
            raise FormulaError(
                f"write numbers in decimal (column {prev_start + 1}): hexadecimal, octal and "
                "binary literals are not supported",
                column=prev_start + 1,
            )
        if tok[0] in "jJ":
            raise FormulaError(
                f"complex numbers like {prev_tok}{tok} are not allowed (column {col})", column=col
            )
    if tok in VARIABLES:
        return "var"
    if tok in ALL_FUNCTIONS:
        return "func"
    if tok in _KEYWORD_HELP or keyword.iskeyword(tok):
        why = _KEYWORD_HELP.get(tok, f"{tok!r} is a Python keyword and is not allowed in a formula")
        raise FormulaError(f"{why} (at column {col})", column=col)
    if tok in _NAME_HELP:
        raise FormulaError(f"unknown name {tok!r} at column {col}: {_NAME_HELP[tok]}", column=col)
    if nxt == "(":
        raise FormulaError(f"unknown function {tok!r} at column {col}: {ALLOWED_HELP}", column=col)
    tip = ""
    if set(tok) <= {"x", "y"}:  # "xy"
        tip = " (for a product write " + "*".join(tok) + ")"
    elif tok[0] in "xy" and tok[1:].isdigit():  # "x2"
        tip = f" (write {tok[0]}*{tok[1:]} for a product, {tok[0]}**{tok[1:]} for a power)"
    raise FormulaError(f"unknown name {tok!r} at column {col}: use x, y, pi, e{tip}", column=col)


def _pair_parentheses(tokens: list[tuple[str, str, int]]) -> dict[int, int]:
    """Token index of each matched parenthesis -> index of its partner (both directions)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, (_, tok, _start) in enumerate(tokens):
        if tok == "(":
            stack.append(i)
        elif tok == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _implicit_multiplication(
    text: str, tokens: list[tuple[str, str, int]], pairs: dict[int, int], i: int
) -> FormulaError:
    """'2x' -> "write 2*x, not 2x", quoting the two operands the student put side by side."""
    first = pairs.get(i - 1, i - 1)  # a ')' reaches back to its '(' ...
    if first > 0 and tokens[first][1] == "(" and tokens[first - 1][0] == "name":
        first -= 1  # ... and to the function name in front of it
    last = i + 1 if tokens[i][1] in ALL_FUNCTIONS and i + 1 in pairs else i
    last = pairs.get(last, last)
    left_end = tokens[i - 1][2] + len(tokens[i - 1][1])
    right_start = tokens[i][2]
    right_end = tokens[last][2] + len(tokens[last][1])
    left = _clip(text[tokens[first][2] : left_end])
    right = _clip(text[right_start:right_end])
    gap = text[left_end:right_start]
    col = right_start + 1
    return FormulaError(
        f"implicit multiplication at column {col}: write {left}*{right}, not {left}{gap}{right}",
        column=col,
    )


def _missing_left_operand(tokens: list[tuple[str, str, int]], i: int) -> FormulaError:
    _, tok, start = tokens[i]
    col = start + 1
    if i == 0 or tokens[i - 1][1] == "(":
        return FormulaError(f"{tok!r} at column {col} has nothing on its left", column=col)
    return FormulaError(
        f"{tok!r} at column {col} follows {tokens[i - 1][1]!r}: something is missing between them",
        column=col,
    )


def _clip(s: str, limit: int = 30) -> str:
    return s if len(s) <= limit else s[: limit - 3] + "..."
