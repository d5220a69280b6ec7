using System.IO.Compression;
using System.Text;

namespace CnnCourse.Tests.Visualization;

/// <summary>
/// A PNG decoder written for the tests, independent of the library's encoder: it checks the signature,
/// every chunk's CRC (computed bit by bit, not by table), IHDR's fields, inflates the IDAT data and
/// undoes the five row filters. Supports 8-bit greyscale and truecolour, no interlace.
/// </summary>
internal sealed class DecodedPng
{
    public int Width { get; init; }
    public int Height { get; init; }
    public int Channels { get; init; }
    public byte[] Pixels { get; init; } = [];
    public List<string> ChunkTypes { get; init; } = [];
    public byte[] FilterTypes { get; init; } = [];

    public (byte R, byte G, byte B) Rgb(int x, int y)
    {
        int i = (y * Width + x) * Channels;
        return Channels == 1 ? (Pixels[i], Pixels[i], Pixels[i]) : (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    public static DecodedPng Decode(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 8 && png.AsSpan(0, 8).SequenceEqual(signature), "PNG signature");
        int pos = 8, width = 0, height = 0, channels = 0;
        var types = new List<string>();
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int length = ReadInt(png, pos);
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            uint crc = (uint)ReadInt(png, pos + 8 + length);
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, 4 + length)), crc);
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    Assert.Equal(13, length);
                    width = ReadInt(png, pos + 8);
                    height = ReadInt(png, pos + 12);
                    Assert.Equal(8, data[8]);                 // bit depth
                    Assert.Contains(data[9], new byte[] { 0, 2 });
                    channels = data[9] == 2 ? 3 : 1;
                    Assert.Equal(0, data[10]);
                    Assert.Equal(0, data[11]);
                    Assert.Equal(0, data[12]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            pos += 12 + length;
        }
        Assert.Equal(png.Length, pos);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), bytes.Length);

        var pixels = new byte[height * stride];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            byte filter = bytes[y * (stride + 1)];
            filters[y] = filter;
            Assert.InRange(filter, (byte)0, (byte)4);
            for (int i = 0; i < stride; i++)
            {
                int x = bytes[y * (stride + 1) + 1 + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                int value = filter switch { 0 => x, 1 => x + a, 2 => x + b, 3 => x + (a + b) / 2, _ => x + paeth };
                pixels[y * stride + i] = (byte)value;
            }
        }
        return new DecodedPng { Width = width, Height = height, Channels = channels, Pixels = pixels, ChunkTypes = types, FilterTypes = filters };
    }

    private static int ReadInt(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}

/// <summary>Runs a Debian tool when it is installed (pngcheck, rsvg-convert); null when it is not.</summary>
internal static class Tool
{
    public static string? Find(string name) =>
        new[] { "/usr/bin/", "/usr/local/bin/", "/bin/" }.Select(d => d + name).FirstOrDefault(File.Exists);

    public static (int ExitCode, string Output) Run(string exe, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
