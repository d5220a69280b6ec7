using CnnCourse.Runtime;
namespace CnnCourse.Data;

/// <summary>Where a dataset was found: the folder, which place of the search order it was, and each required file's path.</summary>
public sealed record DatasetLocation(string Folder, string Place, IReadOnlyList<string> Files);

/// <summary>
/// Finds a dataset's files. The places, in order:
/// <list type="number">
/// <item>an explicit root, when one is given — then the only place looked, so that a mistyped path
/// is an error rather than a silent load of another copy;</item>
/// <item>each folder in the environment variable <c>CNNCOURSE_DATA</c> (several separated by ':');</item>
/// <item><c>data/</c> in the repository: the folder holding <c>CnnCourse.sln</c>, found by walking up
/// from the current directory (and from the library's own folder);</item>
/// <item>the Debian package's folder, e.g. <c>/usr/share/datasets/fashion-mnist</c> from
/// <c>dataset-fashion-mnist</c>.</item>
/// </list>
/// Places 1–3 are data roots: the files may be in the root itself, in the dataset's folder under it
/// (<c>fashion-mnist/</c>), or in another known layout (torchvision's <c>FashionMNIST/raw/</c>).
/// Each required file may also be present gzip-compressed, as <c>NAME.gz</c>. A miss raises
/// <see cref="DatasetNotFoundException"/> listing every folder looked in and how to get the data.
/// </summary>
public sealed class DatasetLocator
{
    /// <summary>The locator with the course's defaults.</summary>
    public static DatasetLocator Default { get; } = new();

    /// <summary>The environment variable naming data roots.</summary>
    public string EnvironmentVariable { get; init; } = "CNNCOURSE_DATA";

    /// <summary>Folders from which to walk up to the repository; null: the current directory and the library's folder.</summary>
    public IReadOnlyList<string>? RepositorySearchStarts { get; init; }

    /// <summary>Where Debian's dataset packages install: /usr/share/datasets.</summary>
    public string SystemDatasetsRoot { get; init; } = "/usr/share/datasets";

    /// <summary>The repository's marker file.</summary>
    public const string RepositoryMarker = "CnnCourse.sln";

    /// <summary>
    /// Finds the folder holding every one of <paramref name="files"/> (each as is or as .gz) for
    /// <paramref name="dataset"/>, or throws <see cref="DatasetNotFoundException"/>.
    /// </summary>
    public DatasetLocation Locate(DatasetDefinition dataset, IReadOnlyList<string> files, string? root = null)
    {
        var misses = new List<string>();
        return Search(dataset, files, root, misses) ?? throw NotFound(dataset, files, root, misses);
    }

    /// <summary>As <see cref="Locate"/>, but null on a miss.</summary>
    public DatasetLocation? TryLocate(DatasetDefinition dataset, IReadOnlyList<string> files, string? root = null) =>
        Search(dataset, files, root, []);

    /// <summary>
    /// The one locate-or-download of every dataset: finds <paramref name="files"/> (see
    /// <see cref="Locate"/>); when they are nowhere and <paramref name="download"/> is set, downloads
    /// the dataset first (<see cref="Download"/>); otherwise the <see cref="DatasetNotFoundException"/>
    /// lists every place looked.
    /// </summary>
    public DatasetLocation LocateOrDownload(DatasetDefinition dataset, IReadOnlyList<string> files, string? root = null,
                                            bool download = false, Downloader? downloader = null)
    {
        Check.NotNull(dataset, nameof(dataset), "DatasetLocator");
        var location = TryLocate(dataset, files, root);
        if (location is null && download) location = Locate(dataset, files, Download(dataset, root, downloader));
        return location ?? Locate(dataset, files, root);
    }

    /// <summary>
    /// Downloads <paramref name="dataset"/> under the download root (see <see cref="DownloadRoot"/>)
    /// and returns its folder: the files go into ROOT/<see cref="DatasetDefinition.FolderName"/>, or,
    /// for a dataset with <see cref="DatasetDefinition.Unpack"/>, each archive is fetched into ROOT,
    /// unpacked and deleted.
    /// </summary>
    public string Download(DatasetDefinition dataset, string? root = null, Downloader? downloader = null)
    {
        Check.NotNull(dataset, nameof(dataset), "DatasetLocator");
        string dataRoot = DownloadRoot(root);
        downloader ??= Downloader.Default;
        if (dataset.Unpack is null)
        {
            string folder = Path.Combine(dataRoot, dataset.FolderName);
            downloader.Download(dataset, folder);
            return folder;
        }
        string unpacked = dataRoot;
        foreach (string archive in downloader.Download(dataset, dataRoot))
        {
            unpacked = dataset.Unpack(archive, dataRoot);
            File.Delete(archive);
        }
        return unpacked;
    }

    /// <summary>
    /// The data root a download goes to: the explicit root, else the first folder in the
    /// environment variable, else the repository's data/. The dataset goes into its folder below it.
    /// </summary>
    public string DownloadRoot(string? root = null)
    {
        if (root is not null) return Path.GetFullPath(root);
        var fromEnvironment = EnvironmentRoots();
        if (fromEnvironment.Count > 0) return fromEnvironment[0];
        var repository = RepositoryRoots().FirstOrDefault();
        if (repository is not null) return Path.Combine(repository, "data");
        throw new InvalidOperationException(
            $"No folder to download to: not inside the course repository (no {RepositoryMarker} above {Environment.CurrentDirectory}) " +
                $"and ${EnvironmentVariable} is not set. Pass a root folder, or set {EnvironmentVariable}.");
    }

    /// <summary>The folder holding <see cref="RepositoryMarker"/> at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RepositoryMarker))) return dir.FullName;
        return null;
    }

    private DatasetLocation? Search(DatasetDefinition dataset, IReadOnlyList<string> files, string? root, List<string> misses)
    {
        foreach (var (place, folders, unavailable) in Places(dataset, root))
        {
            if (unavailable is not null)
            {
                misses.Add($"{place}: {unavailable}");
                continue;
            }
            var problems = new List<string>();
            foreach (string folder in folders)
            {
                if (!Directory.Exists(folder))
                {
                    problems.Add($"{folder} does not exist");
                    continue;
                }
                var found = files.Select(f => FindFile(folder, f)).ToList();
                if (found.All(f => f is not null))
                    return new DatasetLocation(folder, place, found!);
                problems.Add($"{folder} lacks {string.Join(", ", files.Where((_, i) => found[i] is null).Select(f => f + "[.gz]"))}");
            }
            misses.Add($"{place}: {string.Join("; ", problems)}");
        }
        return null;
    }

    /// <summary>The search order: each place's label, its candidate folders, or why it was not available.</summary>
    private IEnumerable<(string Place, IReadOnlyList<string> Folders, string? Unavailable)> Places(DatasetDefinition dataset, string? root)
    {
        if (root is not null)
        {
            yield return ($"the explicit root {Path.GetFullPath(root)}", UnderRoot(dataset, Path.GetFullPath(root)), null);
            yield break;
        }

        var fromEnvironment = EnvironmentRoots();
        if (fromEnvironment.Count == 0) yield return ($"${EnvironmentVariable}", [], "not set");
        foreach (string folder in fromEnvironment)
            yield return ($"${EnvironmentVariable} ({folder})", UnderRoot(dataset, folder), null);

        var repositories = RepositoryRoots();
        if (repositories.Count == 0)
            yield return ("the repository's data/", [],
                $"not inside the course repository (no {RepositoryMarker} above {string.Join(" or ", SearchStarts())})");
        foreach (string repository in repositories)
            yield return ($"the repository's data/ ({Path.Combine(repository, "data")})", UnderRoot(dataset, Path.Combine(repository, "data")), null);

        if (dataset.DebianPackage is not null && dataset.DebianFolder is not null)
        {
            string folder = Path.Combine(SystemDatasetsRoot, dataset.DebianFolder);
            yield return ($"Debian's {dataset.DebianPackage} ({folder})", [folder],
                Directory.Exists(folder) ? null : "not installed");
        }
    }

    private static IReadOnlyList<string> UnderRoot(DatasetDefinition dataset, string root) =>
        new[] { root, Path.Combine(root, dataset.FolderName) }
            .Concat(dataset.OtherFolderNames.Select(f => Path.Combine(root, f)))
            .ToList();

    private List<string> EnvironmentRoots() =>
        (Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath)
            .Distinct()
            .ToList();

    private IEnumerable<string> SearchStarts() =>
        RepositorySearchStarts ?? [Environment.CurrentDirectory, AppContext.BaseDirectory];

    private List<string> RepositoryRoots() =>
        SearchStarts().Select(FindRepositoryRoot).OfType<string>().Distinct().ToList();

    /// <summary>NAME itself, else NAME.gz, else null.</summary>
    private static string? FindFile(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        if (File.Exists(path)) return path;
        if (File.Exists(path + ".gz")) return path + ".gz";
        return null;
    }

    private DatasetNotFoundException NotFound(DatasetDefinition dataset, IReadOnlyList<string> files, string? root, List<string> misses)
    {
        var lines = new List<string>
        {
            $"{dataset.Name} was not found: no folder holds {string.Join(" and ", files.Select(f => f + "[.gz]"))}. Looked, in order, in:",
        };
        lines.AddRange(misses.Select((m, i) => $"  {i + 1}. {m}"));
        var ways = new List<string>();
        if (dataset.DebianPackage is not null)
            ways.Add($"`./course setup` installs Debian's {dataset.DebianPackage} (offline, " +
                $"into {Path.Combine(SystemDatasetsRoot, dataset.DebianFolder ?? "")});");
        string where;
        try { where = Path.Combine(DownloadRoot(root), dataset.FolderName); }
        catch (InvalidOperationException) { where = $"ROOT/{dataset.FolderName}"; }
        string rootArgument = root is null ? "" : $"root: \"{root}\", ";
        ways.Add($"download it from the official site: {dataset.LoaderName}.Load({rootArgument}download: true) " +
                 $"or {dataset.LoaderName}.Download({(root is null ? "" : $"\"{root}\"")}) (into {where});");
        ways.Add($"put the files in a folder named {dataset.FolderName} under the repository's data/ or a folder named by ${EnvironmentVariable}.");
        lines.Add("To get it:");
        lines.AddRange(ways.Select((w, i) => $"  - {(i == 0 ? "" : "or ")}{w}"));
        return new DatasetNotFoundException(dataset.Name, misses, string.Join(Environment.NewLine, lines));
    }
}
