namespace CnnCourse.Torch;

/// <summary>Element types, numbered as libtorch's c10::ScalarType (and TorchSharp's enum).</summary>
public enum ScalarType : sbyte
{
    Byte = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static class ScalarTypeExtensions
{
    public static int ElementSize(this ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown dtype"),
    };

    public static bool IsFloatingPoint(this ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    public static bool IsIntegral(this ScalarType type, bool includeBool = false) =>
        type is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 ||
        (includeBool && type == ScalarType.Bool);

    /// <summary>PyTorch's name: float32, bfloat16, int64, …</summary>
    public static string TorchName(this ScalarType type) => type switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        ScalarType.BFloat16 => "bfloat16",
        _ => type.ToString(),
    };

    /// <summary>The dtype of a .NET element type (float → Float32, long → Int64, …).</summary>
    public static ScalarType FromClrType(Type type) =>
        type == typeof(float) ? ScalarType.Float32 :
        type == typeof(double) ? ScalarType.Float64 :
        type == typeof(long) ? ScalarType.Int64 :
        type == typeof(int) ? ScalarType.Int32 :
        type == typeof(short) ? ScalarType.Int16 :
        type == typeof(byte) ? ScalarType.Byte :
        type == typeof(sbyte) ? ScalarType.Int8 :
        type == typeof(bool) ? ScalarType.Bool :
        type == typeof(Half) ? ScalarType.Float16 :
        throw new ArgumentException($"no tensor dtype holds .NET {type.Name} values", nameof(type));
}
