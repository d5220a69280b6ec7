using System.IO.Compression;

namespace CnnCourse.Data;

/// <summary>
/// Opens a dataset file for reading, decompressing it when it is gzip. The format is told by the
/// gzip magic bytes (1F 8B), never by the file name, so <c>x.gz</c> that was already unpacked and
/// <c>x</c> that is still packed both read correctly. Read errors of the gzip layer become
/// <see cref="DatasetFormatException"/> naming the file.
/// </summary>
internal sealed class DataFile : IDisposable
{
    private readonly FileStream file;
    private readonly Stream stream;

    private DataFile(string path)
    {
        Path = path;
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Length = file.Length;
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        IsGzip = got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        stream = IsGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
    }

    public static DataFile Open(string path) => new(path);

    public string Path { get; }

    /// <summary>The file's length on disk (compressed length for gzip).</summary>
    public long Length { get; }

    public bool IsGzip { get; }

    /// <summary>Where the data is: "the file" or "the decompressed data", for messages.</summary>
    public string What => IsGzip ? "the decompressed data" : "the file";

    /// <summary>Reads until <paramref name="buffer"/> is full or the data ends; returns the count read.</summary>
    public int ReadFull(Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(Path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>True when nothing follows what was read so far.</summary>
    public bool AtEnd()
    {
        Span<byte> one = stackalloc byte[1];
        return ReadFull(one) == 0;
    }

    public void Dispose()
    {
        if (!ReferenceEquals(stream, file)) stream.Dispose();
        file.Dispose();
    }
}
