using System.Text.RegularExpressions;

namespace CnnCourse.Tests.EnvironmentChecks;

/// <summary>
/// What `dotnet format --verify-no-changes` (run by `./course test`) cannot check, checked on every C# file git tracks:
/// the .editorconfig's <c>max_line_length = 160</c> (documentation to the compiler and to dotnet format), and its naming
/// rule for fields, camelCase without a leading underscore (IDE1006: dotnet format reports only what it can fix, and its
/// naming fix cannot run over a whole solution, so a violation would pass it silently).
/// </summary>
public sealed partial class CodeStyleTests
{
    private const int MaxLineLength = 160;

    private static IReadOnlyList<string> TrackedCSharpFiles()
    {
        var files = Repository.Run("git", new[] { "ls-files", "-z", "--", "*.cs" });
        Assert.True(files.ExitCode == 0, $"git ls-files: {files.Stderr}");
        var tracked = files.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(relative => File.Exists(Repository.PathOf(relative))) // deleted in the working tree, not yet committed
            .ToList();
        Assert.NotEmpty(tracked);
        return tracked;
    }

    [Fact]
    public void No_tracked_cs_line_is_longer_than_160_characters()
    {
        var tooLong = new List<string>();
        foreach (var relative in TrackedCSharpFiles())
        {
            var lines = File.ReadAllLines(Repository.PathOf(relative));
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].Length > MaxLineLength)
                    tooLong.Add($"{relative}:{i + 1}: {lines[i].Length} characters");
        }
        Assert.True(tooLong.Count == 0,
                    $"{tooLong.Count} line(s) over {MaxLineLength} characters (.editorconfig's max_line_length):\n"
                    + string.Join('\n', tooLong));
    }

    [Fact]
    public void No_tracked_cs_file_declares_a_field_with_a_leading_underscore()
    {
        var underscored = new List<string>();
        foreach (var relative in TrackedCSharpFiles())
        {
            var lines = File.ReadAllLines(Repository.PathOf(relative));
            for (int i = 0; i < lines.Length; i++)
                if (UnderscoreField().Match(lines[i]) is { Success: true } m)
                    underscored.Add($"{relative}:{i + 1}: {m.Groups["name"].Value}");
        }
        Assert.True(underscored.Count == 0,
                    $"{underscored.Count} field(s) named with a leading underscore; .editorconfig's naming rule wants camelCase " +
                    "(TorchSharp names a module's parameters after its fields, so one rule for every project):\n"
                    + string.Join('\n', underscored));
    }

    // A field declaration: modifiers, a type, then a name with a leading underscore and `=`, `;` or `,` (not `=>`).
    [GeneratedRegex(@"^\s*(?:(?:private|internal|protected|public|readonly|static|volatile|required)\s+)+"
                    + @"[\w<>\[\](),.?\s]*?\s(?<name>_[A-Za-z]\w*)\s*(?:;|,|=(?!>))")]
    private static partial Regex UnderscoreField();
}
