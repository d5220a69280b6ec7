#!/usr/bin/env python3
"""The PyTorch peer of `GpuCheck bench`: ResNet-18 with the CIFAR stem trained on CUDA with the same
recipe as the C# side (SGD lr 0.01 momentum 0.9, random 3x32x32 batch, fp32 or float16 autocast with a
GradScaler). With --serve it first writes one JSON line saying which PyTorch it runs, then reads one JSON
request per line ({"device", "batch", "mode", "warmup", "steps"}) and answers one JSON trial per line, so the
C# program can alternate trials with it. CUDA only: the CPU comparison is tests/Benchmarks (peer.py)."""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torchvision


def resnet18_cifar():
    net = torchvision.models.resnet18(num_classes=10)
    net.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    net.maxpool = nn.Identity()
    return net


def trial(batch, mode, warmup, steps, device="cuda:0"):
    torch.manual_seed(0)
    device = torch.device(device)
    net = resnet18_cifar().to(device)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    fp16 = mode == "fp16"
    scaler = torch.amp.GradScaler("cuda", enabled=fp16)
    x = torch.randn(batch, 3, 32, 32, device=device)
    y = torch.randint(0, 10, (batch,), device=device)

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.float16, enabled=fp16):
            loss = nn.functional.cross_entropy(net(x), y)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        return loss.detach()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    torch.cuda.synchronize(device)
    elapsed = time.perf_counter() - start
    return {"side": "pytorch", "batch": batch, "mode": mode, "images_per_second": batch * steps / elapsed,
            "seconds": elapsed, "final_loss": loss.item()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--mode", default="fp32", choices=["fp32", "fp16"])
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--device", default="cuda:0")
    args = parser.parse_args()
    if not args.serve:
        print(json.dumps(trial(args.batch, args.mode, args.warmup, args.steps, args.device)), flush=True)
        return
    print(json.dumps({"torch": torch.__version__, "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
                      "cuda_available": torch.cuda.is_available(), "device_count": torch.cuda.device_count()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        print(json.dumps(trial(r["batch"], r["mode"], r["warmup"], r["steps"], r.get("device", "cuda:0"))), flush=True)


if __name__ == "__main__":
    main()
