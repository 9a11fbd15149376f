#!/usr/bin/python3
"""Trains the shipped conv-heavy Fashion-MNIST models in PyTorch and exports them to ONNX, which
`nocsim import x.onnx --out x.pb` turns into model files (models/README.md, "Shipped trained
models"). Needs Debian's python3-torch and python3-onnx: run with /usr/bin/python3.

Architectures (inputs are the raw pixels in [0, 1], as nocsim's data-set reader gives them):
  vgg     6 conv 3x3 (+BatchNorm, ReLU) in 3 stages of 2, a 2x2 max-pool after each stage,
          2 fully-connected layers (the first with BatchNorm and ReLU).
  resnet  ResNet-8: a 3x3 stem conv, 3 stages of one basic block each (two 3x3 convs and an
          identity or 1x1 projection shortcut, stride 2 at stages 2 and 3), global average pool,
          one fully-connected layer. Its residual Adds need nocsim's layer graph to import.

--pd P trains every conv but the first (one input channel) and every fully-connected layer
(--pd-fc) as permuted-diagonal with block size P, as nocsim's pd_conv2d / pd_dense store them: for
every kernel position, block (bi, bj) of the (out x in) channel matrix keeps only its diagonal
(r, (r + k) mod P), k drawn once from the seed. The mask multiplies the weights after every
step and the gradients before it, so the exported weights are exactly PD (BatchNorm folding by
the importer scales whole output channels and keeps the zeros), and nocsim recognises them.

Deterministic for a seed and a thread count as far as PyTorch allows on the CPU
(torch.use_deterministic_algorithms). Example:

    nice -n 10 /usr/bin/python3 models/training/train_cnn.py --arch vgg --epochs 12 \\
        --out models/trained/onnx/vgg_dense.onnx
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import onnx
import torch
from torch import nn
from torch.nn import functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def load(split):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(DATA, prefix + "-images-idx3-ubyte.gz"), "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051 and rows == 28 and cols == 28
        x = np.frombuffer(f.read(n * 784), dtype=np.uint8)
    with gzip.open(os.path.join(DATA, prefix + "-labels-idx1-ubyte.gz"), "rb") as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 2049 and n2 == n
        y = np.frombuffer(f.read(n), dtype=np.uint8)
    # Same floats as nocsim's reader: byte / 255 in single precision.
    return (torch.tensor(x.astype(np.float32) / np.float32(255.0)).reshape(n, 1, 28, 28),
            torch.tensor(y.astype(np.int64)))


def pd_mask(cout, cin, k, p, gen):
    """1 on the PD diagonals of every (out x in) matrix at every kernel position, else 0."""
    mb, nb = (cout + p - 1) // p, (cin + p - 1) // p
    mask = torch.zeros(mb * p, nb * p, k * k)
    offsets = torch.randint(0, p, (mb, nb, k * k), generator=gen)
    r = torch.arange(p)
    for bi in range(mb):
        for bj in range(nb):
            for q in range(k * k):
                mask[bi * p + r, bj * p + (r + offsets[bi, bj, q]) % p, q] = 1.0
    return mask[:cout, :cin].reshape(cout, cin, k, k)


class Vgg(nn.Module):
    def __init__(self, ch, hidden):
        super().__init__()
        cin = 1
        for i, c in enumerate(ch, 1):
            setattr(self, f"conv{i}", nn.Conv2d(cin, c, 3, 1, 1, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(c))
            cin = c
        self.fc1 = nn.Linear(cin * 3 * 3, hidden, bias=False)
        self.bn7 = nn.BatchNorm1d(hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        for i in range(1, 7):
            x = F.relu(getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(x)))
            if i % 2 == 0:
                x = F.max_pool2d(x, 2)
        return self.fc2(F.relu(self.bn7(self.fc1(torch.flatten(x, 1)))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                          nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet8(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(1, ch[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch[0])
        self.stage1, self.stage2 = Block(ch[0], ch[0], 1), Block(ch[0], ch[1], 2)
        self.stage3 = Block(ch[1], ch[2], 2)
        self.fc = nn.Linear(ch[2], 10)

    def forward(self, x):
        x = self.stage3(self.stage2(self.stage1(F.relu(self.bn1(self.conv1(x))))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def make_masks(model, p, pd_fc, gen):
    """Masks of the PD layers: every conv with more than one input channel, and the linears."""
    masks = {}
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d) and m.in_channels > 1:
            masks[name] = (m, pd_mask(m.out_channels, m.in_channels, m.kernel_size[0], p, gen))
        elif isinstance(m, nn.Linear) and pd_fc:
            masks[name] = (m, pd_mask(m.out_features, m.in_features, 1, p, gen).reshape(
                m.out_features, m.in_features))
    return masks


def augment(x, gen):
    """Random horizontal flip and a random shift of up to 2 pixels (zero padding), per batch."""
    n = x.shape[0]
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    padded = F.pad(x, (2, 2, 2, 2))
    dx, dy = torch.randint(0, 5, (2,), generator=gen).tolist()
    return padded[:, :, dy:dy + 28, dx:dx + 28]


def export(model, example, path, name, record):
    """torch.onnx.export, then: the Identity nodes PyTorch adds where two initializers are equal
    (untrained BatchNorm statistics, say) replaced by copies (nocsim reads a chain of layers), the
    graph named, and the training record stored as metadata_props "nocsim.training.<field>",
    which `nocsim import` copies into the model file's training record."""
    tmp = path + ".tmp"
    torch.onnx.export(model, example, tmp, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}})
    graph = onnx.load(tmp)
    inits = {t.name: t for t in graph.graph.initializer}
    for node in [n for n in graph.graph.node if n.op_type == "Identity" and n.input[0] in inits]:
        copy = onnx.TensorProto()
        copy.CopyFrom(inits[node.input[0]])
        copy.name = node.output[0]
        graph.graph.initializer.append(copy)
        graph.graph.node.remove(node)
    graph.graph.name = name
    for key, value in record.items():
        entry = graph.metadata_props.add()
        entry.key, entry.value = "nocsim.training." + key, str(value)
    onnx.save(graph, tmp)
    os.replace(tmp, path)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum())
                      for i in range(0, len(x), 1000))
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["vgg", "resnet"], required=True)
    ap.add_argument("--channels", default="")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--pd", type=int, default=0, help="PD block size (0: dense)")
    ap.add_argument("--pd-fc", action="store_true", help="the fully-connected layers PD too")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images (a smoke test)")
    ap.add_argument("--name", default="", help="graph name (default: the file's stem)")
    ap.add_argument("--out", required=True, help="the .onnx file to write")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(args.seed)
    if args.arch == "vgg":
        ch = [int(c) for c in (args.channels or "16,16,32,32,64,64").split(",")]
        assert len(ch) == 6, "--channels: vgg needs 6 counts"
        model = Vgg(ch, args.hidden)
    else:
        ch = [int(c) for c in (args.channels or "16,32,64").split(",")]
        assert len(ch) == 3, "--channels: resnet needs 3 counts"
        model = ResNet8(ch)
    masks = make_masks(model, args.pd, args.pd_fc, gen) if args.pd > 1 else {}
    # Channels-last runs oneDNN's faster convolutions on the CPU (about 1.5x here).
    model = model.to(memory_format=torch.channels_last)

    def apply_masks(grad_too):
        with torch.no_grad():
            for m, mask in masks.values():
                m.weight.mul_(mask)
                if grad_too and m.weight.grad is not None:
                    m.weight.grad.mul_(mask)

    apply_masks(False)
    xtr, ytr = load("train")
    xte, yte = load("test")
    if args.limit:
        xtr, ytr = xtr[:args.limit], ytr[:args.limit]
    steps = args.epochs * ((len(xtr) + args.batch - 1) // args.batch)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True,
                          weight_decay=args.wd)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=steps, pct_start=0.2)
    loss_fn = nn.CrossEntropyLoss()
    start_cpu, start = time.process_time(), time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xtr), generator=gen)
        total = 0.0
        for i in range(0, len(xtr), args.batch):
            idx = order[i:i + args.batch]
            batch = augment(xtr[idx], gen).contiguous(memory_format=torch.channels_last)
            loss = loss_fn(model(batch), ytr[idx])
            opt.zero_grad()
            loss.backward()
            apply_masks(True)
            opt.step()
            sched.step()
            apply_masks(False)
            total += float(loss) * len(idx)
        last_loss = total / len(xtr)
        acc = accuracy(model, xte, yte)
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / len(xtr):.4f} test {acc:.4f} "
              f"wall {time.time() - start:.0f} s", flush=True)

    model.eval()
    acc = accuracy(model, xte, yte)
    command = "/usr/bin/python3 models/training/train_cnn.py " + " ".join(sys.argv[1:])
    record = {"dataset": "fashion-mnist", "command": command, "optimizer": "sgd",
              "epochs": args.epochs, "seed": args.seed, "batch_size": args.batch,
              "threads": args.threads, "learning_rate": args.lr,
              "train_seconds": round(time.time() - start, 1), "final_loss": round(last_loss, 6)}
    name = args.name or os.path.splitext(os.path.basename(args.out))[0]
    export(model, xte[:1], args.out, name, record)
    print(json.dumps(dict(record, pytorch_test_accuracy=acc,
                          train_cpu_seconds=round(time.process_time() - start_cpu, 1),
                          torch=torch.__version__)))


if __name__ == "__main__":
    main()
