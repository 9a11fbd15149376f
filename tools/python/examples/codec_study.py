#!/usr/bin/env python3
"""The demo's codec study from Python, with its figure in matplotlib, plus one codec written here.

    PYTHONPATH=build/tools/python python3 tools/python/examples/codec_study.py [-j 2] [--out DIR]
        [--sweep FILE]

Runs configs/study/codec_sweep.textproto (14 built-in codec settings on the shipped PD MLP and PD
VGG, 4x4 mesh, steady state over 20 images with 8 KiB weight buffers; resumes like `nocsim
sweep`), then, for each model, one run with `log4`, a 4-bit logarithmic quantizer defined below,
on the same settings, and draws steady-state latency and energy per inference against test
accuracy, one row of panels per model: one colour and marker per codec family, the Pareto front
dashed, as `nocsim plot` does. --sweep takes another sweep file over the same base scenario.
"""
import argparse
import os

import matplotlib
import numpy as np

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402

import nocsim  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# Points more than this many accuracy points below the best are named under the axes, not drawn
# (2-bit weights would otherwise squeeze everything else into one corner).
ACCURACY_WINDOW = 15.0
# The sweep's own settings (its `set:` lines), so that the Python codec runs where the others did.
STUDY_SET = {"accelerator.pe.weight_buffer_kib": "8", "accelerator.images": "20"}
LATENCY = "accelerator.steady.cycles_per_inference"
ENERGY = "accelerator.steady.energy_pj_per_inference"


class Log4:
    """4-bit logarithmic quantizer: sign + 3-bit exponent of |w| / max|w| (powers of two)."""
    params = {"levels": (7, 1, 7, "exponents below the chunk's maximum")}
    bits = 4
    lossless = False
    # A shift and a sign flip per weight: like fp16's decoder (see `nocsim codecs`).
    decoder_cost = (1, 4.0, 0.03)

    def __init__(self, levels):
        self.levels = levels

    def encode(self, weights):
        scale = float(np.abs(weights).max()) or 1.0
        mag = np.abs(weights) / scale
        with np.errstate(divide="ignore"):
            e = np.clip(np.round(-np.log2(mag)), 0, self.levels).astype(np.uint8)
        e[mag < 2.0 ** -(self.levels + 0.5)] = 7  # 7 = zero
        codes = (e | (np.signbit(weights).astype(np.uint8) << 3)).astype(np.uint8)
        if len(codes) % 2:
            codes = np.append(codes, 0)
        packed = codes[0::2] | (codes[1::2] << 4)
        return np.float32(scale).tobytes() + packed.tobytes()

    def decode(self, data, n):
        if len(data) != 4 + (n + 1) // 2:
            raise ValueError(f"{len(data)} bytes cannot hold {n} weights")
        scale = np.frombuffer(data[:4], np.float32)[0]
        packed = np.frombuffer(data[4:], np.uint8)
        codes = np.empty(2 * len(packed), np.uint8)
        codes[0::2], codes[1::2] = packed & 15, packed >> 4
        codes = codes[:n]
        e = (codes & 7).astype(np.float32)
        w = scale * np.exp2(-e)
        w[(codes & 7) == 7] = 0
        return np.where(codes & 8, -w, w).astype(np.float32)


def family(spec):
    """"kmeans:bits=4+huffman:..." -> "kmeans+huffman", as `nocsim plot` groups codecs."""
    return "+".join(stage.split(":")[0] for stage in (spec or "identity").split("+"))


def pareto(points):
    """Points no other point beats on both axes (higher accuracy, lower cost), by accuracy."""
    front = []
    for x, y in sorted(points, key=lambda p: (-p[0], p[1])):
        if not front or y < front[-1][1]:
            front.append((x, y))
    return front[::-1]


def draw_model(axes, model, table):
    """One model's latency and energy panels; returns the points left off the axes."""
    best = 100 * table["accelerator.accuracy"].max()
    shown = table[100 * table["accelerator.accuracy"] >= best - ACCURACY_WINDOW]
    hidden = table.drop(shown.index)
    markers = "osD^vP*Xhp<>"
    families = sorted(shown["family"].unique())
    for ax, column, scale, ylabel, what in [
        (axes[0], LATENCY, 1, "latency per inference (cycles)", "Latency"),
        (axes[1], ENERGY, 1e-6, "energy per inference (uJ)", "Energy"),
    ]:
        for i, fam in enumerate(families):
            rows = shown[shown["family"] == fam]
            ax.scatter(100 * rows["accelerator.accuracy"], scale * rows[column], s=60,
                       marker=markers[i % len(markers)], color=f"C{i % 10}", label=fam)
        for _, r in shown.iterrows():
            ax.annotate(r["codec"], (100 * r["accelerator.accuracy"], scale * r[column]),
                        textcoords="offset points", xytext=(4, 4), fontsize=7)
        front = pareto(zip(100 * shown["accelerator.accuracy"], scale * shown[column]))
        ax.step(*zip(*front), where="post", linestyle="--", color="#444444", label="Pareto front")
        ax.set_xlabel("test accuracy (%)")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.set_title(f"{model}: {what.lower()} per inference vs accuracy, steady state",
                     fontsize=10)
    axes[0].legend(loc="upper left", fontsize=8)
    return [f"{model} {r['codec']} {100 * r['accelerator.accuracy']:.1f}%"
            for _, r in hidden.iterrows()]


def draw(table, out):
    # Models differ in latency by orders of magnitude, so each gets its own axes.
    models = list(dict.fromkeys(table["model"]))
    fig, axes = plt.subplots(len(models), 2, figsize=(12, 5 * len(models)), squeeze=False,
                             constrained_layout=True)
    hidden = []
    for row, model in zip(axes, models):
        hidden += draw_model(row, model, table[table["model"] == model])
    if hidden:
        fig.supxlabel("off the axes: " + ", ".join(hidden), fontsize=8)
    fig.savefig(out, dpi=150)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=os.path.join("results", "codec_sweep"))
    ap.add_argument("--sweep", default=os.path.join(ROOT, "configs", "study",
                                                    "codec_sweep.textproto"))
    args = ap.parse_args()

    nocsim.register_codec("log4", Log4)
    study = nocsim.sweep(args.sweep, jobs=args.jobs, results=args.out)
    print(f"sweep: ran {study.ran}, skipped {study.skipped} (already done), failed {study.failed}")
    if study.failed:
        raise SystemExit(f"{study.failed} point(s) of {args.sweep} failed; see {args.out}")
    table = study.table
    # A sweep without a model axis runs the base scenario's model.
    files = (table["model.file"] if "model.file" in table else
             [os.path.join(ROOT, "models", "trained", "pd_mlp_p4.pb")] * len(table))
    table = table[["codec", "accelerator.codec", LATENCY, ENERGY, "accelerator.accuracy",
                   "accelerator.bits_per_weight"]].copy()
    table["file"] = list(files)
    for model_file in dict.fromkeys(table["file"]):
        log4 = nocsim.run(os.path.join(ROOT, "configs", "study", "fmnist_pd_mlp.textproto"),
                          codec="log4", set={**STUDY_SET, "model.file": model_file}).accelerator
        table.loc[len(table)] = ["log4 (Python)", log4["codec"],
                                 log4["steady"]["cycles_per_inference"],
                                 log4["steady"]["energy_pj_per_inference"], log4["accuracy"],
                                 log4["bits_per_weight"], model_file]
    table["model"] = table["file"].map(lambda f: os.path.splitext(os.path.basename(f))[0])
    table["family"] = table["accelerator.codec"].map(family)
    table = table.sort_values("model", kind="stable")
    print(table.drop(columns=["accelerator.codec", "family", "file"]).to_string(index=False))
    out = os.path.join(args.out, "codec_study_matplotlib.png")
    draw(table, out)
    print(f"figure: {out}")


if __name__ == "__main__":
    main()
