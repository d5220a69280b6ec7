using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>
/// The safetensors format (huggingface/safetensors) with its <c>__metadata__</c> block, for
/// checkpoints: TorchSharp.PyBridge reads and writes the tensors but not the metadata. The files load
/// with PyBridge's <c>module.load_safetensors(path)</c> and Python's <c>safetensors.torch.load_file</c>.
/// Writes go through a temporary file renamed into place. <c>SafetensorsFile.LoadMetadata(checkpoint.BestPath)["epoch"]</c>
/// tells which epoch a <see cref="ModelCheckpoint"/>'s best weights are from.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Writes <paramref name="tensors"/> (copied to the CPU) and the metadata, atomically.</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = torch.NewDisposeScope();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var blobs = new List<Tensor>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var cpu = tensor.detach().cpu().contiguous();
            long length = cpu.NumberOfElements * cpu.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(cpu.dtype, name),
                ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            blobs.Add(cpu);
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;   // the format's recommended alignment, padded with spaces
        string temporary = $"{path}.{Guid.NewGuid().ToString("N")[..8]}.part";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
                stream.Write(length);
                stream.Write(json);
                for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
                foreach (var blob in blobs) stream.Write(blob.bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The tensors of a file, on the CPU, in the caller's dispose scope.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        var (header, dataStart) = ReadHeader(path);
        var result = new Dictionary<string, Tensor>();
        using var stream = File.OpenRead(path);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            var entry = node as JsonObject ?? throw Bad(path, $"the entry '{name}' is not an object");
            var dtype = Dtype(entry["dtype"]?.GetValue<string>(), path);
            long[] shape = (entry["shape"] as JsonArray ?? throw Bad(path, $"'{name}' has no shape")).Select(d => d!.GetValue<long>()).ToArray();
            var offsets = (entry["data_offsets"] as JsonArray ?? throw Bad(path, $"'{name}' has no data_offsets")).Select(d => d!.GetValue<long>()).ToArray();
            var tensor = torch.empty(shape, dtype);
            long length = tensor.NumberOfElements * tensor.ElementSize;
            if (offsets.Length != 2 || offsets[1] - offsets[0] != length || dataStart + offsets[1] > stream.Length)
                throw Bad(path, $"'{name}' has data_offsets [{string.Join(", ", offsets)}], which do not fit its shape and dtype or the file");
            stream.Position = dataStart + offsets[0];
            stream.ReadExactly(tensor.bytes);
            result[name] = tensor;
        }
        return result;
    }

    /// <summary>The <c>__metadata__</c> block (empty when there is none).</summary>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        var (header, _) = ReadHeader(path);
        return header["__metadata__"] is JsonObject m
            ? m.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "")
            : [];
    }

    private static (JsonObject Header, long DataStart) ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        if (stream.ReadAtLeast(length, 8, throwOnEndOfStream: false) < 8) throw Bad(path, "the file is shorter than its 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (n > (ulong)Math.Min(stream.Length - 8, 100_000_000)) throw Bad(path, $"the header claims {n} bytes, more than the file holds");
        var json = new byte[n];
        stream.ReadExactly(json);
        try
        {
            return (JsonNode.Parse(json) as JsonObject ?? throw Bad(path, "the header is not a JSON object"), 8 + (long)n);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"the header is not valid JSON ({e.Message})");
        }
    }

    private static InvalidDataException Bad(string path, string problem) => new($"'{path}' is not a readable safetensors file: {problem}.");

    private static string DtypeName(ScalarType dtype, string name) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no dtype for {dtype} (tensor '{name}')"),
    };

    private static ScalarType Dtype(string? name, string path) => name switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw Bad(path, $"unknown dtype '{name}'"),
    };
}
