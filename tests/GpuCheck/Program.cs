using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CnnCourse.Torch;
using CnnCourse.Torch.Tests.Cuda;
using Xunit;
using F = CnnCourse.Torch.torch.nn.functional;

// GpuCheck: the CUDA checks of the engine on a machine with a GPU and no .NET SDK.
//   dotnet GpuCheck.dll tests [name-filter]        runs every [CudaFact] (and the GradScaler facts)
//   dotnet GpuCheck.dll bench [--batches 64,128] [--modes fp32,fp16] [--warmup N] [--steps N]
//                             [--rounds N] [--python python3] [--no-peer] [--device cuda:0|cpu]
//                             ResNet-18 (CIFAR stem) training throughput, C# vs PyTorch, alternating
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string command = args.Length > 0 ? args[0] : "tests";
return command switch
{
    "tests" => GpuTests.Run(args.Skip(1).FirstOrDefault()),
    "bench" => GpuBench.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: GpuCheck tests [filter] | GpuCheck bench [--batches 64,128] [--modes fp32,fp16] [--warmup N] [--steps N] [--rounds N] [--python PATH] [--no-peer]");
    return 2;
}

/// <summary>Runs test methods by reflection, as a test host would, reporting pass, fail or skip.</summary>
internal static class GpuTests
{
    public static int Run(string? filter)
    {
        Console.WriteLine($"libtorch {torch.__version__}; shim has CUDA: {torch.config.shim_has_cuda}; CUDA available: {torch.cuda.is_available()}");
        if (torch.cuda.is_available()) Console.WriteLine($"device 0: {torch.cuda.get_device_properties(0)}");
        var classes = new[] { typeof(CudaTests), typeof(GradScalerTests), typeof(CpuOnlyLibtorchTests) };
        int passed = 0, failed = 0, skipped = 0;
        foreach (var type in classes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
            {
                var fact = method.GetCustomAttribute<FactAttribute>();
                if (fact is null) continue;
                string name = $"{type.Name}.{method.Name}";
                if (filter is not null && !name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                if (fact.Skip is { } reason)
                {
                    skipped++;
                    Console.WriteLine($"  SKIP {name}: {reason}");
                    continue;
                }
                var watch = Stopwatch.StartNew();
                try
                {
                    var instance = Activator.CreateInstance(type);
                    method.Invoke(instance, null);
                    passed++;
                    Console.WriteLine($"  PASS {name} ({watch.Elapsed.TotalSeconds:F2} s)");
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    failed++;
                    Console.WriteLine($"  FAIL {name} ({watch.Elapsed.TotalSeconds:F2} s)\n       {e.InnerException.GetType().Name}: {e.InnerException.Message.Replace("\n", "\n       ")}");
                }
            }
        }
        Console.WriteLine($"gpu tests: {passed} passed, {failed} failed, {skipped} skipped");
        return failed == 0 ? 0 : 1;
    }
}

/// <summary>
/// ResNet-18 (CIFAR stem) training throughput on CUDA: SGD momentum 0.9, batch B of random
/// 3x32x32 images, fp32 or float16 autocast with a GradScaler; the PyTorch peer runs the same
/// recipe in the same invocation, alternating trials so both see the same GPU state.
/// </summary>
internal static class GpuBench
{
    private sealed record Trial(string side, int batch, string mode, double images_per_second, double seconds, double final_loss, string? note = null);

    public static int Run(string[] args)
    {
        var batches = Option(args, "--batches", "64,128").Split(',').Select(int.Parse).ToArray();
        var modes = Option(args, "--modes", "fp32,fp16").Split(',');
        int warmup = int.Parse(Option(args, "--warmup", "15"));
        int steps = int.Parse(Option(args, "--steps", "100"));
        int rounds = int.Parse(Option(args, "--rounds", "3"));
        string python = Option(args, "--python", "python3");
        bool peer = !args.Contains("--no-peer");
        var device = new Device(Option(args, "--device", "cuda:0"));
        if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
        {
            Console.Error.WriteLine("bench: CUDA is not available here (torch.cuda.is_available() is false)");
            return 1;
        }
        Console.WriteLine($"device: {(device.type == DeviceType.CUDA ? torch.cuda.get_device_properties(0).ToString() : "cpu")}; libtorch {torch.__version__}");
        Console.WriteLine($"ResNet-18 CIFAR stem, 3x32x32, SGD(lr=0.01, momentum=0.9), {warmup} warm-up + {steps} timed steps, {rounds} alternating rounds (median)");

        using var server = peer ? PeerServer.Start(python, Path.Combine(AppContext.BaseDirectory, "gpu_peer.py")) : null;
        var results = new List<Trial>();
        foreach (int batch in batches)
            foreach (string mode in modes)
                for (int round = 0; round < rounds; round++)
                {
                    var mine = CSharpTrial(device, batch, mode, warmup, steps);
                    results.Add(mine);
                    Console.WriteLine($"  {mine.side,-7} batch {batch,4} {mode}: {mine.images_per_second,9:F0} img/s  (loss {mine.final_loss:F3}; {mine.note})");
                    if (server is null) continue;
                    var theirs = server.Ask(batch, mode, warmup, steps);
                    results.Add(theirs);
                    Console.WriteLine($"  {theirs.side,-7} batch {batch,4} {mode}: {theirs.images_per_second,9:F0} img/s  (loss {theirs.final_loss:F3})");
                }

        Console.WriteLine();
        Console.WriteLine("| batch | mode | C# img/s | PyTorch img/s | ratio |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (int batch in batches)
            foreach (string mode in modes)
            {
                double Median(string side) => MedianOf(results.Where(r => r.side == side && r.batch == batch && r.mode == mode).Select(r => r.images_per_second));
                double cs = Median("csharp");
                double py = server is null ? double.NaN : Median("pytorch");
                Console.WriteLine($"| {batch} | {mode} | {cs:F0} | {py:F0} | {cs / py:F3} |");
            }
        return 0;
    }

    private static Trial CSharpTrial(Device device, int batch, string mode, int warmup, int steps)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        bool cuda = device.type == DeviceType.CUDA;
        using var net = new ResNet18Cifar(10).to(device);
        net.train();
        using var opt = torch.optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);
        bool fp16 = mode == "fp16";
        using var scaler = new torch.amp.GradScaler(cuda ? "cuda" : "cpu", enabled: fp16);
        var x = torch.randn(new long[] { batch, 3, 32, 32 }, device: device);
        var y = torch.randint(0, 10, new long[] { batch }, device: device);
        double lastLoss = 0;
        Tensor Step()
        {
            opt.zero_grad();
            Tensor loss;
            using (torch.autocast(device.type, cuda ? ScalarType.Float16 : ScalarType.BFloat16, enabled: fp16))
                loss = F.cross_entropy(net.call(x), y);
            scaler.scale(loss).backward();
            scaler.step(opt);
            scaler.update();
            return loss;
        }
        for (int i = 0; i < warmup; i++)
            using (var s = torch.NewDisposeScope()) Step();
        if (cuda) torch.cuda.synchronize();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            using var s = torch.NewDisposeScope();
            var loss = Step();
            if (i == steps - 1) lastLoss = loss.item<float>();
        }
        if (cuda) torch.cuda.synchronize();
        double seconds = watch.Elapsed.TotalSeconds;
        return new Trial("csharp", batch, mode, batch * steps / seconds, seconds, lastLoss,
            $"GCs during the timed steps: gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}");
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>The PyTorch peer, started once: one JSON request per line in, one JSON trial per line out.</summary>
    private sealed class PeerServer : IDisposable
    {
        private readonly Process process;

        private PeerServer(Process process) => this.process = process;

        public static PeerServer Start(string python, string script)
        {
            var info = new ProcessStartInfo(python, $"\"{script}\" --serve")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            info.Environment["PYTHONUNBUFFERED"] = "1";
            return new PeerServer(Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}"));
        }

        public Trial Ask(int batch, string mode, int warmup, int steps)
        {
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { batch, mode, warmup, steps }));
            process.StandardInput.Flush();
            string line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch peer exited");
            return JsonSerializer.Deserialize<Trial>(line) ?? throw new InvalidOperationException($"the peer answered '{line}'");
        }

        public void Dispose()
        {
            try
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(10_000)) process.Kill();
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
