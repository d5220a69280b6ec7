using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CnnCourse.Models;

/// <summary>
/// Published weights into the course's models: a state dict saved by PyTorch (<c>torch.save</c>'s zip
/// archive, as torchvision distributes its <c>.pth</c> files) or a <c>.safetensors</c> file, read by
/// TorchSharp.PyBridge. Every key and shape is checked against the model before anything is copied, so
/// a wrong or damaged file is an <see cref="InvalidDataException"/> naming the file and the key, and the
/// model is left as it was.
/// </summary>
public static class Weights
{
    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="model"/> by state-dict key and returns the keys
    /// the file has no value for. With <paramref name="strict"/> (the default), a missing or extra key is
    /// an error; without it, missing keys keep their values and extra ones are ignored.
    /// </summary>
    public static IReadOnlyList<string> Load(nn.Module model, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No weights file at {path}.", path);
        var file = Read(path);
        try
        {
            var own = model.state_dict();
            var missing = own.Keys.Where(k => !file.ContainsKey(k)).ToList();
            var extra = file.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (strict && (missing.Count > 0 || extra.Count > 0))
                throw new InvalidDataException($"{path} does not fit this {model.GetName()}: " +
                    string.Join("; ", new[] { Keys("missing", missing), Keys("unexpected", extra) }.Where(s => s.Length > 0)) + ".");
            foreach (var (key, target) in own)   // in the model's order, so the first mismatch reported is the first layer's
                if (file.TryGetValue(key, out var tensor) && !target.shape.SequenceEqual(tensor.shape))
                    throw new InvalidDataException($"{path}: '{key}' has shape [{string.Join(", ", tensor.shape)}] in the file " +
                                                   $"and [{string.Join(", ", target.shape)}] in the model.");
            using (no_grad())
                foreach (var (key, tensor) in file)
                    if (own.TryGetValue(key, out var target)) target.copy_(tensor);
            return missing;
        }
        finally
        {
            foreach (var tensor in file.Values) tensor.Dispose();
        }
    }

    private static string Keys(string kind, List<string> keys) =>
        keys.Count == 0 ? "" : $"{keys.Count} {kind} key(s) ({string.Join(", ", keys.Take(3))}{(keys.Count > 3 ? ", …" : "")})";

    private static Dictionary<string, Tensor> Read(string path)
    {
        Hashtable table;
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return Safetensors.LoadStateDict(path);
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PyBridge's readers fail with whatever the damage triggers (zip, pickle, JSON or cast errors).
            throw new InvalidDataException($"{path} is not a readable PyTorch state dict or safetensors file ({e.GetType().Name}: {e.Message})", e);
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
            tensors[(string)entry.Key] = entry.Value as Tensor
                ?? throw new InvalidDataException($"{path}: '{entry.Key}' is not a tensor (a whole pickled model rather than its state dict?).");
        return tensors;
    }
}
