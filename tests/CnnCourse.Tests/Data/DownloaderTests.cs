using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

public sealed class DownloaderTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly LoopbackServer server = new();
    private readonly StringWriter log = new();

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    /// <summary>200 kB that do not compress, so transfers take several reads.</summary>
    private static readonly byte[] Content = RandomBytes(200_000);

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(20240601).NextBytes(bytes);
        return bytes;
    }

    private static RemoteFile FileOf(byte[] content, string name = "labels.gz") => new(name, Checksum.Md5(Convert.ToHexStringLower(MD5.HashData(content))));

    private Downloader Downloader() => new() { Log = log, StallTimeout = TimeSpan.FromMilliseconds(500), ConnectTimeout = TimeSpan.FromSeconds(5) };

    private string Target => temp["out"];

    private string[] LeftInTarget() => Directory.Exists(Target) ? Directory.GetFiles(Target).Select(f => Path.GetFileName(f)).ToArray() : [];

    /// <summary>A loopback port nobody listens on: connecting is refused at once.</summary>
    private static string ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    [Fact]
    public void Downloads_a_good_file_and_verifies_it()
    {
        server.On("/d/labels.gz", new Reply.Body(Content));

        string path = Downloader().Download(FileOf(Content), [server.Url + "d/"], Target);

        Assert.Equal(Path.Combine(Target, "labels.gz"), path);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(["labels.gz"], LeftInTarget());
        Assert.Contains("md5 verified", log.ToString());
    }

    [Fact]
    public void Reads_file_urls_and_plain_folders_as_mirrors()
    {
        temp.Write("mirror/labels.gz", Content);
        Assert.Equal(Content, File.ReadAllBytes(Downloader().Download(FileOf(Content), [new Uri(temp["mirror"] + "/").AbsoluteUri], Target)));
        File.Delete(Path.Combine(Target, "labels.gz"));
        Assert.Equal(Content, File.ReadAllBytes(Downloader().Download(FileOf(Content), [temp["mirror"]], Target)));
    }

    [Fact]
    public void A_checksum_mismatch_keeps_nothing_and_names_file_url_expected_and_actual()
    {
        var corrupt = Content.ToArray();
        corrupt[^10] ^= 0xFF;
        server.On("/labels.gz", new Reply.Body(corrupt));
        var file = FileOf(Content);

        var e = Assert.Throws<DownloadException>(() => Downloader().Download(file, [server.Url], Target));

        var attempt = Assert.Single(e.Attempts);
        Assert.Equal(DownloadFailure.ChecksumMismatch, attempt.Failure);
        Assert.Equal(server.Url + "labels.gz", attempt.Url);
        string actual = Convert.ToHexStringLower(MD5.HashData(corrupt));
        Assert.Contains($"checksum mismatch for labels.gz: expected md5 {file.Checksum.Hex}, got {actual} ({corrupt.Length} bytes)", e.Message);
        Assert.Contains(server.Url + "labels.gz", e.Message);
        Assert.False(e.LooksOffline);
        Assert.Empty(LeftInTarget()); // neither the final name nor the temporary file
    }

    [Fact]
    public void A_failing_mirror_is_skipped_for_the_next_one()
    {
        server.On("/b/labels.gz", new Reply.Body(Content)); // /a/ answers 404
        string path = Downloader().Download(FileOf(Content), [ClosedPortUrl(), server.Url + "a/", server.Url + "b/"], Target);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(1, server.Requests["/a/labels.gz"]);
        Assert.Equal(1, server.Requests["/b/labels.gz"]);
        Assert.Contains("HTTP 404 Not Found; trying the next mirror", log.ToString());
        Assert.Equal(["labels.gz"], LeftInTarget());
    }

    [Fact]
    public void An_interrupted_transfer_never_reaches_the_final_name()
    {
        server.On("/cut/labels.gz", new Reply.CutOff(Content, Content.Length / 3));
        var e = Assert.Throws<DownloadException>(() => Downloader().Download(FileOf(Content), [server.Url + "cut/"], Target));
        var attempt = Assert.Single(e.Attempts);
        Assert.Equal(DownloadFailure.Interrupted, attempt.Failure);
        Assert.Contains("interrupted", attempt.Problem);
        Assert.Empty(LeftInTarget());

        // With a good second mirror, the file arrives whole.
        server.On("/good/labels.gz", new Reply.Body(Content));
        string path = Downloader().Download(FileOf(Content), [server.Url + "cut/", server.Url + "good/"], Target);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(["labels.gz"], LeftInTarget());
    }

    [Fact]
    public void A_stalled_transfer_times_out_as_interrupted()
    {
        server.On("/slow/labels.gz", new Reply.Stall(Content, 1000));
        var e = Assert.Throws<DownloadException>(() => Downloader().Download(FileOf(Content), [server.Url + "slow/"], Target));
        var attempt = Assert.Single(e.Attempts);
        Assert.Equal(DownloadFailure.Interrupted, attempt.Failure);
        Assert.Contains("no data for 0.5 s after 1000 bytes", attempt.Problem);
        Assert.Empty(LeftInTarget());
    }

    [Fact]
    public void When_no_mirror_can_be_reached_the_message_says_offline_and_lists_them()
    {
        string refused = ClosedPortUrl();
        string missing = new Uri(temp["no-such-folder"] + "/").AbsoluteUri;

        var e = Assert.Throws<DownloadException>(() =>
            Downloader().Download(FileOf(Content), [refused, missing], Target, hint: "Install the Debian package instead."));

        Assert.True(e.LooksOffline);
        Assert.All(e.Attempts, a => Assert.Equal(DownloadFailure.Unreachable, a.Failure));
        string[] lines = e.Message.Split(Environment.NewLine);
        Assert.Equal("Could not download labels.gz: none of the 2 mirrors could be reached — is this machine offline?", lines[0]);
        Assert.StartsWith($"  {refused}labels.gz: could not connect", lines[1]);
        Assert.StartsWith($"  {missing}labels.gz: could not open", lines[2]);
        Assert.Equal("Install the Debian package instead.", lines[3]);
        Assert.Empty(LeftInTarget());
    }

    [Fact]
    public void A_verified_file_is_not_downloaded_again_and_a_wrong_one_is_replaced()
    {
        server.On("/labels.gz", new Reply.Body(Content));
        temp.Write("out/labels.gz", Content);
        Downloader().Download(FileOf(Content), [server.Url], Target);
        Assert.False(server.Requests.ContainsKey("/labels.gz"));
        Assert.Contains("already there, md5 verified", log.ToString());

        temp.Write("out/labels.gz", [1, 2, 3]);
        Downloader().Download(FileOf(Content), [server.Url], Target);
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(Target, "labels.gz")));
        Assert.Contains("downloading it again", log.ToString());
    }

    [Fact]
    public void Leftovers_of_a_killed_run_are_removed_once_stale_and_never_read()
    {
        server.On("/labels.gz", new Reply.Body(Content));
        string stale = temp.Write("out/labels.gz.0badf00d.part", Content[..100]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        string fresh = temp.Write("out/labels.gz.0000beef.part", Content[..100]); // maybe another process's, in progress

        Downloader().Download(FileOf(Content), [server.Url], Target);

        Assert.Equal(["labels.gz", "labels.gz.0000beef.part"], LeftInTarget().Order(StringComparer.Ordinal));
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(Target, "labels.gz")));
    }

    [Fact]
    public void Checksums_are_validated_and_compared_case_insensitively()
    {
        Assert.Throws<ArgumentException>(() => Checksum.Md5("abc"));
        Assert.Throws<ArgumentException>(() => Checksum.Sha256(new string('g', 64)));
        string md5 = Convert.ToHexString(MD5.HashData(Content)); // upper case
        Assert.Equal(Checksum.Md5(md5.ToLowerInvariant()), Checksum.Md5(md5));
        string path = temp.Write("x", Content);
        Assert.True(Checksum.Md5(md5).Matches(path));
        Assert.True(Checksum.Sha256(Convert.ToHexString(SHA256.HashData(Content))).Matches(path));
        Assert.False(Checksum.Sha256(new string('0', 64)).Matches(path));
        Assert.Equal("sha256 " + new string('0', 64), Checksum.Sha256(new string('0', 64)).ToString());
    }

    [Fact]
    public void Sha256_checksums_work_the_same_way()
    {
        server.On("/labels.gz", new Reply.Body(Content));
        var file = new RemoteFile("labels.gz", Checksum.Sha256(Convert.ToHexStringLower(SHA256.HashData(Content))));
        Downloader().Download(file, [server.Url], Target);
        Assert.Contains("sha256 verified", log.ToString());
    }
}
