namespace CnnCourse.Torch.Tests;

/// <summary>
/// Tests that depend on process-wide state must not run beside tests that create tensors or draw
/// random numbers on other threads: the live-tensor count (<see cref="Tensor.LiveCount"/>) and the
/// exact sequence of libtorch's global generator after <c>torch.manual_seed</c>. xunit runs this
/// collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "Process-wide state (tensor counters, random generator)";
}
