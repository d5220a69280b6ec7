#!/usr/bin/python3
"""The PyTorch peer of the engine benchmark (tests/Benchmarks): the same models and recipe as the C#
sides, on Debian's python3-torch. Prints one JSON line per trial.

The C# benchmark starts this script once and talks to it over stdin/stdout, alternating trials with
its own, so both sides see the same machine load."""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torchvision


def lenet5():
    # LeNet-5 as the course builds it for 1x28x28 inputs (padding 2 keeps the classic 32x32 geometry).
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def resnet18_cifar():
    # ResNet-18 with the CIFAR stem: a 3x3 stride-1 first convolution and no max-pool.
    net = torchvision.models.resnet18(num_classes=10)
    net.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    net.maxpool = nn.Identity()
    return net


def mobilenet_v2():
    # torchvision's MobileNetV2 as is, at a small input: its depthwise convolutions are the course's
    # slowest training path.
    return torchvision.models.mobilenet_v2(num_classes=10)


MODELS = {"lenet5": (lenet5, (1, 28, 28)), "resnet18": (resnet18_cifar, (3, 32, 32)), "mobilenet_v2": (mobilenet_v2, (3, 32, 32))}


def trial(model, mode, batch, warmup, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    build, shape = MODELS[model]
    net = build()
    x = torch.randn(batch, *shape)
    y = torch.randint(0, 10, (batch,))
    channels_last = mode == "bf16"
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    phases = [0.0, 0.0, 0.0]  # seconds in the forward pass (zero_grad included), backward, optimizer step

    def step():
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode == "bf16"):
            loss = loss_fn(net(x), y)
        forward = time.perf_counter()
        loss.backward()
        backward = time.perf_counter()
        opt.step()
        end = time.perf_counter()
        phases[0] += forward - start
        phases[1] += backward - forward
        phases[2] += end - backward
        return loss

    for _ in range(warmup):
        step()
    phases[:] = [0.0, 0.0, 0.0]
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    elapsed = time.perf_counter() - start
    forward_ms, backward_ms, step_ms = (1000 * p / steps for p in phases)
    return {"side": "pytorch", "model": model, "mode": mode, "images_per_second": batch * steps / elapsed,
            "seconds": elapsed, "final_loss": float(loss), "threads": torch.get_num_threads(),
            "forward_ms": forward_ms, "backward_ms": backward_ms, "step_ms": step_ms}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="store_true", help="read one JSON request per line from stdin")
    parser.add_argument("--model", default="lenet5", choices=sorted(MODELS))
    parser.add_argument("--mode", default="fp32", choices=["fp32", "bf16"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    if not args.serve:
        print(json.dumps(trial(args.model, args.mode, args.batch, args.warmup, args.steps, args.threads)), flush=True)
        return
    print(json.dumps({"ready": True, "engine": "PyTorch (Debian)", "libtorch": torch.__version__, "default_threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        print(json.dumps(trial(r["model"], r["mode"], r["batch"], r["warmup"], r["steps"], r["threads"])), flush=True)


if __name__ == "__main__":
    main()
