#!/usr/bin/python3
"""Builds notebooks/00-getting-started.ipynb (no outputs; run it with the course's runner afterwards).

    /usr/bin/python3 notebooks/src/00-getting-started.py
    dotnet artifacts/bin/CnnCourse.Notebooks/release/CnnCourse.Notebooks.dll run --in-place notebooks/00-getting-started.ipynb
"""
import os
import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

NAME = "00-getting-started"
cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip("\n")))


def code(text, tags=None):
    cell = new_code_cell(text.strip("\n"))
    cell.metadata["polyglot_notebook"] = {"kernelName": "csharp"}
    if tags:
        cell.metadata["tags"] = tags
    cells.append(cell)


# ---------------------------------------------------------------------------------------------
md(r"""
# 00 · Getting started: the course, your machine, tensors and autograd

This course teaches convolutional neural networks by building them, in C#: from the convolution sum
computed with four nested loops, through LeNet, AlexNet, VGG, GoogLeNet, ResNet, DenseNet, MobileNet and
EfficientNet, to comparing models and transfer learning. Every lesson is a notebook like this one: an
idea with its formula, the code that computes it, and the result, checked by the notebook itself.

Underneath is a small library (`lib/`) with its own binding to **libtorch**, the C++ engine of PyTorch,
so the lesson code reads like the PyTorch it mirrors: `torch.randn(2, 3)`, `nn.Conv2d(1, 6, 5)`,
`loss.backward()`.

**In this notebook you will learn**
- how the course is organised and the three ways to run it (VS Code, a devcontainer, the command line);
- how to read the `parameters` cell every lesson starts with, and what *quick mode* is;
- what your machine offers the course: libtorch's version, threads, bf16 support, a GPU;
- tensors: creation, shapes, broadcasting, matrix multiplication;
- autograd: the gradient of a small function, checked against its derivative worked out by hand.
""")

md(r"""
## How to run the course

| where | how |
|---|---|
| **VS Code on your machine** | `./course build`, then open `notebooks/00-getting-started.ipynb` with the *Polyglot Notebooks* extension and pick the C# kernel (`.NET (C#)`). Run the cells top to bottom. |
| **Devcontainer / Codespaces** | open the repository; `.devcontainer/devcontainer.json` (CPU) installs libtorch and builds the library. On a GPU host use `.devcontainer/gpu/devcontainer.json`. |
| **Command line, no editor** | `./course run` executes every notebook and writes the outputs into the files; `./course run notebooks/00-getting-started.ipynb -p Quick true` runs one notebook with a parameter changed. `./course doctor` reports the environment, `./course test` runs every test. |

Microsoft deprecated Polyglot Notebooks and .NET Interactive in 2026. The notebooks stay valid Polyglot
notebooks, so they still open and run there, but the course does not depend on that kernel: its own
runner (`lib/CnnCourse.Notebooks`) executes them, and the tests run every lesson with it.

### The parameters cell and quick mode

Every lesson starts with a cell tagged `parameters` that declares each knob with its default: the number
of epochs, subset sizes, the device. Change a value there and re-run the notebook, or pass it from the
command line (`-p Epochs 2`). The tests run every lesson with `-p Quick true`: the same cells on much
less work, with the lesson's own checks still asserting what it teaches. The committed outputs come from
the defaults.
""")

code(r"""
var Quick = false;        // the tests set this to true: less work, same checks
var Device = "auto";      // "auto" (cuda when available, else cpu), "cpu" or "cuda"
var RandomSeed = 0;       // seeds every random number generator the course uses
var MatmulSize = 1024;    // the side of the square matrices timed below
""", tags=["parameters"])

md(r"""
## Setup

The setup cell references the course library by a path relative to this notebook (build it first with
`./course build`), imports the namespaces the lesson uses, seeds the random number generators and picks
the device. `Check` is how a lesson asserts what it claims: a broken lesson stops with a message.
""")

code(r"""
#r "../artifacts/bin/CnnCourse/release/CnnCourse.dll"
using CnnCourse.Torch;
using static CnnCourse.Torch.torch;
using CnnCourse.Diagnostics;
using CnnCourse.Visualization;

CnnCourse.Training.Seed.Everything(RandomSeed);
var device = torch.device(Device == "auto" ? (torch.cuda.is_available() ? "cuda" : "cpu") : Device);
void Check(bool condition, string claim) { if (!condition) throw new Exception("Check failed: " + claim); }
$"device: {device}"
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## Your environment

`EnvironmentReport.Collect()` gathers what the course runs on: .NET, the operating system, the CPU,
libtorch (its version, where it was loaded from, how the native shim was built), the threads libtorch
uses, whether the CPU has bf16 instructions (they make `bfloat16` autocast fast in lesson 14), and any
NVIDIA GPU. `./course doctor` prints the same report in a terminal. A row marked as a problem comes with
the fix.
""")

code(r"""
var report = EnvironmentReport.Collect();
Table.From(report.Select(c => new { Item = c.Name, c.Value, Status = c.IsProblem ? "problem: " + c.Fix : "ok" }))
     .WithTitle("Environment report")
""")

md(r"""
The four facts this course cares about most, picked from the report. Threads decide how fast the CPU
trains; on a 2-core machine every lesson is sized to stay within a few minutes.
""")

code(r"""
string Fact(string name) => report.FirstOrDefault(c => c.Name == name)?.Value ?? "(not reported)";
var gpus = report.Where(c => c.Name == "GPU").Select(c => c.Value).ToList();
var facts = new Table("fact", "value")
    .AddRow("libtorch version", Fact("libtorch version"))
    .AddRow("intra-op threads", Fact("intra-op threads"))
    .AddRow("CPU bf16 instructions", Fact("CPU bf16 instructions"))
    .AddRow("CUDA", Fact("CUDA available"))
    .AddRow("GPU", gpus.Count == 0 ? "none" : string.Join("; ", gpus));
Check(Fact("libtorch version") != "(not reported)", "libtorch is loaded and reports its version");
Check(torch.get_num_threads() >= 1, "libtorch uses at least one thread");
facts
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## Tensors

A tensor is an n-dimensional array of numbers of one type (`float32` by default) on one device. Images
in this course are tensors of shape N × C × H × W: a batch of N images with C channels of H × W pixels.
A tensor prints as PyTorch prints it.
""")

code(r"""
var a = torch.tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });   // from a C# array, keeping its shape
var z = torch.zeros(2, 3);
var r = torch.arange(0, 6).reshape(2, 3);                          // 0 … 5 as int64, reshaped
var g = torch.randn(2, 3);                                         // standard normal, seeded above
display(a);
display(r);
display(g);
Table.FromRows(["tensor", "shape", "dtype", "device", "elements"], new[] { ("a", a), ("z", z), ("r", r), ("g", g) }
    .Select(t => new object[] { t.Item1, "(" + string.Join(", ", t.Item2.shape) + ")", "torch." + t.Item2.dtype.TorchName(), t.Item2.device.ToString(), t.Item2.numel() }))
""")

md(r"""
### Shapes

`reshape`/`view` change the shape without changing the numbers (the element count must stay the same),
`unsqueeze` adds a dimension of size 1, `permute` reorders dimensions — the everyday tools for moving
between a flat vector, an image C × H × W and a batch N × C × H × W.
""")

code(r"""
var image = torch.arange(0, 2 * 4 * 4, dtype: ScalarType.Float32).reshape(2, 4, 4);   // C × H × W
var batch = image.unsqueeze(0);                  // N × C × H × W with N = 1
var hwc = image.permute(1, 2, 0);                // H × W × C, as image files store pixels
var flat = batch.flatten(1);                     // N × (C·H·W), what a fully connected layer takes
string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";
Check(batch.shape.SequenceEqual(new long[] { 1, 2, 4, 4 }), "unsqueeze(0) adds the batch dimension");
Check(flat.shape[1] == 2 * 4 * 4, "flatten(1) keeps every element");
Check(hwc[1, 2, 0].item<float>() == image[0, 1, 2].item<float>(), "permute moves dimensions, not values");
new Table("tensor", "shape").AddRow("image", Shape(image)).AddRow("batch", Shape(batch)).AddRow("hwc", Shape(hwc)).AddRow("flat", Shape(flat))
""")

md(r"""
### Broadcasting

When two tensors of different shapes meet in an element-wise operation, dimensions of size 1 are
stretched to match: a column (3 × 1) plus a row (1 × 4) gives a 3 × 4 table of sums,
$c_{ij} = u_i + v_j$, without copying either. Below, the broadcast result is compared with the same
table built by two loops.
""")

code(r"""
var u = torch.tensor(new float[,] { { 0 }, { 10 }, { 20 } });     // 3 × 1
var v = torch.tensor(new float[,] { { 1, 2, 3, 4 } });            // 1 × 4
var c = u + v;                                                    // 3 × 4
var byLoops = new float[3, 4];
for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
        byLoops[i, j] = u[i, 0].item<float>() + v[0, j].item<float>();
Check(c.equal(torch.tensor(byLoops)), "broadcasting computes u_i + v_j for every pair");
c
""")

md(r"""
### Matrix multiplication

$C = AB$ with $C_{ij} = \sum_k A_{ik} B_{kj}$: an (n × k) by (k × m) product is n × m. A fully connected
layer is exactly this, and (as lesson 01 shows) a convolution can be written as one too. The cell checks
every entry against the sum written out.
""")

code(r"""
var A = torch.tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });         // 2 × 3
var B = torch.tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 2, -1 } });    // 3 × 2
var C = A.matmul(B);                                                      // 2 × 2
var Ah = A.ToArray<float>(); var Bh = B.ToArray<float>();
var Ch = new float[2, 2];
for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
        for (int k = 0; k < 3; k++)
            Ch[i, j] += Ah[i * 3 + k] * Bh[k * 2 + j];
Check(C.equal(torch.tensor(Ch)), "matmul computes C_ij = sum_k A_ik B_kj");
C
""")

md(r"""
How fast is this machine at the operation deep learning spends most of its time in? Multiplying two
n × n matrices takes 2n³ floating-point operations; the cell times a few products on the chosen device
and reports the rate in GFLOP/s. (Quick mode uses smaller matrices.) The number is a rough guide: the
machine may be busy with other work.
""")

code(r"""
int n = Quick ? Math.Min(MatmulSize, 256) : MatmulSize;
double seconds;
using (var scope = torch.NewDisposeScope())
{
    var X = torch.randn(new long[] { n, n }, device: device);
    var W = torch.randn(new long[] { n, n }, device: device);
    X.matmul(W).sum().item<float>();                                // warm-up (and waits for a GPU)
    int repeats = 5;
    var watch = System.Diagnostics.Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++) X.matmul(W).sum().item<float>();
    seconds = watch.Elapsed.TotalSeconds / repeats;
}
double gflops = 2.0 * n * n * n / seconds / 1e9;
Check(gflops > 0, "the timing measured something");
new Table("n", "device", "ms per product", "GFLOP/s").AddRow(n, device.ToString(), seconds * 1e3, gflops).Format("ms per product", "F1").Format("GFLOP/s", "F1")
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## Autograd

Training a network means following the gradient of a loss with respect to every weight. libtorch records
the operations done on tensors created with `requires_grad: true`, and `backward()` walks that record
backwards, applying the chain rule, to fill each leaf's `.grad`.

Take $f(x) = x^3 + 2x^2 - 5x$. By hand, $f'(x) = 3x^2 + 4x - 5$. Summing $f$ over several points and
calling `backward()` gives $\partial \sum_i f(x_i) / \partial x_i = f'(x_i)$: the derivative at every
point at once.
""")

code(r"""
var x = torch.linspace(-3, 2, 11, requires_grad: true);
var f = x.pow(3) + 2 * x.pow(2) - 5 * x;
f.sum().backward();

var xs = x.detach().ToArray<float>();
var autograd = x.grad!.ToArray<float>();
var byHand = xs.Select(t => 3 * t * t + 4 * t - 5).ToArray();        // f'(x) worked out on paper
double maxError = autograd.Zip(byHand, (p, q) => Math.Abs(p - q)).Max();
Check(maxError < 1e-4, "autograd's gradient equals 3x² + 4x − 5");
Table.FromColumns(("x", xs), ("f(x)", f.detach().ToArray<float>()), ("autograd f'(x)", autograd), ("3x² + 4x − 5", byHand))
""")

code(r"""
$"largest difference between autograd and the hand-derived derivative: {maxError:E1}"
""")

md(r"""
The same check as a picture: the curve $f$, the hand-derived $f'$, and autograd's values joined by a
dashed line that lies on it. Where $f'$ crosses zero, $f$ has its minimum and maximum — what gradient descent looks for.
""")

code(r"""
var fine = Enumerable.Range(0, 101).Select(i => -3 + 5.0 * i / 100).ToArray();
Chart.Line("f(x) = x³ + 2x² − 5x and its derivative", "x", "value")
     .Add("f(x)", fine, fine.Select(t => t * t * t + 2 * t * t - 5 * t))
     .Add("f'(x) = 3x² + 4x − 5 (by hand)", fine, fine.Select(t => 3 * t * t + 4 * t - 5))
     .Add("f'(x) from autograd (11 points)", xs.Select(t => (double)t), autograd.Select(t => (double)t), dashed: true)
     .Markers(false)
""")

md(r"""
### A gradient with respect to weights

A network's gradient is taken with respect to its weights, not its input. For a one-neuron model
$\hat y = w x + b$ and the squared error $L = \frac{1}{n}\sum_i (\hat y_i - y_i)^2$ the chain rule gives

$$\frac{\partial L}{\partial w} = \frac{2}{n}\sum_i (\hat y_i - y_i)\,x_i, \qquad
\frac{\partial L}{\partial b} = \frac{2}{n}\sum_i (\hat y_i - y_i).$$

One step against the gradient, $w \leftarrow w - \eta\,\partial L/\partial w$, must lower the loss.
""")

code(r"""
var X1 = torch.tensor(new float[] { 1, 2, 3, 4 });
var y1 = torch.tensor(new float[] { 3, 5, 7, 9 });            // y = 2x + 1
var w = torch.tensor(0.5f, requires_grad: true);
var b = torch.tensor(0.0f, requires_grad: true);
var loss = (w * X1 + b - y1).pow(2).mean();
loss.backward();

var residual = (w * X1 + b - y1).detach();
float dwByHand = (2 * residual * X1).mean().item<float>();
float dbByHand = (2 * residual).mean().item<float>();
Check(Math.Abs(w.grad!.item<float>() - dwByHand) < 1e-4 && Math.Abs(b.grad!.item<float>() - dbByHand) < 1e-4,
      "autograd's dL/dw and dL/db equal the chain-rule formulas");

float lr = 0.05f;
float loss0 = loss.item<float>(), loss1;
using (torch.no_grad())
    loss1 = ((w - lr * w.grad!) * X1 + (b - lr * b.grad!) - y1).pow(2).mean().item<float>();
Check(loss1 < loss0, "one gradient step lowers the loss");
display(new Table("gradient", "autograd", "by hand (chain rule)")
    .AddRow("dL/dw", w.grad!.item<float>(), dwByHand)
    .AddRow("dL/db", b.grad!.item<float>(), dbByHand));
new Table("loss before the step", $"loss after one step (lr = {lr})").AddRow(loss0, loss1)
""")

md(r"""
The gradient step lowered the loss (the second table shows both values). Repeat that step thousands of times
over millions of weights, and you have training: lesson 03 does it for LeNet-5 with an optimizer and a
`Trainer` from the course library.

## Summary

- The course is a set of Polyglot C# notebooks backed by a small library over libtorch; run them in VS
  Code, in a devcontainer, or with `./course run`. Each starts with a `parameters` cell; the tests run
  them all in quick mode.
- `EnvironmentReport.Collect()` (and `./course doctor`) says which libtorch you run, how many threads it
  uses, whether bf16 is fast on this CPU, and whether there is a GPU.
- Tensors: creation from C# arrays or factories, shapes (`reshape`, `unsqueeze`, `permute`,
  `flatten`), broadcasting, `matmul` — each checked here against plain loops.
- Autograd fills `.grad` with exactly the derivative you would work out by hand, and one step against it
  lowers the loss.

## Exercises

1. Change $f$ to $\sin(x)\,e^{-x}$ (`torch.sin`, `torch.exp`), work out $f'$ by hand, and make the check
   pass again.
2. Broadcast a (2 × 1 × 3) tensor with a (4 × 1) one. What shape comes out? Predict it first, then print
   `Shape(...)`.
3. Run the gradient step in a loop of 200 iterations (reset the gradients each time with
   `w.grad!.zero_()`) and print $w$ and $b$. Do they approach 2 and 1?
4. Set `MatmulSize` to 256, 512 and 2048 and compare the GFLOP/s. Why are small matrices slower per
   operation?

---

Next: [01 · Convolution](01-convolution.ipynb)
""")

# ---------------------------------------------------------------------------------------------
nb = new_notebook(cells=cells)
nb.nbformat, nb.nbformat_minor = 4, 5
nb.metadata = {
    "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
    "language_info": {"name": "polyglot-notebook"},
    "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp",
                                         "items": [{"aliases": [], "name": "csharp"}]}},
}
for i, cell in enumerate(nb.cells):        # stable ids, so regenerating changes only what changed
    cell.id = f"{NAME[:2]}-{i:02d}"
nbformat.validate(nb)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", NAME + ".ipynb")
nbformat.write(nb, path)
print("wrote", os.path.normpath(path))
