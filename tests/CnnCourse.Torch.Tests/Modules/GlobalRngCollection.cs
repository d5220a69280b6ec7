namespace CnnCourse.Torch.Tests.Modules;

/// <summary>
/// Tests that compare seeded random draws with PyTorch's numbers: libtorch's generator is
/// process-wide, so they must not run beside tests drawing random numbers on other threads.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "Seeded global generator";
}
