namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>The course's notebooks: <c>notebooks/*.ipynb</c> of the repository these tests belong to.</summary>
internal static class CourseNotebooks
{
    /// <summary>The repository root: the first folder above the test assembly that holds CnnCourse.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Directory => Path.Combine(RepositoryRoot, "notebooks");

    /// <summary>Notebook paths relative to the repository root (notebooks/NN-topic.ipynb), in name order.</summary>
    public static IReadOnlyList<string> Find() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.ipynb")
                .Select(path => Path.GetRelativePath(RepositoryRoot, path))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnnCourse.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no CnnCourse.sln above {AppContext.BaseDirectory}");
    }
}
