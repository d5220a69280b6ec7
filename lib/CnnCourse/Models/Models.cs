using System.Runtime.CompilerServices;
using CnnCourse.Engine;
using static TorchSharp.torch;

namespace CnnCourse.Models;

/// <summary>How to build one model of the registry.</summary>
/// <param name="NumClasses">Output classes.</param>
/// <param name="InChannels">Input channels (1 for Fashion-MNIST, 3 for CIFAR-10 and ImageNet).</param>
/// <param name="Small">The configuration for 28–32 px inputs instead of ImageNet's 224 px.</param>
public sealed record ModelOptions(long NumClasses = 1000, long InChannels = 3, bool Small = false);

/// <summary>One model of the registry: its name, family, paper, and builder.</summary>
/// <param name="ReferenceParameters">torchvision 0.14's parameter count for the ImageNet configuration (null where torchvision has no such model).</param>
/// <param name="InputSize">The ImageNet configuration's input size (height = width).</param>
public sealed record ModelInfo(string Name, string Family, string Paper, int Year, Func<ModelOptions, nn.Module<Tensor, Tensor>> Build,
                               long? ReferenceParameters = null, int InputSize = 224, bool SmallOnly = false)
{
    public override string ToString() => $"{Name} ({Family}, {Year})";
}

/// <summary>
/// Every model of the course by name, as torchvision names them where it has them:
/// <c>Models.Create("resnet50", numClasses: 10, inChannels: 1, small: true)</c>.
/// </summary>
public static class Models
{
    private const string LeNetPaper = "Gradient-Based Learning Applied to Document Recognition (LeCun et al.)";
    private const string AlexNetPaper = "ImageNet Classification with Deep Convolutional Neural Networks (Krizhevsky et al.)";
    private const string VggPaper = "Very Deep Convolutional Networks for Large-Scale Image Recognition (Simonyan & Zisserman)";
    private const string GoogLeNetPaper = "Going Deeper with Convolutions (Szegedy et al.)";
    private const string ResNetPaper = "Deep Residual Learning for Image Recognition (He et al.)";
    private const string PreActPaper = "Identity Mappings in Deep Residual Networks (He et al.)";
    private const string ResNeXtPaper = "Aggregated Residual Transformations for Deep Neural Networks (Xie et al.)";
    private const string WidePaper = "Wide Residual Networks (Zagoruyko & Komodakis)";
    private const string SePaper = "Squeeze-and-Excitation Networks (Hu et al.)";
    private const string DenseNetPaper = "Densely Connected Convolutional Networks (Huang et al.)";
    private const string MobileNetPaper = "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications (Howard et al.)";
    private const string MobileNetV2Paper = "MobileNetV2: Inverted Residuals and Linear Bottlenecks (Sandler et al.)";
    private const string MobileNetV3Paper = "Searching for MobileNetV3 (Howard et al.)";
    private const string EfficientNetPaper = "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks (Tan & Le)";

    private static readonly List<ModelInfo> registry = BuildRegistry();

    // Touching any type of this library starts the engine (allocator policy, natives, threads). A
    // program that references only CnnCourse.Models may never load CnnCourse.Engine otherwise, and the
    // engine's own module initializer would not run. Failures are reported by Create (Initialize).
#pragma warning disable CA2255 // the engine must be ready before this assembly's first TorchSharp call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void StartEngine() => TorchRuntime.TryInitialize();

    /// <summary>Every registered model, in the course's historical order.</summary>
    public static IReadOnlyList<ModelInfo> All => registry;

    public static ModelInfo Info(string name) =>
        registry.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model '{name}'. Known models: {KnownNames}", nameof(name));

    private static string KnownNames => string.Join(", ", registry.Select(m => m.Name));

    /// <summary>Builds a model by name.</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, long numClasses = 1000, long inChannels = 3, bool small = false)
    {
        var info = Info(name);
        if (info.SmallOnly && !small)
            throw new ArgumentException($"'{info.Name}' exists only in the small configuration (small: true)", nameof(small));
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"'{info.Name}' needs at least one class");
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, $"'{info.Name}' needs at least one input channel");
        TorchRuntime.Initialize();   // throws with the cause and the fix if the engine could not start
        return info.Build(new ModelOptions(numClasses, inChannels, small));
    }

    private static List<ModelInfo> BuildRegistry()
    {
        var r = new List<ModelInfo>
        {
            new("lenet5", "LeNet", LeNetPaper, 1998, o => new LeNet5(o.NumClasses, o.InChannels, padded: true), InputSize: 28),
            new("lenet5_classic", "LeNet", LeNetPaper, 1998, o => new LeNet5(o.NumClasses, o.InChannels, padded: false, classic: true), InputSize: 32),
            new("alexnet", "AlexNet", AlexNetPaper, 2012, o => new AlexNet(o.NumClasses, o.InChannels, AlexNetForm.TorchVision, o.Small), 61_100_840),
            new("alexnet_lrn", "AlexNet", AlexNetPaper, 2012, o => new AlexNet(o.NumClasses, o.InChannels, AlexNetForm.Original, o.Small), InputSize: 227),
            new("alexnet_bn", "AlexNet", AlexNetPaper, 2012, o => new AlexNet(o.NumClasses, o.InChannels, AlexNetForm.BatchNorm, o.Small), InputSize: 227),
        };
        foreach (var (letter, depth, plain, bn) in new[] { ('A', 11, 132_863_336L, 132_868_840L), ('B', 13, 133_047_848L, 133_053_736L),
            ('D', 16, 138_357_544L, 138_365_992L), ('E', 19, 143_667_240L, 143_678_248L) })
        {
            char c = letter;
            r.Add(new($"vgg{depth}", "VGG", VggPaper, 2014, o => new Vgg(c, false, o.NumClasses, o.InChannels, o.Small), plain));
            r.Add(new($"vgg{depth}_bn", "VGG", VggPaper, 2014, o => new Vgg(c, true, o.NumClasses, o.InChannels, o.Small), bn));
        }
        r.Add(new("googlenet", "GoogLeNet", GoogLeNetPaper, 2014, o => new GoogLeNet(o.NumClasses, o.InChannels, small: o.Small), 6_624_904));
        r.Add(new("googlenet_aux", "GoogLeNet", GoogLeNetPaper, 2014, o => new GoogLeNet(o.NumClasses, o.InChannels, auxLogits: true, small: o.Small)));

        void ResNetFamily(string name, string paper, int year, ResNetConfig config, long? reference)
            => r.Add(new(name, "ResNet", paper, year, o => new ResNet(config, o.NumClasses, o.InChannels, o.Small), reference));
        ResNetFamily("resnet18", ResNetPaper, 2015, ResNet.ResNet18, 11_689_512);
        ResNetFamily("resnet34", ResNetPaper, 2015, ResNet.ResNet34, 21_797_672);
        ResNetFamily("resnet50", ResNetPaper, 2015, ResNet.ResNet50, 25_557_032);
        ResNetFamily("resnet101", ResNetPaper, 2015, ResNet.ResNet101, 44_549_160);
        ResNetFamily("resnet152", ResNetPaper, 2015, ResNet.ResNet152, 60_192_808);
        ResNetFamily("wide_resnet50_2", WidePaper, 2016, ResNet.WideResNet50_2, 68_883_240);
        ResNetFamily("resnext50_32x4d", ResNeXtPaper, 2017, ResNet.ResNeXt50_32x4d, 25_028_904);
        ResNetFamily("preact_resnet18", PreActPaper, 2016, ResNet.ResNet18 with { Variant = ResidualVariant.PreActivation }, null);
        ResNetFamily("preact_resnet50", PreActPaper, 2016, ResNet.ResNet50 with { Variant = ResidualVariant.PreActivation }, null);
        ResNetFamily("se_resnet18", SePaper, 2018, ResNet.ResNet18 with { Variant = ResidualVariant.SqueezeExcitation }, null);
        ResNetFamily("se_resnet50", SePaper, 2018, ResNet.ResNet50 with { Variant = ResidualVariant.SqueezeExcitation }, null);
        ResNetFamily("plain18", ResNetPaper, 2015, ResNet.ResNet18 with { Variant = ResidualVariant.Plain }, null);
        ResNetFamily("plain34", ResNetPaper, 2015, ResNet.ResNet34 with { Variant = ResidualVariant.Plain }, null);
        foreach (int depth in new[] { 20, 32, 44, 56, 110 })
        {
            int d = depth;
            r.Add(new($"resnet{d}", "ResNet (CIFAR)", ResNetPaper, 2015, o => new CifarResNet(d, o.NumClasses, o.InChannels), InputSize: 32, SmallOnly: true));
            r.Add(new($"plain{d}", "ResNet (CIFAR)", ResNetPaper, 2015, o => new CifarResNet(d, o.NumClasses, o.InChannels, plain: true), InputSize: 32,
                SmallOnly: true));
        }
        r.Add(new("densenet121", "DenseNet", DenseNetPaper, 2017,
            o => new DenseNet(o.Small ? DenseNet.DenseNetBCSmall : DenseNet.DenseNet121, o.NumClasses, o.InChannels, o.Small), 7_978_856));
        r.Add(new("densenet161", "DenseNet", DenseNetPaper, 2017, o => new DenseNet(DenseNet.DenseNet161, o.NumClasses, o.InChannels, o.Small), 28_681_000));
        r.Add(new("densenet169", "DenseNet", DenseNetPaper, 2017, o => new DenseNet(DenseNet.DenseNet169, o.NumClasses, o.InChannels, o.Small), 14_149_480));
        r.Add(new("densenet201", "DenseNet", DenseNetPaper, 2017, o => new DenseNet(DenseNet.DenseNet201, o.NumClasses, o.InChannels, o.Small), 20_013_928));
        r.Add(new("densenet_bc", "DenseNet", DenseNetPaper, 2017, o => new DenseNet(DenseNet.DenseNetBCSmall, o.NumClasses, o.InChannels, small: true),
            InputSize: 32, SmallOnly: true));
        r.Add(new("mobilenet_v1", "MobileNet", MobileNetPaper, 2017, o => new MobileNetV1(o.NumClasses, o.InChannels, small: o.Small)));
        r.Add(new("mobilenet_v2", "MobileNet", MobileNetV2Paper, 2018, o => new MobileNetV2(o.NumClasses, o.InChannels, small: o.Small), 3_504_872));
        r.Add(new("mobilenet_v3_large", "MobileNet", MobileNetV3Paper, 2019,
                  o => new MobileNetV3(MobileNetV3.Large, MobileNetV3.LargeLastChannel, o.NumClasses, o.InChannels, o.Small), 5_483_032));
        r.Add(new("mobilenet_v3_small", "MobileNet", MobileNetV3Paper, 2019,
                  o => new MobileNetV3(MobileNetV3.Small, MobileNetV3.SmallLastChannel, o.NumClasses, o.InChannels, o.Small), 2_542_856));
        long[] efficientNetParameters = [5_288_548, 7_794_184, 9_109_994, 12_233_232, 19_341_616, 30_389_784, 43_040_704, 66_347_960];
        for (int i = 0; i < EfficientNet.Variants.Count; i++)
        {
            var scaling = EfficientNet.Variants[i];
            r.Add(new($"efficientnet_{scaling.Name}", "EfficientNet", EfficientNetPaper, 2019,
                o => new EfficientNet(scaling, o.NumClasses, o.InChannels, o.Small),
                      efficientNetParameters[i], scaling.WeightsResolution));
        }
        return r;
    }
}
