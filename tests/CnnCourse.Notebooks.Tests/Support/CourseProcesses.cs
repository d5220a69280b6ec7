namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// The tests that run the course's lessons as processes (notebooks in the kernel, exported apps built
/// and run) share this collection, so they run one after the other: each trains with libtorch or runs
/// a build on every core, and two at once slowed each other down on a small machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CourseProcesses
{
    public const string Name = "course processes";
}
