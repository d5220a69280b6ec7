using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CnnCourse.Runtime;

namespace CnnCourse.Data;

/// <summary>
/// Downloads dataset files from a list of mirrors, verifying each against its published checksum.
/// A file is written to a temporary <c>NAME.XXXXXXXX.part</c> in the target folder while it is
/// hashed, and renamed to its final name only when the whole file arrived and the checksum matches;
/// on any failure the temporary file is deleted and the next mirror is tried. When every mirror
/// failed, a <see cref="DownloadException"/> lists each URL and what went wrong (for a mismatch: the
/// expected and actual checksums), and says so when the machine looks offline. Mirrors may be
/// <c>http(s)://</c> or <c>file://</c> URLs or local folders (tests and offline copies).
/// </summary>
public sealed class Downloader
{
    private readonly Lazy<HttpClient> client;

    public Downloader() => client = new Lazy<HttpClient>(CreateClient);

    /// <summary>A shared downloader that logs to the console.</summary>
    public static Downloader Default { get; } = new();

    /// <summary>Where progress goes; null means the console at the time of the download.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>No progress lines at all.</summary>
    public bool Quiet { get; init; }

    /// <summary>How long to wait for a connection (and for the response headers).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A transfer that delivers no byte for this long counts as interrupted.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a progress line is written during a long transfer.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Temporary files of this downloader's kind older than this are taken for leftovers of a killed run and removed.</summary>
    public TimeSpan StaleTemporaryAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Downloads every file of <paramref name="dataset"/> into <paramref name="folder"/> (created if
    /// needed), skipping files already there with the right checksum; returns their paths.
    /// </summary>
    public IReadOnlyList<string> Download(DatasetDefinition dataset, string folder, CancellationToken cancellationToken = default) =>
        dataset.Downloads.Select(file => Download(file, dataset.Mirrors, folder, HowToGetOtherwise(dataset), cancellationToken)).ToList();

    /// <summary>Synchronous <see cref="DownloadAsync"/> (run on the thread pool, so no caller's synchronization context can deadlock it).</summary>
    public string Download(RemoteFile file, IReadOnlyList<string> mirrors, string folder, string? hint = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => DownloadAsync(file, mirrors, folder, hint, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Downloads <paramref name="file"/> into <paramref name="folder"/> from the first mirror that
    /// delivers it intact and returns its path. An existing file with the right checksum is kept as
    /// it is; one with another checksum is replaced. <paramref name="hint"/> ends the message of the
    /// exception when every mirror fails (other ways to get the data).
    /// </summary>
    public async Task<string> DownloadAsync(RemoteFile file, IReadOnlyList<string> mirrors, string folder, string? hint = null,
        CancellationToken cancellationToken = default)
    {
        Check.NotNull(file, nameof(file), "Downloader");
        Check.NotNull(mirrors, nameof(mirrors), "Downloader");
        if (mirrors.Count == 0) throw new ArgumentException("No mirror to download from.", nameof(mirrors));
        if (file.FileName.IndexOfAny(['/', '\\']) >= 0 || file.FileName is "." or "..")
            throw new ArgumentException($"\"{file.FileName}\" is not a plain file name.", nameof(file));

        Directory.CreateDirectory(folder);
        string target = Path.GetFullPath(Path.Combine(folder, file.FileName));
        if (File.Exists(target))
        {
            var actual = file.Checksum.Of(target);
            if (actual == file.Checksum)
            {
                Say($"{target}: already there, {actual.AlgorithmLabel} verified");
                return target;
            }
            Say($"{target}: exists but its {actual} is not the published {file.Checksum.Hex}: downloading it again");
        }
        RemoveStaleTemporaries(folder, file.FileName);

        var attempts = new List<DownloadAttempt>();
        foreach (string mirror in mirrors)
        {
            string url = Join(mirror, file.FileName);
            var attempt = await TryOneAsync(file, url, target, cancellationToken).ConfigureAwait(false);
            if (attempt is null) return target;
            attempts.Add(attempt);
            Say($"  failed: {attempt.Problem}" + (attempts.Count < mirrors.Count ? "; trying the next mirror" : ""));
        }
        throw new DownloadException(file.FileName, attempts, FailureMessage(file, target, attempts, hint));
    }

    /// <summary>One URL: null when the file is in place, otherwise what went wrong. Leaves no temporary file.</summary>
    private async Task<DownloadAttempt?> TryOneAsync(RemoteFile file, string url, string target, CancellationToken cancellationToken)
    {
        string temporary = $"{target}.{Guid.NewGuid().ToString("N")[..8]}.part";
        var watch = Stopwatch.StartNew();
        Say($"Downloading {url}");
        bool connected = false;
        long received = 0;
        try
        {
            Checksum actual;
            using (var hash = file.Checksum.CreateHash())
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true))
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(ConnectTimeout);
                var (source, length, response) = await OpenAsync(url, stall.Token).ConfigureAwait(false);
                using var _ = response;
                await using var __ = source;
                connected = true;
                var buffer = new byte[1 << 16];
                var lastReport = watch.Elapsed;
                while (true)
                {
                    stall.CancelAfter(StallTimeout);
                    int n = await source.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    hash.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    received += n;
                    if (watch.Elapsed - lastReport >= ProgressInterval)
                    {
                        lastReport = watch.Elapsed;
                        Say(length is > 0
                            ? $"  {100.0 * received / length.Value:0}% ({Megabytes(received)} of {Megabytes(length.Value)} MB)"
                            : $"  {Megabytes(received)} MB");
                    }
                }
                if (length is long expected && received != expected)
                    return new(url, DownloadFailure.Interrupted, $"interrupted: received {received} of {expected} bytes");
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                actual = file.Checksum.WithDigest(hash.GetHashAndReset());
            }
            if (actual != file.Checksum)
                return new(url, DownloadFailure.ChecksumMismatch,
                    $"checksum mismatch for {file.FileName}: expected {file.Checksum}, got {actual.Hex} ({received} bytes); nothing was kept");
            File.Move(temporary, target, overwrite: true);
            Say($"  {Megabytes(received)} MB in {watch.Elapsed.TotalSeconds:0.0} s, {actual.AlgorithmLabel} verified: {target}");
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return connected
                ? new(url, DownloadFailure.Interrupted, $"interrupted: no data for {StallTimeout.TotalSeconds:0.#} s after {received} bytes")
                : new(url, DownloadFailure.Unreachable, $"could not connect: no answer within {ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpStatusException e)
        {
            return new(url, DownloadFailure.HttpError, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or SocketException)
        {
            if (!connected)
                return new(url,
                           e is FileNotFoundException or DirectoryNotFoundException || IsConnectionFailure(e)
                               ? DownloadFailure.Unreachable
                               : DownloadFailure.Other,
                           $"could not {(IsFileUrl(url) ? "open" : "connect")}: {Innermost(e)}");
            return new(url, DownloadFailure.Interrupted, $"interrupted after {received} bytes: {Innermost(e)}");
        }
        catch (Exception e) when (e is UriFormatException or NotSupportedException or ArgumentException)
        {
            return new(url, DownloadFailure.Other, $"not a usable URL: {e.Message}");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private async Task<(Stream Source, long? Length, IDisposable? Response)> OpenAsync(string url, CancellationToken cancellationToken)
    {
        if (IsFileUrl(url))
        {
            string path = url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url;
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
            return (stream, stream.Length, null);
        }
        var uri = new Uri(url, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new NotSupportedException($"the scheme {uri.Scheme}: is not supported (http, https, file)");
        var response = await client.Value.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new HttpStatusException($"the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return (content, response.Content.Headers.ContentLength, response);
    }

    private HttpClient CreateClient()
    {
        // Bytes exactly as served: the checksum is of the .gz file, so no transparent decompression.
        var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, ConnectTimeout = ConnectTimeout };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("CnnCourse/1.0");
        return http;
    }

    private static string FailureMessage(RemoteFile file, string target, List<DownloadAttempt> attempts, string? hint)
    {
        bool offline = attempts.All(a => a.Failure == DownloadFailure.Unreachable);
        var lines = new List<string>
        {
            offline
                ? $"Could not download {file.FileName}: none of the {attempts.Count} mirrors could be reached — is this machine offline?"
                : $"Could not download {file.FileName} to {target}: every mirror failed.",
        };
        lines.AddRange(attempts.Select(a => $"  {a.Url}: {a.Problem}"));
        if (hint is not null) lines.Add(hint);
        return string.Join(Environment.NewLine, lines);
    }

    internal static string HowToGetOtherwise(DatasetDefinition dataset) =>
        dataset.DebianPackage is { } package
            ? $"{dataset.Name} is also available offline: `./course setup` installs Debian's {package} (or `apt-get " +
                $"install {package}`), which the course finds in /usr/share/datasets/{dataset.DebianFolder}."
            : $"Or copy the files ({string.Join(", ", dataset.Downloads.Select(d => d.FileName))}) from " +
                $"another machine into a folder named {dataset.FolderName} under data/ or $CNNCOURSE_DATA.";

    private static string Join(string mirror, string fileName)
    {
        if (mirror.Contains("://", StringComparison.Ordinal))
            return mirror.EndsWith('/') ? mirror + fileName : mirror + "/" + fileName;
        return Path.Combine(mirror, fileName);
    }

    private static bool IsFileUrl(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !url.Contains("://", StringComparison.Ordinal);

    /// <summary>No route to the server at all (unknown host, refused, unreachable): what offline looks like.</summary>
    private static bool IsConnectionFailure(Exception e)
    {
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }) return true;
        for (var x = e; x is not null; x = x.InnerException)
            if (x is SocketException or TimeoutException) return true;
        return false;
    }

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            if (!messages.Any(m => m.Contains(x.Message, StringComparison.Ordinal))) messages.Add(x.Message);
        return string.Join(" — ", messages);
    }

    private void RemoveStaleTemporaries(string folder, string fileName)
    {
        foreach (string path in Directory.EnumerateFiles(folder, fileName + ".*.part"))
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > StaleTemporaryAge)
                TryDelete(path);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

    private void Say(string line)
    {
        if (Quiet) return;
        (Log ?? Console.Out).WriteLine(line);
    }

    private sealed class HttpStatusException(string message) : Exception(message);
}
