namespace CnnCourse.Torch;

/// <summary>The category of a libtorch error (its C++ exception type).</summary>
public enum TorchErrorKind
{
    None = 0,
    Runtime = 1,
    Index = 2,
    Value = 3,
    Type = 4,
    NotImplemented = 5,
    OutOfMemory = 6,
}

/// <summary>
/// An error raised by libtorch (or by the shim's argument checks), named after the C# operation
/// that called it: "conv2d: Given groups=1, weight of size [16, 3, 3, 3], expected input[...]".
/// </summary>
public sealed class TorchException : Exception
{
    public TorchException(string operation, TorchErrorKind kind, string nativeMessage)
        : base($"{operation}: {FirstLine(nativeMessage)}")
    {
        Operation = operation;
        Kind = kind;
        NativeMessage = nativeMessage;
    }

    /// <summary>The C# operation that failed, e.g. "conv2d".</summary>
    public string Operation { get; }

    public TorchErrorKind Kind { get; }

    /// <summary>libtorch's full message (the exception message keeps only its first line).</summary>
    public string NativeMessage { get; }

    private static string FirstLine(string text)
    {
        text = text.Trim();
        int newline = text.IndexOf('\n');
        return newline < 0 ? text : text[..newline].TrimEnd();
    }
}
