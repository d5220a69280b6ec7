using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CnnCourse.Torch.Serialization;

/// <summary>One tensor's entry in a safetensors header.</summary>
internal sealed record SafetensorsEntry(string Name, ScalarType Dtype, long[] Shape, long Begin, long End)
{
    public long ByteCount => End - Begin;
}

/// <summary>A parsed and validated safetensors header.</summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The tensors in the order the header lists them.</summary>
    public required List<SafetensorsEntry> Entries { get; init; }

    /// <summary>The <c>__metadata__</c> map, or null when the file has none.</summary>
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Where the data section starts in the file (8 + header length).</summary>
    public long DataStart { get; init; }
}

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
/// bytes of UTF-8 JSON <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
/// "__metadata__": {"key": "value"}}</c> padded with spaces to a multiple of 8, then the tensors'
/// bytes (little-endian, row-major), which the offsets must cover exactly, without gaps or overlaps.
/// Files are written as the reference implementation writes them (tensors ordered by descending
/// dtype alignment, then by name; compact JSON), so the bytes match Python's
/// <c>safetensors.torch.save_file</c> for the same tensors.
/// </summary>
internal static class Safetensors
{
    /// <summary>The reference implementation refuses headers larger than this.</summary>
    internal const long MaxHeaderSize = 100_000_000;

    private const string MetadataKey = "__metadata__";

    // ---- dtypes --------------------------------------------------------------------------

    internal static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Bool => "BOOL",
        ScalarType.Byte => "U8",
        ScalarType.Int8 => "I8",
        ScalarType.Int16 => "I16",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int32 => "I32",
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        _ => throw new NotSupportedException($"safetensors: dtype {type.TorchName()} has no safetensors name"),
    };

    private static ScalarType? ParseDtype(string name) => name switch
    {
        "BOOL" => ScalarType.Bool,
        "U8" => ScalarType.Byte,
        "I8" => ScalarType.Int8,
        "I16" => ScalarType.Int16,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I32" => ScalarType.Int32,
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        _ => null,
    };

    /// <summary>Names the reference knows but that have no tensor dtype here.</summary>
    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        "U16", "U32", "U64", "F4", "F6_E2M3", "F6_E3M2", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "C64",
    };

    /// <summary>The position of a dtype in the reference's Dtype enum (its alignment order).</summary>
    private static int AlignmentRank(ScalarType type) => type switch
    {
        ScalarType.Bool => 0,
        ScalarType.Byte => 1,
        ScalarType.Int8 => 2,
        ScalarType.Int16 => 3,
        ScalarType.Float16 => 4,
        ScalarType.BFloat16 => 5,
        ScalarType.Int32 => 6,
        ScalarType.Float32 => 7,
        ScalarType.Float64 => 8,
        ScalarType.Int64 => 9,
        _ => throw new NotSupportedException($"safetensors: dtype {type.TorchName()} is not supported"),
    };

    // ---- writing -------------------------------------------------------------------------

    internal static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentException.ThrowIfNullOrEmpty(path);

        // Everything that can be checked is checked before the disk is touched.
        var items = new List<(string Name, Tensor Tensor, SafetensorsEntry Entry)>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            if (name == MetadataKey)
                throw new ArgumentException($"safetensors.save: '{MetadataKey}' is reserved for the metadata and cannot name a tensor", nameof(tensors));
            if (tensor is null)
                throw new ArgumentException($"safetensors.save: tensor '{name}' is null", nameof(tensors));
            if (tensor.IsDisposed)
                throw new ObjectDisposedException(nameof(Tensor), $"safetensors.save: tensor '{name}' was disposed and cannot be saved");
            var dtype = tensor.dtype;
            DtypeName(dtype);
            var shape = tensor.shape;
            long bytes = checked(tensor.numel() * dtype.ElementSize());
            items.Add((name, tensor, new SafetensorsEntry(name, dtype, shape, 0, bytes)));
        }
        if (metadata is not null)
            foreach (var (key, value) in metadata)
                if (value is null)
                    throw new ArgumentException($"safetensors.save: metadata value of '{key}' is null (the format stores strings only)", nameof(metadata));

        // The reference's order: descending dtype alignment, then name (byte-wise, as Rust compares strings).
        items.Sort((a, b) =>
        {
            int byType = AlignmentRank(b.Entry.Dtype).CompareTo(AlignmentRank(a.Entry.Dtype));
            return byType != 0 ? byType : CompareUtf8(a.Name, b.Name);
        });
        long offset = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var e = items[i].Entry;
            items[i] = (items[i].Name, items[i].Tensor, e with { Begin = offset, End = checked(offset + e.ByteCount) });
            offset = items[i].Entry.End;
        }
        byte[] header = BuildHeader(items.Select(i => i.Entry), metadata);

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (name, tensor, entry) in items)
            {
                // ToBytes copies out of any layout or device into row-major CPU bytes.
                byte[] data = tensor.ToBytes();
                if (data.LongLength != entry.ByteCount)
                    throw new InvalidOperationException($"safetensors.save: tensor '{name}' changed size while it was being saved");
                stream.Write(data);
            }
        });
    }

    /// <summary>The header bytes exactly as the reference writes them: compact JSON, space-padded to 8 bytes.</summary>
    internal static byte[] BuildHeader(IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder();
        json.Append('{');
        bool first = true;
        if (metadata is not null)
        {
            WriteString(json, MetadataKey);
            json.Append(":{");
            bool firstKey = true;
            // The reference writes a hash map (in no fixed order); a sorted order keeps our files reproducible.
            foreach (var key in metadata.Keys.OrderBy(k => k, Utf8Comparer.Instance))
            {
                if (!firstKey) json.Append(',');
                firstKey = false;
                WriteString(json, key);
                json.Append(':');
                WriteString(json, metadata[key]);
            }
            json.Append('}');
            first = false;
        }
        foreach (var e in entries)
        {
            if (!first) json.Append(',');
            first = false;
            WriteString(json, e.Name);
            json.Append(":{\"dtype\":\"").Append(DtypeName(e.Dtype)).Append("\",\"shape\":[");
            json.AppendJoin(',', e.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
            json.Append("],\"data_offsets\":[")
                .Append(e.Begin.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(e.End.ToString(CultureInfo.InvariantCulture)).Append("]}");
        }
        json.Append('}');
        int length = Encoding.UTF8.GetByteCount(json.ToString());
        int padded = (length + 7) / 8 * 8;
        var bytes = new byte[padded];
        Encoding.UTF8.GetBytes(json.ToString(), bytes);
        bytes.AsSpan(length).Fill((byte)' ');
        return bytes;
    }

    /// <summary>A JSON string as serde_json writes it: only quotes, backslashes and control characters escaped.</summary>
    private static void WriteString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20) json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }

    private static int CompareUtf8(string a, string b) => Utf8Comparer.Instance.Compare(a, b);

    private sealed class Utf8Comparer : IComparer<string>
    {
        public static readonly Utf8Comparer Instance = new();

        public int Compare(string? a, string? b) =>
            Encoding.UTF8.GetBytes(a ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b ?? ""));
    }

    // ---- reading -------------------------------------------------------------------------

    internal static Dictionary<string, Tensor> Load(string path, Device? device)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = ReadHeader(file, path);
        long largest = header.Entries.Count == 0 ? 0 : header.Entries.Max(e => e.ByteCount);
        if (largest > Array.MaxLength)
            throw new NotSupportedException($"safetensors.load: '{path}': a tensor of {largest} bytes is larger than this reader supports ({Array.MaxLength} bytes)");
        var buffer = new byte[largest];
        var result = new Dictionary<string, Tensor>(header.Entries.Count);
        try
        {
            foreach (var e in header.Entries)
            {
                int count = (int)e.ByteCount;
                file.Position = header.DataStart + e.Begin;
                file.ReadExactly(buffer, 0, count);
                var data = buffer.AsSpan(0, count);
                if (e.Dtype == ScalarType.Bool)
                    foreach (ref byte b in data)
                        b = b != 0 ? (byte)1 : (byte)0;
                result.Add(e.Name, torch.frombuffer(data, e.Shape, e.Dtype, device: device));
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    internal static Dictionary<string, string> LoadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadHeader(file, path).Metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Reads and validates the header against the file's length.</summary>
    internal static SafetensorsHeader ReadHeader(Stream file, string path)
    {
        long fileLength = file.Length;
        if (fileLength < 8)
            throw Invalid(path, $"the file is {fileLength} bytes long, too short for the 8-byte header length (truncated, or not a safetensors file)");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.Position = 0;
        file.ReadExactly(lengthBytes);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (n > MaxHeaderSize)
            throw Invalid(path, $"the header length {n} is larger than the format's limit of {MaxHeaderSize} bytes (corrupt, or not a safetensors file)");
        if (8 + (long)n > fileLength)
            throw Invalid(path, $"the header length {n} runs past the end of the file ({fileLength} bytes): the file is truncated or corrupt");
        var headerBytes = new byte[n];
        file.ReadExactly(headerBytes);
        if (n == 0 || headerBytes[0] != (byte)'{')
            throw Invalid(path, "the header does not start with '{' (corrupt, or not a safetensors file)");
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes); }
        catch (DecoderFallbackException) { throw Invalid(path, "the header is not valid UTF-8"); }

        JsonDocument doc;
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException ex) { throw Invalid(path, $"the header is not valid JSON ({ex.Message})"); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(path, $"the header is a JSON {doc.RootElement.ValueKind}, not an object");
            var entries = new List<SafetensorsEntry>();
            Dictionary<string, string>? metadata = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(path, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey)
                    metadata = ParseMetadata(property.Value, path);
                else
                    entries.Add(ParseEntry(property.Name, property.Value, path));
            }
            long dataLength = fileLength - 8 - (long)n;
            ValidateLayout(entries, dataLength, path);
            return new SafetensorsHeader { Entries = entries, Metadata = metadata, DataStart = 8 + (long)n };
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"'{MetadataKey}' is a JSON {value.ValueKind}, but it must be an object of strings");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"metadata entry '{item.Name}' is a JSON {item.Value.ValueKind}, but metadata values must be strings");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Invalid(path, $"metadata entry '{item.Name}' appears twice");
        }
        return metadata;
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"tensor '{name}': its entry is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"tensor '{name}': missing \"dtype\" (a string such as \"F32\")");
        string dtypeName = dtypeElement.GetString()!;
        var dtype = ParseDtype(dtypeName) ?? throw Invalid(path, KnownUnsupported.Contains(dtypeName)
            ? $"tensor '{name}': dtype \"{dtypeName}\" is not supported here (supported: BOOL, U8, I8, I16, F16, BF16, I32, F32, F64, I64)"
            : $"tensor '{name}': unknown dtype \"{dtypeName}\"");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}': missing \"shape\" (an array of sizes)");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var s in shapeElement.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out long size) || size < 0)
                throw Invalid(path, $"tensor '{name}': shape entry {s} is not a non-negative integer");
            shape[i++] = size;
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Invalid(path, $"tensor '{name}': missing \"data_offsets\" (an array [begin, end])");
        var bounds = new long[2];
        i = 0;
        foreach (var o in offsets.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long at) || at < 0)
                throw Invalid(path, $"tensor '{name}': data offset {o} is not a non-negative integer");
            bounds[i++] = at;
        }
        if (bounds[1] < bounds[0])
            throw Invalid(path, $"tensor '{name}': data_offsets [{bounds[0]}, {bounds[1]}] end before they begin");

        long numel = 1;
        try
        {
            foreach (var s in shape) numel = checked(numel * s);
            long expected = checked(numel * dtype.ElementSize());
            if (bounds[1] - bounds[0] != expected)
                throw Invalid(path, $"tensor '{name}': data_offsets [{bounds[0]}, {bounds[1]}] hold {bounds[1] - bounds[0]} bytes, but shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected}");
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] is too large");
        }
        return new SafetensorsEntry(name, dtype, shape, bounds[0], bounds[1]);
    }

    /// <summary>The tensors must tile the data section exactly: sorted by offset, each starts where the previous ended.</summary>
    private static void ValidateLayout(List<SafetensorsEntry> entries, long dataLength, string path)
    {
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long position = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in sorted)
        {
            if (e.Begin < position)
                throw Invalid(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            if (e.Begin > position)
                throw Invalid(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave a gap after byte {position} (the data must be covered without holes)");
            if (e.End > dataLength)
                throw Invalid(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] run past the end of the data ({dataLength} bytes): the file is truncated or corrupt");
            position = e.End;
            previous = e;
        }
        if (position != dataLength)
            throw Invalid(path, $"the tensors cover {position} bytes of data, but the file holds {dataLength} after the header (trailing bytes, or a corrupt header)");
    }

    private static InvalidDataException Invalid(string path, string message) =>
        new($"safetensors: '{path}': {message}");
}
