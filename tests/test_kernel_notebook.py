"""A small notebook executed end to end on the Lode kernel with nbclient, as
`jupyter nbconvert --execute` does."""
import kernel_support  # noqa: F401  (installs the kernelspec)
import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook


def test_notebook_executes_with_nbclient():
    nb = new_notebook(metadata={"kernelspec": {"name": "lode", "display_name": "Lode", "language": "lode"}})
    nb.cells = [
        new_code_cell('elements = ["Au", "As", "Sb"]\nprint("elements:", len(elements))'),
        new_code_cell("fn grade(p) { if p > 0.9 { \"A\" } else { \"B\" } }\n[grade(0.95), grade(0.5)]"),
        new_code_cell('eprint("note: synthetic data")\nx = 2;'),
        new_code_cell("x * 21"),
    ]
    client = NotebookClient(nb, timeout=60, kernel_name="lode")
    executed = client.execute()
    nbformat.validate(executed)
    cells = executed.cells
    assert [c.execution_count for c in cells] == [1, 2, 3, 4]
    assert cells[0].outputs[0]["name"] == "stdout"
    assert cells[0].outputs[0]["text"] == "elements: 3\n"
    assert cells[1].outputs[0]["output_type"] == "execute_result"
    assert cells[1].outputs[0]["data"]["text/plain"] == '["A", "B"]'
    assert [o["output_type"] for o in cells[2].outputs] == ["stream"]
    assert cells[2].outputs[0]["name"] == "stderr"
    assert cells[3].outputs[0]["data"]["text/plain"] == "42"
    assert executed.metadata["language_info"]["name"] == "lode"
