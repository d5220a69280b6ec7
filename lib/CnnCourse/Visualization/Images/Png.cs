using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnCourse.Visualization;

/// <summary>
/// Encodes 8-bit RGB or grayscale pictures as PNG (signature, IHDR, one IDAT compressed with the
/// framework's zlib, IEND), choosing each row's filter by the usual minimum-sum-of-differences rule.
/// </summary>
public static class Png
{
    internal static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Encodes <paramref name="rgb"/> (width × height × 3 bytes, rows top to bottom) as a PNG.</summary>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb) => Encode(width, height, rgb, 3);

    /// <summary>Encodes <paramref name="gray"/> (width × height bytes, rows top to bottom) as a grayscale PNG.</summary>
    public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> gray) => Encode(width, height, gray, 1);

    private static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"A PNG needs a positive size, got {width} x {height}.");
        if ((long)width * height * channels != pixels.Length)
            throw new ArgumentException($"{width} x {height} x {channels} pixels need {(long)width * height * channels} bytes, got {pixels.Length}.",
                nameof(pixels));

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                              // bit depth
        ihdr[9] = (byte)(channels == 3 ? 2 : 0);  // colour type: truecolour or greyscale
        ihdr[10] = 0;                             // compression: deflate
        ihdr[11] = 0;                             // filter method: adaptive
        ihdr[12] = 0;                             // no interlace
        WriteChunk(output, "IHDR", ihdr);

        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                WriteFilteredRows(z, width, height, pixels, channels);
            WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteFilteredRows(Stream z, int width, int height, ReadOnlySpan<byte> pixels, int bpp)
    {
        int stride = width * bpp;
        var best = new byte[stride + 1];
        var candidate = new byte[stride + 1];
        var prior = new byte[stride];   // the row above the first row is zeros
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            long bestScore = long.MaxValue;
            for (byte filter = 0; filter <= 4; filter++)
            {
                candidate[0] = filter;
                long score = 0;
                for (int i = 0; i < stride; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) >> 1,
                        _ => Paeth(a, b, c),
                    };
                    byte v = (byte)(row[i] - predictor);
                    candidate[i + 1] = v;
                    score += v < 128 ? v : 256 - v;
                }
                if (score < bestScore)
                {
                    bestScore = score;
                    Array.Copy(candidate, best, candidate.Length);
                }
            }
            z.Write(best);
            row.CopyTo(prior);
        }
    }

    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Compute(header[4..]), data);
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        output.Write(trailer);
    }
}
