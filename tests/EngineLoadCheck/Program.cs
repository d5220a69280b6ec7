using TorchSharp;
using static TorchSharp.torch;

if (args.Contains("--engine-first") && !CnnCourse.Engine.TorchRuntime.TryInitialize())
{
    Console.Error.WriteLine(CnnCourse.Engine.TorchRuntime.LoadError);
    return 1;
}

// The 5×5 input and 3×3 kernel of the course's first convolution example, through TorchSharp alone.
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
// Only now a course type: the engine's start-up finds TorchSharp already running.
Console.WriteLine($"mode: {CnnCourse.Engine.TorchRuntime.LoadMode}");
Console.WriteLine($"libtorch: {CnnCourse.Engine.TorchRuntime.LibTorchVersion}");
var mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())
    .FirstOrDefault(path => path.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
Console.WriteLine($"libtorch_cpu.so from {mapped}");
return 0;
