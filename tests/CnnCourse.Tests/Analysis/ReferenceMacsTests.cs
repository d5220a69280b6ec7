using System.Reflection;
using CnnCourse.Analysis;
using CnnCourse.Torch;
using Module = CnnCourse.Torch.Modules.Module;

namespace CnnCourse.Tests.Analysis;

/// <summary>
/// The totals of the model zoo against torchvision: its published "GFLOPS" (which are MACs:
/// resnet50 4.09, vgg16 15.47, mobilenet_v2 0.30) within 1%, as the course's issue requires,
/// and the exact counts of the same convention measured on torchvision 0.14's models with forward
/// hooks in PyTorch 1.13 (conv: output elements × C_in/groups × kH × kW; linear: output elements ×
/// in_features; no bias; nothing else), for a 1×3×224×224 input.
/// </summary>
public class ReferenceMacsTests
{
    [ZooTheory]
    [InlineData("resnet50", 4.09e9, 4_089_184_256L, 25_557_032L)]
    [InlineData("vgg16", 15.47e9, 15_470_264_320L, 138_357_544L)]
    [InlineData("mobilenet_v2", 0.30e9, 300_774_272L, 3_504_872L)]
    public void Totals_match_torchvisions_figures(string name, double published, long measured, long parameters)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Zoo.Create(name);
        var summary = Summary.Of(model, 1, 3, 224, 224);
        Assert.Equal(measured, summary.TotalMacs);
        Assert.InRange(summary.TotalMacs, published * 0.99, published * 1.01);
        Assert.Equal(2 * measured, summary.TotalFlops);
        Assert.Equal(parameters, summary.TotalParameters);
        Assert.Equal(new long[] { 1, 1000 }, summary.OutputShape);
        Assert.Equal(parameters * 4, summary.ParameterBytes);
    }
}

/// <summary>
/// The model zoo's registry (<c>CnnCourse.Models.Models.Create</c>), found by reflection so that the
/// analysis tests build with or without the zoo in the library; tests that need it skip without it.
/// </summary>
internal static class Zoo
{
    private static readonly MethodInfo? create = typeof(Summary).Assembly.GetType("CnnCourse.Models.Models")
        ?.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(long), typeof(long), typeof(bool)]);

    public static bool Available => create is not null;

    public static Module Create(string name)
    {
        if (create is null) throw new InvalidOperationException("the model zoo (CnnCourse.Models.Models) is not in the library");
        try
        {
            return (Module)create.Invoke(null, [name, 1000L, 3L, false])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

/// <summary>A theory that needs the model zoo; skipped, with the reason, when the library has none.</summary>
public sealed class ZooTheoryAttribute : TheoryAttribute
{
    public ZooTheoryAttribute()
    {
        if (!Zoo.Available) Skip = "needs the model zoo (CnnCourse.Models.Models.Create(string, long, long, bool)), which this build of the library lacks";
    }
}
