using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Running;
using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

/// <summary>An executed notebook replaces the file in one rename, or not at all.</summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_file()
    {
        string path = dir.File("lesson.ipynb");
        File.WriteAllText(path, "the original");
        var failure = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("{ half a notebook"u8);
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", failure.Message);
        Assert.Equal("the original", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_completed_write_replaces_the_file_by_a_rename()
    {
        string path = dir.File("lesson.ipynb");
        File.WriteAllText(path, "the original");
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        AtomicFile.WriteAllText(path, "the new notebook");
        Assert.Equal("the new notebook", File.ReadAllText(path));
        // A reader of the old file still sees all of it: the old file was replaced, not rewritten.
        Assert.Equal("the original", new StreamReader(reader).ReadToEnd());
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task When_the_executed_notebook_cannot_be_written_the_run_says_so_and_nothing_changes()
    {
        string source = new NotebookBuilder().Code("1 + 1").Write(dir.File("lesson.ipynb"));
        string original = File.ReadAllText(source);
        Directory.CreateDirectory(dir.File("out/lesson.ipynb/occupied")); // a folder where the file would go
        var result = (await RunnerHarness.RunAsync(
            new RunOptions { Output = OutputMode.Directory, OutputDirectory = dir.File("out") }, source)).Single();
        Assert.Equal(NotebookStatus.Passed, result.Status);
        Assert.False(result.Succeeded);
        Assert.Equal("not written", result.StatusText);
        Assert.StartsWith($"{Path.Combine(dir.Path, "out", "lesson.ipynb")}: could not be written (", result.WriteError);
        Assert.EndsWith("); the file is unchanged", result.WriteError);
        Assert.Equal(original, File.ReadAllText(source));
        Assert.Equal(["occupied"], Directory.GetFileSystemEntries(dir.File("out/lesson.ipynb")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(dir.File("out")));
    }
}
