using System.Diagnostics;

namespace CnnCourse.Torch.Tests;

/// <summary>Whether /usr/bin/python3 can import torch (Debian's python3-torch), for reference-equivalence tests.</summary>
internal static class PythonTorch
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> unavailable = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is not installed";
        var (code, output) = Run("-c \"import torch\"", TimeSpan.FromSeconds(60));
        return code == 0 ? null : $"{Python} cannot import torch (install Debian's python3-torch): {output.Trim()}";
    });

    public static bool Available => unavailable.Value is null;

    public static string SkipReason => $"reference-equivalence test skipped: {unavailable.Value}";

    public static (int Code, string Output) Run(string arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that needs /usr/bin/python3 with torch; skipped, with the reason, without it.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute()
    {
        if (!PythonTorch.Available) Skip = PythonTorch.SkipReason;
    }
}

/// <summary>A theory that needs /usr/bin/python3 with torch; skipped, with the reason, without it.</summary>
public sealed class PythonTorchTheoryAttribute : TheoryAttribute
{
    public PythonTorchTheoryAttribute()
    {
        if (!PythonTorch.Available) Skip = PythonTorch.SkipReason;
    }
}
