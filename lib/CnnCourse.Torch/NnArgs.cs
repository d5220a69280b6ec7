using System.Globalization;
using System.Runtime.CompilerServices;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

/// <summary>
/// Managed checks of arguments that libtorch would reject unclearly (or not at all): negative
/// kernel sizes, zero strides, probabilities outside [0, 1]. Each throws ArgumentException whose
/// message starts with the public operation's name, like libtorch's errors do.
/// </summary>
internal static class NnArgs
{
    internal static TensorHandle Optional(Tensor? tensor) => tensor?.Handle ?? TensorHandle.Null;

    internal static long[] Positive(Size2 size, string name, [CallerMemberName] string operation = "")
    {
        if (size.Height <= 0 || size.Width <= 0)
            throw new ArgumentException($"{operation}: {name} must be positive, but got {size}", name);
        return size.ToArray();
    }

    internal static long[] NonNegative(Size2 size, string name, [CallerMemberName] string operation = "")
    {
        if (size.Height < 0 || size.Width < 0)
            throw new ArgumentException($"{operation}: {name} must be non-negative, but got {size}", name);
        return size.ToArray();
    }

    internal static long Positive(long value, string name, [CallerMemberName] string operation = "")
    {
        if (value <= 0)
            throw new ArgumentException($"{operation}: {name} must be positive, but got {value}", name);
        return value;
    }

    internal static double Probability(double p, string name, [CallerMemberName] string operation = "")
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{operation}: {name} has to be between 0 and 1, but got {p}"), name);
        return p;
    }

    internal static double Finite(double value, string name, [CallerMemberName] string operation = "")
    {
        if (!double.IsFinite(value))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{operation}: {name} must be a finite number, but got {value}"), name);
        return value;
    }
}
