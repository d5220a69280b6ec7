namespace CnnCourse.Data;

/// <summary>
/// A dataset file that is empty, truncated, corrupt or not the format it should be. The message
/// starts with the file's path and says what is wrong; <see cref="Problem"/> holds that part alone.
/// </summary>
public sealed class DatasetFormatException : IOException
{
    public DatasetFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that is wrong.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}

/// <summary>
/// A dataset that is in none of the places searched. The message lists every place looked, in
/// order, and how to get the data.
/// </summary>
public sealed class DatasetNotFoundException : IOException
{
    public DatasetNotFoundException(string dataset, IReadOnlyList<string> placesLooked, string message)
        : base(message)
    {
        Dataset = dataset;
        PlacesLooked = placesLooked;
    }

    /// <summary>The dataset's name, e.g. "Fashion-MNIST".</summary>
    public string Dataset { get; }

    /// <summary>Each folder looked in, in search order, with why it did not do.</summary>
    public IReadOnlyList<string> PlacesLooked { get; }
}

/// <summary>Why one URL did not give the file.</summary>
public enum DownloadFailure
{
    /// <summary>No connection: unknown host, refused, unreachable, timed out connecting, missing local file.</summary>
    Unreachable,
    /// <summary>The server answered with an error status (404, 403, 500...).</summary>
    HttpError,
    /// <summary>The transfer started and broke off, or stalled.</summary>
    Interrupted,
    /// <summary>The whole file arrived but its checksum is not the published one.</summary>
    ChecksumMismatch,
    /// <summary>Anything else (a disk error, a malformed URL).</summary>
    Other,
}

/// <summary>One try at one URL, and what went wrong.</summary>
public sealed record DownloadAttempt(string Url, DownloadFailure Failure, string Problem)
{
    public override string ToString() => $"{Url}: {Problem}";
}

/// <summary>
/// A file that no mirror could deliver intact. Nothing is left behind: neither the final name nor
/// a temporary file. The message lists every URL tried with what went wrong (for a checksum
/// mismatch: the expected and actual checksums).
/// </summary>
public sealed class DownloadException : IOException
{
    public DownloadException(string fileName, IReadOnlyList<DownloadAttempt> attempts, string message)
        : base(message)
    {
        FileName = fileName;
        Attempts = attempts;
    }

    /// <summary>The file that was wanted.</summary>
    public string FileName { get; }

    /// <summary>Every URL tried, in order.</summary>
    public IReadOnlyList<DownloadAttempt> Attempts { get; }

    /// <summary>True when no mirror could be reached at all: the machine looks offline.</summary>
    public bool LooksOffline => Attempts.Count > 0 && Attempts.All(a => a.Failure == DownloadFailure.Unreachable);
}
