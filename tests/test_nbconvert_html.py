"""Lode code coloured by its own Pygments lexer (python/lode_pygments, named by the kernel's
language_info.pygments_lexer) when a notebook is exported with `jupyter nbconvert --to html`."""
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import kernel_support  # noqa: F401  (installs the kernelspec)

SOURCE = ('fn grade(p, cut: 0.9) {\n'
          '    # A above the cut\n'
          '    if p > cut and not false { "A" } else { nil }\n'
          '}\n'
          '[grade(0.95), grade(0.5), true]')


def lexer():
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try:
        return get_lexer_by_name("lode")
    except ClassNotFound:
        pytest.fail("no Pygments lexer named 'lode': pip install python/lode_pygments "
                    "(scripts/requirements-test.txt does)")


def test_the_lexer_tells_lode_keywords_from_names():
    from pygments.token import Comment, Keyword, Name, Operator, String
    tokens = [(kind, text) for kind, text in lexer().get_tokens(SOURCE) if text.strip()]
    kinds = dict((text, kind) for kind, text in tokens)
    assert kinds["fn"] in Keyword and kinds["if"] in Keyword and kinds["else"] in Keyword
    assert kinds["nil"] in Keyword.Constant and kinds["false"] in Keyword.Constant and kinds["true"] in Keyword.Constant
    assert kinds["and"] in Operator.Word and kinds["not"] in Operator.Word
    assert kinds["grade"] in Name.Function and kinds["cut"] in Name
    assert kinds["# A above the cut"] in Comment and kinds["A"] in String and kinds['"'] in String


def test_nbconvert_html_of_an_executed_notebook_colours_lode(tmp_path):
    lexer()
    nb = new_notebook(metadata={"kernelspec": {"name": "lode", "display_name": "Lode", "language": "lode"}})
    nb.cells = [new_code_cell(SOURCE)]
    # Run as JupyterLab or nbclient runs it: the kernel's language_info is saved with it.
    from nbclient import NotebookClient
    NotebookClient(nb, timeout=60, kernel_name="lode").execute()
    assert nb.metadata["language_info"]["pygments_lexer"] == "lode"
    path = tmp_path / "colours.ipynb"
    nbformat.write(nb, str(path))
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(path)],
                   check=True, capture_output=True, timeout=120)
    html = (tmp_path / "colours.html").read_text()
    assert 'class="highlight hl-lode"' in html
    # Each keyword in its own coloured span, as Pygments' HTML formatter writes them.
    for css_class, word in [("kd", "fn"), ("k", "if"), ("k", "else"), ("kc", "nil"), ("kc", "true"),
                            ("kc", "false"), ("ow", "and"), ("ow", "not"), ("nf", "grade")]:
        assert re.search(rf'<span class="{css_class}">{word}</span>', html), f"{word} is not coloured as {css_class}"
    assert '<span class="c1"># A above the cut</span>' in html
    # The executed output is there too.
    assert "[&quot;A&quot;, nil, true]" in html or '["A", nil, true]' in html
