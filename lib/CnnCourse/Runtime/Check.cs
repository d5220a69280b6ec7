using System.Globalization;

namespace CnnCourse.Runtime;

/// <summary>
/// The one argument checker of Data and Training. Each check names the layer that checks
/// (<c>"DataLoader"</c>, <c>"Trainer.Fit"</c>), what it expected and what came, and throws the
/// exception .NET uses for that case (<see cref="ArgumentNullException"/>,
/// <see cref="ArgumentOutOfRangeException"/>, <see cref="ArgumentException"/>).
/// </summary>
internal static class Check
{
    public static T NotNull<T>(T? value, string name, string layer) where T : class =>
        value ?? throw new ArgumentNullException(name, $"{layer}: {name} is null.");

    /// <summary>Every item present: the list is not null and holds no null.</summary>
    public static IReadOnlyList<T> NoNulls<T>(IReadOnlyList<T>? items, string name, string layer) where T : class
    {
        NotNull(items, name, layer);
        for (int i = 0; i < items!.Count; i++)
            if (items[i] is null) throw new ArgumentNullException(name, $"{layer}: {name}[{i}] is null.");
        return items;
    }

    public static int Positive(int value, string name, string layer) =>
        value > 0 ? value : throw OutOfRange(name, value, layer, "a positive number");

    public static int AtLeast(int value, int minimum, string name, string layer) =>
        value >= minimum ? value : throw OutOfRange(name, value, layer, $"at least {minimum}");

    public static int NotNegative(int value, string name, string layer) =>
        value >= 0 ? value : throw OutOfRange(name, value, layer, "zero or more");

    public static double Positive(double value, string name, string layer) =>
        value > 0 && double.IsFinite(value) ? value : throw OutOfRange(name, value, layer, "a positive finite number");

    public static double NotNegative(double value, string name, string layer) =>
        value >= 0 && double.IsFinite(value) ? value : throw OutOfRange(name, value, layer, "a finite number ≥ 0");

    /// <summary>A probability: a number in [0, 1].</summary>
    public static double Probability(double value, string name, string layer) =>
        value >= 0 && value <= 1 ? value : throw OutOfRange(name, value, layer, "a probability in [0, 1]");

    public static string NotEmpty(string? value, string name, string layer) =>
        NotNull(value, name, layer).Length > 0 ? value! : throw new ArgumentException($"{layer}: {name} is empty.", name);

    /// <summary>A condition on an argument; <paramref name="expected"/> says what was expected and what came.</summary>
    public static void That(bool condition, string name, string layer, string expected)
    {
        if (!condition) throw new ArgumentException($"{layer}: {expected}", name);
    }

    /// <summary>Whether two devices are the same one (CUDA without an index is device 0, as the parameters report it).</summary>
    public static bool SameDevice(TorchSharp.torch.Device a, TorchSharp.torch.Device b) =>
        a.type == b.type && Math.Max(a.index, 0) == Math.Max(b.index, 0);

    private static ArgumentOutOfRangeException OutOfRange(string name, object value, string layer, string expected) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{layer}: {name} must be {expected}; got {value}."));
}
