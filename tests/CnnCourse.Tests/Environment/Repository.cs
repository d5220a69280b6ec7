using System.Diagnostics;

namespace CnnCourse.Tests.EnvironmentChecks;

// (Not "CnnCourse.Tests.Environment": that name would hide System.Environment in every test namespace.)

/// <summary>The repository's root (the folder holding CnnCourse.sln) and a way to run its scripts.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnnCourse.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no CnnCourse.sln above {AppContext.BaseDirectory}");
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> in the repository root.</summary>
    public static Result Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
                             int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran longer than {timeoutSeconds} s");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}
