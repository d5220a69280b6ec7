using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CnnCourse.Models;
using CnnCourse.Torch;
using CnnCourse.Torch.Modules;

// The engine benchmark: trains LeNet-5 (1×28×28) and ResNet-18 with the CIFAR stem (3×32×32) for a
// fixed number of SGD-momentum steps after warm-up, batch 64, in C# and in PyTorch on the same
// libtorch (peer.py), alternating trials so both see the same machine load and the same malloc
// policy. Prints the medians, the milliseconds per step in forward, backward and optimizer step, and
// the C#/PyTorch ratios.
//
//   dotnet Benchmarks.dll [--models lenet5,resnet18] [--modes fp32,bf16] [--trials 5]
//                         [--steps N (default 300 for LeNet-5, 20 for ResNet-18)] [--warmup 5] [--batch 64]
//                         [--peer-allocator same|default]

var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"libtorch {torch.__version__}, {torch.get_num_threads()} threads, batch {options.Batch}, " +
                  $"{options.Warmup} warm-up + {string.Join(", ", options.Models.Select(m => $"{options.StepsFor(m)} ({m})"))} timed steps, {options.Trials} trials per side");

using var peer = PythonPeer.Start(options.PeerAllocator);
var results = new List<(string Model, string Mode, double CSharp, double? PyTorch)>();
foreach (var model in options.Models)
foreach (var mode in options.Modes)
{
    var ours = new List<TrialResult>();
    var theirs = new List<TrialResult>();
    for (int trial = 0; trial < options.Trials; trial++)
    {
        ours.Add(Trial.Run(model, mode, options));
        if (peer is not null) theirs.Add(peer.Run(model, mode, options));
    }
    var row = (model, mode, Median(ours.Select(t => t.ImagesPerSecond)), peer is null ? (double?)null : Median(theirs.Select(t => t.ImagesPerSecond)));
    results.Add(row);
    Console.WriteLine($"{model,-9} {mode,-5} C# {row.Item3,8:F1} img/s   PyTorch {(row.Item4 is { } p ? p.ToString("F1", CultureInfo.InvariantCulture) : "n/a"),8} img/s" +
                      (row.Item4 is { } q ? $"   ratio {row.Item3 / q:F2}" : ""));
    Console.WriteLine($"          ms per step, forward / backward / optimizer:   C# {Phases(ours)}" + (peer is null ? "" : $"   PyTorch {Phases(theirs)}"));
}

Console.WriteLine();
Console.WriteLine("| model | mode | C# img/s | PyTorch img/s | C#/PyTorch |");
Console.WriteLine("|---|---|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine($"| {r.Model} | {r.Mode} | {r.CSharp:F1} | {(r.PyTorch?.ToString("F1", CultureInfo.InvariantCulture) ?? "n/a")} | {(r.PyTorch is { } p ? (r.CSharp / p).ToString("F2", CultureInfo.InvariantCulture) : "n/a")} |");
foreach (var model in options.Models)
{
    var bf16 = results.FirstOrDefault(r => r.Model == model && r.Mode == "bf16");
    var fp32 = results.FirstOrDefault(r => r.Model == model && r.Mode == "fp32");
    if (bf16.Model is not null && fp32.PyTorch is { } baseline)
        Console.WriteLine($"{model}: C# bf16+channels_last / PyTorch fp32 = {bf16.CSharp / baseline:F2}");
}
return 0;

static string Phases(List<TrialResult> trials) =>
    FormattableString.Invariant($"{Median(trials.Select(t => t.ForwardMs)):F2} / {Median(trials.Select(t => t.BackwardMs)):F2} / {Median(trials.Select(t => t.StepMs)):F2}");

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>One trial's throughput, and its mean milliseconds per step in each phase.</summary>
internal sealed record TrialResult(double ImagesPerSecond, double ForwardMs, double BackwardMs, double StepMs);

internal sealed record BenchmarkOptions(string[] Models, string[] Modes, int Trials, int? Steps, int Warmup, int Batch, string PeerAllocator)
{
    /// <summary>Timed steps per trial: by default about a second of LeNet-5 and ten of ResNet-18.</summary>
    public int StepsFor(string model) => Steps ?? (model == "lenet5" ? 300 : 20);

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions(new[] { "lenet5", "resnet18" }, new[] { "fp32", "bf16" }, 5, null, 5, 64, "same");
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--models" => o with { Models = Value().Split(',') },
                "--modes" => o with { Modes = Value().Split(',') },
                "--trials" => o with { Trials = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--steps" => o with { Steps = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--batch" => o with { Batch = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--peer-allocator" => o with { PeerAllocator = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        foreach (var m in o.Models)
            if (m is not ("lenet5" or "resnet18")) throw new ArgumentException($"unknown model {m}: lenet5 or resnet18");
        foreach (var m in o.Modes)
            if (m is not ("fp32" or "bf16")) throw new ArgumentException($"unknown mode {m}: fp32 or bf16");
        if (o.PeerAllocator is not ("same" or "default"))
            throw new ArgumentException($"unknown --peer-allocator {o.PeerAllocator}: same (this process's malloc policy) or default (stock PyTorch)");
        return o;
    }
}

/// <summary>One C# trial: the same model, data and recipe as peer.py's trial.</summary>
internal static class Trial
{
    public static TrialResult Run(string model, string mode, BenchmarkOptions o)
    {
        torch.manual_seed(0);
        using var net = model == "lenet5"
            ? Models.Create("lenet5", numClasses: 10, inChannels: 1)
            : Models.Create("resnet18", numClasses: 10, inChannels: 3, small: true);
        long[] shape = model == "lenet5" ? new long[] { o.Batch, 1, 28, 28 } : new long[] { o.Batch, 3, 32, 32 };
        bool bf16 = mode == "bf16";
        var x = torch.randn(shape);
        var y = torch.randint(0, 10, new long[] { o.Batch });
        if (bf16)
        {
            net.to(MemoryFormat.ChannelsLast);
            var nhwc = x.contiguous(MemoryFormat.ChannelsLast);
            x.Dispose();
            x = nhwc;
        }
        net.train();
        var optimizer = torch.optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);

        // Ticks spent in the forward pass (zero_grad included), backward and optimizer step.
        var phases = new long[3];
        void Step()
        {
            using var scope = torch.NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            optimizer.zero_grad();
            Tensor loss;
            using (torch.autocast(DeviceType.CPU, ScalarType.BFloat16, enabled: bf16))
                loss = torch.nn.functional.cross_entropy(net.call(x), y);
            long forward = Stopwatch.GetTimestamp();
            loss.backward();
            long backward = Stopwatch.GetTimestamp();
            optimizer.step();
            long end = Stopwatch.GetTimestamp();
            phases[0] += forward - start;
            phases[1] += backward - forward;
            phases[2] += end - backward;
        }

        for (int i = 0; i < o.Warmup; i++) Step();
        Array.Clear(phases);
        var clock = Stopwatch.StartNew();
        int steps = o.StepsFor(model);
        for (int i = 0; i < steps; i++) Step();
        double seconds = clock.Elapsed.TotalSeconds;
        x.Dispose();
        y.Dispose();
        double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / steps;
        return new TrialResult(o.Batch * steps / seconds, Milliseconds(phases[0]), Milliseconds(phases[1]), Milliseconds(phases[2]));
    }
}

/// <summary>peer.py running as a server: one JSON request per line in, one JSON result per line out.</summary>
internal sealed class PythonPeer : IDisposable
{
    private readonly Process process;

    private PythonPeer(Process process) => this.process = process;

    public static PythonPeer? Start(string allocator)
    {
        string python = Environment.GetEnvironmentVariable("CNNCOURSE_PYTHON") ?? "/usr/bin/python3";
        string script = Path.Combine(AppContext.BaseDirectory, "peer.py");
        if (!File.Exists(python))
        {
            Console.WriteLine($"PyTorch peer unavailable: {python} not found (./course setup installs python3-torch)");
            return null;
        }
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--serve");
        // The same malloc policy as this process, so the ratio measures the two bindings and not
        // glibc's heap trimming (which made stock PyTorch's LeNet-5 steps up to 5× slower at random).
        // (--peer-allocator default: stock PyTorch, as its users run it.)
        bool same = allocator == "same" && torch.config.malloc_keeps_freed_memory && Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is null;
        if (same)
            start.Environment["GLIBC_TUNABLES"] = $"glibc.malloc.mmap_threshold={torch.config.malloc_mmap_threshold}:glibc.malloc.trim_threshold={torch.config.malloc_trim_threshold}";
        var process = Process.Start(start)!;
        var ready = process.StandardOutput.ReadLine();
        if (ready is null || !ready.Contains("ready", StringComparison.Ordinal))
        {
            Console.WriteLine("PyTorch peer unavailable: peer.py did not start (is python3-torch installed?)");
            process.Kill();
            return null;
        }
        Console.WriteLine($"PyTorch peer: {ready}; CPU allocator: {torch.config.cpu_allocator}" +
                          (same ? ", on both sides" : " here, the C library's defaults in the peer"));
        return new PythonPeer(process);
    }

    public TrialResult Run(string model, string mode, BenchmarkOptions o)
    {
        var request = JsonSerializer.Serialize(new { model, mode, batch = o.Batch, warmup = o.Warmup, steps = o.StepsFor(model), threads = torch.get_num_threads() });
        process.StandardInput.WriteLine(request);
        process.StandardInput.Flush();
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch peer stopped");
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
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
        finally { process.Dispose(); }
    }
}
