#!/usr/bin/python3
"""Remakes the ONNX test networks of tests/models/onnx_import_test.cc with PyTorch (Debian's
python3-torch and python3-onnx; CI does not need them, the outputs are committed).

For every network: tests/data/onnx/<name>.onnx and <name>.expected, the PyTorch outputs on the
first test images of Fashion-MNIST (the data set nocsim reads; lines "image <index> <outputs>").
Weights are random but seeded, and BatchNorm statistics are set to non-trivial values, so the
files are the same on every run with the same PyTorch.

    /usr/bin/python3 tests/data/make_onnx.py
"""
import gzip
import os
import struct

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx")
DATA = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
IMAGES = 3
# Networks nocsim must refuse with a clear error: no expected outputs.
REFUSED = {"sigmoid", "wrong_input"}


def test_images(count):
    with gzip.open(DATA, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051 and rows == 28 and cols == 28
        pixels = np.frombuffer(f.read(count * 28 * 28), dtype=np.uint8)
    return torch.tensor(pixels.astype(np.float32) / 255.0).reshape(count, 1, 28, 28)


class Mlp(nn.Module):  # Flatten, Gemm, Relu
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 24), nn.Linear(24, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))


class MatMulAdd(nn.Module):  # Reshape, MatMul + Add
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(784, 16) * 0.05)
        self.b1 = nn.Parameter(torch.randn(16) * 0.1)
        self.w2 = nn.Parameter(torch.randn(16, 10) * 0.3)
        self.b2 = nn.Parameter(torch.randn(10) * 0.1)

    def forward(self, x):
        h = torch.relu(torch.matmul(x.reshape(-1, 784), self.w1) + self.b1)
        return torch.matmul(h, self.w2) + self.b2


class ConvPools(nn.Module):  # Conv (padding, stride), MaxPool, AveragePool, GlobalAveragePool, Softmax
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.pool2 = nn.AvgPool2d(2, stride=2, count_include_pad=False)
        self.fc = nn.Linear(6, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))           # 4x14x14
        x = self.pool2(torch.relu(self.conv2(x)))           # 6x7x7 -> 6x3x3
        x = nn.functional.adaptive_avg_pool2d(x, 1)         # GlobalAveragePool
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class PaddedPools(nn.Module):  # padded MaxPool / AveragePool (count_include_pad=False), no conv bias
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 5, stride=1, padding=2, bias=False)
        self.pool1 = nn.MaxPool2d(3, stride=2, padding=1)
        self.pool2 = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(3 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool2(self.pool1(torch.relu(self.conv(x))))
        return self.fc(torch.flatten(x, 1))


class BatchNorms(nn.Module):  # BatchNormalization after a Conv and after a Gemm
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=2)
        self.bn1 = nn.BatchNorm2d(4)
        self.fc1 = nn.Linear(4 * 13 * 13, 12)
        self.bn2 = nn.BatchNorm1d(12)
        self.fc2 = nn.Linear(12, 10)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv(x)))
        x = torch.relu(self.bn2(self.fc1(torch.flatten(x, 1))))
        return self.fc2(x)


def pd_mask(rows, cols, p, gen):
    """A 0/1 mask with one random diagonal per p x p block (padded edges allowed)."""
    mask = torch.zeros(rows, cols)
    for bi in range(0, rows, p):
        for bj in range(0, cols, p):
            k = int(torch.randint(p, (1,), generator=gen))
            for r in range(p):
                c = (r + k) % p
                if bi + r < rows and bj + c < cols:
                    mask[bi + r, bj + c] = 1
    return mask


class PermutedDiagonal(nn.Module):  # a PD conv (p = 2) and PD fully-connected layers (p = 4)
    def __init__(self, gen):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, stride=2)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2)
        self.fc1 = nn.Linear(6 * 6 * 6, 30)
        self.fc2 = nn.Linear(30, 10)
        with torch.no_grad():
            for q in range(9):  # every kernel position has its own offsets
                self.conv2.weight[:, :, q // 3, q % 3] *= pd_mask(6, 4, 2, gen)
            self.fc1.weight *= pd_mask(30, 216, 4, gen)
            self.fc2.weight *= pd_mask(10, 30, 4, gen)

    def forward(self, x):
        x = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))


class Residual(nn.Module):  # Add of two computed tensors (a residual connection)
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 28 * 28, 10)

    def forward(self, x):
        h = torch.relu(self.conv1(x))
        return self.fc(torch.flatten(torch.relu(self.conv2(h) + h), 1))


class BasicBlocks(nn.Module):
    """ResNet basic blocks with BatchNorm: a stride-2 block whose shortcut is a 1x1 conv + BN (a
    projection), then an identity block; global average pooling and a fully-connected layer."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.conv1 = nn.Conv2d(4, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.down = nn.Conv2d(4, 8, 1, stride=2, bias=False)
        self.bn_down = nn.BatchNorm2d(8)
        self.conv3 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv4 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = torch.relu(self.stem(x))                                  # 4x28x28
        h = torch.relu(self.bn1(self.conv1(x)))                       # 8x14x14
        x = torch.relu(self.bn2(self.conv2(h)) + self.bn_down(self.down(x)))
        x = torch.relu(self.conv4(torch.relu(self.conv3(x))) + x)     # identity shortcut
        x = nn.functional.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class Sigmoid(nn.Module):  # an unsupported op
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 8), nn.Linear(8, 10)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(torch.flatten(x, 1))))


class WrongInput(nn.Module):  # a 20x20 input: not the data set's shape
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(400, 10)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1))


def randomise_batch_norms(net, gen):
    for m in net.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.2)
            m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=gen) * 0.2)


def export(name, net, images):
    if name == "wrong_input":
        images = images[:, :, :20, :20]
    net.eval()
    path = os.path.join(OUT, name + ".onnx")
    # PRESERVE keeps BatchNormalization nodes (EVAL mode would fuse them into the convs here).
    torch.onnx.export(net, images[:1], path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)
    if name in REFUSED:
        return
    with torch.no_grad():
        out = net(images).double().numpy()
    with open(os.path.join(OUT, name + ".expected"), "w") as f:
        f.write("# PyTorch %s outputs, made by tests/data/make_onnx.py\n" % torch.__version__)
        for i, row in enumerate(out):
            f.write("image %d %s\n" % (i, " ".join("%.9g" % v for v in row)))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1)
    gen = torch.Generator().manual_seed(2)
    images = test_images(IMAGES)
    nets = {
        "mlp_gemm": Mlp(),
        "matmul_add": MatMulAdd(),
        "conv_pools": ConvPools(),
        "padded_pools": PaddedPools(),
        "batch_norms": BatchNorms(),
        "permuted_diagonal": PermutedDiagonal(gen),
        "residual": Residual(),
        "sigmoid": Sigmoid(),
        "wrong_input": WrongInput(),
        "basic_blocks": BasicBlocks(),
    }
    for name, net in nets.items():
        randomise_batch_norms(net, gen)
        export(name, net, images)


if __name__ == "__main__":
    main()
