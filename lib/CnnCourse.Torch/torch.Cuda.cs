using System.Text;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.cuda: memory statistics of the caching allocator, its cache, and device properties. These
// need a CUDA build of libtorch; with Debian's CPU build they throw a TorchException saying so.
public static partial class torch
{
    public static partial class cuda
    {
        /// <summary>Bytes occupied by tensors on <paramref name="device"/> (-1: the current device).</summary>
        public static long memory_allocated(int device = -1) => MemoryStats(device)[0];

        /// <summary>Bytes held by the caching allocator (tensors plus cached free blocks).</summary>
        public static long memory_reserved(int device = -1) => MemoryStats(device)[1];

        /// <summary>The peak of <see cref="memory_allocated"/> since start or <see cref="reset_peak_memory_stats"/>.</summary>
        public static long max_memory_allocated(int device = -1) => MemoryStats(device)[2];

        /// <summary>The peak of <see cref="memory_reserved"/> since start or <see cref="reset_peak_memory_stats"/>.</summary>
        public static long max_memory_reserved(int device = -1) => MemoryStats(device)[3];

        public static void reset_peak_memory_stats(int device = -1) =>
            Check.Status(NativeMethods.cnt_cuda_reset_peak_memory_stats(device));

        /// <summary>
        /// Returns the allocator's cached, unused blocks to the driver, so other processes (and
        /// nvidia-smi) see them free. Tensors still alive are untouched: dispose them first.
        /// </summary>
        public static void empty_cache() => Check.Status(NativeMethods.cnt_cuda_empty_cache());

        /// <summary>The index of the current CUDA device.</summary>
        public static int current_device() => (int)Check.Value(NativeMethods.cnt_cuda_current_device());

        /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
        public static string get_device_name(int device = -1) => get_device_properties(device).name;

        /// <summary>Compute capability (major, minor), e.g. (9, 0) for Hopper.</summary>
        public static (int major, int minor) get_device_capability(int device = -1)
        {
            var p = get_device_properties(device);
            return (p.major, p.minor);
        }

        public static DeviceProperties get_device_properties(int device = -1)
        {
            var name = new byte[256];
            Check.Status(NativeMethods.cnt_cuda_device_properties(device, name, name.Length, out long total, out int major,
                out int minor, out int sms));
            int length = Array.IndexOf(name, (byte)0);
            return new DeviceProperties(Encoding.UTF8.GetString(name, 0, length < 0 ? name.Length : length), major, minor, total, sms);
        }

        private static long[] MemoryStats(int device, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
        {
            var values = new long[4];
            Check.Status(NativeMethods.cnt_cuda_memory_stats(device, values, values.Length), operation);
            return values;
        }
    }
}

/// <summary>torch.cuda.get_device_properties(i): name, compute capability, memory, multiprocessors.</summary>
public sealed record DeviceProperties(string name, int major, int minor, long total_memory, int multi_processor_count)
{
    public override string ToString() =>
        $"_CudaDeviceProperties(name='{name}', major={major}, minor={minor}, total_memory={total_memory / (1024 * 1024)}MB, multi_processor_count={multi_processor_count})";
}
