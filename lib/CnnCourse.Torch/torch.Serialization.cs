using CnnCourse.Torch.Serialization;

namespace CnnCourse.Torch;

// torch.serialization: reading PyTorch checkpoints (.pth / .pt) without Python.
public static partial class torch
{
    public static class serialization
    {
        /// <summary>
        /// Reads a state dict saved by PyTorch's <c>torch.save(model.state_dict(), path)</c> (the zip
        /// format of PyTorch ≥ 1.6, or the legacy format), in the file's key order, onto
        /// <paramref name="device"/> (default: CPU). Also accepts a checkpoint dict that keeps the
        /// state dict under "state_dict", "model_state_dict" or "model".
        /// <para>
        /// The pickle inside is read by a restricted reader that never executes anything and allows
        /// only the globals a state dict of tensors needs; anything else (a whole pickled model, a
        /// list, a disallowed global such as os.system) raises <see cref="InvalidDataException"/>
        /// saying what the file holds. Non-contiguous views and storage offsets are rebuilt exactly;
        /// tensors that shared a storage in Python come back as independent copies.
        /// </para>
        /// </summary>
        public static OrderedDictionary<string, Tensor> load_pth(string path, Device? device = null) => PthReader.Load(path, device);

        /// <summary>
        /// Converts a PyTorch state dict file (.pth) to safetensors. The metadata gets
        /// <c>"format": "pt"</c> (what Hugging Face tools expect) unless <paramref name="metadata"/> sets it.
        /// </summary>
        public static void convert_pth_to_safetensors(string pthPath, string safetensorsPath, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(safetensorsPath);
            var stateDict = load_pth(pthPath);
            try
            {
                var combined = new Dictionary<string, string> { ["format"] = "pt" };
                if (metadata is not null)
                    foreach (var (key, value) in metadata) combined[key] = value;
                safetensors.save(stateDict, safetensorsPath, combined);
            }
            finally
            {
                foreach (var t in stateDict.Values) t.Dispose();
            }
        }
    }
}
