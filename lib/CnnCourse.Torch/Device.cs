namespace CnnCourse.Torch;

/// <summary>Device kinds, numbered as libtorch's c10::DeviceType.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>
/// A device: "cpu", "cuda", "cuda:1", or "auto" (the notebooks' default <c>Device</c> parameter):
/// cuda when <c>torch.cuda.is_available()</c>, else cpu.
/// </summary>
public sealed record Device(DeviceType type, int index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA);

    /// <summary>The GPU when libtorch can use one, otherwise the CPU (what "auto" means).</summary>
    public static Device Auto => torch.cuda.is_available() ? CUDA : CPU;

    /// <summary>Parses PyTorch's spelling: "cpu", "cuda", "cuda:0"; and "auto" (<see cref="Auto"/>).</summary>
    public Device(string description) : this(Parse(description).type, Parse(description).index) { }

    public static implicit operator Device(string description) => new(description);

    private static (DeviceType type, int index) Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return (Auto.type, Auto.index);
        var parts = description.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new ArgumentException($"unknown device '{description}': expected cpu, cuda, cuda:N or auto", nameof(description)),
        };
        if (parts.Length == 1) return (type, -1);
        if (parts.Length == 2 && int.TryParse(parts[1], out int index) && index >= 0) return (type, index);
        throw new ArgumentException($"unknown device '{description}': expected cpu, cuda, cuda:N or auto", nameof(description));
    }

    public override string ToString() => (type == DeviceType.CPU ? "cpu" : "cuda") + (index >= 0 ? $":{index}" : "");
}
