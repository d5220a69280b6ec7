using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>
/// The cosine schedule of seed 002's CIFAR-10 recipe (notebook 15) is TorchSharp's <c>CosineAnnealingLR</c>,
/// given to the trainer as <c>Trainer.Scheduler</c>, per epoch (the seed's T_max = epochs) or per batch
/// (T_max = epochs × batches). Its rates are PyTorch's closed form, checked at every step.
/// </summary>
[Collection(TrainingSerial.Name)]
public class CosineScheduleTests
{
    /// <summary>η_t = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2 (Loshchilov &amp; Hutter, SGDR, without restarts).</summary>
    private static double Cosine(double maxLr, double minLr, int period, int t) =>
        minLr + (maxLr - minLr) * (1 + Math.Cos(Math.PI * t / period)) / 2;

    /// <summary>Records the rate each training batch used (it runs before the schedule steps, whose Order is −100).</summary>
    private sealed class RateLog : Callback
    {
        public List<double> Rates { get; } = new();

        public override int Order => -200;

        public override void OnBatchEnd(Trainer trainer, BatchResult batch) =>
            Rates.Add(trainer.Optimizer.ParamGroups.First().LearningRate);
    }

    [Fact]
    public void CosineAnnealingLR_follows_the_closed_form_per_epoch_and_per_batch()
    {
        var train = ArrayBatches.Blobs(40, 16, shuffle: true, c: 0.6);   // 80 samples: 5 batches per epoch
        const int epochs = 4;

        // Per epoch, as seed 002 steps it (T_max = the epoch count).
        Seed.Everything(61);
        using (var net = new TestMlp(2, 8, 2))
        {
            var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1, momentum: 0.9, weight_decay: 5e-4);
            var trainer = new Trainer(net, opt) { Progress = Progress.None, Scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs) };
            var log = new RateLog();
            var history = trainer.Fit(train, null, epochs, log);
            Assert.Equal(ScheduleInterval.Epoch, Assert.IsType<LRSchedule>(trainer.Callbacks.Single(c => c is LRSchedule)).Interval);
            for (int e = 0; e < epochs; e++)
            {
                Assert.Equal(Cosine(0.1, 0, epochs, e), history.LearningRate[e], 12);
                Assert.All(log.Rates.Skip(e * train.Count).Take(train.Count), r => Assert.Equal(Cosine(0.1, 0, epochs, e), r, 12));
            }
            Assert.Equal(0.1, history.LearningRate[0]);
            Assert.Equal(0.05, history.LearningRate[2], 12);   // halfway: cos(π/2) = 0
            Assert.Equal(0.0, opt.ParamGroups.First().LearningRate, 12);   // after the last step: η_min
        }

        // Per batch (T_max = epochs × batches), with a floor η_min.
        Seed.Everything(61);
        using (var net = new TestMlp(2, 8, 2))
        {
            var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1, momentum: 0.9, weight_decay: 5e-4);
            int steps = epochs * train.Count;
            var trainer = new Trainer(net, opt)
            {
                Progress = Progress.None,
                SchedulerInterval = ScheduleInterval.Batch,
                Scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps, eta_min: 0.001),
            };
            var log = new RateLog();
            var history = trainer.Fit(train, null, epochs, log);
            Assert.Equal(steps, log.Rates.Count);
            for (int t = 0; t < steps; t++) Assert.Equal(Cosine(0.1, 0.001, steps, t), log.Rates[t], 12);
            for (int e = 0; e < epochs; e++) Assert.Equal(Cosine(0.1, 0.001, steps, e * train.Count), history.LearningRate[e], 12);
            Assert.True(log.Rates.Zip(log.Rates.Skip(1)).All(p => p.Second < p.First), "the rate falls at every step");
            Assert.Equal(0.001, opt.ParamGroups.First().LearningRate, 12);
        }
    }
}
