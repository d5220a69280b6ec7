using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CnnCourse.Diagnostics;
using CnnCourse.Engine;
using TorchSharp;
using static TorchSharp.torch;
using ModelZoo = CnnCourse.Models.Models;

/// <summary>
/// ResNet-18 (CIFAR stem: 3x3 stride-1 first convolution, no max-pool) training throughput: SGD(lr 0.01,
/// momentum 0.9), cross-entropy, a fixed random batch of 3x32x32 images, in fp32 or with float16
/// autocast and a GradScaler. The PyTorch peer (gpu_peer.py) runs the same recipe in the same
/// invocation, alternating trials so both sides see the same GPU state; the table gives medians.
/// </summary>
internal static class GpuBench
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One trial of one side, as gpu_peer.py writes it (snake_case keys).</summary>
    private sealed record Trial(string Side, int Batch, string Mode, double ImagesPerSecond, double Seconds, double FinalLoss, string? Note = null);

    public static int Run(string[] args)
    {
        BenchOptions o;
        try
        {
            o = BenchOptions.Parse(args);
        }
        catch (UsageException e)
        {
            return Usage.Fail(e.Message);
        }
        if (!Startup.StartEngine()) return 1;
        var device = new Device(o.Device);
        if (o.OnCuda && !torch.cuda.is_available())
        {
            Console.Error.WriteLine("GpuCheck: bench: CUDA is not available: either this is a CPU build (build with `./course build --cuda`) " +
                                    "or libtorch sees no GPU (check nvidia-smi, and --gpus for a container); without a GPU, use --device cpu --no-peer");
            return 1;
        }
        if (o.OnCuda && device.index >= torch.cuda.device_count())
        {
            Console.Error.WriteLine($"GpuCheck: bench: --device {o.Device}: there are {torch.cuda.device_count()} CUDA device(s)");
            return 1;
        }
        Console.WriteLine($"ResNet-18 CIFAR stem on {o.Device}, 3x32x32, SGD(lr=0.01, momentum=0.9), {o.Warmup} warm-up + {o.Steps} timed steps, " +
                          $"{o.Rounds} alternating round(s), medians");
        try
        {
            return Measure(o, device);
        }
        catch (PeerException e)
        {
            Console.Error.WriteLine($"GpuCheck: bench: {e.Message}");
            return 1;
        }
    }

    private static int Measure(BenchOptions o, Device device)
    {
        using var peer = o.Peer ? PeerServer.Start(o.Python, Path.Combine(AppContext.BaseDirectory, "gpu_peer.py")) : null;
        var results = new List<Trial>();
        foreach (int batch in o.Batches)
            foreach (string mode in o.Modes)
                for (int round = 0; round < o.Rounds; round++)
                {
                    var mine = CSharpTrial(device, batch, mode, o.Warmup, o.Steps);
                    results.Add(mine);
                    Console.WriteLine($"  {mine.Side,-7} batch {batch,4} {mode}: " +
                        $"{Rate(mine.ImagesPerSecond),9} img/s  (loss {mine.FinalLoss:F3}; {mine.Note})");
                    if (peer is null) continue;
                    var theirs = peer.Ask(o.Device, batch, mode, o.Warmup, o.Steps);
                    results.Add(theirs);
                    Console.WriteLine($"  {theirs.Side,-7} batch {batch,4} {mode}: {Rate(theirs.ImagesPerSecond),9} img/s  (loss {theirs.FinalLoss:F3})");
                }

        Console.WriteLine();
        Console.WriteLine("| batch | mode | C# img/s | PyTorch img/s | C#/PyTorch |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (int batch in o.Batches)
            foreach (string mode in o.Modes)
            {
                double Median(string side) => MedianOf(results.Where(r => r.Side == side && r.Batch == batch && r.Mode == mode).Select(r => r.ImagesPerSecond));
                double cs = Median("csharp");
                string py = peer is null ? "-" : Rate(Median("pytorch"));
                string ratio = peer is null ? "-" : $"{cs / Median("pytorch"):F3}";
                Console.WriteLine($"| {batch} | {mode} | {Rate(cs)} | {py} | {ratio} |");
            }
        return 0;
    }

    private static Trial CSharpTrial(Device device, int batch, string mode, int warmup, int steps)
    {
        bool fp16 = mode == "fp16";
        torch.manual_seed(0);
        using var net = ModelZoo.Create("resnet18", numClasses: 10, inChannels: 3, small: true);
        net.to(device);   // before the optimizer, which holds the parameters
        net.train();
        using var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9);
        var scaler = new GradScaler(device.type, enabled: fp16);
        using var x = torch.randn([batch, 3, 32, 32], device: device);
        using var y = torch.randint(0, 10, [batch], device: device);

        Tensor Step()
        {
            optimizer.zero_grad();
            Tensor loss;
            // fp32 opens no scope at all, so it needs nothing of the engine's native helper.
            using (fp16 ? Amp.Autocast(ScalarType.Float16, device.type) : null)
                loss = nn.functional.cross_entropy(net.call(x), y);
            scaler.Scale(loss).backward();
            scaler.Step(optimizer);
            scaler.Update();
            return loss;
        }

        for (int i = 0; i < warmup; i++)
        {
            using var scope = torch.NewDisposeScope();
            Step();
        }
        Synchronize(device);
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        Tensor? last = null;
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var loss = Step();
            if (i == steps - 1) last = loss.detach().MoveToOuterDisposeScope();
        }
        Synchronize(device);
        double seconds = watch.Elapsed.TotalSeconds;
        string note = $"GCs during the timed steps: gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}";
        using (last)
            return new Trial("csharp", batch, mode, batch * steps / seconds, seconds, last!.item<float>(), note);
    }

    // Whole images per second on a GPU; two decimals where a slow CPU run would print 0.
    private static string Rate(double imagesPerSecond) => imagesPerSecond.ToString(imagesPerSecond < 100 ? "F2" : "F0", CultureInfo.InvariantCulture);

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class PeerException(string message) : Exception(message);

    /// <summary>
    /// The PyTorch peer, started once: it first says which PyTorch it runs, then answers one JSON request
    /// per line ({"device", "batch", "mode", "warmup", "steps"}) with one JSON trial per line.
    /// </summary>
    private sealed class PeerServer : IDisposable
    {
        private sealed record Hello(string Torch, string? Cuda, int? Cudnn, bool CudaAvailable, int DeviceCount);

        private readonly Process process;

        private PeerServer(Process process) => this.process = process;

        public static PeerServer Start(string python, string script)
        {
            var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add("--serve");
            info.Environment["PYTHONUNBUFFERED"] = "1";
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new PeerException($"could not start the PyTorch peer with '{python}'");
            }
            catch (Win32Exception e)
            {
                throw new PeerException($"could not start the PyTorch peer: --python '{python}': {e.Message}");
            }
            var server = new PeerServer(process);
            try
            {
                var hello = server.Read<Hello>();
                if (!hello.CudaAvailable)
                    throw new PeerException($"the peer's PyTorch {hello.Torch} ({python}) sees no " +
                        $"CUDA device; add --no-peer, or name a CUDA build of PyTorch with --python");
                Console.WriteLine($"peer: PyTorch {hello.Torch} (CUDA {hello.Cuda}, cuDNN {hello.Cudnn}, {hello.DeviceCount} device(s)) from {python}");
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        public Trial Ask(string device, int batch, string mode, int warmup, int steps)
        {
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { device, batch, mode, warmup, steps }, Json));
            process.StandardInput.Flush();
            return Read<Trial>();
        }

        private T Read<T>() where T : class
        {
            string line = process.StandardOutput.ReadLine()
                ?? throw new PeerException("the PyTorch peer (gpu_peer.py) exited without answering; its error is above");
            try
            {
                return JsonSerializer.Deserialize<T>(line, Json) ?? throw new JsonException("null");
            }
            catch (JsonException)
            {
                throw new PeerException($"the PyTorch peer answered '{line}', not the JSON line gpu_peer.py writes");
            }
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
