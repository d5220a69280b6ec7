using System.Diagnostics;
using CnnCourse.Diagnostics;
using CnnCourse.Engine;

// `./course doctor`: prints every check; exits 1 with one actionable sentence per problem.
// While the course moves onto TorchSharp (issue 13) the TorchSharp engine is reported by a second
// process of this program: Debian's libtorch 1.13 (the old binding) and TorchSharp's libtorch 2.10
// must not share one process.
if (args is ["--torchsharp-engine"]) return ReportTorchSharpEngine();

var status = EnvironmentReport.Run(Console.Out, Console.Error);
Console.Out.Flush();
var self = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
self.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CnnCourse.Doctor.dll"));
self.ArgumentList.Add("--torchsharp-engine");
using var engine = Process.Start(self)!;
engine.WaitForExit();
return Math.Max(status, engine.ExitCode);

static int ReportTorchSharpEngine()
{
    Console.WriteLine();
    Console.WriteLine("TorchSharp engine (the course's next engine):");
    var facts = TorchRuntime.Describe();
    int width = facts.Max(f => f.Name.Length);
    foreach (var (name, value) in facts) Console.WriteLine($"   {name.PadRight(width)}  {value}");
    if (TorchRuntime.LoadError is { } error)
    {
        Console.Error.WriteLine($"doctor: TorchSharp: {error}");
        return 1;
    }
    return 0;
}
