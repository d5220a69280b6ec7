using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

// TorchSharp first. This method names a model type below, so the JIT loads CnnCourse.Models (and runs
// its module initializer, which starts the engine) before the first line runs. Nothing here names
// CnnCourse.Engine: the zoo alone has to bring it up.
using (var probe = ones(2, 2))
    Console.WriteLine($"engine assembly loaded: {AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "CnnCourse.Engine")}");
using var net = CnnCourse.Models.Models.Create("lenet5", numClasses: 10, inChannels: 1);
net.eval();
using (no_grad())
    Console.WriteLine($"logits: [{string.Join(", ", net.call(zeros(1, 1, 28, 28)).shape)}]");
Console.WriteLine($"threads: {get_num_threads()} of {Environment.ProcessorCount}");
// Read by reflection, so that this program stays free of engine types.
var runtime = Type.GetType("CnnCourse.Engine.TorchRuntime, CnnCourse.Engine")!;
Console.WriteLine($"mode: {runtime.GetProperty("LoadMode", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)}");
return 0;
