using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    [Theory]
    [InlineData(false, "images.idx")]
    [InlineData(true, "images.idx.gz")]
    [InlineData(true, "gzipped-without-suffix")] // told by the gzip magic, not the name
    [InlineData(false, "raw-with-suffix.gz")]
    public void Reads_images_back_exactly_raw_or_gzip(bool gzip, string name)
    {
        var pixels = DataFiles.Pattern(3, 4 * 5);
        var bytes = DataFiles.IdxImages(3, 4, 5, pixels);
        string path = temp.Write(name, gzip ? DataFiles.Gzip(bytes) : bytes);

        var images = IdxFile.ReadImages(path);

        Assert.Equal((3, 4, 5), (images.Count, images.Rows, images.Columns));
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(31 * 2 + 7 * 19, images.Pixels[2 * 20 + 19]); // image 2, row 3, column 4
    }

    [Fact]
    public void Reads_labels_and_pairs_them_with_images()
    {
        string images = temp.Write("i.gz", DataFiles.Gzip(DataFiles.IdxImages(4, 2, 2, DataFiles.Pattern(4, 4))));
        string labels = temp.Write("l", DataFiles.IdxLabels([9, 0, 3, 3]));

        Assert.Equal(new byte[] { 9, 0, 3, 3 }, IdxFile.ReadLabels(labels));
        var dataset = IdxFile.ReadDataset(images, labels, Digits, "tiny");
        Assert.Equal(4, dataset.Count);
        Assert.Equal((1, 2, 2), (dataset.Channels, dataset.Height, dataset.Width));
        Assert.Equal(new[] { 9, 0, 3, 3 }, dataset.Labels);
        Assert.Equal(DataFiles.Pattern(4, 4)[4..8], dataset.Image(1).ToArray());
        Assert.Equal(images, dataset.Source);
    }

    [Fact]
    public void A_dataset_of_zero_images_is_read_as_empty()
    {
        string images = temp.Write("i", DataFiles.IdxImages(0, 28, 28, []));
        string labels = temp.Write("l", DataFiles.IdxLabels([]));
        Assert.Equal(0, IdxFile.ReadDataset(images, labels, Digits, "none").Count);
    }

    private DatasetFormatException Fails(Action read, string path, params string[] phrases)
    {
        var e = Assert.Throws<DatasetFormatException>(read);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        foreach (var phrase in phrases) Assert.Contains(phrase, e.Message);
        return e;
    }

    [Fact]
    public void An_empty_file_is_reported_as_empty()
    {
        string path = temp.Write("empty", []);
        Fails(() => IdxFile.ReadImages(path), path, "empty (0 bytes)");
        string gz = temp.Write("empty.gz", DataFiles.Gzip([]));
        Fails(() => IdxFile.ReadLabels(gz), gz, "decompresses to nothing");
    }

    [Fact]
    public void A_foreign_file_is_not_an_IDX_file()
    {
        string png = temp.Write("picture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);
        Fails(() => IdxFile.ReadImages(png), png, "not an IDX file", "0x89504E47", "0x00000803");
        string text = temp.Write("notes.txt", "hello, world\n"u8.ToArray());
        Fails(() => IdxFile.ReadLabels(text), text, "not an IDX file", "0x00000801");
    }

    [Fact]
    public void Labels_given_as_images_and_images_given_as_labels_are_named_as_such()
    {
        string labels = temp.Write("labels", DataFiles.IdxLabels([1, 2]));
        Fails(() => IdxFile.ReadImages(labels), labels, "wrong kind of IDX file", "labels: unsigned bytes, 1 dimension",
            "0x00000803 (images: unsigned bytes, 3 dimensions)");
        string images = temp.Write("images.gz", DataFiles.Gzip(DataFiles.IdxImages(1, 2, 2, [1, 2, 3, 4])));
        Fails(() => IdxFile.ReadLabels(images), images, "wrong kind of IDX file", "0x00000803");
        string floats = temp.Write("floats", DataFiles.Idx(0x00000D03, [1, 1, 1], [0, 0, 0, 0]));
        Fails(() => IdxFile.ReadImages(floats), floats, "float32, 3 dimensions");
    }

    [Fact]
    public void Truncated_files_say_how_much_was_promised_and_how_much_is_there()
    {
        var whole = DataFiles.IdxImages(3, 4, 5, DataFiles.Pattern(3, 20));
        string raw = temp.Write("cut", whole[..50]);
        Fails(() => IdxFile.ReadImages(raw), raw, "truncated", "3 images of 4×5 (76 bytes with the header)", "has 50 bytes");

        string gz = temp.Write("cut.gz", DataFiles.Gzip(whole[..50]));
        Fails(() => IdxFile.ReadImages(gz), gz, "truncated", "decompressed data ends after 50 bytes");

        string inHeader = temp.Write("header", whole[..10]);
        Fails(() => IdxFile.ReadImages(inHeader), inHeader, "truncated", "ends after 10 bytes, inside the 16-byte header");

        string inMagic = temp.Write("magic", whole[..3]);
        Fails(() => IdxFile.ReadImages(inMagic), inMagic, "truncated", "inside the 4-byte IDX magic number");
    }

    [Fact]
    public void A_gzip_file_cut_short_is_truncated_or_corrupt_never_silent()
    {
        var packed = DataFiles.Gzip(DataFiles.IdxImages(50, 28, 28, DataFiles.Pattern(50, 784)));
        string path = temp.Write("cut-stream.gz", packed[..(packed.Length / 2)]);
        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.ReadImages(path));
        Assert.Equal(path, e.FilePath);
        Assert.Matches("truncated|corrupt gzip", e.Problem);
    }

    [Fact]
    public void Extra_data_after_what_the_header_promises_is_an_error()
    {
        var bytes = DataFiles.IdxLabels([1, 2, 3]).Concat(new byte[] { 4, 5 }).ToArray();
        string raw = temp.Write("long", bytes);
        Fails(() => IdxFile.ReadLabels(raw), raw, "3 labels", "has 13 bytes, 2 too many");
        string gz = temp.Write("long.gz", DataFiles.Gzip(bytes));
        Fails(() => IdxFile.ReadLabels(gz), gz, "goes on after that");
    }

    [Fact]
    public void Implausible_dimensions_are_refused_before_allocating()
    {
        string zeroRows = temp.Write("zero", DataFiles.Idx(0x803, [1, 0, 5], []));
        Fails(() => IdxFile.ReadImages(zeroRows), zeroRows, "implausible header", "dimension 1 is 0");
        string negative = temp.Write("negative", DataFiles.Idx(0x801, [-5], []));
        Fails(() => IdxFile.ReadLabels(negative), negative, "dimension 0 is -5");
        string huge = temp.Write("huge.gz", DataFiles.Gzip(DataFiles.Idx(0x803, [60000, 60000, 60000], [])));
        Fails(() => IdxFile.ReadImages(huge), huge, "implausible header");
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        string images = temp.Write("images", DataFiles.IdxImages(3, 2, 2, DataFiles.Pattern(3, 4)));
        string labels = temp.Write("labels", DataFiles.IdxLabels([1, 2]));
        Fails(() => IdxFile.ReadDataset(images, labels, Digits, "x"), labels, "has 2 labels", $"image file {images} has 3 images");
    }

    [Fact]
    public void A_label_outside_the_classes_is_an_error()
    {
        string images = temp.Write("images", DataFiles.IdxImages(2, 1, 1, [0, 0]));
        string labels = temp.Write("labels", DataFiles.IdxLabels([3, 12]));
        Fails(() => IdxFile.ReadDataset(images, labels, Digits, "x"), labels, "label 12 at index 1", "10 classes (0–9)");
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException_naming_it()
    {
        string path = temp["nothing-here"];
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
    }
}
