namespace CnnCourse.Torch.Tests;

/// <summary>
/// Tests that assert the process-wide <see cref="Tensor.LiveCount"/> must not run beside tests that
/// create tensors on other threads; xunit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCounters
{
    public const string Name = "Process-wide tensor counters";
}
