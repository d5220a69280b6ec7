using System.Diagnostics;
using CnnCourse.Engine;

namespace CnnCourse.Models.Tests;

public class LoadTests
{
    private static readonly string OwnDirectory = Path.GetDirectoryName(typeof(LoadTests).Assembly.Location)!;

    private static string LoadCheckDirectory =>
        Path.GetFullPath(Path.Combine(OwnDirectory, "..", "..", "ModelsLoadCheck", Path.GetFileName(OwnDirectory)));

    [Fact]
    public async Task A_program_referencing_only_the_zoo_starts_the_engine_before_its_first_TorchSharp_call()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(LoadCheckDirectory, "ModelsLoadCheck.dll"));
        start.Environment.Remove("OMP_NUM_THREADS");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        var output = await stdout + await stderr;
        // TorchSharp's own fallback, when the engine did not start first, copies 600 MB of natives into cpu/.
        var fallback = Path.Combine(LoadCheckDirectory, "cpu");
        bool copied = Directory.Exists(fallback);
        if (copied) Directory.Delete(fallback, recursive: true);
        Assert.True(process.ExitCode == 0, output);
        Assert.False(copied, "TorchSharp fell back to copying its natives: the engine had not started");
        Assert.Contains("engine assembly loaded: True", output);
        Assert.Contains("logits: [1, 10]", output);
        Assert.Contains($"threads: {Environment.ProcessorCount} of {Environment.ProcessorCount}", output);
        var expected = TorchRuntime.SystemLibStdCxxHasGcc13 ? NativeLoadMode.Relocated : NativeLoadMode.GlibcxxCompat;
        Assert.Contains($"mode: {expected}", output);
    }
}
