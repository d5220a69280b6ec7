using System.Text;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Seeds, threads, gradient mode, autocast, CUDA and build information.
public static partial class torch
{
    /// <summary>Seeds libtorch's generators (CPU and CUDA), so CPU runs repeat bit for bit.</summary>
    public static void manual_seed(long seed) => Check.Status(NativeMethods.cnt_manual_seed(seed));

    /// <summary>The CPU generator's state (a uint8 tensor), to save in checkpoints.</summary>
    public static Tensor get_rng_state() => Check.Result(NativeMethods.cnt_get_rng_state());

    public static void set_rng_state(Tensor state) => Check.Status(NativeMethods.cnt_set_rng_state(state.Handle));

    public static int get_num_threads() => NativeMethods.cnt_get_num_threads();

    public static void set_num_threads(int count) => Check.Status(NativeMethods.cnt_set_num_threads(count));

    public static int get_num_interop_threads() => NativeMethods.cnt_get_num_interop_threads();

    public static bool is_grad_enabled() => NativeMethods.cnt_is_grad_enabled();

    /// <summary>Disables gradient recording until disposed: <c>using (torch.no_grad()) { ... }</c>.</summary>
    public static IDisposable no_grad() => new GradMode(false);

    /// <summary>Re-enables gradient recording inside a no_grad block until disposed.</summary>
    public static IDisposable enable_grad() => new GradMode(true);

    public static IDisposable set_grad_enabled(bool enabled) => new GradMode(enabled);

    private sealed class GradMode : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public GradMode(bool enabled)
        {
            previous = NativeMethods.cnt_is_grad_enabled();
            NativeMethods.cnt_set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            NativeMethods.cnt_set_grad_enabled(previous);
        }
    }

    /// <summary>
    /// Mixed precision until disposed: eligible ops (convolutions, matrix products) run in
    /// <paramref name="dtype"/> (CPU default bfloat16, CUDA default float16), others in float32.
    /// </summary>
    public static IDisposable autocast(DeviceType device_type, ScalarType? dtype = null, bool enabled = true) =>
        new Autocast(device_type, dtype ?? (device_type == DeviceType.CPU ? ScalarType.BFloat16 : ScalarType.Float16), enabled);

    public static IDisposable autocast(Device device, ScalarType? dtype = null, bool enabled = true) => autocast(device.type, dtype, enabled);

    public static bool is_autocast_enabled(DeviceType device_type = DeviceType.CPU) => NativeMethods.cnt_autocast_is_enabled((int)device_type);

    private sealed class Autocast : IDisposable
    {
        private readonly int deviceType;
        private readonly bool previousEnabled;
        private readonly int previousDtype;
        private bool disposed;

        public Autocast(DeviceType device, ScalarType dtype, bool enabled)
        {
            deviceType = (int)device;
            previousEnabled = NativeMethods.cnt_autocast_is_enabled(deviceType);
            previousDtype = NativeMethods.cnt_autocast_get_dtype(deviceType);
            Check.Status(previousDtype, "autocast");
            Check.Status(NativeMethods.cnt_autocast_set_dtype(deviceType, (int)dtype), "autocast");
            Check.Status(NativeMethods.cnt_autocast_set_enabled(deviceType, enabled), "autocast");
            NativeMethods.cnt_autocast_increment_nesting();
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            // Casts are cached while autocast is active; the outermost exit frees them.
            if (NativeMethods.cnt_autocast_decrement_nesting() == 0) NativeMethods.cnt_autocast_clear_cache();
            NativeMethods.cnt_autocast_set_enabled(deviceType, previousEnabled);
            NativeMethods.cnt_autocast_set_dtype(deviceType, previousDtype);
        }
    }

    /// <summary>libtorch's version, e.g. "1.13.0".</summary>
    public static string __version__ => ReadText(NativeMethods.cnt_version);

    public static partial class cuda
    {
        public static bool is_available() => NativeMethods.cnt_cuda_is_available();

        public static int device_count() => NativeMethods.cnt_cuda_device_count();

        /// <summary>Waits for all queued work on the device (honest timings need it).</summary>
        public static void synchronize(int device = -1) => Check.Status(NativeMethods.cnt_cuda_synchronize(device));
    }

    public static partial class backends
    {
        public static partial class mkldnn
        {
            public static bool is_available() => NativeMethods.cnt_has_mkldnn();
        }

        public static partial class cudnn
        {
            public static bool is_available() => NativeMethods.cnt_cudnn_is_available();
        }
    }

    /// <summary>What libtorch was built with and how it runs here (for `course doctor`).</summary>
    public static class config
    {
        /// <summary>at::show_config(): compiler, BLAS, oneDNN, CUDA, … flags.</summary>
        public static string show() => ReadText(NativeMethods.cnt_build_config);

        /// <summary>at::get_parallel_info(): threads and the parallel backend.</summary>
        public static string parallel_info() => ReadText(NativeMethods.cnt_parallel_info);

        /// <summary>The libtorch the shim was compiled against.</summary>
        public static string shim_build() => ReadText(NativeMethods.cnt_shim_build_info);

        /// <summary>The shim's path, once it is loaded.</summary>
        public static string? shim_path => NativeLibraryResolver.LoadedFrom;

        /// <summary>Whether the loaded libtorch has CUDA (at::hasCUDA: its CUDA library is loaded).</summary>
        public static bool has_cuda => NativeMethods.cnt_has_cuda_build();

        /// <summary>Whether the shim was compiled against a CUDA libtorch (so torch.cuda memory statistics work).</summary>
        public static bool shim_has_cuda => NativeMethods.cnt_shim_has_cuda();

        /// <summary>
        /// Whether the engine set glibc's malloc to keep the memory libtorch frees on the CPU in the
        /// process, rather than hand it back to the kernel and page-fault it in again next step (it
        /// does unless the user chose malloc settings through GLIBC_TUNABLES or MALLOC_*_THRESHOLD_).
        /// </summary>
        public static bool malloc_keeps_freed_memory
        {
            get
            {
                Runtime.Initialize();
                return Runtime.MallocKeepsFreedMemory;
            }
        }

        /// <summary>With <see cref="malloc_keeps_freed_memory"/>: allocations above this many bytes are mapped one by one.</summary>
        public const long malloc_mmap_threshold = Runtime.MallocMmapThreshold;

        /// <summary>With <see cref="malloc_keeps_freed_memory"/>: the freed bytes the process keeps.</summary>
        public const long malloc_trim_threshold = Runtime.MallocTrimThreshold;

        /// <summary>The CPU allocator's policy, in words, for <c>course doctor</c>.</summary>
        public static string cpu_allocator => malloc_keeps_freed_memory
            ? $"glibc malloc keeps freed memory (mmap threshold {malloc_mmap_threshold >> 20} MiB, trim threshold {malloc_trim_threshold >> 20} MiB)"
            : "C library defaults (freed memory may go back to the kernel every step)";
    }

    private static string ReadText(Func<byte[]?, int, int> read)
    {
        int length = read(null, 0);
        if (length < 0) throw Check.LastError("config");
        var buffer = new byte[length + 1];
        read(buffer, buffer.Length);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
