using System.Diagnostics;
using System.Text.Json;
using CnnCourse.Analysis;
using CnnCourse.Models;
using CnnCourse.Tests.EnvironmentChecks;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

/// <summary>
/// The totals of the model zoo against torchvision: its published "GFLOPS" (which are MACs:
/// resnet50 4.09, vgg16 15.47, mobilenet_v2 0.30) within 1%, and, for every ImageNet variant of the
/// registry that torchvision 0.14 has, the exact count of the same convention measured on
/// torchvision's model with forward hooks in PyTorch (conv: output elements × C_in/groups × kH × kW;
/// linear: output elements × in_features; no bias; nothing else), for one 1×3×S×S input at the
/// model's ImageNet size. The reference is tests/CnnCourse.Models.Tests/torchvision_reference.py
/// (`macs` mode), run once with Debian's Python.
/// </summary>
public class ReferenceMacsTests
{
    [Theory]
    [InlineData("resnet50", 4.09e9, 4_089_184_256L, 25_557_032L)]
    [InlineData("vgg16", 15.47e9, 15_470_264_320L, 138_357_544L)]
    [InlineData("mobilenet_v2", 0.30e9, 300_774_272L, 3_504_872L)]
    public void Totals_match_torchvisions_published_figures(string name, double published, long measured, long parameters)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Models.Models.Create(name);
        var summary = Summary.Of(model, 1, 3, 224, 224);
        Assert.Equal(measured, summary.TotalMacs);
        Assert.InRange(summary.TotalMacs, published * 0.99, published * 1.01);
        Assert.Equal(2 * measured, summary.TotalFlops);
        Assert.Equal(parameters, summary.TotalParameters);
        Assert.Equal(new long[] { 1, 1000 }, summary.OutputShape);
        Assert.Equal(parameters * 4, summary.ParameterBytes);
    }

    /// <summary>Every registry model with a torchvision counterpart, at its ImageNet input size.</summary>
    public static TheoryData<string, int> TorchVisionModels()
    {
        var data = new TheoryData<string, int>();
        foreach (var m in Models.Models.All.Where(m => m.ReferenceParameters is not null)) data.Add(m.Name, m.InputSize);
        return data;
    }

    [Theory]
    [MemberData(nameof(TorchVisionModels))]
    public void Totals_equal_torchvisions_counted_with_hooks(string name, int size)
    {
        var reference = TorchVisionMacs.Value[name];
        using var scope = torch.NewDisposeScope();
        using var model = Models.Models.Create(name);
        var summary = Summary.Of(model, 1, 3, size, size);
        Assert.Equal(reference.Parameters, summary.TotalParameters);
        Assert.Equal(reference.Macs, summary.TotalMacs);
        Assert.Equal(new long[] { 1, 1000 }, summary.OutputShape);
    }

    private sealed record Reference(long Parameters, long Macs);

    // One run of the script for every model (each Python start imports torch, seconds on 2 cores).
    private static readonly Lazy<Dictionary<string, Reference>> TorchVisionMacs = new(() =>
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
            throw new InvalidOperationException($"{python} is missing: `./course setup` installs python3-torch and python3-torchvision, the MACs' reference");
        var script = Repository.PathOf("tests/CnnCourse.Models.Tests/torchvision_reference.py");
        var dir = Directory.CreateTempSubdirectory("cnncourse-macs-").FullName;
        try
        {
            var output = Path.Combine(dir, "macs.json");
            var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { script, "macs", output }) start.ArgumentList.Add(a);
            foreach (var (name, size) in Models.Models.All.Where(m => m.ReferenceParameters is not null).Select(m => (m.Name, m.InputSize)))
                start.ArgumentList.Add($"{name}:{size}");
            start.Environment["OMP_NUM_THREADS"] = "2";
            using var p = Process.Start(start)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"torchvision_reference.py macs failed " +
                    $"({p.ExitCode}); `./course setup` installs python3-torchvision:\n{stderr.Result}");
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            return json.RootElement.EnumerateObject().ToDictionary(
                e => e.Name, e => new Reference(e.Value.GetProperty("parameters").GetInt64(), e.Value.GetProperty("macs").GetInt64()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    });
}
