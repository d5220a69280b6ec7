using System.Runtime.CompilerServices;
using CnnCourse.Engine;

namespace CnnCourse.Tests.Training;

/// <summary>
/// Starts the engine when the test assembly loads. Many tests call TorchSharp (<c>torch.zeros</c>)
/// before they touch any CnnCourse type, so CnnCourse's own module initializer would come too late:
/// TorchSharp alone in the test host finds Debian's libtorch 1.13 (see lib/README.md). The engine's
/// start is idempotent, so another initializer in this assembly does no harm.
/// </summary>
internal static class EngineStartup
{
#pragma warning disable CA2255 // the engine must be ready before the first TorchSharp call of any test
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Start() => TorchRuntime.Initialize();
}
