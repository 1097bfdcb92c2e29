"""Pygments lexer for Lode, the scripting language of the Lode kernel.

Installed with `pip install python/lode_pygments`, it registers the lexer name `lode`
(the kernel's `language_info.pygments_lexer`), so nbconvert, Sphinx and anything else that
asks Pygments for `lode` colour Lode code. The token rules follow the language's lexer
(Sources/LodeScript/Syntax/Lexer.swift): `#` comments, single- or double-quoted strings with
backslash escapes, numbers with `_` separators and exponents, keywords, `|>` and `=>`.
"""
from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Text, Whitespace)

__all__ = ["LodeLexer"]

# The language's keywords (TokenKind.keywords), split by what they are.
KEYWORDS = ("fn", "if", "else", "for", "in", "while", "break", "continue", "return", "use")
OPERATOR_WORDS = ("and", "or", "not")
CONSTANTS = ("true", "false", "nil")


class LodeLexer(RegexLexer):
    name = "Lode"
    aliases = ["lode"]
    filenames = ["*.lode"]
    mimetypes = ["text/x-lode"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"[ \t\r]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "dqs"),
            (r"'", String.Single, "sqs"),
            (r"(fn)(\s+)([A-Za-z_]\w*)", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (words(("fn",), suffix=r"\b"), Keyword.Declaration),
            (words(("use",), suffix=r"\b"), Keyword.Namespace),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(OPERATOR_WORDS, suffix=r"\b"), Operator.Word),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (r"(\d[\d_]*)?\.\d[\d_]*([eE][+-]?\d+)?", Number.Float),
            (r"\d[\d_]*[eE][+-]?\d+", Number.Float),
            (r"\d[\d_]*", Number.Integer),
            (r"([A-Za-z_]\w*)(\s*)(:)(?!:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"([A-Za-z_]\w*)(?=\s*\()", Name.Function),
            (r"[A-Za-z_]\w*", Name),
            (r"\|>|=>|==|!=|<=|>=|[-+*/%^<>=]", Operator),
            (r"[()\[\]{},.:;]", Punctuation),
            (r".", Text),
        ],
        "dqs": [
            (r'\\(u\{[0-9A-Fa-f]+\}|.)', String.Escape),
            (r'[^"\\]+', String.Double),
            (r'"', String.Double, "#pop"),
        ],
        "sqs": [
            (r"\\(u\{[0-9A-Fa-f]+\}|.)", String.Escape),
            (r"[^'\\]+", String.Single),
            (r"'", String.Single, "#pop"),
        ],
    }
