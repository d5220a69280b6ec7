using System.Runtime.CompilerServices;
using CnnCourse.Engine;

namespace CnnCourse.Tests.Analysis;

internal static class EngineStartup
{
    // The analysis tests build TorchSharp layers before they touch any course type, so CnnCourse's
    // own module initializer may not have run yet: start the engine (allocator policy, the prepared
    // natives, threads) before TorchSharp loads anything itself (lib/README.md). Idempotent.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Start() => TorchRuntime.Initialize();
}
