using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

/// <summary>
/// `Benchmarks.dll --serve ENGINE`: one C# side of the benchmark. Prints a ready line (versions,
/// threads, malloc policy), then answers each JSON request line with one JSON result line, as peer.py.
/// The engine's code is reached through its own non-inlined method, so the harness itself loads none.
/// </summary>
internal static class Worker
{
    public static int Serve(string engine)
    {
        Func<TrialRequest, TrialResult> run;
        Dictionary<string, object> ready;
        switch (engine)
        {
            case "torchsharp": (run, ready) = TorchSharpSide(); break;
            default:
                Console.Error.WriteLine($"bench: unknown engine '{engine}'; known: torchsharp");
                return 2;
        }
        ready["ready"] = true;
        Console.WriteLine(JsonSerializer.Serialize(ready));
        while (Console.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            object answer;
            try
            {
                var r = run(JsonSerializer.Deserialize<TrialRequest>(line) ?? throw new JsonException("empty request"));
                answer = new { images_per_second = r.ImagesPerSecond, forward_ms = r.ForwardMs, backward_ms = r.BackwardMs, step_ms = r.StepMs };
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                answer = new { error = e.Message };
            }
            Console.WriteLine(JsonSerializer.Serialize(answer));
        }
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Func<TrialRequest, TrialResult>, Dictionary<string, object>) TorchSharpSide() => (TorchSharpTrial.Run, TorchSharpTrial.Describe());
}

/// <summary>The timed part every side shares: warm-up, then the mean milliseconds of each phase.</summary>
internal static class TrialLoop
{
    /// <summary>Input shape of one image for each benchmarked model.</summary>
    public static long[] ImageShape(string model) => model == "lenet5" ? [1, 28, 28] : [3, 32, 32];

    /// <param name="step">One training step; returns the ticks spent in forward (zero_grad included), backward and optimizer step.</param>
    public static TrialResult Run(TrialRequest r, Func<(long Forward, long Backward, long Step)> step)
    {
        for (int i = 0; i < r.warmup; i++) step();
        var phases = new long[3];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < r.steps; i++)
        {
            var (forward, backward, optimizer) = step();
            phases[0] += forward;
            phases[1] += backward;
            phases[2] += optimizer;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / r.steps;
        return new TrialResult(r.batch * r.steps / seconds, Milliseconds(phases[0]), Milliseconds(phases[1]), Milliseconds(phases[2]));
    }
}
