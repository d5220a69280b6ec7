using CnnCourse.Engine;
using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CnnCourse.Tests.Training;

[Collection(TrainingSerial.Name)]
public class TrainerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"trainer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    /// <summary>Records something at the end of every epoch.</summary>
    private sealed class Probe(Action<Trainer, EpochRecord> onEpochEnd) : Callback
    {
        public override void OnEpochEnd(Trainer trainer, EpochRecord record) => onEpochEnd(trainer, record);
    }

    [Fact]
    public void Learns_two_separable_blobs_to_at_least_99_percent()
    {
        Seed.Everything(0);
        var train = ArrayBatches.Blobs(100, 20, shuffle: true);
        var test = ArrayBatches.Blobs(100, 50, shuffle: false, seed: 2);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };

        var history = trainer.Fit(train, test, epochs: 3);

        Assert.Equal(3, history.Count);
        Assert.Equal(3, trainer.Epoch);
        Assert.Equal(30, trainer.GlobalStep);
        Assert.True(history.TrainLoss[2] < history.TrainLoss[0]);
        Assert.True(history[2].ValAccuracy >= 0.99, history.ToString());
        var result = trainer.Evaluate(test);
        Assert.Equal(200, result.Samples);
        Assert.Equal(history[2].ValLoss, result.Loss);
        Assert.Equal(history[2].ValAccuracy, result.Accuracy);
        Assert.All(history, r => Assert.Equal(0.1, r.LearningRate));
        Assert.All(history, r => Assert.True(r.ImagesPerSecond > 0 && r.Seconds > 0));

        using var predictions = trainer.Predict(test);
        Assert.Equal([200L, 2], predictions.Logits.shape);
        Assert.Equal(result.Accuracy, predictions.Accuracy);
        var cm = predictions.ConfusionMatrix(["low", "high"]);
        Assert.Equal(200, cm.Total);
        Assert.Equal(result.Accuracy, cm.Accuracy, 15);
        Assert.Equal(cm.Total - (long)Math.Round(cm.Accuracy * 200), predictions.Misclassified().Length);
    }

    [Fact]
    public void Evaluation_runs_in_eval_mode_without_gradients_and_restores_each_modules_mode()
    {
        Seed.Everything(1);
        var data = ArrayBatches.Blobs(10, 10, shuffle: false);
        using var net = new TestMlp(2, 4, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };
        net.train();
        net.fc2.eval();

        trainer.Evaluate(data);
        Assert.All(net.TrainingSeen, t => Assert.False(t));
        Assert.True(net.training);
        Assert.True(net.fc1.training);
        Assert.False(net.fc2.training);
        Assert.All(net.parameters(), p => Assert.Null(p.grad));

        net.TrainingSeen.Clear();
        using (var logits = trainer.Predict(torch.zeros(3, 2))) Assert.Equal([3L, 2], logits.shape);
        Assert.Equal([false], net.TrainingSeen);
        Assert.True(net.training);
    }

    [Fact]
    public void Live_tensor_count_stays_flat_across_epochs()
    {
        Seed.Everything(2);
        var train = ArrayBatches.Blobs(40, 16, shuffle: true);
        var val = ArrayBatches.Blobs(20, 16, shuffle: false, seed: 3);
        using var net = new TestMlp(2, 8, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.05, momentum: 0.9);
        var live = new List<long>();
        var thread = new List<long>();
        using var stopping = new EarlyStopping(patience: 100);
        var trainer = new Trainer(net, opt)
        {
            Progress = Progress.None,
            Scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, epochs: 3, steps_per_epoch: train.Count),
            ClipGradNorm = 1.0,
        };
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Tensor.TotalCount;

        trainer.Fit(train, val, 3, stopping, new ModelCheckpoint(root), new Probe((_, _) =>
        {
            live.Add(Tensor.TotalCount);
            thread.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }));

        Assert.Equal(3, live.Count);
        Assert.All(live, n => Assert.Equal(live[0], n));
        Assert.All(thread, n => Assert.Equal(thread[0], n));
        // What remains after Fit is the optimizer's state (one momentum buffer per parameter), nothing else.
        Assert.Equal(before + 4, Tensor.TotalCount);
        Assert.True(double.IsFinite(trainer.LastGradNorm));
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_epochs_weights()
    {
        Seed.Everything(3);
        // Validation labels are the opposite of the training labels: the better the model learns,
        // the worse it validates, so the validation loss soon stops improving.
        var train = ArrayBatches.Blobs(50, 20, shuffle: true);
        var val = ArrayBatches.Blobs(50, 50, shuffle: false, seed: 4, flipLabels: true);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.05);
        var weightsByEpoch = new Dictionary<int, Dictionary<string, float[]>>();
        using var stopping = new EarlyStopping("val_loss", patience: 2);
        var lines = new StringWriter();
        var trainer = new Trainer(net, opt) { Progress = Progress.Lines(lines) };

        var history = trainer.Fit(train, val, 30, stopping, new Probe((t, r) => weightsByEpoch[r.Epoch] = TestWeights.Snapshot(t.Model)));

        int best = history.Best("val_loss")!.Epoch;
        Assert.Equal(best, stopping.BestEpoch);
        Assert.Equal(history[best - 1].ValLoss, stopping.Best);
        Assert.Equal(best + 2, stopping.StoppedEpoch);
        Assert.Equal(best + 2, history.Count);
        Assert.Equal(best, stopping.RestoredEpoch);
        Assert.StartsWith("early stopping: val_loss did not improve for 2 epochs", trainer.StopReason);
        Assert.EndsWith($"stopped: {trainer.StopReason}\n", lines.ToString());
        TestWeights.AssertEqual(weightsByEpoch[best], TestWeights.Snapshot(net));
        Assert.NotEqual(weightsByEpoch[history.Count]["weight"], TestWeights.Snapshot(net)["weight"]);
    }

    [Fact]
    public void Batches_kept_by_the_source_survive_and_handed_over_batches_are_disposed()
    {
        Seed.Everything(5);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };

        using var x = torch.randn(4, 2);
        using var y = torch.tensor(new long[] { 0, 1, 0, 1 });
        var kept = new List<(Tensor X, Tensor Y)> { (x, y) };
        trainer.Fit(kept, kept, 2);
        Assert.False(x.IsInvalid || y.IsInvalid);
        Assert.Equal(1, BatchSource.From(kept).Count);

        // A prefetching loader's tensors belong to no scope: the trainer disposes them.
        var handed = new List<Tensor>();
        IEnumerable<(Tensor, Tensor)> Prefetched()
        {
            for (int i = 0; i < 3; i++)
            {
                var bx = x.clone().DetachFromDisposeScope();
                var by = y.clone().DetachFromDisposeScope();
                handed.Add(bx);
                handed.Add(by);
                yield return (bx, by);
            }
        }
        var source = BatchSource.From(_ => Prefetched(), 3, transfersOwnership: true);
        trainer.Fit(source, source, 1);
        Assert.Equal(12, handed.Count);
        Assert.All(handed, t => Assert.True(t.IsInvalid));
        using var predictions = trainer.Predict(source);
        Assert.Equal(12, predictions.Count);
        Assert.Equal(18, handed.Count);
        Assert.All(handed, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Predict_on_unlabelled_inputs_gives_outputs_and_classes_in_order()
    {
        Seed.Everything(6);
        using var net = new TestLinear(2, 3);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };
        using var a = torch.randn(2, 2);
        using var b = torch.randn(3, 2);
        using var predictions = trainer.Predict(new[] { a, b });
        Assert.Equal([5L, 3], predictions.Logits.shape);
        Assert.Null(predictions.Targets);
        using var direct = trainer.Predict(b);
        Assert.Equal(Metrics.PredictedClasses(direct), predictions.Predicted![2..]);
        Assert.True(double.IsNaN(predictions.Accuracy));
        Assert.Throws<InvalidOperationException>(() => predictions.ConfusionMatrix());
    }

    [Fact]
    public void Empty_data_and_bad_arguments_are_clear_errors()
    {
        Seed.Everything(7);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };
        var empty = BatchSource.From(Array.Empty<(Tensor, Tensor)>());
        Assert.Contains("no batches", Assert.Throws<InvalidOperationException>(() => trainer.Fit(empty, null, 1)).Message);
        Assert.Contains("no batches", Assert.Throws<InvalidOperationException>(() => trainer.Evaluate(empty)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(ArrayBatches.Blobs(2, 2, false), null, 0));
        Assert.Equal(0, trainer.Epoch);
        Assert.Empty(trainer.History);
    }

    [Fact]
    public void Early_stopping_on_a_missing_validation_metric_explains_itself()
    {
        Seed.Everything(4);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.05);
        var trainer = new Trainer(net, opt) { Progress = Progress.None };
        using var stopping = new EarlyStopping();
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ArrayBatches.Blobs(10, 10, false), null, 1, stopping));
        Assert.Contains("was Fit given validation data?", e.Message);
    }

    // ---- resume -----------------------------------------------------------------------------

    private sealed record Run(TestMlp Net, SGD Opt, Trainer Trainer) : IDisposable
    {
        public void Dispose()
        {
            Net.Dispose();
            Opt.Dispose();
        }
    }

    // Dropout (torch's generator), shuffling (Seed.Random), momentum (optimizer state) and a per-batch
    // OneCycle schedule (scheduler state) all have to be restored for the losses to repeat.
    private static Run NewRun(ArrayBatches train, int totalEpochs)
    {
        var net = new TestMlp(2, 16, 2, dropout: 0.3);
        var opt = torch.optim.SGD(net.parameters(), learningRate: 0.05, momentum: 0.9, weight_decay: 1e-4);
        var trainer = new Trainer(net, opt)
        {
            Progress = Progress.None,
            Scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, 0.2, epochs: totalEpochs, steps_per_epoch: train.Count),
            ClipGradNorm = 5.0,
        };
        return new Run(net, opt, trainer);
    }

    private static void Scramble()
    {
        Seed.Everything(987654);
        using var noise = torch.rand(100);
        Seed.Random.Next();
    }

    private static void AssertSameEpochs(History expected, History actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.TrainLoss, actual.TrainLoss);
        Assert.Equal(expected.TrainAccuracy, actual.TrainAccuracy);
        Assert.Equal(expected.ValLoss, actual.ValLoss);
        Assert.Equal(expected.ValAccuracy, actual.ValAccuracy);
        Assert.Equal(expected.LearningRate, actual.LearningRate);
    }

    [Fact]
    public void A_resumed_run_repeats_the_uninterrupted_runs_losses_exactly()
    {
        var train = ArrayBatches.Blobs(60, 16, shuffle: true, c: 0.6);
        var val = ArrayBatches.Blobs(30, 32, shuffle: false, seed: 5, c: 0.6);

        Seed.Everything(11);
        using var straight = NewRun(train, 4);
        straight.Trainer.Fit(train, val, 4);
        var expectedWeights = TestWeights.Snapshot(straight.Net);

        Seed.Everything(11);
        string checkpoint = Path.Combine(root, "epoch2");
        using (var first = NewRun(train, 4))
        {
            first.Trainer.Fit(train, val, 2);
            first.Trainer.SaveCheckpoint(checkpoint);
        }
        Scramble();
        using var resumed = NewRun(train, 4);
        resumed.Trainer.LoadCheckpoint(checkpoint);
        Assert.Equal(2, resumed.Trainer.Epoch);
        Assert.Equal(2, resumed.Trainer.History.Count);
        Assert.Equal(11, Seed.Current);
        resumed.Trainer.Fit(train, val, 2);

        AssertSameEpochs(straight.Trainer.History, resumed.Trainer.History);
        TestWeights.AssertEqual(expectedWeights, TestWeights.Snapshot(resumed.Net));
        Assert.Equal(straight.Trainer.GlobalStep, resumed.Trainer.GlobalStep);
        Assert.Equal(straight.Trainer.Scheduler!.get_last_lr(), resumed.Trainer.Scheduler!.get_last_lr());
    }

    [Fact]
    public void Resume_continues_from_model_checkpoints_last_folder_with_callback_state()
    {
        var train = ArrayBatches.Blobs(60, 16, shuffle: true, c: 0.6);
        var val = ArrayBatches.Blobs(30, 32, shuffle: false, seed: 5, c: 0.6);

        Seed.Everything(12);
        using var straight = NewRun(train, 4);
        using var straightStopping = new EarlyStopping(patience: 50);
        straight.Trainer.Fit(train, val, 4, straightStopping);

        Seed.Everything(12);
        var saver = new ModelCheckpoint(root);
        using (var first = NewRun(train, 4))
        {
            // Resume with no checkpoint yet trains from the start; here it stops after 2 epochs
            // as if the session had been interrupted.
            using var stopping = new EarlyStopping(patience: 50);
            first.Trainer.Resume(saver.LastPath, train, val, 2, stopping, saver);
            Assert.Equal(2, first.Trainer.Epoch);
        }
        Assert.True(File.Exists(saver.BestPath));
        Assert.True(File.Exists(Path.Combine(saver.LastPath, "manifest.json")));
        Scramble();
        using var resumed = NewRun(train, 4);
        using var resumedStopping = new EarlyStopping(patience: 50);
        var resumedSaver = new ModelCheckpoint(root);
        resumed.Trainer.Resume(saver.LastPath, train, val, 4, resumedStopping, resumedSaver);

        AssertSameEpochs(straight.Trainer.History, resumed.Trainer.History);
        Assert.Equal(straightStopping.BestEpoch, resumedStopping.BestEpoch);
        Assert.Equal(straightStopping.Best, resumedStopping.Best);
        Assert.Equal(straight.Trainer.History.Best("val_loss")!.Epoch, resumedSaver.BestEpoch);
        var bestFile = SafetensorsFile.LoadMetadata(resumedSaver.BestPath);
        Assert.Equal(resumedSaver.BestEpoch.ToString(), bestFile["epoch"]);

        // Done already: resuming again trains nothing.
        int before = resumed.Trainer.History.Count;
        resumed.Trainer.Resume(saver.LastPath, train, val, 4);
        Assert.Equal(before, resumed.Trainer.History.Count);
    }

    [Fact]
    public void A_checkpoint_from_a_different_optimizer_is_refused_before_anything_changes()
    {
        Seed.Everything(13);
        var train = ArrayBatches.Blobs(10, 10, shuffle: false);
        string checkpoint = Path.Combine(root, "sgd");
        using (var run = NewRun(train, 1))
        {
            run.Trainer.Fit(train, null, 1);
            run.Trainer.SaveCheckpoint(checkpoint);
        }
        using var net = new TestMlp(2, 16, 2);
        using var adam = torch.optim.Adam(net.parameters());
        var before = TestWeights.Snapshot(net);
        var trainer = new Trainer(net, adam) { Progress = Progress.None };
        var e = Assert.Throws<InvalidOperationException>(() => trainer.LoadCheckpoint(checkpoint));
        Assert.Contains("SGD", e.Message);
        TestWeights.AssertEqual(before, TestWeights.Snapshot(net));
        Assert.Throws<DirectoryNotFoundException>(() => trainer.LoadCheckpoint(Path.Combine(root, "none")));
    }

    // ---- precision ----------------------------------------------------------------------------

    [Fact]
    public void Loss_scaling_by_a_power_of_two_changes_nothing_in_float32()
    {
        var train = ArrayBatches.Blobs(40, 16, shuffle: true, c: 0.6);
        History Train(GradScaler? scaler)
        {
            Seed.Everything(21);
            using var net = new TestMlp(2, 8, 2);
            using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1, momentum: 0.9);
            var trainer = new Trainer(net, opt) { Progress = Progress.None, GradScaler = scaler };
            return trainer.Fit(train, null, 2);
        }
        var plain = Train(null);
        var scaler = new GradScaler(DeviceType.CPU, initScale: 1024, growthInterval: 4);
        var scaled = Train(scaler);
        Assert.Equal(plain.TrainLoss, scaled.TrainLoss);
        Assert.Equal(1024.0 * 4, scaler.CurrentScale);   // 10 good steps: grew after the 4th and the 8th
        Assert.Equal(2, scaler.GrowthTracker);
    }

    [Fact]
    public void An_overflowing_loss_scale_skips_the_step_and_backs_off()
    {
        Seed.Everything(22);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var before = TestWeights.Snapshot(net);
        var scaler = new GradScaler(DeviceType.CPU, initScale: Math.Pow(2, 127));   // the largest power of two in float32
        var skipped = new List<bool>();
        // A loss of order 1e30 times 2^127 overflows float32: the gradients are inf or NaN.
        var trainer = new Trainer(net, opt, (o, t) => F.cross_entropy(o, t) * 1e30f) { Progress = Progress.None, GradScaler = scaler };
        trainer.Fit(ArrayBatches.Blobs(10, 20, false), null, 1, new BatchProbe(b => skipped.Add(b.StepSkipped)));
        Assert.Equal([true], skipped);
        Assert.Equal(1, trainer.SkippedSteps);
        Assert.Equal(Math.Pow(2, 126), scaler.CurrentScale);
        TestWeights.AssertEqual(before, TestWeights.Snapshot(net));
    }

    private sealed class BatchProbe(Action<BatchResult> onBatch) : Callback
    {
        public override void OnBatchEnd(Trainer trainer, BatchResult batch) => onBatch(batch);
    }

    [Fact]
    public void Bfloat16_autocast_on_the_cpu_trains_and_float16_is_refused_there()
    {
        Seed.Everything(23);
        var train = ArrayBatches.Blobs(100, 20, shuffle: true);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var trainer = new Trainer(net, opt) { Progress = Progress.None, Autocast = ScalarType.BFloat16 };
        var history = trainer.Fit(train, train, 3);
        Assert.True(history[2].ValAccuracy >= 0.99, history.ToString());
        Assert.Equal(ScalarType.Float32, net.weight.dtype);

        var fp16 = new Trainer(net, opt) { Progress = Progress.None, Autocast = ScalarType.Float16 };
        Assert.Contains("bfloat16 only", Assert.Throws<InvalidOperationException>(() => fp16.Fit(train, null, 1)).Message);
    }

    [Fact]
    public void Channels_last_inputs_reach_the_model_in_that_format_and_give_the_same_results()
    {
        // A 1×1 convolution classifying every pixel: outputs [N, 2, 2, 2], targets [N, 2, 2].
        var x = Enumerable.Range(0, 8 * 2 * 2 * 2).Select(i => (float)Math.Sin(i)).ToArray();
        var y = Enumerable.Range(0, 8 * 2 * 2).Select(i => (long)(i % 2)).ToArray();
        IEnumerable<(Tensor, Tensor)> Batches() { yield return (torch.tensor(x, [8, 2, 2, 2]), torch.tensor(y, [8, 2, 2])); }
        (double loss, List<bool> seen) Run(bool channelsLast)
        {
            Seed.Everything(24);
            using var net = new PixelConv();
            using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
            var trainer = new Trainer(net, opt) { Progress = Progress.None, ChannelsLast = channelsLast };
            var history = trainer.Fit(BatchSource.From(_ => Batches(), 1), null, 2);
            Assert.True(double.IsNaN(history[1].TrainAccuracy));   // not [N, C] scores: no accuracy
            return (history.TrainLoss[1], net.ChannelsLastSeen);
        }
        var (plain, plainSeen) = Run(false);
        var (nhwc, nhwcSeen) = Run(true);
        Assert.Equal(plain, nhwc, 6);
        Assert.Equal([false, false], plainSeen);
        Assert.Equal([true, true], nhwcSeen);
    }

    private sealed class PixelConv : nn.Module<Tensor, Tensor>
    {
        public TorchSharp.Modules.Parameter weight;

        public PixelConv() : base(nameof(PixelConv))
        {
            weight = new TorchSharp.Modules.Parameter(torch.randn(2, 2, 1, 1));
            RegisterComponents();
        }

        public List<bool> ChannelsLastSeen { get; } = new();

        public override Tensor forward(Tensor input)
        {
            ChannelsLastSeen.Add(input.IsChannelsLast() && !input.is_contiguous());
            return torch.nn.functional.conv2d(input, weight);
        }
    }

    [Fact]
    public void A_scheduler_with_a_plateau_steps_on_the_validation_loss()
    {
        Seed.Everything(25);
        var train = ArrayBatches.Blobs(20, 20, shuffle: false);
        var val = ArrayBatches.Blobs(20, 40, shuffle: false, seed: 6, flipLabels: true);
        using var net = new TestLinear(2, 2);
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1);
        var plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience: 0, factor: 0.5);
        var trainer = new Trainer(net, opt) { Progress = Progress.None, Scheduler = plateau };
        var history = trainer.Fit(train, val, 4);
        // PyTorch's rule (mode min, threshold 1e-4 relative, patience 0): every epoch that does not
        // improve on the best validation loss halves the rate for the next one.
        double best = double.PositiveInfinity, lr = 0.1;
        for (int e = 0; e < history.Count; e++)
        {
            Assert.Equal(lr, history.LearningRate[e]);
            if (history.ValLoss[e] < best * (1 - 1e-4)) best = history.ValLoss[e];
            else lr *= 0.5;
        }
        Assert.Equal(lr, opt.ParamGroups.First().LearningRate);
        Assert.True(lr < 0.1);
    }
}
