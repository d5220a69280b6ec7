using CnnCourse.Data;

namespace CnnCourse.Tests.Data;

public sealed class CifarBinaryTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_batch_round_trips_labels_and_CHW_pixels()
    {
        var labels = new byte[] { 6, 9, 0 };
        var pixels = DataFiles.Pattern(3, 3072);
        string path = temp.Write("data_batch_1.bin", DataFiles.CifarBatch(labels, pixels));

        var batch = CifarBinary.ReadBatch(path);

        Assert.Equal(3, batch.Count);
        Assert.Equal(labels, batch.Labels);
        Assert.Equal(pixels, batch.Pixels);
        // Record 1's green plane starts 1 (label) + 1024 (red) bytes into the record.
        var file = File.ReadAllBytes(path);
        Assert.Equal(file[3073 + 1 + 1024], batch.Pixels[3072 + 1024]);
    }

    [Fact]
    public void A_gzipped_batch_reads_the_same()
    {
        var raw = DataFiles.CifarBatch([1, 2], DataFiles.Pattern(2, 3072));
        string path = temp.Write("test_batch.bin", DataFiles.Gzip(raw));
        Assert.Equal(new byte[] { 1, 2 }, CifarBinary.ReadBatch(path).Labels);
    }

    [Fact]
    public void Empty_truncated_and_foreign_batches_are_refused_with_the_file_name()
    {
        string empty = temp.Write("empty.bin", []);
        var e = Assert.Throws<DatasetFormatException>(() => CifarBinary.ReadBatch(empty));
        Assert.Equal(empty, e.FilePath);
        Assert.Contains("empty", e.Message);

        var whole = DataFiles.CifarBatch([1, 2], DataFiles.Pattern(2, 3072));
        string cut = temp.Write("cut.bin", whole[..(3073 + 100)]);
        e = Assert.Throws<DatasetFormatException>(() => CifarBinary.ReadBatch(cut));
        Assert.StartsWith(cut + ": ", e.Message);
        Assert.Contains("3173 bytes, not a whole number of 3073-byte records", e.Message);
        Assert.Contains("1 records and 100 bytes over", e.Message);

        var foreign = whole.ToArray();
        foreign[3073] = 57; // the second record's label byte
        string bad = temp.Write("foreign.bin", foreign);
        e = Assert.Throws<DatasetFormatException>(() => CifarBinary.ReadBatch(bad));
        Assert.Contains("record 1 has label 57", e.Message);
    }

    [Fact]
    public void Class_names_come_one_a_line_and_must_be_ten()
    {
        string[] names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        string meta = temp.Write("batches.meta.txt", System.Text.Encoding.ASCII.GetBytes(string.Join("\n", names) + "\n\n"));
        Assert.Equal(names, CifarBinary.ReadClassNames(meta));

        string short_ = temp.Write("short.txt", "cat\ndog\n"u8.ToArray());
        var e = Assert.Throws<DatasetFormatException>(() => CifarBinary.ReadClassNames(short_));
        Assert.Contains("has 2 class names", e.Message);
        string empty = temp.Write("empty.txt", []);
        Assert.Throws<DatasetFormatException>(() => CifarBinary.ReadClassNames(empty));
    }
}
