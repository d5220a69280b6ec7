namespace CnnCourse.Visualization;

/// <summary>An 8-bit RGB picture in memory (rows top to bottom) with the few drawing operations the grids need.</summary>
internal sealed class Raster
{
    public Raster(int width, int height, Rgb background)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"A picture needs a positive size, got {width} x {height}.");
        if ((long)width * height > 100_000_000) throw new ArgumentException($"A {width} x {height} picture is too large; show fewer or smaller images.");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
        set
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
            int i = (y * Width + x) * 3;
            Pixels[i] = value.R;
            Pixels[i + 1] = value.G;
            Pixels[i + 2] = value.B;
        }
    }

    public void FillRect(int x, int y, int w, int h, Rgb color)
    {
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + h); yy++)
            for (int xx = Math.Max(0, x); xx < Math.Min(Width, x + w); xx++) this[xx, yy] = color;
    }

    /// <summary>Draws one line of text with its top-left corner at (x, y) in the 5 × 7 font, each font pixel scale × scale.</summary>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        for (int k = 0; k < text.Length; k++)
        {
            int gx = x + k * BitmapFont.Advance * scale;
            for (int row = 0; row < BitmapFont.Rows; row++)
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                    if (BitmapFont.Pixel(text[k], col, row))
                        FillRect(gx + col * scale, y + row * scale, scale, scale, color);
        }
    }

    public byte[] ToPng() => Png.EncodeRgb(Width, Height, Pixels);
}
