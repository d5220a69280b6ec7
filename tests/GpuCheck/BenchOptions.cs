using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>A command-line mistake, said in one sentence that names the option.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The options of <c>GpuCheck bench</c>; <see cref="Parse"/> refuses unknown options and malformed values.</summary>
internal sealed partial record BenchOptions(int[] Batches, string[] Modes, int Warmup, int Steps, int Rounds, string Python, bool Peer, string Device)
{
    public static readonly string[] KnownModes = ["fp32", "fp16"];
    private static readonly string[] Known = ["--batches", "--modes", "--warmup", "--steps", "--rounds", "--python", "--no-peer", "--device"];

    public bool OnCuda => Device.StartsWith("cuda", StringComparison.Ordinal);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions([64, 128], ["fp32", "fp16"], Warmup: 15, Steps: 100, Rounds: 3,
            Python: Environment.GetEnvironmentVariable("CNNCOURSE_PYTHON") is { Length: > 0 } p ? p : "python3", Peer: true, Device: "cuda:0");
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name == "--no-peer")
            {
                o = o with { Peer = false };
                continue;
            }
            if (!Known.Contains(name))
                throw new UsageException(name.StartsWith('-')
                    ? $"bench: unknown option '{name}' (known: {string.Join(", ", Known)})"
                    : $"bench: unexpected argument '{name}' (options start with --)");
            if (i + 1 == args.Count) throw new UsageException($"bench: {name} needs a value");
            string value = args[++i];
            o = name switch
            {
                "--batches" => o with
                {
                    Batches = [.. value.Split(',').Select(v => Count(name, v, 1,
                        "a batch size (whole numbers, 1 or more, such as 64,128)"))]
                },
                "--modes" => o with { Modes = [.. value.Split(',').Select(v => Mode(name, v))] },
                "--warmup" => o with { Warmup = Count(name, value, 0, "a whole number of steps, 0 or more") },
                "--steps" => o with { Steps = Count(name, value, 1, "a whole number of steps, 1 or more") },
                "--rounds" => o with { Rounds = Count(name, value, 1, "a whole number of rounds, 1 or more") },
                "--python" => o with { Python = value.Length > 0 ? value : throw new UsageException("bench: --python needs a path") },
                "--device" => o with
                {
                    Device = DevicePattern().IsMatch(value) ? value
                        : throw new UsageException($"bench: --device: '{value}' is neither cpu nor cuda:N")
                },
                _ => throw new UnreachableException(),
            };
        }
        if (o.Peer && !o.OnCuda)
            throw new UsageException($"bench: the PyTorch peer (gpu_peer.py) trains on CUDA only, so it cannot run with --device {o.Device}; " +
                                     "add --no-peer (on the CPU, `./course bench` compares with PyTorch)");
        return o;
    }

    private static int Count(string option, string value, int minimum, string expected) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= minimum
            ? n
            : throw new UsageException($"bench: {option}: '{value}' is not {expected}");

    private static string Mode(string option, string value) =>
        KnownModes.Contains(value) ? value : throw new UsageException($"bench: {option}: '{value}' is not a mode ({string.Join(", ", KnownModes)})");

    [GeneratedRegex(@"^(cpu|cuda(:[0-9]+)?)$")]
    private static partial Regex DevicePattern();
}
