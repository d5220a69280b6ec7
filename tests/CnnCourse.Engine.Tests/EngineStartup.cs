using System.Runtime.CompilerServices;

namespace CnnCourse.Engine.Tests;

internal static class EngineStartup
{
    // Tests that use TorchSharp alone would otherwise let TorchSharp load first; inside the test host
    // its probe for libtorch_cpu falls through to the system search and finds Debian's libtorch 1.13
    // (installed for the old binding) instead of the package's 2.10. Started first, the engine has the
    // right one loaded under that name.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Start() => TorchRuntime.Initialize();
}
