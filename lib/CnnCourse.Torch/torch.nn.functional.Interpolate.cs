using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional.interpolate (2-D: nearest and bilinear).
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Resizes (N, C, H, W) input to <paramref name="size"/>, or by <paramref name="scale_factor"/>
            /// (output floor(H·scale), the scale also used to map coordinates, as PyTorch does).
            /// <paramref name="align_corners"/> (bilinear only, default false) maps corner pixel
            /// centres onto each other.
            /// </summary>
            public static Tensor interpolate(Tensor input, Size2? size = null, Scale2? scale_factor = null,
                                             InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                if ((size is null) == (scale_factor is null))
                    throw new ArgumentException("interpolate: either size or scale_factor should be defined, not both and not neither");
                if (mode is not (InterpolationMode.Nearest or InterpolationMode.Bilinear))
                    throw new ArgumentException($"interpolate: unsupported mode {mode}", nameof(mode));
                if (mode == InterpolationMode.Nearest && align_corners is not null)
                    throw new ArgumentException("interpolate: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear", nameof(align_corners));
                long[]? sizes = size is { } s ? NnArgs.Positive(s, nameof(size)) : null;
                double[]? scales = null;
                if (scale_factor is { } f)
                {
                    if (!(f.Height > 0 && f.Width > 0) || !double.IsFinite(f.Height) || !double.IsFinite(f.Width))
                        throw new ArgumentException($"interpolate: scale_factor must be positive and finite, but got {f}", nameof(scale_factor));
                    scales = f.ToArray();
                }
                int corners = align_corners is null ? -1 : align_corners.Value ? 1 : 0;
                return Check.Result(NativeMethods.cnt_nn_interpolate(input.Handle, sizes, scales, (int)mode, corners));
            }
        }
    }
}
