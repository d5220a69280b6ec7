using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

// A program as a learner writes one: it references the course and calls TorchSharp before any course
// type. Each part is its own non-inlined method: a course type named anywhere in Main would load the
// course's assembly (and run its module initializer) when Main is compiled, before TorchSharp.
if (args.Contains("--engine-first")) return EngineFirst();
Console.WriteLine($"engine loaded before TorchSharp: {EngineAssemblyLoaded()}");
ConvolveWithTorchSharpAlone();
Console.WriteLine($"engine loaded after TorchSharp: {EngineAssemblyLoaded()}");
ReportEngine();
return 0;

static bool EngineAssemblyLoaded() =>
    AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "CnnCourse.Engine");

// The 5×5 input and 3×3 kernel of the course's first convolution example, through TorchSharp alone.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ConvolveWithTorchSharpAlone()
{
    var image = torch.tensor(new float[]
    {
        1, 1, 1, 0, 0,
        0, 1, 1, 1, 0,
        0, 0, 1, 1, 1,
        0, 0, 1, 1, 0,
        0, 1, 1, 0, 0,
    }, 1, 1, 5, 5);
    var kernel = torch.tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 }, 1, 1, 3, 3);
    var result = nn.functional.conv2d(image, kernel).flatten().data<float>().ToArray();
    Console.WriteLine($"conv: {string.Join(",", result)}");
    Console.WriteLine($"libtorch: {torch.__version__}");
    var mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())
        .Where(path => path.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal) || path.Contains("/libtorch_cpu.so.", StringComparison.Ordinal))
        .Distinct();
    Console.WriteLine($"libtorch_cpu.so from {string.Join(" and ", mapped)}");
}

// Only now a course type: the engine's start-up finds TorchSharp already running.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ReportEngine() => Console.WriteLine($"mode: {CnnCourse.Engine.TorchRuntime.LoadMode}");

[MethodImpl(MethodImplOptions.NoInlining)]
static int EngineFirst()
{
    if (CnnCourse.Engine.TorchRuntime.TryInitialize()) return 0;
    Console.Error.WriteLine(CnnCourse.Engine.TorchRuntime.LoadError);
    return 1;
}
