using System.Security.Cryptography;
using CnnCourse.Runtime;

namespace CnnCourse.Data;

/// <summary>
/// A published checksum: the algorithm (MD5 where that is all a dataset's authors publish, SHA-256
/// where available) and the digest in lowercase hex.
/// </summary>
public sealed record Checksum
{
    private Checksum(HashAlgorithmName algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public HashAlgorithmName Algorithm { get; }

    /// <summary>The digest, lowercase hex.</summary>
    public string Hex { get; }

    public static Checksum Md5(string hex) => Create(HashAlgorithmName.MD5, hex, 16);

    public static Checksum Sha256(string hex) => Create(HashAlgorithmName.SHA256, hex, 32);

    private static Checksum Create(HashAlgorithmName algorithm, string hex, int bytes)
    {
        Check.NotNull(hex, nameof(hex), "Checksum");
        if (hex.Length != 2 * bytes || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"An {algorithm.Name} digest is {2 * bytes} hex digits; \"{hex}\" is not.", nameof(hex));
        return new Checksum(algorithm, hex.ToLowerInvariant());
    }

    /// <summary>The algorithm's name as people write it: "md5", "sha256".</summary>
    public string AlgorithmLabel => Algorithm.Name!.ToLowerInvariant().Replace("-", "");

    /// <summary>The same kind of checksum computed over a file's bytes.</summary>
    public Checksum Of(string path)
    {
        using var hash = IncrementalHash.CreateHash(Algorithm);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
        return new Checksum(Algorithm, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>True when the file exists and has this checksum.</summary>
    public bool Matches(string path) => File.Exists(path) && Of(path) == this;

    internal IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm);

    internal Checksum WithDigest(byte[] digest) => new(Algorithm, Convert.ToHexStringLower(digest));

    public override string ToString() => $"{AlgorithmLabel} {Hex}";
}

/// <summary>A file to download: its name (appended to each mirror's base URL) and its published checksum.</summary>
public sealed record RemoteFile(string FileName, Checksum Checksum);
