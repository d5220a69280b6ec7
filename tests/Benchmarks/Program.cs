using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

// The engine benchmark: trains LeNet-5 (1×28×28), ResNet-18 with the CIFAR stem (3×32×32) and
// MobileNetV2 (3×32×32, torchvision's configuration) for a fixed number of SGD-momentum steps after
// warm-up, batch 64, on each side, alternating trials so every side sees the same machine load:
//   torchsharp  C# on TorchSharp 0.107 (libtorch 2.10), the course's engine
//   pytorch     Debian's PyTorch 1.13 (peer.py)
// Each side is a worker process speaking one JSON line per trial, so no two libtorch versions share a
// process and this harness loads none. (The course's own binding, since deleted, was a third side
// once; README keeps that table.) Prints medians, milliseconds per step in forward, backward and
// optimizer step, and the ratios to PyTorch.

if (args is ["--serve", var engine]) return Worker.Serve(engine);
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

var sides = new List<Side>();
try
{
    foreach (var name in options.Sides.Where(s => s != "pytorch"))
        sides.Add(Side.StartWorker(name));
    if (options.Sides.Contains("pytorch") && Side.StartPeer(options.PeerAllocator, sides.FirstOrDefault()) is { } peer)
        sides.Add(peer);
    Console.WriteLine($"batch {options.Batch}, {options.Threads} threads on every side, {options.Warmup} warm-up + " +
                      $"{string.Join(", ", options.Models.Select(m => $"{options.StepsFor(m)} ({m})"))} timed steps, {options.Trials} trials per side");
    foreach (var side in sides) Console.WriteLine($"  {side.Name,-10} {side.Description}");

    var medians = new Dictionary<(string Model, string Mode, string Side), double>();
    foreach (var model in options.Models)
        foreach (var mode in options.Modes)
        {
            var trials = sides.ToDictionary(s => s.Name, _ => new List<TrialResult>());
            for (int trial = 0; trial < options.Trials; trial++)
                foreach (var side in sides)
                    trials[side.Name].Add(side.Run(model, mode, options));
            Console.WriteLine($"{model} {mode}:");
            foreach (var side in sides)
            {
                var results = trials[side.Name];
                medians[(model, mode, side.Name)] = Median(results.Select(t => t.ImagesPerSecond));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {side.Name,-10} {medians[(model, mode, side.Name)],9:F1} img/s   ms per step, forward / backward / optimizer: " +
                        $"{Median(results.Select(t => t.ForwardMs)):F2} / {Median(results.Select(t => t.BackwardMs)):F2} " +
                        $"/ {Median(results.Select(t => t.StepMs)):F2}"));
            }
        }

    Console.WriteLine();
    var names = sides.Select(s => s.Name).ToList();
    bool hasPeer = names.Contains("pytorch");
    var csharp = names.Where(n => n != "pytorch").ToList();
    Console.WriteLine("| model | mode | " + string.Join(" | ", names.Select(n => $"{n} img/s")) +
                      (hasPeer ? " | " + string.Join(" | ", csharp.Select(n => $"{n} / pytorch")) : "") + " |");
    Console.WriteLine("|---|---|" + string.Concat(names.Select(_ => "---:|")) + (hasPeer ? string.Concat(csharp.Select(_ => "---:|")) : ""));
    foreach (var model in options.Models)
        foreach (var mode in options.Modes)
        {
            var row = names.Select(n => medians[(model, mode, n)].ToString("F1", CultureInfo.InvariantCulture));
            var ratios = hasPeer
                ? csharp.Select(n => (medians[(model, mode, n)] / medians[(model, mode, "pytorch")]).ToString("F2", CultureInfo.InvariantCulture))
                : [];
            Console.WriteLine($"| {model} | {mode} | {string.Join(" | ", row)}" + (hasPeer ? " | " + string.Join(" | ", ratios) : "") + " |");
        }
    return 0;
}
finally
{
    foreach (var side in sides) side.Dispose();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>One trial's throughput, and its mean milliseconds per step in each phase.</summary>
internal sealed record TrialResult(double ImagesPerSecond, double ForwardMs, double BackwardMs, double StepMs);

/// <summary>What one trial asks of a side; the JSON every side reads.</summary>
internal sealed record TrialRequest(string model, string mode, int batch, int warmup, int steps, int threads);

internal sealed record BenchmarkOptions(string[] Models, string[] Modes, string[] Sides, int Trials, int? Steps, int Warmup, int Batch,
                                        int Threads, string PeerAllocator, bool Help)
{
    public static readonly string[] KnownModels = ["lenet5", "resnet18", "mobilenet_v2"];
    public static readonly string[] KnownModes = ["fp32", "bf16"];
    public static readonly string[] KnownSides = ["torchsharp", "pytorch"];

    public const string Usage = """
        usage: course bench [--models lenet5,resnet18,mobilenet_v2] [--modes fp32,bf16] [--sides torchsharp,pytorch]
                            [--trials 5] [--steps N] [--warmup 5] [--batch 64] [--threads N] [--peer-allocator same|default] [--help]
          --steps           timed steps per trial (default: 300 for LeNet-5, 20 for ResNet-18, 50 for MobileNetV2)
          --modes           fp32, or bf16: autocast to bfloat16 with channels-last tensors
          --threads         intra-op threads of every side (default: the logical cores); each side's own default
                            differs (Debian's PyTorch starts with 1), so the harness sets it on each trial
          --peer-allocator  same: PyTorch runs under the C# side's malloc policy (default); default: stock PyTorch
        """;

    /// <summary>Timed steps per trial: by default about a second of LeNet-5 and of MobileNetV2, ten of ResNet-18.</summary>
    public int StepsFor(string model) => Steps ?? model switch { "lenet5" => 300, "resnet18" => 20, _ => 50 };

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions(KnownModels, KnownModes, KnownSides, 5, null, 5, 64, Environment.ProcessorCount, "same", false);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Count(int minimum)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum ? n
                    : throw new ArgumentException($"{name} takes a whole number of at least {minimum}, not '{text}'");
            }
            string[] List(string[] known)
            {
                var items = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var item in items)
                    if (!known.Contains(item)) throw new ArgumentException($"{name}: unknown '{item}'; known: {string.Join(", ", known)}");
                return items.Length > 0 ? items : throw new ArgumentException($"{name} needs at least one of {string.Join(", ", known)}");
            }
            o = name switch
            {
                "--help" or "-h" => o with { Help = true },
                "--models" => o with { Models = List(KnownModels) },
                "--modes" => o with { Modes = List(KnownModes) },
                "--sides" => o with { Sides = List(KnownSides) },
                "--trials" => o with { Trials = Count(1) },
                "--steps" => o with { Steps = Count(1) },
                "--warmup" => o with { Warmup = Count(0) },
                "--batch" => o with { Batch = Count(1) },
                "--threads" => o with { Threads = Count(1) },
                "--peer-allocator" => o with
                {
                    PeerAllocator = Value() is var a && a is "same" or "default" ? a
                        : throw new ArgumentException($"--peer-allocator takes same or default, not '{a}'")
                },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }
        return o;
    }
}

/// <summary>A side of the comparison: a worker process, one JSON request per line in, one JSON result per line out.</summary>
internal sealed class Side : IDisposable
{
    private readonly Process process;

    private Side(string name, Process process, JsonElement ready)
    {
        Name = name;
        this.process = process;
        Ready = ready;
    }

    public string Name { get; }

    /// <summary>The worker's ready line: its versions, threads and malloc policy.</summary>
    public JsonElement Ready { get; }

    public string Description => string.Join(", ", Ready.EnumerateObject().Where(p => p.Name != "ready").Select(p => $"{p.Name} {p.Value}"));

    /// <summary>This program again, serving one C# engine.</summary>
    public static Side StartWorker(string engine)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Benchmarks.dll"));
        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add(engine);
        return Start(engine, start) ?? throw new InvalidOperationException($"the {engine} worker did not start");
    }

    /// <summary>peer.py on Debian's PyTorch, under the malloc policy of <paramref name="csharp"/>'s worker unless asked for stock.</summary>
    public static Side? StartPeer(string allocator, Side? csharp)
    {
        string python = Environment.GetEnvironmentVariable("CNNCOURSE_PYTHON") ?? "/usr/bin/python3";
        if (!File.Exists(python))
        {
            Console.WriteLine($"PyTorch peer unavailable: {python} not found (./course setup installs python3-torch)");
            return null;
        }
        var start = new ProcessStartInfo(python);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peer.py"));
        start.ArgumentList.Add("--serve");
        // The same malloc policy as the C# side, so the ratio measures the engines and not glibc's heap
        // trimming (which made stock PyTorch's LeNet-5 steps up to 5× slower at random).
        if (allocator == "same" && Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is null &&
            csharp is not null && csharp.Ready.TryGetProperty("malloc_mmap_threshold", out var mmap)
                && csharp.Ready.TryGetProperty("malloc_trim_threshold", out var trim))
            start.Environment["GLIBC_TUNABLES"] = $"glibc.malloc.mmap_threshold={mmap}:glibc.malloc.trim_threshold={trim}";
        var peer = Start("pytorch", start);
        if (peer is null) Console.WriteLine("PyTorch peer unavailable: peer.py did not start (is python3-torch installed?)");
        return peer;
    }

    private static Side? Start(string name, ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine();
        try
        {
            using var ready = JsonDocument.Parse(line ?? "{}");
            if (ready.RootElement.TryGetProperty("ready", out _)) return new Side(name, process, ready.RootElement.Clone());
        }
        catch (JsonException)
        {
        }
        process.Kill();
        process.Dispose();
        return null;
    }

    public TrialResult Run(string model, string mode, BenchmarkOptions o)
    {
        process.StandardInput.WriteLine(JsonSerializer.Serialize(new TrialRequest(model, mode, o.Batch, o.Warmup, o.StepsFor(model), o.Threads)));
        process.StandardInput.Flush();
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the {Name} side stopped");
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        if (r.TryGetProperty("error", out var error)) throw new InvalidOperationException($"the {Name} side failed: {error}");
        if (r.TryGetProperty("threads", out var threads) && threads.GetInt32() != o.Threads)
            throw new InvalidOperationException($"the {Name} side ran {threads.GetInt32()} threads, not the {o.Threads} asked for");
        return new TrialResult(r.GetProperty("images_per_second").GetDouble(), r.GetProperty("forward_ms").GetDouble(),
                               r.GetProperty("backward_ms").GetDouble(), r.GetProperty("step_ms").GetDouble());
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill();
        }
        finally
        {
            process.Dispose();
        }
    }
}
