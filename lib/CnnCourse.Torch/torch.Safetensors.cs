using CnnCourse.Torch.Serialization;

namespace CnnCourse.Torch;

// torch.safetensors: state dicts as .safetensors files (the format Python's safetensors reads).
public static partial class torch
{
    /// <summary>
    /// Saving and loading named tensors in the safetensors format (huggingface/safetensors), the
    /// format Python's <c>safetensors.torch.save_file</c>/<c>load_file</c> read and write.
    /// </summary>
    public static class safetensors
    {
        /// <summary>
        /// Saves <paramref name="tensors"/> to <paramref name="path"/>, with optional string metadata.
        /// Any layout or device is fine (values are copied out row-major). The file is written
        /// atomically: a temporary file in the same folder is flushed and then renamed over
        /// <paramref name="path"/>, so a failed or interrupted save leaves an existing file intact.
        /// </summary>
        public static void save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
            Safetensors.Save(tensors, path, metadata);

        /// <summary>
        /// Loads every tensor of a safetensors file, in the file's order, onto <paramref name="device"/>
        /// (default: CPU). The header is validated in full first; a malformed file raises
        /// <see cref="InvalidDataException"/> naming the file and the offending tensor.
        /// </summary>
        public static Dictionary<string, Tensor> load(string path, Device? device = null) => Safetensors.Load(path, device);

        /// <summary>The file's <c>__metadata__</c> strings (empty when it has none), read from the header alone.</summary>
        public static Dictionary<string, string> load_metadata(string path) => Safetensors.LoadMetadata(path);
    }
}
