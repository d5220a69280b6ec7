using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

/// <summary>
/// A number passed to an operation (x + 1, x * 0.5). Integers and floating-point numbers stay
/// apart, as in PyTorch, so int64 tensors plus an integer stay int64.
/// </summary>
public readonly struct Scalar
{
    private readonly double floating;
    private readonly long integral;
    private readonly byte kind; // 0 double, 1 int64, 2 bool

    private Scalar(double d, long i, byte kind)
    {
        floating = d;
        integral = i;
        this.kind = kind;
    }

    public static implicit operator Scalar(double value) => new(value, 0, 0);
    public static implicit operator Scalar(float value) => new(value, 0, 0);
    public static implicit operator Scalar(long value) => new(value, value, 1);
    public static implicit operator Scalar(int value) => new(value, value, 1);
    public static implicit operator Scalar(bool value) => new(value ? 1 : 0, value ? 1 : 0, 2);

    public bool IsFloatingPoint => kind == 0;
    public double ToDouble() => kind == 0 ? floating : integral;
    public long ToInt64() => kind == 0 ? (long)floating : integral;

    internal NativeScalar ToNative() => new() { D = floating, I = integral, Kind = kind };

    internal static Scalar FromNative(NativeScalar s) => s.Kind switch
    {
        1 => new Scalar(s.I, s.I, 1),
        2 => new Scalar(s.I, s.I, 2),
        _ => new Scalar(s.D, 0, 0),
    };

    public override string ToString() => kind switch
    {
        1 => integral.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => integral != 0 ? "True" : "False",
        _ => floating.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
