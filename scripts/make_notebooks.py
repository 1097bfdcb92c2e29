"""Writes the teaching notebooks under notebooks/ from the cell lists below (outputs empty; CI
executes them). Each notebook's first code cell is tagged `parameters` (papermill-style) and sets
`quick = true`; set it to `false` for full size."""
import pathlib
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = {}

PARAMETERS = ('# Parameters: `quick = true` runs small sizes (tiny models, few epochs, coarse grid)\n'
              '# so the notebook finishes in a minute or two; `quick = false` runs full size.\n'
              'quick = true')

def trained_ssgsnet(split_kind):
    """The first code cell of notebooks 04 and 05: the survey prepared and SSGSNet trained."""
    return f"""
use "pipeline"
survey = synthetic_survey(preset: "small", seed: 42)
prep = prepare(survey, quick: quick, split_kind: "{split_kind}", seed: 1)
s = prep.sizes
model = ssgsnet(channels: prep.stack.count, preset: s.preset, window: s.window, seed: 0)
fit = train(model, prep.data, epochs: if quick {{ 15 }} else {{ s.epochs }}, batch: s.batch,
            lr: cosine(s.lr_max, s.lr_min), seed: 0);
"""


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


notebook("03_train_and_compare", [
    M("""
# 3 · Training the four models and comparing them honestly

The paper compares its SSGSNet (a CNN with channel and spatial attention plus a transformer branch)
with a ResNet, a Vision Transformer and a dual-branch network, on windows of the 15-layer stack.
Here all four are trained on the same augmented windows and compared on two kinds of validation
split. In quick mode the models use the `tiny` preset and train for ten epochs on 64 windows, so the numbers
are about the *method*, not the paper's accuracies.
"""),
    C(PARAMETERS),
    M("""
## Data

`prepare` (from `stdlib/pipeline.lode`) repeats notebook 1: IDW layers, fault rings, K-means
negatives, windows, augmentation and a split. First the paper's split: random and stratified,
20 % of the augmented windows kept for validation.
"""),
    C("""
use "pipeline"
survey = synthetic_survey(preset: "small", seed: 42)
prep = prepare(survey, quick: quick, split_kind: "random", seed: 1)
prep.data
"""),
    M("""
## Training

Adam with a cosine learning-rate schedule and cross-entropy loss; after each epoch the validation
AUC is measured and the best epoch's weights are kept.
"""),
    C("""
trained = time(train_all(prep))
# Every model's curves in one figure: a colour per model, validation dashed.
plot_history(trained.histories)
"""),
    M("""
## ROC curves and the comparison table (random split)

The ROC curve plots the true-positive rate against the false-positive rate as the probability
threshold falls; the area under it (AUC) is the paper's headline figure.
"""),
    C("plot_roc(trained.models, prep.data.val)"),
    C("""
random_table = compare(trained, prep, split_name: "random")
random_table
"""),
    M("""
## The same models on a grouped split

Augmentation makes up to hundreds of rotated, flipped and shifted copies of each *site*. A random
split sends copies of the same deposit to both training and validation, so validation measures
how well the model recognises a deposit it has already seen, slightly rotated. A grouped split
keeps all copies of one site on the same side: validation deposits are genuinely new.
"""),
    C("""
grouped = prepare(survey, quick: quick, split_kind: "grouped", seed: 1)
trained_grouped = time(train_all(grouped))
grouped_table = compare(trained_grouped, grouped, split_name: "grouped")
grouped_table
"""),
    C("plot_roc(trained_grouped.models, grouped.data.val)"),
    M("""
## Why the two tables differ

On the random split the AUCs are typically higher, often near 1 at full size, as in the paper.
That figure is inflated by **leakage**: augmented copies of one deposit sit on both sides of the
split, so the network can score well by memorising each site's neighbourhood. On the grouped split
every validation window comes from a site the model never saw, which is the situation of a real
exploration target; its AUC is the honest estimate of how well the map will find *new* deposits.
The gap between the two tables is the size of the leakage. With only eleven deposits, the grouped
validation set holds a few sites, so its AUC is also noisier — one more reason to judge the final
map on the hidden deposits (notebook 5) rather than on window AUC alone.
"""),
])

notebook("05_targets", [
    M("""
# 5 · From a trained model to exploration targets

The prospectivity map is the model's deposit probability for the window centred on every cell.
It is graded into A, B and C classes, the classes are split into connected target zones, and the
map is judged on the **hidden deposits**, which no step of training has seen.
"""),
    C(PARAMETERS),
    C(trained_ssgsnet("grouped")),
    M("""
## The prospectivity map

`predict_map` slides the window over the stack (every `stride` cells, blended in between).
"""),
    C("""
prob = predict_map(model, prep.stack, stride: s.stride)
# labels: true writes each deposit's name beside it.
plot_map(prob, title: "SSGSNet prospectivity", faults: survey.faults, deposits: survey.deposits, hidden: survey.hidden,
         labels: true)
"""),
    M("""
## Grading: the paper's thresholds and automatic ones

The paper grades cells with probability ≥ 0.95 as A, ≥ 0.90 as B and ≥ 0.85 as C. A briefly
trained model may never reach those values, so `grade_auto` finds thresholds from the map's own
histogram instead (the upper tail above the background).
"""),
    C("""
paper = {A: 0.95, B: 0.90, C: 0.85}
auto = grade_auto(prob)
print("automatic thresholds:", auto)
histogram(prob, thresholds: paper, title: "Probability histogram with the paper's thresholds")
"""),
    C("""
paper_zones = grade(prob, a: 0.95, b: 0.90, c: 0.85, deposits: survey.deposits, hidden: survey.hidden)
print("paper thresholds:", paper_zones)
zones_auto = grade(prob, a: auto.a, b: auto.b, c: auto.c, deposits: survey.deposits, hidden: survey.hidden)
zones_auto
"""),
    M("""
## Target zones on the map

Each connected patch of one grade is a target zone; the table above lists each zone's area, mean
and maximum probability and the known and hidden deposits inside it. The hidden deposits captured
by A, B and C zones measure the map's value for exploration.
"""),
    C("""
plot_map(prob, title: "Target zones (automatic thresholds)", faults: survey.faults, deposits: survey.deposits,
         hidden: survey.hidden, zones: zones_auto)
"""),
    C("""
print("hidden deposits captured by the zones:", zones_auto.hidden_captured)
"""),
    M("""
## Success-rate curve

Sort the cells from most to least prospective and count the share of hidden deposits captured as
the area grows. A useful map captures most deposits in a small share of the area; the diagonal is
a random map.
"""),
    C("""
sr = success_rate(prob, survey.hidden)
print("area under the success-rate curve:", sr.area)
plot_success_rate({SSGSNet: prob}, survey.hidden)
"""),
    M("""
## Export for QGIS

The map as a GeoTIFF (with its CRS, EPSG:32646) and the zones as GeoJSON open directly in QGIS;
the zones also as CSV.
"""),
    C("""
folder = "lode_targets_out"
print(save(prob, folder + "/prospectivity.tif"))
print(save(zones_auto, folder + "/zones.geojson"))
print(save(zones_auto, folder + "/zones.csv"))
"""),
])

notebook("04_explain", [
    M("""
# 4 · Explaining the model with SHAP

Which of the 15 layers drive the model's deposit probability? SHAP values split a window's
prediction into one contribution per layer: how much that layer pushed the probability up or down
from the background's. The paper (Fig. 8-9) finds the **fault layer** first, followed by the gold
pathfinders — the geology of orogenic gold, where faults are the fluid conduits.
"""),
    C(PARAMETERS),
    C(trained_ssgsnet("random")),
    M("""
## Permutation SHAP over the layers

Each layer is a player; a coalition's value is the model's output with the other layers replaced
by the background (layer means). Permutation SHAP estimates the Shapley values from random orders
of the layers.
"""),
    C("""
# Quick mode explains 8 validation windows with a modest budget of model evaluations.
ex = shap(model, prep.data.val, method: "permutation", count: if quick { 8 } else { s.shap_windows },
          max_evals: if quick { 160 } else { s.shap_evals }, background: 8)
beeswarm(ex)
"""),
    M("""
In the beeswarm each dot is one window; its position is the layer's SHAP value and its colour the
layer's value in that window. The bar chart gives the mean |SHAP| per layer: the global ranking.
"""),
    C("bar(ex)"),
    M("""
## One window: the waterfall

How each layer moves one window's prediction from the base value (the background's output) to the
model's output.
"""),
    C("waterfall(ex, index: 0)"),
    M("""
## Attribution images

Expected gradients give a SHAP value per *pixel* of each layer: where in the window each layer
matters. For a deposit window the fault layer's attribution follows the fault trace.
"""),
    C("""
eg = shap(model, prep.data.val, method: "expected_gradients", count: 2, max_evals: s.shap_evals, background: 8)
attributions(eg, index: 0)
"""),
    M("""
## Compared with the paper

The paper ranks the fault layer first and the Au-As-Sb-Hg association next. A tiny model trained
briefly on eleven deposits (quick mode) usually gives a different, noisier ranking: it may lean on
base-metal or lithology-driven layers (Co, Pb, Zn) that happen to separate its few training sites
from the negatives. That is itself a lesson — with so few positives a network can find shortcuts
that are not the ore-forming process — and SHAP is how you catch it. Run the notebook with
`quick = false` to check whether the fault layer takes the lead at full size. Either way, read the
ranking as *what this model uses*, not as proof of a genetic link.
"""),
])


notebook("02_building_blocks", [
    M("""
# 2 · The building blocks of SSGSNet

SSGSNet has two branches. The **spectral-spatial branch** is a ResNet whose residual blocks carry
*channel attention* (which of the 15 layers matter for this window) and *spatial attention*
(where in the window they matter). The **global spatial correlation branch** is a Vision
Transformer: the window is cut into patches, each patch becomes a token, and self-attention lets
every patch look at every other — long-range structure such as a fault crossing the window.
Fusion gates weigh the two branches before the classifier.

Every block here is a Lode value you can build, apply to real windows and inspect:
`attention(model, x)` reads out the weights each attention block uses, and `plot_image`,
`plot_window` and `plot_bars` draw them. The last part builds a model of your own design from
the same blocks, trains it, saves and reloads it, maps it and explains it.
"""),
    C(PARAMETERS),
    C("""
use "pipeline"
survey = synthetic_survey(preset: "small", seed: 42)
prep = prepare(survey, quick: quick, seed: 1)
s = prep.sizes
val = prep.data.val
x = val.tensor
labels = val.labels
d = filter(range(len(labels)), fn(i) => labels[i] == 1)[0]
window = slice(x, 0, d, d + 1)
seed_blocks(0)
print("layers:", val.layers)
x.shape
"""),
    M("""
A batch of windows is a tensor `[N, C, H, W]`: N windows, C = 15 layers, H × W cells. `d` is the
first validation window centred on a known deposit, and `window` is that window alone.

## What the network sees

Each window is a stack of standardised layers (z-scores: 0 is the survey's average, +2 a strong
high). One colour scale serves every panel, so a layer that is bright here is anomalous in the
same sense as a bright cell of another layer.
"""),
    C('plot_window(val, d, layers: ["Au", "As", "Sb", "Hg", "Cu", "faults"])'),
    M("""
## Channel attention (squeeze and excitation, Eqs. 1-3)

Each layer is squeezed to its mean over the window; a small two-layer network turns the 15 means
into 15 weights between 0 and 1, and each layer is scaled by its weight. `attention` returns
those weights; dividing the block's output by its input gives the same numbers.
"""),
    C("""
ca = channel_attention(15, reduction: 3, seed: 1)
print(ca)
ca_weights = attention(ca, window).channel_attention
ratio = reshape(slice(slice(forward(ca, window) / window, 2, 0, 1), 3, 0, 1), [15])
print("attention():    ", map(ca_weights.values, fn(v) => round(v * 1000) / 1000))
print("output / input: ", map(ratio.values, fn(v) => round(v * 1000) / 1000))
plot_bars(ca_weights, names: val.layers, title: "Channel attention of one deposit window (untrained)", label: "weight (0 to 1)")
"""),
    M("""
Untrained, the weights sit near 0.5 and their order means nothing. After training, a layer
with a weight near 1 is passed on at full strength and one near 0 is muted *for this window*:
compare deposit and barren windows to see which layers the block leans on.

## Spatial attention (CBAM, Eqs. 4-5)

Across the layers each cell's mean and maximum are taken, a 7×7 convolution turns these two maps
into one, and a sigmoid gives a weight per cell: every layer is scaled by the same spatial map.
Shown beside the window's layers (each panel has its own colour scale):
"""),
    C("""
sa = spatial_attention(kernel: 7, seed: 1)
print(sa)
sa_map = attention(sa, window).spatial_attention
print("map shape:", sa_map.shape)
plot_window(val, d, layers: ["Au", "As", "faults"], attention: sa_map)
"""),
    M("""
## The improved residual block (Table 1)

conv-BN-ReLU, conv-BN, channel attention, spatial attention, added to the shortcut (a 1×1
projection when the shape changes), then ReLU. With stride 2 it halves the window and, here,
widens 15 layers to 32 feature maps. `improved_block` is written in Lode in `stdlib/models.lode`;
`attention` finds the two attention blocks inside it by their keys.
"""),
    C("""
rb = improved_block(15, 32, stride: 2, reduction: 4)
print(rb)
print("output:", forward(rb, x).shape)
rb_maps = attention(rb, x)
map(keys(rb_maps), fn(k) => k + " " + str(rb_maps[k].shape))
"""),
    M("""
## Patch embedding and self-attention

A window of side 16 (quick mode) cut into 4×4 patches gives 16 tokens (64 for the paper's 32×32);
each is projected to a vector of size D. Below, each row is one patch's token.
"""),
    C("""
pe = patch_embedding(15, 32, patch: 4)
tokens = forward(pe, window)
print("tokens:", tokens.shape)
plot_image(tokens, title: "Patch embedding of one window (untrained)", x_label: "token dimension",
           y_label: "patch", label: "value", colormap: "diverging")
"""),
    M("""
Self-attention mixes the tokens: every output token is a weighted mix of all of them, so
information can flow across the whole window in one step. Row *i* of a head's map says how
query patch *i* spreads its attention over the key patches (each row sums to 1); a head that
has learned something shows bright off-diagonal cells linking distant patches.
"""),
    C("""
att = self_attention(32, heads: 4)
print("after self-attention:", forward(att, tokens).shape)
print("after an encoder block:", forward(encoder_block(32, heads: 4, mlp: 64), tokens).shape)
heads = map(range(4), fn(h) => "head " + str(h + 1))
plot_image(attention(att, tokens).self_attention, names: heads, title: "Self-attention between patches (untrained)",
           x_label: "key patch", y_label: "query patch", label: "attention")
"""),
    M("""
## SSGSNet assembled from blocks

`ssgsnet` (in `stdlib/models.lode`) assembles both branches and the fusion gates from the
blocks above. Its parameter names match the built-in `ssgsnet()`, so weights move between them,
and `attention` reads every attention block of it by the same keys.
"""),
    C("""
net = ssgsnet(channels: 15, preset: s.preset, window: s.window)
print(net)
print("logits:", forward(net, x).shape)
before = attention(net, window)
# The ViT branch's last encoder block, and a name for each of its heads.
last = keys(before)[len(keys(before)) - 1]
net_heads = map(range(model_sizes(preset: s.preset).heads), fn(h) => "head " + str(h + 1))
print("last encoder block:", last)
keys(before)
"""),
    M("""
In the ViT branch a learned **[CLS]** token (token 0) is added to the patch tokens; the
classifier reads only its final vector. Row 0 of the last block's attention, laid out on the
patch grid, therefore shows which patches the branch's summary draws on. Untrained it is close
to uniform (1/17 ≈ 0.06 per token in quick mode).
"""),
    C("""
plot_image(cls_attention(before[last], index: 0), names: net_heads,
           title: "[CLS] → patches, last encoder block (untrained)", label: "attention")
"""),
    C("""
fit = train(net, prep.data, epochs: if quick { 5 } else { s.epochs }, batch: s.batch,
            lr: cosine(s.lr_max, s.lr_min), seed: 0)
plot_history(fit)
"""),
    C("plot_roc({\"SSGSNet (blocks)\": net}, prep.data.val)"),
    M("""
## What the trained network attends to

The same readout on the trained net. What to look for:

- **[CLS] → patches**: does the summary concentrate on the patches holding the Au–As–Sb
  anomaly, or on a fault crossing the window? Heads may specialise; several heads agreeing is
  more telling than one.
- **Token × token maps**: bright off-diagonal cells link distant patches, the long-range
  structure the ViT branch is there for.
- **Spatial attention**: bright cells are amplified in every feature map; compare them with the
  anomaly and the fault layer beside them.
- **Channel attention inside the net** acts on learned feature maps (8 in quick mode), not on
  the 15 geochemical layers, so its bars are numbered, not named.

Be honest about what this shows. In quick mode the survey is a toy, the model tiny and the
training a few epochs, so the maps are often diffuse and change with the seed; when they look
much like the untrained ones above, training has not yet shaped the attention. Attention shows
where a block looks, not why; it is a prompt for a geologist's questions, not evidence of a
genetic link. Read the full-size run (`quick = false`) before drawing conclusions.
"""),
    C("""
after = attention(net, window)
plot_image(cls_attention(after[last], index: 0), names: net_heads,
           title: "[CLS] → patches, last encoder block (trained)", label: "attention")
"""),
    C("""
plot_image(after[last], names: net_heads, title: "Token × token attention (trained); token 0 is [CLS]",
           x_label: "key token", y_label: "query token", label: "attention")
"""),
    C('plot_window(val, d, layers: ["Au", "As", "Sb", "faults"], attention: after["ss.layers.0.block1.sa"])'),
    C("""
plot_bars(after["ss.layers.0.block1.ca"], title: "Channel attention of the first residual block (trained)",
          label: "weight of each feature map (0 to 1)")
"""),
    M("""
## A model of your own design

Nothing above is special to the paper's models: any model built from blocks trains, saves,
maps and explains. Here is one none of the four computes — two conv-BN-ReLU blocks (the second
halving the window), global average pooling and a linear classifier. It is written as a
function, because a checkpoint holds weights, not code: to reload it you build the same
architecture again, as in PyTorch. Change the widths, add a block, and rerun the cells below.
"""),
    C("""
fn my_design(seed: 7) {
    seed_blocks(seed)
    sequential({conv1: conv2d(15, 16, 3), bn1: batchnorm(16), act1: relu(),
                conv2: conv2d(16, 32, 3, stride: 2), bn2: batchnorm(32), act2: relu(),
                pool: global_avg_pool(), head: linear(32, 2)})
}
mine = my_design()
print(mine)
mine_fit = train(mine, prep.data, epochs: if quick { 6 } else { 30 }, batch: s.batch, lr: cosine(1e-3, 1e-4),
                 optimizer: "adamw", weight_decay: 1e-4, seed: 0)
print("training loss per epoch:", map(mine_fit.loss, fn(v) => round(v * 1000) / 1000))
plot_history(mine_fit, title: "A model of my own design")
"""),
    M("""
`train` learnt the model's input contract from the data (15 layers, the window size, the layer
names). `save` writes the weights, the BatchNorm statistics and that contract; `load_weights`
fills a freshly built copy — here one started from other random weights — and its predictions
are the trained model's.
"""),
    C("""
path = save(mine, temp_folder() + "/my_design.safetensors")
copy = load_weights(my_design(seed: 99), path)
p_mine = predict(mine, prep.data.val)
p_copy = predict(copy, prep.data.val)
print("largest difference between the two:", max(map(range(len(p_mine)), fn(i) => abs(p_mine[i] - p_copy[i]))))
print("takes", copy.channels, "layers of", copy.window, "x", copy.window, "cells")
evaluate({"my design": copy, "SSGSNet (blocks)": net}, prep.data.val, split: "random")
"""),
    M("""
The map needs no `window:`: the model knows its window. Expected-gradients SHAP integrates the
model's gradients from background windows to each window, so it explains any model that trains:
a mean |SHAP| per layer, and per-cell attributions of one window.
"""),
    C("""
mine_map = predict_map(copy, prep.stack, stride: s.stride)
plot_map(mine_map, title: "Prospectivity of my design", faults: survey.faults, hidden: survey.hidden)
"""),
    C("""
mine_ex = shap(copy, prep.data.val, method: "expected_gradients", count: 4, max_evals: if quick { 32 } else { 200 },
               background: 8, background_data: prep.data.train, seed: 0)
print(mine_ex)
bar(mine_ex)
"""),
    C("attributions(mine_ex, index: 0)"),
])


notebook("06_your_data", [
    M("""
# 6 · The same workflow on your own files

Real surveys arrive as files: a CSV of stream-sediment samples with coordinates and element
columns, faults as a shapefile or GeoPackage, known deposits as points. This notebook writes the
built-in survey to such files, then runs the workflow *only from the files* — replace the paths
with your own to use your data.
"""),
    C(PARAMETERS),
    M("""
## Writing the built-in survey to files

`export_survey` writes samples (CSV and GeoJSON), faults (GeoJSON and GeoPackage), known and
hidden deposits (GeoJSON) and a geology raster. The faults are also saved as an ESRI shapefile,
the format many survey archives use.
"""),
    C("""
# A fresh scratch folder under the system's temporary directory; put your own folder here.
folder = temp_folder(prefix: "lode-your-data")
survey = synthetic_survey(preset: if quick { "small" } else { "paper" }, seed: 42)
files = export_survey(survey, folder)
save(survey.faults, folder + "/faults.shp");
list_files(folder)
"""),
    M("""
## Reading them back

`read_points` finds the x/y columns of a CSV itself (name them with `x:`/`y:` if it cannot); a CSV
carries no CRS, so it is given. Vector files carry theirs.
"""),
    C("""
samples = read_points(folder + "/samples.csv", crs: "EPSG:32646")
faults = read_lines(folder + "/faults.shp")
deposits = read_points(folder + "/known_deposits.geojson")
hidden = read_points(folder + "/hidden_deposits.geojson")
print(samples)
print(faults)
print(deposits)
samples.columns
"""),
    C("summary(samples)"),
    M("""
## The workflow, unchanged

`prepare` only needs a record with the same fields as the built-in survey: the extent to grid,
the samples, the faults, the known deposits and (for judging the map) the hidden ones. For your
own data leave `hidden` out of `grade` and `success_rate`, or use deposits found after the survey.
"""),
    C("""
use "pipeline"
mine = {extent: samples.extent, samples: samples, faults: faults, deposits: deposits, hidden: hidden}
prep = prepare(mine, quick: quick, split_kind: "grouped", seed: 1)
s = prep.sizes
model = ssgsnet(channels: prep.stack.count, preset: s.preset, window: s.window, seed: 0)
fit = train(model, prep.data, epochs: if quick { 10 } else { s.epochs }, batch: s.batch,
            lr: cosine(s.lr_max, s.lr_min), seed: 0);
evaluate({SSGSNet: model}, prep.data.val, split: "grouped")
"""),
    C("""
targets = map_targets(model, prep)
plot_map(targets.probability, title: "Prospectivity from files", faults: faults, hidden: hidden, zones: targets.zones)
"""),
    C("""
print("hidden deposits captured:", targets.zones.hidden_captured)
print(save(targets.probability, folder + "/prospectivity.tif"))
print(save(targets.zones, folder + "/zones.geojson"))
"""),
])

notebook("07_real_survey", [
    M("""
# 7 · A real survey, as it comes

A public soil survey from the Yilgarn of Western Australia (`../shared/data/wa_soil_au`, beside
the project): 2 734 soil samples in longitude/latitude, more than 120 assay columns named element
plus unit (`Au_ppm`, `Pd_ppb`), `-9999` for "not analysed", and 14 named historic gold mines.
This notebook does everything inside Lode: read in lon/lat, reproject to UTM, clean and
summarise, choose the elements, grid, stack, and map the gold anomaly with the named mines.

The notebook runs from its own folder, so the data is at `../../shared/data` (the project root's
`../shared/data`).
"""),
    C(PARAMETERS),
    M("""
## Reading in longitude/latitude

A CSV carries no CRS, so it is given: `EPSG:4326` is WGS 84 longitude/latitude. Lode warns when
coordinates look like degrees and no CRS was given.
"""),
    C("""
data = "../../shared/data/wa_soil_au"
raw = read_points(data + "/samples.csv", crs: "EPSG:4326")
raw
"""),
    M("""
## Into metres

Every distance in Lode (cell size, IDW radius, fault rings) is in metres, so lon/lat data are
reprojected first. `utm_zone` picks the WGS 84 / UTM zone of the data's centre; `reproject`
moves the points (with GDAL/PROJ) and keeps every attribute. Gridding lon/lat data with a cell
in metres is an error that says so.
"""),
    C("""
zone = utm_zone(raw)
samples = reproject(raw, zone)
print(zone, samples.crs)
samples.extent
"""),
    M("""
## Cleaning and choosing elements

`element_columns` lists the columns read as element plus unit. `summary` counts, per element, the
measured, censored (below detection: `<0.5`, negative codes, `<` in a qualifier column), missing
and not-analysed values; most columns of this survey were never analysed (`-9999` throughout), so
the elements to map are those measured in (nearly) every sample.
"""),
    C("len(element_columns(samples).rows)"),
    C("""
candidates = ["Au", "Ag", "Cu", "Pb", "Zn", "Ni", "Co", "Pd", "As", "Sb"]
table = summary(samples, elements: candidates)
table
"""),
    C("""
# Keep the elements measured in at least 90 % of the samples.
names = table.element
measured = table.measured
elements = []
for i in range(len(names)) {
    if measured[i] >= 0.9 * raw.count { elements = append(elements, names[i]) }
}
elements
"""),
    M("""
## Grid and stack

Duplicate locations (several assays of one pit) are averaged, and a warning says how many. The
grid covers the samples' extent in metres.
"""),
    C("""
g = grid(samples, cell: if quick { 50 } else { 20 })
geo = idw(samples, elements, g) |> log10 |> zscore
st = stack(geo)
st
"""),
    M("""
## The gold anomaly and the named mines

The mines are read with their names as ids (`id: "SHORT_NAME"`), reprojected to the samples'
CRS, and labelled on the map.
"""),
    C("""
sites = reproject(read_points(data + "/sites.csv", crs: "EPSG:4326", id: "SHORT_NAME"), samples.crs)
mines = where(sites, fn(p) => p.SITE_TYPE_ == "Mine")
print(mines.count, "mines:", mines.ids)
plot_map(st["Au"], title: "Au anomaly (log10, z-score) and the historic mines", deposits: mines, labels: true)
"""),
])

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        build(name, cells)
        print("wrote", name)
