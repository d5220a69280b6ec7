using CnnCourse.Torch.Modules;

namespace CnnCourse.Torch.Tests.Cuda;

/// <summary>
/// ResNet's basic block (He et al., 2015): conv3x3-bn-relu-conv3x3-bn plus the shortcut, with a
/// 1x1 conv + bn downsample when the stride or width changes. Field names are torchvision's.
/// Test-local (the model zoo has its own); public so tests/GpuCheck can build a ResNet-18 from it.
/// </summary>
public sealed class BasicBlock : Module
{
    public const int expansion = 1;

    public Conv2d conv1;
    public BatchNorm2d bn1;
    public ReLU relu;
    public Conv2d conv2;
    public BatchNorm2d bn2;
    public Sequential? downsample;

    public BasicBlock(long inplanes, long planes, long stride = 1)
    {
        conv1 = torch.nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = torch.nn.BatchNorm2d(planes);
        relu = torch.nn.ReLU(inplace: true);
        conv2 = torch.nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = torch.nn.BatchNorm2d(planes);
        if (stride != 1 || inplanes != planes)
            downsample = torch.nn.Sequential(torch.nn.Conv2d(inplanes, planes, 1, stride: stride, bias: false), torch.nn.BatchNorm2d(planes));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var out1 = relu.call(bn1.call(conv1.call(x)));
        var out2 = bn2.call(conv2.call(out1));
        out2.add_(identity);
        return relu.call(out2).MoveToOuterDisposeScope();
    }
}

/// <summary>ResNet-18 with the CIFAR stem (3x3 stride-1 first conv, no max-pool), torchvision's names.</summary>
public sealed class ResNet18Cifar : Module
{
    public Conv2d conv1;
    public BatchNorm2d bn1;
    public ReLU relu;
    public Sequential layer1;
    public Sequential layer2;
    public Sequential layer3;
    public Sequential layer4;
    public AdaptiveAvgPool2d avgpool;
    public Linear fc;

    public ResNet18Cifar(long num_classes = 10)
    {
        conv1 = torch.nn.Conv2d(3, 64, 3, stride: 1, padding: 1, bias: false);
        bn1 = torch.nn.BatchNorm2d(64);
        relu = torch.nn.ReLU(inplace: true);
        layer1 = torch.nn.Sequential(new BasicBlock(64, 64), new BasicBlock(64, 64));           // N x 64 x 32 x 32
        layer2 = torch.nn.Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128));     // N x 128 x 16 x 16
        layer3 = torch.nn.Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256));    // N x 256 x 8 x 8
        layer4 = torch.nn.Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512));    // N x 512 x 4 x 4
        avgpool = torch.nn.AdaptiveAvgPool2d(1);
        fc = torch.nn.Linear(512, num_classes);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = relu.call(bn1.call(conv1.call(x)));
        y = layer4.call(layer3.call(layer2.call(layer1.call(y))));
        return fc.call(torch.flatten(avgpool.call(y), 1)).MoveToOuterDisposeScope();
    }
}
