"""Executes teaching notebooks on the Lode kernel and reports each one's time and figures.

    run_notebook.py [--full] [--output DIR] notebooks/01_*.ipynb ...

Quick mode (default) runs the `parameters` cell as stored (`quick = true`). `--full` sets
`quick = false` there: the paper's sizes, which take from minutes (notebook 01) to days of
CPU (the 50-epoch trainings of notebooks 02-06) on two cores. `--output DIR` keeps each
executed notebook (with its figures) in DIR. The kernel is the one `lode kernel install`
registered, or the build's own when LODE_BIN is set (as the tests do).
"""
import argparse
import os
import pathlib
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
if os.environ.get("LODE_BIN"):
    import kernel_support  # noqa: F401  (a kernelspec for LODE_BIN under the build folder)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--full", action="store_true", help="run at full size (quick = false)")
    parser.add_argument("--output", help="folder for the executed notebooks")
    args = parser.parse_args()
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if args.full:
            cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
            assert "quick = true" in cell.source, f"{path}: no `quick = true` parameters cell"
            cell.source = cell.source.replace("quick = true", "quick = false")
        start = time.time()
        # In a temporary folder, so the files notebooks write do not land in the checkout.
        NotebookClient(nb, timeout=None if args.full else 300, kernel_name="lode",
                       resources={"metadata": {"path": tempfile.mkdtemp()}}).execute()
        images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                     if "image/png" in o.get("data", {}))
        print(f"{path}: {time.time() - start:.1f} s, {images} PNG outputs", flush=True)
        if args.output:
            os.makedirs(args.output, exist_ok=True)
            nbformat.write(nb, os.path.join(args.output, os.path.basename(path)))


if __name__ == "__main__":
    main()
