using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Runtime;

/// <summary>
/// What every lesson uses from its first cell on: the start of a run (<see cref="Start"/>: seeding and
/// the device), <see cref="Check"/> for the claims its prose makes, <see cref="Shape(Tensor)"/> and
/// <see cref="ParameterCount"/>. The notebooks' prelude (<c>notebooks/prelude.csx</c>) imports it with
/// <c>using static CnnCourse.Runtime.Lesson;</c>, so a lesson writes <c>Check(...)</c> and
/// <c>Shape(x)</c> and none defines them again:
/// <code>
/// var device = Lesson.Start(RandomSeed, Device);   // seeds everything, resolves "auto"
/// Check(Shape(x) == "(1, 3, 32, 32)", "the input is one 3×32×32 image");
/// </code>
/// </summary>
public static class Lesson
{
    /// <summary>The device names a lesson's <c>Device</c> parameter takes (a CUDA index may follow: <c>cuda:1</c>).</summary>
    public static readonly IReadOnlyList<string> DeviceNames = ["auto", "cpu", "cuda"];

    /// <summary>
    /// The start of a lesson: seeds every generator the course uses (<see cref="Seed.Everything(long)"/>)
    /// with <paramref name="randomSeed"/> and returns the device <paramref name="device"/> names
    /// (<see cref="ResolveDevice"/>).
    /// </summary>
    public static Device Start(long randomSeed, string device)
    {
        var resolved = ResolveDevice(device);
        Seed.Everything(randomSeed);
        return resolved;
    }

    /// <summary>
    /// <c>"auto"</c>: CUDA where it is available, else the CPU; <c>"cpu"</c>, <c>"cuda"</c> or
    /// <c>"cuda:N"</c>: that device (CUDA must be available). Anything else is an error naming the choices.
    /// </summary>
    public static Device ResolveDevice(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        string name = device.Trim().ToLowerInvariant();
        if (name == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (name == "cpu") return torch.CPU;
        bool cuda = name == "cuda" || (name.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _));
        if (!cuda)
            throw new ArgumentException($"Lesson: Device is \"{device}\"; expected {string.Join(", ", DeviceNames.Select(n => $"\"{n}\""))} " +
                "or \"cuda:N\"", nameof(device));
        if (!torch.cuda.is_available())
            throw new ArgumentException($"Lesson: Device is \"{device}\", but CUDA is not available here " +
                "(a CPU build of TorchSharp, or no GPU); use \"auto\" or \"cpu\"", nameof(device));
        return torch.device(name);
    }

    /// <summary>
    /// A claim the lesson's prose makes about its results, checked: when <paramref name="condition"/> is false
    /// the cell fails with <see cref="CheckFailedException"/>, whose message is <c>Check failed: </c> and the claim.
    /// </summary>
    public static void Check(bool condition, string claim)
    {
        if (!condition) throw new CheckFailedException(claim);
    }

    /// <summary>A tensor's shape as PyTorch prints its sizes: <c>(1, 3, 32, 32)</c>.</summary>
    public static string Shape(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Shape(tensor.shape);
    }

    /// <summary>
    /// Sizes as a shape: <c>(1, 3, 32, 32)</c>; <c>()</c> for a scalar's. (An array has its own overload:
    /// TorchSharp converts a <c>long[]</c> to a tensor implicitly, which made <c>Shape(x.shape)</c> ambiguous.)
    /// </summary>
    public static string Shape(long[] sizes) => Shape((IEnumerable<long>)sizes);

    /// <summary>Sizes as a shape: <c>(1, 3, 32, 32)</c>; <c>()</c> for a scalar's.</summary>
    public static string Shape(IEnumerable<long> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return "(" + string.Join(", ", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";
    }

    /// <summary>
    /// The number of values in <paramref name="module"/>'s parameters (buffers such as BatchNorm's running
    /// statistics are not parameters); with <paramref name="trainableOnly"/>, only those that require gradients.
    /// </summary>
    public static long ParameterCount(nn.Module module, bool trainableOnly = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(p => !trainableOnly || p.requires_grad).Sum(p => p.numel());
    }

    /// <summary>A 2-D tensor's values as a <c>float[rows, columns]</c> (copied to the CPU as float32).</summary>
    public static float[,] ToGrid(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 2)
            throw new ArgumentException($"Lesson.ToGrid: expected a 2-D tensor (rows × columns); got shape {Shape(tensor)}", nameof(tensor));
        using var values = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        var grid = new float[tensor.shape[0], tensor.shape[1]];
        var flat = values.data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, grid, 0, flat.Length * sizeof(float));
        return grid;
    }
}

/// <summary>A lesson's claim that its results do not bear out (<see cref="Lesson.Check"/>).</summary>
public sealed class CheckFailedException(string claim) : Exception("Check failed: " + claim)
{
    /// <summary>The claim, as the lesson wrote it.</summary>
    public string Claim { get; } = claim;
}
