using System.Globalization;
using CnnCourse.Diagnostics;
using CnnCourse.Engine;

// GpuCheck: the course's CUDA checks on a machine with a GPU and only a .NET runtime (README.md beside this file).
//   dotnet GpuCheck.dll tests [FILTER]     the CUDA facts and the engine's GradScaler and autocast facts, no test host
//   dotnet GpuCheck.dll bench [options]    ResNet-18 (CIFAR stem) training throughput, C# against PyTorch
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string command = args.Length > 0 ? args[0] : "tests";
string[] options = args.Skip(1).ToArray();
return command switch
{
    "tests" => GpuTests.Run(options),
    "bench" => GpuBench.Run(options),
    "help" or "-h" or "--help" => Usage.Show(),
    _ => Usage.Fail($"unknown command '{command}'"),
};

/// <summary>The usage text, and the one-sentence errors that end with it (exit code 2).</summary>
internal static class Usage
{
    private const string Text = """
        usage: GpuCheck tests [FILTER]
               GpuCheck bench [--batches 64,128] [--modes fp32,fp16] [--warmup 15] [--steps 100] [--rounds 3]
                              [--python PATH] [--no-peer] [--device cuda:0|cpu]
          tests   runs, without a test host, every CUDA fact of the test projects and the engine's GradScaler and
                  autocast facts, printing PASS/FAIL/SKIP per test; FILTER keeps tests whose Class.Method contains it
          bench   ResNet-18 (CIFAR stem) training throughput on a random 3x32x32 batch, SGD(lr 0.01, momentum 0.9),
                  fp32 or float16 autocast with a GradScaler, against the PyTorch peer (gpu_peer.py) in alternating
                  trials; the table gives medians
            --batches N,N   batch sizes
            --modes M,M     fp32 and/or fp16
            --warmup N      untimed steps per trial
            --steps N       timed steps per trial
            --rounds N      trials per side, batch size and mode
            --python PATH   the peer's Python, with torch and torchvision (default: $CNNCOURSE_PYTHON, else python3)
            --no-peer       the C# side alone
            --device D      cuda:N or cpu; the peer runs on CUDA only, so cpu needs --no-peer
        """;

    public static int Show()
    {
        Console.WriteLine(Text);
        return 0;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"GpuCheck: {message}");
        Console.Error.WriteLine(Text);
        return 2;
    }
}

/// <summary>What both commands print first, after starting the engine as the library does.</summary>
internal static class Startup
{
    /// <summary>
    /// Starts the engine (CnnCourse.Engine's module initializer would on first use: TorchSharp's natives as
    /// the build prepared them, threads, allocator policy) and prints its facts and the GPUs nvidia-smi sees.
    /// False, with the engine's one-sentence reason on stderr, when it could not start.
    /// </summary>
    public static bool StartEngine()
    {
        if (!TorchRuntime.TryInitialize())
        {
            Console.Error.WriteLine($"GpuCheck: the engine did not start: {TorchRuntime.LoadError}");
            return false;
        }
        foreach (var (name, value) in TorchRuntime.Describe())
            Console.WriteLine($"{name,-14} {value}");
        var gpus = EnvironmentReport.NvidiaSmiGpus();
        if (gpus.Count == 0) Console.WriteLine($"{"nvidia-smi",-14} (none: no NVIDIA driver here)");
        foreach (var gpu in gpus) Console.WriteLine($"{"nvidia-smi",-14} {gpu}");
        Console.WriteLine();
        return true;
    }
}
