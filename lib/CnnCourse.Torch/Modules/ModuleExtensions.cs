using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch;

/// <summary>
/// Moving and converting modules, returning the module with its own type, so
/// <c>var net = new LeNet().to(device);</c> keeps <c>net</c> a LeNet. Parameters stay the same
/// objects (their data is replaced), so an optimizer created before the move keeps working.
/// </summary>
public static class ModuleExtensions
{
    /// <summary>Moves every parameter, gradient and buffer to <paramref name="device"/>.</summary>
    public static T to<T>(this T module, Device device) where T : Module
    {
        ArgumentNullException.ThrowIfNull(device);
        module.MoveTo(null, device);
        return module;
    }

    /// <summary>Converts the floating-point parameters, gradients and buffers to <paramref name="dtype"/>
    /// (integer buffers such as num_batches_tracked keep their type, as in PyTorch).</summary>
    public static T to<T>(this T module, ScalarType dtype) where T : Module
    {
        module.MoveTo(dtype, null);
        return module;
    }

    public static T to<T>(this T module, ScalarType dtype, Device device) where T : Module
    {
        ArgumentNullException.ThrowIfNull(device);
        module.MoveTo(dtype, device);
        return module;
    }

    public static T to<T>(this T module, Device device, ScalarType dtype) where T : Module => module.to(dtype, device);

    /// <summary>
    /// Lays the 4-D weights out as <paramref name="memory_format"/>; with channels_last inputs this lets
    /// oneDNN (CPU) and cuDNN (GPU) pick their fastest convolution kernels.
    /// </summary>
    public static T to<T>(this T module, MemoryFormat memory_format) where T : Module
    {
        module.ToMemoryFormat(memory_format);
        return module;
    }

    public static T cpu<T>(this T module) where T : Module => module.to(Device.CPU);

    public static T cuda<T>(this T module, int index = -1) where T : Module => module.to(new Device(DeviceType.CUDA, index));

    public static T @float<T>(this T module) where T : Module => module.to(ScalarType.Float32);

    public static T @double<T>(this T module) where T : Module => module.to(ScalarType.Float64);

    public static T half<T>(this T module) where T : Module => module.to(ScalarType.Float16);

    public static T bfloat16<T>(this T module) where T : Module => module.to(ScalarType.BFloat16);
}
