using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

/// <summary>How <see cref="torch.nn.functional.pad(Tensor, long[], PaddingModes, double)"/> fills the border.</summary>
public enum PaddingModes
{
    /// <summary>A constant value (0 by default).</summary>
    Constant,
    /// <summary>Constant zeros (the same as Constant with value 0).</summary>
    Zeros,
    /// <summary>The mirror image of the input, without repeating the edge: [1 2 3] → 3 2 [1 2 3] 2 1.</summary>
    Reflect,
    /// <summary>The edge value repeated: [1 2 3] → 1 1 [1 2 3] 3 3.</summary>
    Replicate,
    /// <summary>Wraps around: [1 2 3] → 2 3 [1 2 3] 1 2.</summary>
    Circular,
}

// torch.nn.functional.pad
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Pads the last dimensions: <paramref name="pad"/> is (left, right) for the last dimension,
            /// then (top, bottom) for the one before, then (front, back); negative amounts crop.
            /// Reflect, replicate and circular pad the last 1–3 dimensions of a batched (or unbatched) input.
            /// </summary>
            /// <exception cref="ArgumentException"><paramref name="pad"/> is null or has an odd length.</exception>
            /// <exception cref="TorchException">libtorch rejects the amounts (for example reflect padding not smaller than the input).</exception>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(pad);
                if (pad.Length % 2 != 0)
                    throw new ArgumentException($"pad: the padding takes pairs (left, right, top, bottom, ...), but has {pad.Length} values", nameof(pad));
                string name = mode switch
                {
                    PaddingModes.Constant or PaddingModes.Zeros => "constant",
                    PaddingModes.Reflect => "reflect",
                    PaddingModes.Replicate => "replicate",
                    PaddingModes.Circular => "circular",
                    _ => throw new ArgumentException($"pad: unknown mode {mode}", nameof(mode)),
                };
                return Check.Result(NativeMethods.cnt_pad(input.Handle, pad, pad.Length, name, mode == PaddingModes.Zeros ? 0 : value));
            }

            /// <summary>pad with PyTorch's mode names: "constant", "reflect", "replicate" or "circular".</summary>
            public static Tensor pad(Tensor input, long[] pad, string mode, double value = 0) => mode switch
            {
                "constant" => functional.pad(input, pad, PaddingModes.Constant, value),
                "reflect" => functional.pad(input, pad, PaddingModes.Reflect, value),
                "replicate" => functional.pad(input, pad, PaddingModes.Replicate, value),
                "circular" => functional.pad(input, pad, PaddingModes.Circular, value),
                _ => throw new ArgumentException($"pad: unknown mode '{mode}'; expected constant, reflect, replicate or circular", nameof(mode)),
            };
        }
    }
}
