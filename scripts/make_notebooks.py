"""Writes the teaching notebooks under notebooks/ from the cell lists below (outputs empty; CI
executes them). Each notebook's first code cell is tagged `parameters` (papermill-style) and sets
`quick = true`; set it to `false` (or inject `quick = false` with papermill) for full size."""
import pathlib
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = {}

PARAMETERS = ('# Parameters: `quick = true` runs small sizes (tiny models, few epochs, coarse grid)\n'
              '# so the notebook finishes in a minute or two; `quick = false` runs full size.\n'
              'quick = true')


def notebook(name, cells):
    NOTEBOOKS[name] = cells


def build(name, cells):
    nb = new_notebook(metadata={
        "kernelspec": {"name": "lode", "display_name": "Lode", "language": "lode"},
        "language_info": {"name": "lode", "file_extension": ".lode"}})
    first_code = True
    for kind, text in cells:
        text = text.strip("\n")
        if kind == "md":
            nb.cells.append(new_markdown_cell(text))
        else:
            cell = new_code_cell(text)
            if first_code:
                cell.metadata["tags"] = ["parameters"]
                first_code = False
            nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{i:02d}"
    nbformat.validate(nb)
    nbformat.write(nb, ROOT / "notebooks" / f"{name}.ipynb")


M = lambda t: ("md", t)
C = lambda t: ("code", t)

notebook("01_survey_to_stack", [
    M("""
# 1 · From a geochemical survey to a 15-layer stack

This notebook walks through the data side of the paper: a stream-sediment survey over an
East-Kunlun-like orogenic gold belt, the statistics that justify its 14 elements, the gridded
element maps and the fault-influence layer, the 15-layer stack the networks see, and how the
labelled training windows (deposits and carefully chosen barren sites) are cut and augmented.

The survey is Lode's built-in synthetic one, so everything here runs without any file.
"""),
    C(PARAMETERS),
    M("""
## The survey

`synthetic_survey` generates samples with 14 elements (Au, As, Sb, Hg, Cu, Pb, Zn, Bi, Sn, Mo, W,
Co, Li, Ag), a fault network, *known* deposits (the training positives) and *hidden* deposits that
are kept back to judge the final map. Orogenic gold sits along the major faults, and the
pathfinder halo (As, Sb, Hg, Bi, Ag) is broader than the gold anomaly itself.
"""),
    C("""
survey = synthetic_survey(preset: if quick { "small" } else { "paper" }, seed: 42)
survey
"""),
    M("""
## Summary statistics

Geochemical concentrations are positively skewed, nearly log-normal; values below the detection
limit are censored (halved on cleaning). The skewness and kurtosis columns show why the layers are
log10-transformed before anything else.
"""),
    C("summary(survey.samples)"),
    M("""
## Correlation and PCA: why these 14 elements

On the log10 scale the gold pathfinders correlate with Au and with each other (the epithermal /
orogenic association As-Sb-Hg-Au), while the base metals and the granite-related W-Sn-Mo-Bi group
form separate associations. The principal components summarise these groups: the first components
load on the gold association, which is the signal the networks should find. Keeping all 14 rather
than only the gold group lets the model also learn which lithology-driven signals are *not*
mineralisation.
"""),
    C("heatmap(correlation(survey.samples))"),
    C("pca(survey.samples)"),
    M("""
## Gridding: inverse-distance weighting

Each element is interpolated onto a regular grid by inverse-distance weighting (power 2), then
log10-transformed and standardised (z-score) so all layers share one scale. Quick mode uses a
coarse 400 m cell; the paper uses 100 m.
"""),
    C("""
use "pipeline"
s = workflow_sizes(quick: quick)
g = grid(survey.extent, cell: s.cell)
geo = idw(survey.samples, paper_elements, g, power: 2) |> log10 |> zscore
plot_map(geo["Au"], title: "Au (log10, z-score)", faults: survey.faults, deposits: survey.deposits)
"""),
    C('plot_map(geo["As"], title: "As (log10, z-score): the broader pathfinder halo", faults: survey.faults)'),
    M("""
## Fault influence: ring buffers

Faults are the fluid pathways of orogenic gold. Their influence is encoded as rings at 500 m
steps out to 3 km: the closest ring scores highest, cells beyond 3 km score zero.
"""),
    C("""
faults = rename(zscore(ring_buffer(survey.faults, g, rings: [500, 1000, 1500, 2000, 2500, 3000])), "faults")
plot_map(faults, title: "Fault influence (rings)", faults: survey.faults, deposits: survey.deposits)
"""),
    M("""
## The 15-layer stack

14 element layers plus the fault layer: these are the 15 input channels of every model.
"""),
    C("""
layers = stack(geo, faults)
layers
"""),
    M("""
## Negatives: K-means on Au

A classifier needs barren examples too. Following the paper, cells are clustered by K-means on the
Au layer; negatives are drawn from the lowest clusters, far from faults and known deposits and
spaced apart, as many as there are deposits. Random cells would risk labelling undiscovered
mineralisation as barren.
"""),
    C("""
clusters = kmeans(layers["Au"], k: 5, seed: 1)
plot_map(clusters, title: "K-means clusters of Au (0 = lowest)", faults: survey.faults)
"""),
    C("""
scale = if quick { 0.5 } else { 1 }
negatives = kmeans_negatives(layers["Au"], survey.deposits, k: 5, count: survey.deposits.count,
                             away: survey.faults, fault_distance: 2000 * scale,
                             deposit_distance: 3000 * scale, spacing: 2000 * scale,
                             margin: s.window / 2 + 1, seed: 1)
plot_map(layers["Au"], title: "Known deposits (positives) and chosen negatives",
         faults: survey.faults, deposits: survey.deposits, hidden: negatives)
"""),
    M("""
(The negatives are drawn with the *hidden* marker style here, to tell them apart from the
deposits.)

## Windows and augmentation

Around every positive and negative site a window of all 15 layers is cut (32×32 cells in the
paper, 16×16 in quick mode). With only a handful of deposits, the paper grows each class by
rotations, flips, small shifts and noise to 2816 windows. Every augmented copy remembers the site
it came from — this matters in notebook 3, where it explains why a random split flatters the
models.
"""),
    C("""
raw = windows(layers, survey.deposits, negatives, size: s.window)
raw
"""),
    C("""
data = augment(raw, per_class: s.per_class, seed: 1) |> split(0.2, kind: "random", seed: 1)
data
"""),
    M("""
Next: notebook 2 builds the networks from their blocks, notebook 3 trains them on these windows.
"""),
])

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        build(name, cells)
        print("wrote", name)
