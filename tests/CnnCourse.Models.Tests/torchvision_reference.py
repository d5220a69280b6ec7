#!/usr/bin/python3
"""Reference data from torchvision 0.14 (Debian python3-torchvision) for the model-zoo tests.

  keys OUT.json NAME...          state-dict keys and shapes of each ImageNet model
  inventory OUT.json NAME...     the same keys and shapes, the parameter count, and the MACs of one
                                 1x3x64x64 forward pass (weights not initialised but zeroed)
  logits OUT_DIR NAME...         seeded weights (NAME.pth, eval mode), an input and the logits
  macs OUT.json NAME:SIZE...     parameters and multiply-accumulates of one 1x3xSIZExSIZE forward pass
  cifar_stem OUT.json NAME...    a ResNet NAME for 10 classes with the CIFAR stem (conv1 a 3x3 convolution of
                                 stride 1, no max-pool): its keys and shapes, parameter count and 32-px MACs
  fpn OUT_DIR NAME...            a seeded ResNet NAME (NAME.pth) and a seeded torchvision.ops.FeaturePyramidNetwork
                                 on its C2-C5 (NAME.fpn.pth), a 2x3x224x224 input and its P2-P5, standard-normal
                                 maps c2-c5 of C2-C5's shapes and the pyramid's outputs q2-q5 for them (NAME.fpn.io.pth)

The C# tests call this script and compare; nothing here is copied into the library."""
import json
import os
import sys
import warnings

import torch
import torchvision.models as models

warnings.filterwarnings("ignore")


def build(name):
    if name == "googlenet":
        return models.googlenet(aux_logits=False, init_weights=True)
    return getattr(models, name)()


def input_size(name):
    sizes = {"efficientnet_b1": 240, "efficientnet_b2": 288, "efficientnet_b3": 300}
    return sizes.get(name, 224)


def keys(out, names):
    result = {}
    for name in names:
        net = build(name)
        result[name] = {k: list(v.shape) for k, v in net.state_dict().items()}
    with open(out, "w") as f:
        json.dump(result, f)


def inventory(out, names):
    """Keys, shapes and parameter counts only, so the weights are left uninitialised: the
    initialisers are switched off while building (VGG's 140M parameters would take seconds each)."""
    init = torch.nn.init
    saved = {n: getattr(init, n) for n in dir(init) if n.endswith("_") and not n.startswith("_")}
    for n in saved:
        setattr(init, n, lambda tensor, *args, **kwargs: tensor)
    try:
        result = {}
        for name in names:
            net = build(name)
            result[name] = {
                "parameters": sum(p.numel() for p in net.parameters()),
                "keys": {k: list(v.shape) for k, v in net.state_dict().items()},
                "macs64": count_macs(net, 64),
            }
            del net
    finally:
        for n, f in saved.items():
            setattr(init, n, f)
    with open(out, "w") as f:
        json.dump(result, f)


def logits(out_dir, names):
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        torch.manual_seed(0)
        net = build(name).eval()
        # Make the batch-norm statistics non-trivial so that loading them is tested too.
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.1, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
        torch.save(net.state_dict(), os.path.join(out_dir, name + ".pth"))
        size = 64 if name.startswith(("resnet", "vgg", "densenet", "mobilenet", "efficientnet", "googlenet")) else input_size(name)
        x = torch.randn(2, 3, size, size)
        with torch.no_grad():
            y = net(x)
        torch.save({"input": x, "logits": y}, os.path.join(out_dir, name + ".io.pth"))


def count_macs(net, size):
    """MACs by the convention of CnnCourse.Analysis.Macs, counted with forward hooks: a convolution
    costs output elements x C_in/groups x kH x kW, a linear layer output elements x in_features;
    biases, normalization, activations and pooling are not counted."""
    net.eval()
    total = [0]

    def count(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            total[0] += output.numel() * (module.in_channels // module.groups) * kh * kw
        elif isinstance(module, torch.nn.Linear):
            total[0] += output.numel() * module.in_features

    handles = [m.register_forward_hook(count) for m in net.modules()]
    with torch.no_grad():
        for p in net.parameters():
            p.zero_()  # uninitialised memory may hold NaNs or denormals, which only slow the pass down
        net(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]


def macs(out, names_and_sizes):
    """Parameters and MACs (see count_macs) of each model at its size."""
    result = {}
    for item in names_and_sizes:
        name, size = item.rsplit(":", 1)
        net = build(name).eval()
        result[name] = {"parameters": sum(p.numel() for p in net.parameters()), "macs": count_macs(net, int(size))}
    with open(out, "w") as f:
        json.dump(result, f)


def cifar_stem(out, names):
    """The CIFAR form of torchvision's ResNets, as the CIFAR-10 training recipes build it from torchvision's
    model: the 7x7 stride-2 stem convolution becomes a 3x3 stride-1 one and the max-pool is dropped."""
    result = {}
    for name in names:
        net = getattr(models, name)(num_classes=10)
        net.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        net.maxpool = torch.nn.Identity()
        result[name] = {
            "parameters": sum(p.numel() for p in net.parameters()),
            "keys": {k: list(v.shape) for k, v in net.state_dict().items()},
            "macs32": count_macs(net, 32),
        }
    with open(out, "w") as f:
        json.dump(result, f)


def fpn(out_dir, names):
    from torchvision.ops import FeaturePyramidNetwork
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        torch.manual_seed(0)
        net = build(name).eval()
        pyramid = FeaturePyramidNetwork(stage_channels(net), 256).eval()
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.1, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
            for m in pyramid.modules():
                if isinstance(m, torch.nn.Conv2d):
                    m.bias.uniform_(-0.1, 0.1)  # torchvision starts them at zero; non-zero biases test their keys too
        torch.save(net.state_dict(), os.path.join(out_dir, name + ".pth"))
        torch.save(pyramid.state_dict(), os.path.join(out_dir, name + ".fpn.pth"))
        x = torch.randn(2, 3, 224, 224)
        with torch.no_grad():
            h = net.maxpool(net.relu(net.bn1(net.conv1(x))))
            c = []
            for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
                h = layer(h)
                c.append(h)
            p = list(pyramid(dict(("C%d" % (i + 2), t) for i, t in enumerate(c))).values())
            # The pyramid alone on standard-normal maps of C2-C5's shapes: outputs of unit scale, where an
            # absolute tolerance means something (the untrained ResNet-50's C2 reaches the hundreds).
            unit = [torch.randn(t.shape) for t in c]
            q = list(pyramid(dict(("C%d" % (i + 2), t) for i, t in enumerate(unit))).values())
        io = {"input": x}
        io.update(("p%d" % (i + 2), t) for i, t in enumerate(p))
        io.update(("c%d" % (i + 2), t) for i, t in enumerate(unit))
        io.update(("q%d" % (i + 2), t) for i, t in enumerate(q))
        torch.save(io, os.path.join(out_dir, name + ".fpn.io.pth"))


def stage_channels(net):
    """The output channels of layer1...layer4 (C2-C5)."""
    result = []
    for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
        last = layer[-1]
        result.append((last.bn3 if hasattr(last, "bn3") else last.bn2).num_features)
    return result


if __name__ == "__main__":
    command, target, *names = sys.argv[1:]
    {"keys": keys, "inventory": inventory, "logits": logits, "macs": macs, "cifar_stem": cifar_stem, "fpn": fpn}[command](target, names)
