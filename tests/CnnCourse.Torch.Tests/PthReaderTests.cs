using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace CnnCourse.Torch.Tests;

/// <summary>
/// Checkpoints written by PyTorch itself (torch.save, in the zip and legacy formats and pickle
/// protocols 2 and 4), generated once per run by the script below, with the values PyTorch holds
/// (contiguous little-endian bytes) in manifest.json.
/// </summary>
public sealed class PthFixtures : IDisposable
{
    public sealed record Expected(string dtype, long[] shape, string hex);

    public string Folder { get; } = Directory.CreateTempSubdirectory("cnt-pth-").FullName;

    public Dictionary<string, Dictionary<string, Expected>> Manifest { get; } = new();

    public PthFixtures()
    {
        if (!PythonTorch.Available) return;
        string script = Path.Combine(Folder, "make_fixtures.py");
        File.WriteAllText(script, Script);
        var (code, output) = PythonTorch.Run($"\"{script}\" \"{Folder}\"", TimeSpan.FromMinutes(2));
        if (code != 0) throw new InvalidOperationException($"the fixture script failed ({code}): {output}");
        Manifest = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, Expected>>>(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!;
    }

    public string this[string name] => Path.Combine(Folder, name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private const string Script = """
import json, sys, os, collections
import torch
out = sys.argv[1]
torch.manual_seed(0)

def raw(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes().hex()

manifest = {}
def save(name, obj, expected=None, **kw):
    torch.save(obj, os.path.join(out, name), **kw)
    if expected is not None:
        manifest[name] = {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "hex": raw(v)} for k, v in expected.items()}

dtypes = {
    "f32": torch.randn(2, 3),
    "f64": torch.randn(4, dtype=torch.float64),
    "f16": torch.randn(3, 2).half(),
    "bf16": torch.randn(5).bfloat16(),
    "i64": torch.tensor([-2**63, -1, 0, 2**63 - 1]),
    "i32": torch.tensor([-2**31, 5, 2**31 - 1], dtype=torch.int32),
    "i16": torch.tensor([-32768, 3, 32767], dtype=torch.int16),
    "i8": torch.tensor([-128, 0, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
    "bool": torch.tensor([[True, False], [False, True]]),
    "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 3),
    "big": torch.randn(3, 5, 7, 2),
}
save("dtypes.pth", dtypes, dtypes)
save("legacy.pth", dtypes, dtypes, _use_new_zipfile_serialization=False)
save("protocol4.pth", dtypes, dtypes, pickle_protocol=4)

x = torch.arange(12.).view(3, 4)
base = torch.arange(10, dtype=torch.int64)
c = torch.arange(60.).view(3, 4, 5)
views = {
    "transposed": x.t(),
    "offset": x[1:],
    "shared_a": base[:4],
    "shared_b": base[4:],
    "strided": x[:, ::2],
    "permuted": c.permute(2, 0, 1)[1:, :, 2:],
    "expanded": torch.arange(3.).view(3, 1).expand(3, 4),
    "nhwc": torch.arange(24.).view(1, 2, 3, 4).contiguous(memory_format=torch.channels_last),
    "column": x[:, 2],
}
save("views.pth", views, views)
save("views_legacy.pth", views, views, _use_new_zipfile_serialization=False)

model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 3))
model(torch.randn(4, 1, 4, 4))  # train mode: updates the running statistics
sd = model.state_dict()
assert isinstance(sd, collections.OrderedDict)
save("model.pth", sd, sd)
save("checkpoint.pth", {"epoch": 3, "model_state_dict": sd, "optimizer": {"lr": 0.1}}, sd)
save("params.pth", dict(model.named_parameters()), dict(model.named_parameters()))
save("not_wrapped.pth", {"epoch": 3, "weights": sd})
save("list.pth", [1, 2, 3])
save("module.pth", torch.nn.Linear(2, 2))
save("tensor.pth", torch.ones(2))
save("complex.pth", {"z": torch.zeros(2, dtype=torch.complex64)})
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
print(torch.__version__)
""";
}

public sealed class PthReaderTests(PthFixtures fixtures) : IClassFixture<PthFixtures>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnt-pth-test-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ScalarType DtypeOf(string name) => name switch
    {
        "float32" => ScalarType.Float32, "float64" => ScalarType.Float64, "float16" => ScalarType.Float16,
        "bfloat16" => ScalarType.BFloat16, "int64" => ScalarType.Int64, "int32" => ScalarType.Int32,
        "int16" => ScalarType.Int16, "int8" => ScalarType.Int8, "uint8" => ScalarType.Byte, "bool" => ScalarType.Bool,
        _ => throw new ArgumentException(name),
    };

    /// <summary>Every tensor equals what PyTorch held: dtype, shape and every byte; keys in PyTorch's order.</summary>
    private void AssertMatchesManifest(string file, IReadOnlyDictionary<string, Tensor> loaded, string? manifestEntry = null)
    {
        var expected = fixtures.Manifest[manifestEntry ?? file];
        Assert.Equal(expected.Keys, loaded.Keys);
        foreach (var (name, e) in expected)
        {
            var t = loaded[name];
            Assert.Equal(DtypeOf(e.dtype), t.dtype);
            Assert.Equal(e.shape, t.shape);
            Assert.True(t.is_contiguous());
            Assert.Equal(e.hex, Convert.ToHexStringLower(t.ToBytes()));
        }
    }

    private static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) t.Dispose();
    }

    // ---- files written by PyTorch ---------------------------------------------------------

    [PythonTorchTheory]
    [InlineData("dtypes.pth")]
    [InlineData("legacy.pth")]
    [InlineData("protocol4.pth")]
    public void Reads_every_dtype_exactly(string file)
    {
        var loaded = torch.serialization.load_pth(fixtures[file]);
        try
        {
            AssertMatchesManifest(file, loaded);
            Assert.Equal(new[] { true, false, false, true }, loaded["bool"].ToArray<bool>());
            Assert.Equal(new long[] { long.MinValue, -1, 0, long.MaxValue }, loaded["i64"].ToArray<long>());
            Assert.Empty(loaded["scalar"].shape);
            Assert.Equal(2.5f, loaded["scalar"].item<float>());
            Assert.Equal(new long[] { 0, 3 }, loaded["empty"].shape);
        }
        finally { DisposeAll(loaded.Values); }
    }

    [PythonTorchTheory]
    [InlineData("views.pth")]
    [InlineData("views_legacy.pth")]
    public void Rebuilds_views_offsets_and_shared_storages(string file)
    {
        var loaded = torch.serialization.load_pth(fixtures[file]);
        try
        {
            AssertMatchesManifest(file, loaded);
            // x = torch.arange(12.).view(3, 4): x.t(), x[1:], x[:, ::2]; base = torch.arange(10): base[:4], base[4:].
            Assert.Equal(new long[] { 4, 3 }, loaded["transposed"].shape);
            Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, loaded["transposed"].ToArray<float>());
            Assert.Equal(new float[] { 4, 5, 6, 7, 8, 9, 10, 11 }, loaded["offset"].ToArray<float>());
            Assert.Equal(new float[] { 0, 2, 4, 6, 8, 10 }, loaded["strided"].ToArray<float>());
            Assert.Equal(new long[] { 0, 1, 2, 3 }, loaded["shared_a"].ToArray<long>());
            Assert.Equal(new long[] { 4, 5, 6, 7, 8, 9 }, loaded["shared_b"].ToArray<long>());
            Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, loaded["expanded"].ToArray<float>());
            Assert.Equal(new float[] { 2, 6, 10 }, loaded["column"].ToArray<float>());
        }
        finally { DisposeAll(loaded.Values); }
    }

    [PythonTorchFact]
    public void Reads_a_models_state_dict_in_order_and_unwraps_checkpoints()
    {
        var model = torch.serialization.load_pth(fixtures["model.pth"]);
        var wrapped = torch.serialization.load_pth(fixtures["checkpoint.pth"]);
        var parameters = torch.serialization.load_pth(fixtures["params.pth"]);
        try
        {
            Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "4.weight", "4.bias" },
                         model.Keys);
            AssertMatchesManifest("model.pth", model);
            Assert.Equal(1L, model["1.num_batches_tracked"].item<long>());
            Assert.Equal(new long[] { 2, 1, 3, 3 }, model["0.weight"].shape);
            AssertMatchesManifest("checkpoint.pth", wrapped);
            AssertMatchesManifest("params.pth", parameters);
            Assert.False(parameters["0.weight"].requires_grad);
        }
        finally { DisposeAll(model.Values.Concat(wrapped.Values).Concat(parameters.Values)); }
    }

    [PythonTorchFact]
    public void Converts_a_checkpoint_to_safetensors()
    {
        string target = Path.Combine(folder, "model.safetensors");
        torch.serialization.convert_pth_to_safetensors(fixtures["model.pth"], target, new Dictionary<string, string> { ["source"] = "model.pth" });
        var loaded = torch.safetensors.load(target);
        try
        {
            AssertMatchesManifest("model.safetensors", loaded.OrderBy(kv => Array.IndexOf(fixtures.Manifest["model.pth"].Keys.ToArray(), kv.Key))
                .ToDictionary(kv => kv.Key, kv => kv.Value), "model.pth");
            var metadata = torch.safetensors.load_metadata(target);
            Assert.Equal("pt", metadata["format"]);
            Assert.Equal("model.pth", metadata["source"]);
        }
        finally { DisposeAll(loaded.Values); }
    }

    [PythonTorchFact]
    public void Files_that_are_not_state_dicts_raise_clear_errors()
    {
        void Expect<TException>(string file, params string[] phrases) where TException : Exception
        {
            var ex = Assert.Throws<TException>(() => torch.serialization.load_pth(fixtures[file]));
            Assert.Contains(fixtures[file], ex.Message);
            foreach (var phrase in phrases) Assert.Contains(phrase, ex.Message);
        }

        Expect<InvalidDataException>("list.pth", "holds a list of 3, not a state dict");
        Expect<InvalidDataException>("tensor.pth", "a single tensor, not a state dict");
        Expect<InvalidDataException>("module.pth", "torch.nn.modules.linear.Linear", "not a state dict", "model.state_dict()");
        Expect<InvalidDataException>("not_wrapped.pth", "its entry 'epoch' is an int", "'weights'");
        Expect<NotSupportedException>("complex.pth", "tensor 'z'", "complex64");
    }

    [PythonTorchTheory]
    [InlineData("dtypes.pth")]
    [InlineData("legacy.pth")]
    public void Truncated_checkpoints_raise_clear_errors(string file)
    {
        var bytes = File.ReadAllBytes(fixtures[file]);
        foreach (int length in new[] { bytes.Length / 2, bytes.Length - 1, 40 })
        {
            string path = Path.Combine(folder, $"truncated-{length}.pth");
            File.WriteAllBytes(path, bytes[..length]);
            var ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("truncated", ex.Message);
        }
    }

    // ---- hand-built archives (no Python needed) ------------------------------------------

    /// <summary>Writes pickle opcodes (protocol 2), as torch.save emits them.</summary>
    private sealed class Pickle
    {
        private readonly List<byte> bytes = new() { 0x80, 2 };

        public Pickle Op(char op) { bytes.Add((byte)op); return this; }
        public Pickle Op(byte op) { bytes.Add(op); return this; }
        public Pickle Str(string s)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            bytes.Add((byte)'X');
            bytes.AddRange(BitConverter.GetBytes(utf8.Length));
            bytes.AddRange(utf8);
            return this;
        }
        public Pickle Int(int value) { bytes.Add((byte)'K'); bytes.Add((byte)value); return this; }
        public Pickle Global(string module, string name) { bytes.Add((byte)'c'); bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }

        /// <summary>_rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', numel), offset, size, stride, False, OrderedDict()).</summary>
        public Pickle FloatTensor(string key, int numel, int offset, int[] size, int[] stride)
        {
            Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            Op('(').Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(numel).Op('t').Op('Q');
            Int(offset);
            Op('('); foreach (var s in size) Int(s); Op('t');
            Op('('); foreach (var s in stride) Int(s); Op('t');
            Op(0x89).Global("collections", "OrderedDict").Op(')').Op('R');
            return Op('t').Op('R');
        }

        public byte[] End() { bytes.Add((byte)'.'); return bytes.ToArray(); }
    }

    private string Archive(string name, byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        string path = Path.Combine(folder, name + ".pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string entry, byte[] data)
        {
            using var stream = zip.CreateEntry($"{name}/{entry}", CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }
        Add("data.pkl", pickle);
        foreach (var (key, data) in storages) Add($"data/{key}", data);
        Add("version", "3\n"u8.ToArray());
        return path;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Fact]
    public void Reads_a_hand_built_archive_with_a_shared_strided_storage()
    {
        // {'w': s[1:3], 'v': s.view(2, 2).t(), 's': s[3]} for one storage s = [1, 2, 3, 4].
        var pickle = new Pickle().Op('}').Op('(')
            .Str("w").FloatTensor("0", 4, 1, new[] { 2 }, new[] { 1 })
            .Str("v").FloatTensor("0", 4, 0, new[] { 2, 2 }, new[] { 1, 2 })
            .Str("s").FloatTensor("0", 4, 3, Array.Empty<int>(), Array.Empty<int>())
            .Op('u').End();
        string path = Archive("hand", pickle, ("0", Floats(1, 2, 3, 4)));

        var loaded = torch.serialization.load_pth(path);
        try
        {
            Assert.Equal(new[] { "w", "v", "s" }, loaded.Keys);
            Assert.Equal(new float[] { 2, 3 }, loaded["w"].ToArray<float>());
            Assert.Equal(new long[] { 2, 2 }, loaded["v"].shape);
            Assert.Equal(new float[] { 1, 3, 2, 4 }, loaded["v"].ToArray<float>());
            Assert.Empty(loaded["s"].shape);
            Assert.Equal(4f, loaded["s"].item<float>());
        }
        finally { DisposeAll(loaded.Values); }
    }

    [Fact]
    public void Rejects_views_beyond_their_storage()
    {
        var pickle = new Pickle().Op('}').Op('(').Str("w").FloatTensor("0", 4, 2, new[] { 3 }, new[] { 1 }).Op('u').End();
        string path = Archive("beyond", pickle, ("0", Floats(1, 2, 3, 4)));
        var ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(path));
        Assert.Contains("tensor 'w' (offset 2, size [3], stride [1]) reaches beyond its storage '0' of 4 values", ex.Message);

        var missing = new Pickle().Op('}').Op('(').Str("w").FloatTensor("7", 4, 0, new[] { 4 }, new[] { 1 }).Op('u').End();
        ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(Archive("missing", missing)));
        Assert.Contains("storage '7' is missing", ex.Message);

        var shortStorage = new Pickle().Op('}').Op('(').Str("w").FloatTensor("0", 4, 0, new[] { 2 }, new[] { 1 }).Op('u').End();
        ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(Archive("short", shortStorage, ("0", Floats(1, 2)))));
        Assert.Contains("storage '0' should hold 4 float32 values but has only 2", ex.Message);
    }

    [Fact]
    public void Rejects_disallowed_globals_without_executing_them()
    {
        string marker = Path.Combine(folder, "PWNED");
        // os.system("touch <marker>"), the classic malicious pickle; and the same through builtins.eval.
        var system = new Pickle().Global("os", "system").Str($"touch {marker}").Op(0x85).Op('R').End();
        var eval = new Pickle().Global("builtins", "eval").Str($"open('{marker}', 'w')").Op(0x85).Op('R').End();
        foreach (var (name, pickle, global) in new[] { ("system", system, "os.system"), ("eval", eval, "builtins.eval") })
        {
            string path = Archive(name, pickle);
            var ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains($"the global {global}, which this reader does not allow", ex.Message);
            Assert.False(File.Exists(marker));
        }

        // The same pickle as a bare file (the legacy format's first pickle).
        string bare = Path.Combine(folder, "bare.pth");
        File.WriteAllBytes(bare, system);
        Assert.Contains("the global os.system, which this reader does not allow", Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(bare)).Message);
        Assert.False(File.Exists(marker));

        // A global smuggled in as a dict value through STACK_GLOBAL (protocol 4) is refused as well.
        var stacked = new Pickle().Op('}').Op('(').Str("w").Op(0x8c).Op(5).Op('p').Op('o').Op('s').Op('i').Op('x')
            .Op(0x8c).Op(6).Op('s').Op('y').Op('s').Op('t').Op('e').Op('m').Op(0x93).Op('u').End();
        var error = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(Archive("stacked", stacked)));
        Assert.Contains("posix.system", error.Message);
    }

    [Fact]
    public void Rejects_malformed_pickles_and_foreign_files()
    {
        void Expect(string path, string phrase)
        {
            var ex = Assert.Throws<InvalidDataException>(() => torch.serialization.load_pth(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains(phrase, ex.Message);
        }

        Expect(Archive("nostop", new byte[] { 0x80, 2, (byte)'}' }), "without a STOP opcode");
        Expect(Archive("underflow", new byte[] { 0x80, 2, (byte)'s', (byte)'.' }), "stack underflow");
        Expect(Archive("badop", new byte[] { 0x80, 2, 0xff, (byte)'.' }), "unknown pickle opcode 0xff");
        Expect(Archive("memo", new byte[] { 0x80, 2, (byte)'h', 9, (byte)'.' }), "memo entry 9");
        Expect(Archive("longstr", new byte[] { 0x80, 2, (byte)'X', 0xff, 0xff, 0xff, 0x7f, (byte)'a', (byte)'.' }), "ends early");
        Expect(Archive("inst", new byte[] { 0x80, 2, (byte)'(', (byte)'i', (byte)'o', (byte)'s', 10, (byte)'s', 10, (byte)'.' }), "INST");

        string empty = Path.Combine(folder, "empty.pth");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Expect(empty, "the file is empty");
        string text = Path.Combine(folder, "text.pth");
        File.WriteAllText(text, "hello, not a checkpoint");
        Expect(text, "not a PyTorch checkpoint");
        string plainPickle = Path.Combine(folder, "plain.pth");
        File.WriteAllBytes(plainPickle, new byte[] { 0x80, 2, (byte)']', (byte)'.' });
        Expect(plainPickle, "a plain Python pickle (of a list of 0)");

        string noPickle = Path.Combine(folder, "nopickle.pth");
        using (var zip = ZipFile.Open(noPickle, ZipArchiveMode.Create))
            using (var stream = zip.CreateEntry("archive/other.txt").Open()) stream.Write("x"u8);
        Expect(noPickle, "has no 'archive/data.pkl'");
        Assert.Throws<FileNotFoundException>(() => torch.serialization.load_pth(Path.Combine(folder, "absent.pth")));
    }
}
