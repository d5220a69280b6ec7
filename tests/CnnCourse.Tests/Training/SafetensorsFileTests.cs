using System.Buffers.Binary;
using System.Text;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>The checkpoints' safetensors files: the format's bytes, a round trip, and clear errors for broken files.</summary>
public class SafetensorsFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, true);

    [Fact]
    public void Writes_the_formats_header_and_reads_back_every_dtype_with_metadata()
    {
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(folder, "a.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = torch.tensor(new float[] { 1.5f, -2, 3, 4 }, [2, 2]).t(),   // not contiguous: written in logical order
            ["steps"] = torch.tensor(new long[] { 7 }),
            ["mask"] = torch.tensor(new[] { true, false, true }),
            ["half"] = torch.tensor(new float[] { 0.5f, 2 }).to(ScalarType.BFloat16),
        };
        SafetensorsFile.Save(tensors, path, new Dictionary<string, string> { ["epoch"] = "3" });

        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"epoch\":\"3\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}", header);
        Assert.Equal(8 + headerLength + 16 + 8 + 3 + 4, bytes.Length);
        Assert.Equal(new[] { 1.5f, 3, -2, 4 }, Enumerable.Range(0, 4).Select(i => BitConverter.ToSingle(bytes, (int)(8 + headerLength) + 4 * i)));

        var back = SafetensorsFile.Load(path);
        Assert.Equal(new[] { 1.5f, 3, -2, 4 }, back["w"].data<float>().ToArray());
        Assert.Equal([7L], back["steps"].data<long>().ToArray());
        Assert.Equal([true, false, true], back["mask"].data<bool>().ToArray());
        Assert.Equal(ScalarType.BFloat16, back["half"].dtype);
        Assert.Equal([0.5f, 2f], back["half"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal("3", SafetensorsFile.LoadMetadata(path)["epoch"]);
        Assert.Empty(Directory.GetFiles(folder, "*.part"));
    }

    [Fact]
    public void Broken_files_are_invalid_data_that_names_the_file_and_the_problem()
    {
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(folder, "b.safetensors");
        SafetensorsFile.Save(new Dictionary<string, Tensor> { ["x"] = torch.ones(4) }, path);
        var good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..^4]);   // truncated data
        Assert.Contains("data_offsets", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path)).Message);
        File.WriteAllBytes(path, good[..5]);    // not even the length
        Assert.Contains("8-byte header length", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path)).Message);
        var garbage = (byte[])good.Clone();
        garbage[9] = (byte)'#';                 // the JSON header broken
        File.WriteAllBytes(path, garbage);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path));
        Assert.Contains("b.safetensors", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }
}
