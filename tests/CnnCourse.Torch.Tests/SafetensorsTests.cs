using System.Buffers.Binary;
using System.Text;
using CnnCourse.Torch.Serialization;

namespace CnnCourse.Torch.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnt-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    private static byte[] Le(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    private static byte[] File(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    // ---- the exact bytes ------------------------------------------------------------------

    [Fact]
    public void Writes_the_reference_bytes_for_one_tensor()
    {
        // The header {"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}} is 64 bytes
        // (10 + 15 + 16 + 21 + 2), already a multiple of 8, so no padding; then 0..5 as float32 LE.
        // huggingface/safetensors' own test_serialization expects these same bytes.
        using var t = torch.tensor(new float[] { 0, 1, 2, 3, 4, 5 }, new long[] { 1, 2, 3 });
        string path = PathOf("one.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor> { ["attn.0"] = t }, path);

        var expected = File("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", Le(0, 1, 2, 3, 4, 5));
        Assert.Equal(64 + 8 + 24, expected.Length);
        Assert.Equal(expected, System.IO.File.ReadAllBytes(path));
    }

    [Fact]
    public void Orders_tensors_by_descending_alignment_then_name_and_pads_with_spaces()
    {
        // As the reference writes them: I64 before F32 before BOOL, whatever the names. The JSON is
        // 164 bytes (54 + 54 + 55 + 1, counted entry by entry), padded with 4 spaces to 168.
        using var a = torch.tensor(new float[] { 1.5f, -2 });
        using var b = torch.tensor(new long[] { 7 });
        using var c = torch.tensor(new[] { true, false, true });
        string path = PathOf("mixed.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor> { ["a"] = a, ["c"] = c, ["b"] = b }, path);

        string header =
            "{\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}," +
            "\"c\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[16,19]}}" + "    ";
        Assert.Equal(168, header.Length);
        var data = new byte[19];
        BinaryPrimitives.WriteInt64LittleEndian(data, 7);
        Le(1.5f, -2).CopyTo(data, 8);
        data[16] = 1; data[18] = 1;
        Assert.Equal(File(header, data), System.IO.File.ReadAllBytes(path));
    }

    [Fact]
    public void Writes_metadata_first_and_an_empty_file_as_the_reference_does()
    {
        // {"__metadata__":{"framework":"pt"}} is 35 bytes, padded to 40 (the reference's test_empty).
        string path = PathOf("empty.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor>(), path, new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(File("{\"__metadata__\":{\"framework\":\"pt\"}}     ", Array.Empty<byte>()), System.IO.File.ReadAllBytes(path));

        torch.safetensors.save(new Dictionary<string, Tensor>(), path);
        Assert.Equal(File("{}      ", Array.Empty<byte>()), System.IO.File.ReadAllBytes(path));
        Assert.Empty(torch.safetensors.load(path));
    }

    [Fact]
    public void Reads_a_hand_built_file()
    {
        // Tensors listed out of offset order (older writers did so), an F16 and a 0-d I32.
        var data = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(data, -5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(4), (Half)0.5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(6), (Half)(-3));
        string path = PathOf("hand.safetensors");
        System.IO.File.WriteAllBytes(path, File(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},\"s\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}", data));

        var loaded = torch.safetensors.load(path);
        using var h = loaded["h"];
        using var s = loaded["s"];
        Assert.Equal(new[] { "h", "s" }, loaded.Keys);
        Assert.Equal(ScalarType.Float16, h.dtype);
        Assert.Equal(new double[] { 0.5, -3 }, h.ToDoubleArray());
        Assert.Empty(s.shape);
        Assert.Equal(-5, s.item<int>());
    }

    // ---- round trips ----------------------------------------------------------------------

    [Fact]
    public void Round_trips_every_dtype_and_shape_exactly()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn(2, 3),
            ["f64"] = torch.randn(new long[] { 4 }, torch.float64),
            ["bf16"] = torch.randn(new long[] { 3, 2 }, torch.bfloat16),
            ["f16"] = torch.randn(new long[] { 5 }, torch.float16),
            ["i64"] = torch.tensor(new long[] { long.MinValue, -1, 0, long.MaxValue }),
            ["i32"] = torch.tensor(new[] { int.MinValue, 7, int.MaxValue }, dtype: torch.int32),
            ["i16"] = torch.tensor(new short[] { short.MinValue, 3, short.MaxValue }),
            ["i8"] = torch.tensor(new sbyte[] { -128, 0, 127 }),
            ["u8"] = torch.tensor(new byte[] { 0, 200, 255 }),
            ["bool"] = torch.tensor(new[] { true, false, true, true }, new long[] { 2, 2 }),
            ["scalar"] = torch.tensor(3.25),
            ["empty"] = torch.zeros(new long[] { 0, 3 }),
            ["empty_i64"] = torch.zeros(new long[] { 2, 0 }, torch.int64),
            // channels_last: the same values in a non-contiguous layout.
            ["nhwc"] = torch.tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), new long[] { 1, 2, 3, 4 }).contiguous(MemoryFormat.ChannelsLast),
            ["unicode name é ✓ \"q\"\n"] = torch.ones(1),
        };
        Assert.False(tensors["nhwc"].is_contiguous());
        string path = PathOf("all.safetensors");
        torch.safetensors.save(tensors, path);

        var loaded = torch.safetensors.load(path);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, original) in tensors)
        {
            var back = loaded[name];
            Assert.Equal(original.dtype, back.dtype);
            Assert.Equal(original.shape, back.shape);
            Assert.True(back.is_contiguous());
            Assert.Equal(original.ToBytes(), back.ToBytes());
        }
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), loaded["nhwc"].ToArray<float>());
    }

    [Fact]
    public void Round_trips_metadata_and_reads_it_from_the_header_alone()
    {
        using var t = torch.ones(2);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["epoch"] = "12",
            ["note"] = "quotes \" backslash \\ tab \t newline \n control \u0001 and ünïcødé ✓",
            [""] = "empty key",
        };
        string path = PathOf("meta.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = t }, path, metadata);

        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), torch.safetensors.load_metadata(path).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var loaded = torch.safetensors.load(path);
        using var w = loaded["w"];
        Assert.Single(loaded);

        string noMeta = PathOf("nometa.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = t }, noMeta);
        Assert.Empty(torch.safetensors.load_metadata(noMeta));
    }

    [Fact]
    public void Saving_overwrites_atomically_and_a_failed_save_keeps_the_old_file()
    {
        string path = PathOf("model.safetensors");
        using var good = torch.ones(3);
        torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = good }, path);
        var before = System.IO.File.ReadAllBytes(path);

        var disposed = torch.zeros(2);
        disposed.Dispose();
        var ex = Assert.Throws<ObjectDisposedException>(() =>
            torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = good, ["z"] = disposed }, path));
        Assert.Contains("'z'", ex.Message);
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));

        // A failure in the middle of writing (after bytes reached the temporary file).
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            stream.Flush();
            throw new IOException("disk full");
        }));
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));

        using var other = torch.zeros(5);
        torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = other }, path);
        var reloaded = torch.safetensors.load(path);
        using var w = reloaded["w"];
        Assert.Equal(new float[5], w.ToArray<float>());
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public void Rejects_bad_arguments_before_touching_the_disk()
    {
        string path = PathOf("args.safetensors");
        using var t = torch.ones(1);
        Assert.Throws<ArgumentException>(() => torch.safetensors.save(new Dictionary<string, Tensor> { ["__metadata__"] = t }, path));
        Assert.Throws<ArgumentException>(() => torch.safetensors.save(new Dictionary<string, Tensor> { ["x"] = null! }, path));
        Assert.Throws<ArgumentException>(() => torch.safetensors.save(new Dictionary<string, Tensor> { ["x"] = t }, path,
            new Dictionary<string, string> { ["k"] = null! }));
        Assert.Throws<ArgumentNullException>(() => torch.safetensors.save(null!, path));
        Assert.Throws<DirectoryNotFoundException>(() => torch.safetensors.save(new Dictionary<string, Tensor> { ["x"] = t }, PathOf("missing/x.safetensors")));
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Throws<FileNotFoundException>(() => torch.safetensors.load(PathOf("nothing.safetensors")));
    }

    // ---- corrupt files --------------------------------------------------------------------

    public static TheoryData<string, string> CorruptHeaders => new()
    {
        // header text, a phrase the error must contain
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", "not valid JSON" },
        { "[1,2]", "does not start with '{'" },
        { "{\"w\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'w': unknown dtype \"F33\"" },
        { "{\"w\":{\"dtype\":\"U16\",\"shape\":[4],\"data_offsets\":[0,8]}}", "tensor 'w': dtype \"U16\" is not supported" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "tensor 'w': data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "tensor 'w': shape entry -2" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'w': missing \"data_offsets\"" },
        { "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'w': missing \"dtype\"" },
        { "{\"w\":[0,8]}", "tensor 'w': its entry is a JSON Array" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "end before they begin" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "tensor 'b': data_offsets [4, 8] overlap tensor 'a' [0, 8]" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "tensor 'a': data_offsets [4, 8] leave a gap" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "the tensors cover 4 bytes of data, but the file holds 8" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "tensor 'a': data_offsets [0, 16] run past the end of the data (8 bytes)" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "names 'a' twice" },
        { "{\"__metadata__\":{\"k\":1},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "metadata entry 'k' is a JSON Number" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", "tensor 'w': shape [4294967296, 4294967296, 4294967296] is too large" },
    };

    [Theory]
    [MemberData(nameof(CorruptHeaders))]
    public void Corrupt_headers_raise_clear_errors_naming_the_file(string header, string phrase)
    {
        string path = PathOf("corrupt.safetensors");
        System.IO.File.WriteAllBytes(path, File(header, Le(1, 2)));
        var ex = Assert.Throws<InvalidDataException>(() => torch.safetensors.load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(phrase, ex.Message);
    }

    [Fact]
    public void Truncated_and_foreign_files_raise_clear_errors()
    {
        using var t = torch.arange(0, 10, dtype: torch.float32);
        string good = PathOf("good.safetensors");
        torch.safetensors.save(new Dictionary<string, Tensor> { ["w"] = t }, good);
        var bytes = System.IO.File.ReadAllBytes(good);

        string path = PathOf("bad.safetensors");
        void Expect(byte[] content, string phrase)
        {
            System.IO.File.WriteAllBytes(path, content);
            var ex = Assert.Throws<InvalidDataException>(() => torch.safetensors.load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains(phrase, ex.Message);
        }

        Expect(bytes[..^5], "tensor 'w': data_offsets [0, 40] run past the end of the data (35 bytes)");
        Expect(bytes[..20], "runs past the end of the file");
        Expect(bytes[..3], "too short for the 8-byte header length");
        Expect(Array.Empty<byte>(), "too short");

        var tooLong = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(tooLong, (ulong)bytes.Length);
        Expect(tooLong, $"the header length {bytes.Length} runs past the end of the file");
        BinaryPrimitives.WriteUInt64LittleEndian(tooLong, ulong.MaxValue);
        Expect(tooLong, "larger than the format's limit");

        var notUtf8 = (byte[])bytes.Clone();
        notUtf8[10] = 0xff;
        Expect(notUtf8, "not valid UTF-8");
        Expect(Encoding.ASCII.GetBytes("PK\u0003\u0004 this is a zip, not safetensors"), "header length");
    }
}
