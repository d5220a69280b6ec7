using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace CnnCourse.Torch.Serialization;

/// <summary>A storage class named in a checkpoint (torch.FloatStorage, …) and the dtype it holds.</summary>
internal sealed record StorageType(string Name, ScalarType? Dtype, int ElementSize, string TorchDtype);

/// <summary>A storage a checkpoint refers to: its key (file name in the archive) and element type.</summary>
internal sealed record StorageRef(string Key, StorageType Type, long Numel, long ElementOffset);

/// <summary>A tensor to be rebuilt: a strided view into a storage (as torch._utils._rebuild_tensor_v2 describes it).</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);

/// <summary>
/// Reads the state dicts that PyTorch's <c>torch.save</c> writes: the zip format (PyTorch ≥ 1.6:
/// <c>&lt;name&gt;/data.pkl</c>, <c>&lt;name&gt;/data/&lt;key&gt;</c> storages, <c>&lt;name&gt;/version</c>) and the older
/// legacy format (<c>_use_new_zipfile_serialization=False</c>). The pickle is interpreted by
/// <see cref="PickleReader"/>, which allows only the globals a state dict of tensors needs and
/// never executes anything; tensors are rebuilt in managed code from their storage bytes,
/// offset, sizes and strides.
/// </summary>
internal static class PthReader
{
    private const string Operation = "load_pth";
    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356");
    private const int MaxPickleBytes = 256 << 20; // a state dict's pickle is kilobytes; this only bounds hostile files

    private static readonly Dictionary<string, StorageType> StorageTypes = new StorageType[]
    {
        new("FloatStorage", ScalarType.Float32, 4, "float32"),
        new("DoubleStorage", ScalarType.Float64, 8, "float64"),
        new("HalfStorage", ScalarType.Float16, 2, "float16"),
        new("BFloat16Storage", ScalarType.BFloat16, 2, "bfloat16"),
        new("LongStorage", ScalarType.Int64, 8, "int64"),
        new("IntStorage", ScalarType.Int32, 4, "int32"),
        new("ShortStorage", ScalarType.Int16, 2, "int16"),
        new("CharStorage", ScalarType.Int8, 1, "int8"),
        new("ByteStorage", ScalarType.Byte, 1, "uint8"),
        new("BoolStorage", ScalarType.Bool, 1, "bool"),
        // Known to PyTorch, not supported here: named so the error can say what the tensor was.
        new("ComplexHalfStorage", null, 4, "complex32"),
        new("ComplexFloatStorage", null, 8, "complex64"),
        new("ComplexDoubleStorage", null, 16, "complex128"),
        new("QInt8Storage", null, 1, "qint8"),
        new("QUInt8Storage", null, 1, "quint8"),
        new("QInt32Storage", null, 4, "qint32"),
        new("QUInt4x2Storage", null, 1, "quint4x2"),
        new("QUInt2x4Storage", null, 1, "quint2x4"),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The globals a state dict needs, besides the storage classes. Nothing else resolves.</summary>
    private static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._tensor._rebuild_from_type_v2",
        "torch.Tensor",
        "torch.nn.parameter.Parameter",
    };

    // ---- entry point ---------------------------------------------------------------------

    internal static OrderedDictionary<string, Tensor> Load(string path, Device? device)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> head = stackalloc byte[4];
        int got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        try
        {
            if (got == 4 && head.SequenceEqual("PK\x03\x04"u8)) return LoadZip(file, path, device);
            if (got >= 2 && head[0] == 0x80 && head[1] <= 5) return LoadLegacy(file, path, device);
            if (got == 0) throw Invalid(path, "the file is empty");
            if (IsTar(file)) throw Invalid(path,
                "this is PyTorch's oldest (tar) checkpoint format, which is not supported: re-save it with a current PyTorch (torch.save(torch.load(f), f2))");
            throw Invalid(path, "this is not a PyTorch checkpoint (neither the zip format of torch.save nor its legacy pickle format)");
        }
        catch (PickleException ex)
        {
            throw Invalid(path, ex.Message);
        }
    }

    private static bool IsTar(FileStream file)
    {
        if (file.Length < 262) return false;
        Span<byte> magic = stackalloc byte[5];
        file.Position = 257;
        file.ReadExactly(magic);
        file.Position = 0;
        return magic.SequenceEqual("ustar"u8);
    }

    // ---- zip format ----------------------------------------------------------------------

    private static OrderedDictionary<string, Tensor> LoadZip(FileStream file, string path, Device? device)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException ex)
        {
            throw Invalid(path, $"the zip archive is truncated or corrupt ({ex.Message})");
        }
        using (zip)
        {
            if (zip.Entries.Count == 0) throw Invalid(path, "the zip archive is empty");
            // PyTorch names every entry "<archive name>/..."; the archive name is the first entry's folder.
            string first = zip.Entries[0].FullName;
            int slash = first.IndexOf('/');
            if (slash <= 0) throw Invalid(path, $"the zip archive's first entry '{first}' is not inside a folder, as torch.save writes it");
            string prefix = first[..slash];
            var pickleEntry = zip.GetEntry(prefix + "/data.pkl") ?? throw Invalid(path,
                $"the zip archive has no '{prefix}/data.pkl', so it was not written by torch.save" +
                (zip.GetEntry(prefix + "/constants.pkl") is not null ? " (it looks like a TorchScript archive from torch.jit.save)" : ""));

            bool bigEndian = false;
            if (zip.GetEntry(prefix + "/byteorder") is { } order)
            {
                string text = Encoding.ASCII.GetString(ReadEntry(order, path, 64)).Trim();
                bigEndian = text switch
                {
                    "little" => false,
                    "big" => true,
                    _ => throw Invalid(path, $"unknown byte order '{text}' in '{prefix}/byteorder'"),
                };
            }

            var storages = new Dictionary<(string, string), StorageRef>();
            object? root;
            using (var pickle = new MemoryStream(ReadEntry(pickleEntry, path, MaxPickleBytes), writable: false))
                root = Unpickle(pickle, path, pid => ZipPersistentLoad(pid, storages));
            var refs = StateDictEntries(root, path);

            return Materialize(refs, path, device, bigEndian, storage =>
            {
                var entry = zip.GetEntry($"{prefix}/data/{storage.Key}")
                    ?? throw Invalid(path, $"storage '{storage.Key}' is missing from the archive (expected '{prefix}/data/{storage.Key}')");
                return ReadEntry(entry, path, Array.MaxLength);
            });
        }
    }

    private static object ZipPersistentLoad(object? pid, Dictionary<(string, string), StorageRef> storages)
    {
        // ('storage', storage_type, key, location, numel)
        if (pid is not PyTuple { Count: 5 } t || t[0] is not "storage")
            throw new PickleException($"unexpected persistent id {PickleReader.Describe(pid)}: expected ('storage', type, key, location, numel)");
        var type = t[1] as StorageType ?? throw new PickleException($"persistent id names {PickleReader.Describe(t[1])} where a storage type belongs");
        var key = t[2] as string ?? throw new PickleException("a storage key is not a string");
        long numel = t[4] is long n && n >= 0 ? n : throw new PickleException($"storage '{key}' has an invalid size");
        if (!storages.TryGetValue((key, type.Name), out var storage))
            storages[(key, type.Name)] = storage = new StorageRef(key, type, numel, 0);
        return storage;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string path, long limit)
    {
        long length = entry.Length;
        if (length > limit)
            throw length > Array.MaxLength
                ? new NotSupportedException($"{Operation}: '{path}': '{entry.FullName}' holds {length} bytes, more than this reader supports ({Array.MaxLength})")
                : Invalid(path, $"'{entry.FullName}' is implausibly large ({length} bytes)");
        var bytes = new byte[length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException)
        {
            throw Invalid(path, $"cannot read '{entry.FullName}': the archive is truncated or corrupt ({ex.Message})");
        }
        return bytes;
    }

    // ---- legacy format ------------------------------------------------------------------

    private static OrderedDictionary<string, Tensor> LoadLegacy(FileStream file, string path, Device? device)
    {
        // magic number, protocol version, system info, the object, the storage keys, then each
        // storage as an int64 element count followed by its bytes, in the keys' order.
        var plain = PlainReader(file);
        object? magic = plain.Load();
        if (magic is not BigInteger m || m != LegacyMagic)
            throw Invalid(path, $"this is a plain Python pickle (of {PickleReader.Describe(magic)}), not a PyTorch checkpoint");
        if (plain.Load() is not long protocol || protocol != 1001)
            throw Invalid(path, "unsupported legacy checkpoint protocol version (expected 1001)");
        if (plain.Load() is not PyDict sysInfo)
            throw Invalid(path, "the legacy checkpoint's system information is missing");
        if (sysInfo.Items.TryGetValue("little_endian", out var little) && little is false)
            throw Invalid(path, "big-endian legacy checkpoints are not supported: re-save it with torch.save(...) on a current PyTorch");

        var storages = new Dictionary<(string, string), StorageRef>();
        object? root = Unpickle(file, path, pid => LegacyPersistentLoad(pid, storages));
        if (plain.Load() is not PyList keys || keys.Any(k => k is not string))
            throw Invalid(path, "the legacy checkpoint's list of storage keys is missing or malformed");

        // Where each storage's bytes are: walk the records once, skipping over the data.
        var elementSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in storages.Values) elementSizes.TryAdd(s.Key, s.Type.ElementSize);
        var locations = new Dictionary<string, (long Position, long Bytes)>(StringComparer.Ordinal);
        Span<byte> count = stackalloc byte[8];
        foreach (string key in keys.Cast<string>())
        {
            if (!elementSizes.TryGetValue(key, out int size))
                throw Invalid(path, $"storage '{key}' is listed but never used by the checkpoint's object");
            if (file.Length - file.Position < 8) throw Invalid(path, $"the file ends before storage '{key}' (truncated)");
            file.ReadExactly(count);
            long numel = BinaryPrimitives.ReadInt64LittleEndian(count);
            long bytes = numel >= 0 && numel <= long.MaxValue / size ? numel * size : -1;
            if (bytes < 0 || bytes > file.Length - file.Position)
                throw Invalid(path, $"storage '{key}' claims {numel} elements, more than the file holds (truncated or corrupt)");
            locations[key] = (file.Position, bytes);
            file.Position += bytes;
        }
        var refs = StateDictEntries(root, path);

        return Materialize(refs, path, device, bigEndian: false, storage =>
        {
            if (!locations.TryGetValue(storage.Key, out var at))
                throw Invalid(path, $"storage '{storage.Key}' is not in the checkpoint's list of storages");
            if (at.Bytes > Array.MaxLength)
                throw new NotSupportedException($"{Operation}: '{path}': storage '{storage.Key}' holds {at.Bytes} bytes, more than this reader supports");
            var bytes = new byte[at.Bytes];
            file.Position = at.Position;
            file.ReadExactly(bytes);
            return bytes;
        });
    }

    private static object LegacyPersistentLoad(object? pid, Dictionary<(string, string), StorageRef> storages)
    {
        // ('storage', storage_type, root_key, location, numel, view_metadata) or ('module', ...)
        if (pid is PyTuple { Count: > 0 } m && m[0] is "module")
            throw new PickleException("the checkpoint holds the source code of a pickled module (a whole model saved with torch.save(model)), not a state dict: in Python, save model.state_dict() instead");
        if (pid is not PyTuple { Count: 6 } t || t[0] is not "storage")
            throw new PickleException($"unexpected persistent id {PickleReader.Describe(pid)}: expected ('storage', type, key, location, numel, view)");
        var type = t[1] as StorageType ?? throw new PickleException($"persistent id names {PickleReader.Describe(t[1])} where a storage type belongs");
        var key = t[2] as string ?? throw new PickleException("a storage key is not a string");
        long numel = t[4] is long n && n >= 0 ? n : throw new PickleException($"storage '{key}' has an invalid size");
        long viewOffset = 0;
        if (t[5] is PyTuple { Count: 3 } view)
            viewOffset = view[1] is long o && o >= 0 ? o : throw new PickleException($"storage view of '{key}' has an invalid offset");
        else if (t[5] is not null)
            throw new PickleException($"storage '{key}' has malformed view metadata");
        if (!storages.TryGetValue((key, type.Name), out var root))
            storages[(key, type.Name)] = root = new StorageRef(key, type, numel, 0);
        return viewOffset == 0 ? root : root with { ElementOffset = viewOffset };
    }

    /// <summary>A reader for the legacy format's small header pickles (no persistent ids; the same allowed globals).</summary>
    private static PickleReader PlainReader(Stream stream) => new(stream)
    {
        ResolveGlobal = PthReader.ResolveGlobal,
        Call = PthReader.Call,
        Build = PthReader.Build,
    };

    // ---- the pickle's vocabulary --------------------------------------------------------

    private static object? Unpickle(Stream stream, string path, Func<object?, object> persistentLoad) => new PickleReader(stream)
    {
        ResolveGlobal = PthReader.ResolveGlobal,
        Call = PthReader.Call,
        Build = PthReader.Build,
        PersistentLoad = pid => persistentLoad(pid),
    }.Load();

    private static object ResolveGlobal(string module, string name)
    {
        if (module == "torch" && StorageTypes.TryGetValue(name, out var storage)) return storage;
        string full = $"{module}.{name}";
        if (AllowedGlobals.Contains(full)) return new PyGlobal(module, name);
        string hint = module.StartsWith("torch.nn", StringComparison.Ordinal) || module.StartsWith("torchvision", StringComparison.Ordinal) ||
                      module.StartsWith("__main__", StringComparison.Ordinal)
            ? "The file holds a pickled object (such as a whole model saved with torch.save(model)), not a state dict of tensors: in Python, save model.state_dict() instead."
            : module.StartsWith("__torch__", StringComparison.Ordinal)
                ? "This looks like a TorchScript archive (torch.jit.save), not a state dict: in Python, save model.state_dict() with torch.save instead."
                : "A state dict of tensors never needs it; the file holds some other pickled object, or is not trustworthy.";
        throw new PickleException($"the pickle refers to the global {full}, which this reader does not allow (it never executes anything; only the globals of a state dict of tensors are allowed). {hint}");
    }

    private static object? Call(object callable, PyTuple args)
    {
        if (callable is not PyGlobal g)
            throw new PickleException($"the pickle calls {PickleReader.Describe(callable)}, which is not callable here");
        switch (g.ToString())
        {
            case "collections.OrderedDict":
            {
                var dict = new PyDict { IsOrderedDict = true };
                if (args.Count == 1 && args[0] is PyList pairs)
                    foreach (var pair in pairs)
                    {
                        if (pair is not PyTuple { Count: 2 } kv || kv[0] is not string key)
                            throw new PickleException("OrderedDict is built from something other than (str, value) pairs");
                        dict.Items[key] = kv[1];
                    }
                else if (args.Count != 0)
                    throw new PickleException($"OrderedDict is called with {args.Count} arguments");
                return dict;
            }
            case "torch._utils._rebuild_tensor_v2": // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.Count is not (6 or 7))
                    throw new PickleException($"_rebuild_tensor_v2 expects 6 or 7 arguments, got {args.Count}");
                return RebuildTensor(args);
            case "torch._utils._rebuild_tensor": // (storage, offset, size, stride)
                if (args.Count != 4) throw new PickleException($"_rebuild_tensor expects 4 arguments, got {args.Count}");
                return RebuildTensor(args);
            case "torch._utils._rebuild_parameter": // (data, requires_grad, backward_hooks)
            case "torch._utils._rebuild_parameter_with_state": // (data, requires_grad, backward_hooks, state)
                if (args.Count < 1 || args[0] is not TensorRef data)
                    throw new PickleException($"{g.Name} expects a tensor as its first argument");
                return data;
            case "torch._tensor._rebuild_from_type_v2": // (func, type, args, state)
                if (args.Count != 4 || args[0] is not PyGlobal func || args[2] is not PyTuple innerArgs)
                    throw new PickleException("_rebuild_from_type_v2 is called with unexpected arguments");
                if (args[1] is not PyGlobal { Name: "Tensor" or "Parameter" } type)
                    throw new PickleException($"_rebuild_from_type_v2 rebuilds {PickleReader.Describe(args[1])}, a tensor subclass this reader does not support");
                return Call(func, innerArgs);
            default:
                throw new PickleException($"the pickle calls {g}, which is not callable here");
        }
    }

    private static TensorRef RebuildTensor(PyTuple args)
    {
        var storage = args[0] as StorageRef ?? throw new PickleException($"a tensor is rebuilt from {PickleReader.Describe(args[0])} instead of a storage");
        long offset = args[1] is long o ? o : throw new PickleException("a tensor's storage offset is not an int");
        long[] size = Ints(args[2], "size");
        long[] stride = Ints(args[3], "stride");
        if (size.Length != stride.Length)
            throw new PickleException($"a tensor has {size.Length} sizes but {stride.Length} strides");
        return new TensorRef(storage, offset, size, stride);
    }

    private static long[] Ints(object? value, string what)
    {
        if (value is not PyTuple t) throw new PickleException($"a tensor's {what} is {PickleReader.Describe(value)}, not a tuple");
        var result = new long[t.Count];
        for (int i = 0; i < t.Count; i++)
            result[i] = t[i] is long v ? v : throw new PickleException($"a tensor's {what} holds {PickleReader.Describe(t[i])}, not an int");
        return result;
    }

    private static void Build(object? target, object? state)
    {
        switch (target)
        {
            case PyDict dict: dict.State = state; break; // an OrderedDict's attributes (a state dict's _metadata)
            default: throw new PickleException($"the pickle sets the state of {PickleReader.Describe(target)}, which this reader does not support");
        }
    }

    // ---- the state dict ------------------------------------------------------------------

    private static readonly string[] Wrappers = { "state_dict", "model_state_dict", "model" };

    /// <summary>The (name, tensor) pairs of the pickled state dict, or a clear error saying what the file holds instead.</summary>
    private static List<(string Name, TensorRef Tensor)> StateDictEntries(object? root, string path)
    {
        if (root is TensorRef)
            throw Invalid(path, "the file holds a single tensor, not a state dict (a dict of named tensors)");
        if (root is not PyDict dict)
            throw Invalid(path, $"the file holds {Describe(root)}, not a state dict (a dict of named tensors)");
        if (TryTensors(dict) is { } entries) return entries;
        // A training checkpoint that keeps the model's state dict under a well-known key.
        foreach (var key in Wrappers)
            if (dict.Items.TryGetValue(key, out var inner) && inner is PyDict innerDict && TryTensors(innerDict) is { } wrapped)
                return wrapped;
        var (badKey, badValue) = dict.Items.First(kv => kv.Key is not string || kv.Value is not TensorRef);
        string keys = string.Join(", ", dict.Items.Keys.Take(8).Select(k => k is string s ? $"'{s}'" : Describe(k))) + (dict.Items.Count > 8 ? ", …" : "");
        throw Invalid(path, badKey is string name
            ? $"the file holds a dict that is not a state dict of tensors: its entry '{name}' is {Describe(badValue)} (keys: {keys}). " +
              $"A checkpoint that wraps the state dict should keep it under 'state_dict', 'model_state_dict' or 'model'."
            : $"the file holds a dict whose key {Describe(badKey)} is not a string, so it is not a state dict");
    }

    private static List<(string, TensorRef)>? TryTensors(PyDict dict)
    {
        var result = new List<(string, TensorRef)>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef tensor) return null;
            result.Add((name, tensor));
        }
        return result;
    }

    private static string Describe(object? value) => value switch
    {
        TensorRef => "a tensor",
        StorageRef => "a storage",
        StorageType t => $"the class torch.{t.Name}",
        _ => PickleReader.Describe(value),
    };

    // ---- rebuilding tensors --------------------------------------------------------------

    private static OrderedDictionary<string, Tensor> Materialize(List<(string Name, TensorRef Tensor)> refs, string path, Device? device, bool bigEndian,
                                                               Func<StorageRef, byte[]> readStorage)
    {
        var tensors = new Tensor?[refs.Count];
        try
        {
            // One storage at a time (read once even when several tensors share it).
            foreach (var group in refs.Select((r, i) => (r.Name, r.Tensor, Index: i)).GroupBy(x => x.Tensor.Storage.Key))
            {
                byte[]? storage = null;
                foreach (var (name, tensor, index) in group)
                {
                    if (tensor.Storage.Type.Dtype is null)
                        throw new NotSupportedException($"{Operation}: '{path}': tensor '{name}' has dtype {tensor.Storage.Type.TorchDtype} (torch.{tensor.Storage.Type.Name}), which is not supported");
                    tensors[index] = Rebuild(name, tensor, path, device, bigEndian, () => storage ??= readStorage(tensor.Storage));
                }
            }
            var result = new OrderedDictionary<string, Tensor>(refs.Count, StringComparer.Ordinal);
            for (int i = 0; i < refs.Count; i++)
                if (!result.TryAdd(refs[i].Name, tensors[i]!))
                    throw Invalid(path, $"tensor '{refs[i].Name}' appears twice");
            return result;
        }
        catch
        {
            foreach (var t in tensors) t?.Dispose();
            throw;
        }
    }

    private static Tensor Rebuild(string name, TensorRef t, string path, Device? device, bool bigEndian, Func<byte[]> storageBytes)
    {
        var dtype = t.Storage.Type.Dtype!.Value;
        int element = dtype.ElementSize();
        long numel = 1;
        try
        {
            foreach (var s in t.Size)
                numel = s >= 0 ? checked(numel * s) : throw Invalid(path, $"tensor '{name}' has a negative size [{string.Join(", ", t.Size)}]");
        }
        catch (OverflowException) { throw Invalid(path, $"tensor '{name}' has an impossibly large size [{string.Join(", ", t.Size)}]"); }
        if (t.Stride.Any(s => s < 0))
            throw Invalid(path, $"tensor '{name}' has a negative stride ({string.Join(", ", t.Stride)})");
        if (numel == 0) return torch.frombuffer(ReadOnlySpan<byte>.Empty, t.Size, dtype, device: device);

        long offset = t.Offset + t.Storage.ElementOffset;
        long last = offset; // the highest element the view touches
        try
        {
            for (int d = 0; d < t.Size.Length; d++) last = checked(last + (t.Size[d] - 1) * t.Stride[d]);
        }
        catch (OverflowException) { last = long.MaxValue; }
        byte[] storage = storageBytes();
        long available = storage.LongLength / element;
        if (t.Storage.Numel > available)
            throw Invalid(path, $"storage '{t.Storage.Key}' should hold {t.Storage.Numel} {dtype.TorchName()} values but has only {available} (truncated or corrupt)");
        if (offset < 0 || last >= available)
            throw Invalid(path, $"tensor '{name}' (offset {offset}, size [{string.Join(", ", t.Size)}], stride [{string.Join(", ", t.Stride)}]) reaches beyond its storage '{t.Storage.Key}' of {available} values");

        ReadOnlySpan<byte> data = IsRowMajor(t.Size, t.Stride)
            ? storage.AsSpan(checked((int)(offset * element)), checked((int)(numel * element)))
            : Gather(storage, element, offset, t.Size, t.Stride, numel);
        if (bigEndian)
        {
            var swapped = data.ToArray();
            SwapBytes(swapped, element);
            data = swapped;
        }
        if (dtype == ScalarType.Bool && data.ContainsAnyExcept((byte)0, (byte)1))
        {
            var normalized = data.ToArray();
            foreach (ref byte b in normalized.AsSpan()) b = b != 0 ? (byte)1 : (byte)0;
            data = normalized;
        }
        return torch.frombuffer(data, t.Size, dtype, device: device);
    }

    private static bool IsRowMajor(long[] size, long[] stride)
    {
        long expected = 1;
        for (int d = size.Length - 1; d >= 0; d--)
        {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }

    /// <summary>Copies a strided view out of a storage into row-major order (as_strided, then contiguous).</summary>
    private static byte[] Gather(byte[] storage, int element, long offset, long[] size, long[] stride, long numel)
    {
        var result = new byte[checked(numel * element)];
        int dims = size.Length;
        var index = new long[dims];
        long inner = size[dims - 1], innerStride = stride[dims - 1];
        long source = offset; // element index of the current row's start
        int target = 0;
        while (true)
        {
            if (innerStride == 1)
            {
                int bytes = (int)(inner * element);
                Buffer.BlockCopy(storage, (int)(source * element), result, target, bytes);
                target += bytes;
            }
            else
            {
                long at = source;
                for (long i = 0; i < inner; i++, at += innerStride, target += element)
                    Buffer.BlockCopy(storage, (int)(at * element), result, target, element);
            }
            int d = dims - 2;
            for (; d >= 0; d--)
            {
                source += stride[d];
                if (++index[d] < size[d]) break;
                source -= stride[d] * size[d];
                index[d] = 0;
            }
            if (d < 0) return result;
        }
    }

    private static void SwapBytes(byte[] data, int element)
    {
        if (element == 1) return;
        for (int i = 0; i < data.Length; i += element) data.AsSpan(i, element).Reverse();
    }

    private static InvalidDataException Invalid(string path, string message) => new($"{Operation}: '{path}': {message}");
}
