"""Executes notebooks on the Lode kernel (quick mode: the parameters cell as stored) and reports
each one's time; used while writing them. Usage: run_notebook.py notebooks/01_*.ipynb ..."""
import sys, tempfile, time, nbformat
from nbclient import NotebookClient

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    start = time.time()
    # In a temporary folder, so the files notebooks write do not land in the checkout.
    NotebookClient(nb, timeout=300, kernel_name="lode",
                   resources={"metadata": {"path": tempfile.mkdtemp()}}).execute()
    images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if "image/png" in o.get("data", {}))
    print(f"{path}: {time.time() - start:.1f} s, {images} PNG outputs")
    if len(sys.argv) == 2:
        nbformat.write(nb, "/tmp/executed.ipynb")
