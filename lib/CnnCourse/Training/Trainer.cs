using System.Diagnostics;
using CnnCourse.Torch;
using CnnCourse.Torch.Modules;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Training;

/// <summary>
/// Trains, evaluates and applies a model: the loop every lesson would otherwise write.
/// <code>
/// Seed.Everything(42);
/// var opt = torch.optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
/// var trainer = new Trainer(net, opt) { Scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, 0.05, epochs: 5, steps_per_epoch: train.Count) };
/// var history = trainer.Fit(train, test, epochs: 5, new ModelCheckpoint("runs/lenet"));
/// var result = trainer.Evaluate(test);          // loss and accuracy
/// var cm = trainer.Predict(test).ConfusionMatrix(labels);
/// </code>
/// <para>
/// Each batch runs inside its own dispose scope (the batch's tensors, the forward graph, the
/// loss and whatever the source made for it are freed after it), so the number of live tensors
/// stays flat from epoch to epoch. The model's parameters and the optimizer's state are never in
/// a scope. Training uses <c>Model.train()</c>; evaluation and prediction run under
/// <c>no_grad</c> in eval mode and then put back each module's previous mode.
/// </para>
/// <para>
/// Options (set in an object initializer): <see cref="Scheduler"/>, <see cref="Autocast"/>
/// (bfloat16 on the CPU; float16 with automatic loss scaling, or bfloat16, on CUDA),
/// <see cref="ChannelsLast"/>, <see cref="ClipGradNorm"/>, <see cref="Progress"/>.
/// </para>
/// </summary>
public sealed partial class Trainer
{
    private LRSchedule? schedule;
    private GradScaler? scaler;
    private bool scalerResolved;
    private bool channelsLastApplied;
    private List<Callback> active = new();
    private IBatchSource? lastTrain, lastValidation;

    /// <param name="model">The network; moved to <paramref name="device"/> when one is given.</param>
    /// <param name="optimizer">An optimizer over the model's parameters.</param>
    /// <param name="loss">loss(output, target) → a scalar tensor; default cross entropy on class indices.</param>
    /// <param name="device">Where batches are sent; default the device of the model's parameters.</param>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor>? loss = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Optimizer = optimizer;
        Loss = loss ?? ((output, target) => torch.nn.functional.cross_entropy(output, target));
        if (device is not null) model.to(device);
        Device = device ?? model.parameters().FirstOrDefault()?.device ?? Device.CPU;
    }

    /// <param name="criterion">A loss module (<c>torch.nn.CrossEntropyLoss(label_smoothing: 0.1)</c>), called as <c>criterion.call(output, target)</c>.</param>
    public Trainer(Module model, Optimizer optimizer, CnnCourse.Torch.Modules.Loss criterion, Device? device = null)
        : this(model, optimizer, (criterion ?? throw new ArgumentNullException(nameof(criterion))).call, device)
    {
    }

    public Module Model { get; }

    public Optimizer Optimizer { get; }

    /// <summary>loss(output, target): a scalar tensor, the mean over the batch.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; }

    public Device Device { get; }

    /// <summary>A learning-rate scheduler stepped by the trainer (see <see cref="LRSchedule"/>); its state is checkpointed.</summary>
    public LRScheduler? Scheduler { get; init; }

    /// <summary>When <see cref="Scheduler"/> steps: null picks per batch for OneCycleLR, per epoch otherwise.</summary>
    public ScheduleInterval? SchedulerInterval { get; init; }

    /// <summary>
    /// Mixed precision for the forward pass and the loss: null (off), <c>ScalarType.BFloat16</c>
    /// (CPU or CUDA) or <c>ScalarType.Float16</c> (CUDA, with a <see cref="Training.GradScaler"/>).
    /// </summary>
    public ScalarType? Autocast { get; init; }

    /// <summary>The loss scaler; by default one is made when <see cref="Autocast"/> is float16. Settable for other cases.</summary>
    public GradScaler? GradScaler
    {
        get
        {
            if (!scalerResolved)
            {
                scaler ??= Autocast == ScalarType.Float16 ? new GradScaler() : null;
                scalerResolved = true;
            }
            return scaler;
        }
        init
        {
            scaler = value;
            scalerResolved = value is not null;
        }
    }

    /// <summary>
    /// Lays 4-D inputs and the model's 4-D weights out channels-last (NHWC strides), which oneDNN and
    /// cuDNN convolutions prefer. The weights are converted at the first Fit, Evaluate or Predict.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>When set, gradients are clipped to this global L2 norm before each step.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Where progress goes; default <see cref="Training.Progress.Auto"/>. Use <see cref="Training.Progress.None"/> for silence.</summary>
    public IProgressSink Progress { get; set; } = Training.Progress.Auto();

    /// <summary>Every epoch trained by this trainer (and restored from a checkpoint).</summary>
    public History History { get; } = new();

    /// <summary>Epochs completed (the number of the last epoch; 0 before training).</summary>
    public int Epoch { get; private set; }

    /// <summary>Training batches done over the whole run.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>The gradient norm before clipping of the last batch (NaN when <see cref="ClipGradNorm"/> is off).</summary>
    public double LastGradNorm { get; private set; } = double.NaN;

    /// <summary>Why the last Fit stopped before its last epoch, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The callbacks of the current (or last) Fit, in the order they run.</summary>
    public IReadOnlyList<Callback> Callbacks => active;

    /// <summary>Asks training to stop after the current epoch (callbacks call this).</summary>
    public void Stop(string reason = "stopped by a callback")
    {
        ArgumentNullException.ThrowIfNull(reason);
        StopReason ??= reason;
    }

    private LRSchedule? Schedule => Scheduler is null ? null : schedule ??= new LRSchedule(Scheduler, SchedulerInterval);

    // ---- Fit -----------------------------------------------------------------------------------

    /// <summary>
    /// Trains for <paramref name="epochs"/> more epochs (numbered on from <see cref="Epoch"/>),
    /// validating on <paramref name="validation"/> after each, and returns <see cref="History"/>.
    /// </summary>
    public History Fit(IBatchSource train, IBatchSource? validation = null, int epochs = 1, params Callback[] callbacks)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentNullException.ThrowIfNull(callbacks);
        if (callbacks.Any(c => c is null)) throw new ArgumentException("a callback is null", nameof(callbacks));
        CheckPrecision();
        lastTrain = train;
        lastValidation = validation;
        var all = new List<Callback>();
        if (Schedule is { } s) all.Add(s);
        all.AddRange(callbacks.Where(c => !ReferenceEquals(c, Schedule)));
        active = all.OrderBy(c => c.Order).ToList();   // stable: equal orders keep their given order
        StopReason = null;
        int first = Epoch + 1, last = Epoch + epochs;

        using (torch.NewDisposeScope())
        {
            foreach (var c in active) c.OnFitStart(this);
            ApplyPendingState(train, validation);
        }
        Progress.FitStarted(first, last, train.Count);
        try
        {
            for (int epoch = first; epoch <= last && StopReason is null; epoch++)
                RunEpoch(epoch, last, train, validation);
            using (torch.NewDisposeScope())
                foreach (var c in active) c.OnFitEnd(this);
        }
        catch
        {
            Progress.FitEnded(History, null);
            throw;
        }
        Progress.FitEnded(History, StopReason);
        return History;
    }

    /// <summary>Fit over plain sequences of batches (re-enumerated each epoch).</summary>
    public History Fit(IEnumerable<(Tensor X, Tensor Y)> train, IEnumerable<(Tensor X, Tensor Y)>? validation = null, int epochs = 1, params Callback[] callbacks) =>
        Fit(BatchSource.From(train), validation is null ? null : BatchSource.From(validation), epochs, callbacks);

    private void RunEpoch(int epoch, int last, IBatchSource train, IBatchSource? validation)
    {
        using (torch.NewDisposeScope())
            foreach (var c in active) c.OnEpochStart(this, epoch);
        Model.train();
        double lr = Optimizer.param_groups[0].lr;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0, samples = 0;
        bool classifying = true;
        int batch = 0, count = train.Count;

        using (var batches = train.Batches(epoch - 1).GetEnumerator())
        {
            while (true)
            {
                using var scope = torch.NewDisposeScope();
                if (!batches.MoveNext()) break;
                var (x, y) = batches.Current;
                BatchResult result;
                try
                {
                    result = TrainBatch(epoch, ++batch, x, y);
                }
                finally
                {
                    if (train.TransfersOwnership)
                    {
                        x?.Dispose();
                        y?.Dispose();
                    }
                }
                lossSum += result.Loss * result.Size;
                samples += result.Size;
                if (result.Correct < 0) classifying = false;
                else correct += result.Correct;
                var elapsed = clock.Elapsed;
                Progress.BatchEnded(new ProgressSnapshot(epoch, last, batch, count, samples, lossSum / samples,
                    classifying ? (double)correct / samples : double.NaN, samples / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed,
                    count > 0 ? elapsed / batch * Math.Max(count - batch, 0) : null));
                foreach (var c in active) c.OnBatchEnd(this, result);
            }
        }
        if (samples == 0) throw new InvalidOperationException($"the training data gave no batches in epoch {epoch}");
        double trainSeconds = clock.Elapsed.TotalSeconds;

        var val = validation is null ? null : Evaluate(validation, epoch - 1);
        var record = new EpochRecord(epoch, lossSum / samples, classifying ? (double)correct / samples : double.NaN,
            val?.Loss ?? double.NaN, val?.Accuracy ?? double.NaN, lr, clock.Elapsed.TotalSeconds, samples / Math.Max(trainSeconds, 1e-9));
        History.Add(record);
        Epoch = epoch;
        using (torch.NewDisposeScope())
            foreach (var c in active) c.OnEpochEnd(this, record);
        Progress.EpochEnded(record, last);
    }

    private BatchResult TrainBatch(int epoch, int batch, Tensor x, Tensor y)
    {
        if (x is null || y is null) throw new InvalidOperationException($"the training data gave a null tensor in batch {batch} of epoch {epoch}");
        x = Prepare(x);
        y = y.to(Device);
        Optimizer.zero_grad();
        Tensor output, loss;
        using (AutocastScope())
        {
            output = Model.call(x);
            loss = Loss(output, y);
        }
        bool finite = true;
        var gradScaler = GradScaler;
        if (gradScaler is null) loss.backward();
        else
        {
            gradScaler.ScaleLoss(loss).backward();
            finite = gradScaler.Unscale(Optimizer);
        }
        if (ClipGradNorm is { } maxNorm) LastGradNorm = GradientClipping.ClipGradNorm(Optimizer.parameters(), maxNorm);
        if (finite) Optimizer.step();
        gradScaler?.Update(finite);
        GlobalStep++;
        double lossValue = loss.item<double>();
        return new BatchResult(epoch, batch, GlobalStep, lossValue, CountCorrect(output, y), x.size(0), !finite);
    }

    private Tensor Prepare(Tensor x)
    {
        x = x.to(Device);
        return ChannelsLast && x.dim() == 4 ? x.contiguous(MemoryFormat.ChannelsLast) : x;
    }

    private IDisposable? AutocastScope() => Autocast is { } dtype ? torch.autocast(Device.type, dtype) : null;

    // Checks the precision settings and, once, lays the model's 4-D weights out channels-last.
    private void CheckPrecision()
    {
        if (ChannelsLast && !channelsLastApplied)
        {
            Model.to(MemoryFormat.ChannelsLast);
            channelsLastApplied = true;
        }
        if (Autocast is not { } dtype) return;
        if (dtype != ScalarType.BFloat16 && dtype != ScalarType.Float16)
            throw new InvalidOperationException($"Autocast must be bfloat16 or float16, not {dtype.TorchName()}");
        if (Device.type == DeviceType.CPU && dtype != ScalarType.BFloat16)
            throw new InvalidOperationException("on the CPU, autocast supports bfloat16 only (set Autocast = ScalarType.BFloat16)");
    }

    /// <summary>Correct predictions when output is [N, C] scores and target [N] class indices; -1 otherwise.</summary>
    private static long CountCorrect(Tensor output, Tensor target)
    {
        if (output.dim() != 2 || target.dim() != 1 || !IsClassIndex(target) || output.size(0) != target.size(0)) return -1;
        // argmax takes the first of tied maxima, as Metrics does.
        return output.argmax(1).eq(target).sum().item<long>();
    }

    private static bool IsClassIndex(Tensor target) => !target.dtype.IsFloatingPoint() && target.dtype != ScalarType.Bool;

    // ---- Evaluate / Predict --------------------------------------------------------------------

    /// <summary>Mean loss and accuracy over <paramref name="data"/>, in eval mode without gradients.</summary>
    public Evaluation Evaluate(IBatchSource data) => Evaluate(data, 0);

    /// <summary>Evaluate over a plain sequence of batches.</summary>
    public Evaluation Evaluate(IEnumerable<(Tensor X, Tensor Y)> data) => Evaluate(BatchSource.From(data));

    private Evaluation Evaluate(IBatchSource data, int epochIndex)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckPrecision();
        double lossSum = 0;
        long correct = 0, samples = 0;
        bool classifying = true;
        InEvalMode(() =>
        {
            using var batches = data.Batches(epochIndex).GetEnumerator();
            while (true)
            {
                using var scope = torch.NewDisposeScope();
                if (!batches.MoveNext()) break;
                var (x0, y0) = batches.Current;
                try
                {
                    var x = Prepare(x0);
                    var y = y0.to(Device);
                    Tensor output, loss;
                    using (AutocastScope())
                    {
                        output = Model.call(x);
                        loss = Loss(output, y);
                    }
                    long n = x.size(0);
                    lossSum += loss.item<double>() * n;
                    samples += n;
                    long c = CountCorrect(output, y);
                    if (c < 0) classifying = false;
                    else correct += c;
                }
                finally
                {
                    if (data.TransfersOwnership)
                    {
                        x0?.Dispose();
                        y0?.Dispose();
                    }
                }
            }
        });
        if (samples == 0) throw new InvalidOperationException("the evaluation data gave no batches");
        return new Evaluation(lossSum / samples, classifying ? (double)correct / samples : double.NaN, samples);
    }

    /// <summary>
    /// The model's outputs for every batch of <paramref name="data"/> (in eval mode, without
    /// gradients), gathered on the CPU, with the predicted classes and the targets.
    /// </summary>
    public Predictions Predict(IBatchSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Gather(data.Batches(0).Select(b => (b.X, (Tensor?)b.Y)), data.TransfersOwnership);
    }

    /// <summary>Predict over a plain sequence of labelled batches.</summary>
    public Predictions Predict(IEnumerable<(Tensor X, Tensor Y)> data) => Predict(BatchSource.From(data));

    /// <summary>Predict over unlabelled input batches (<see cref="Predictions.Targets"/> is then null).</summary>
    public Predictions Predict(IEnumerable<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Gather(inputs.Select(x => (x, (Tensor?)null)), false);
    }

    /// <summary>The model's output for one batch <paramref name="x"/> (eval mode, no gradients), in the caller's scope.</summary>
    public Tensor Predict(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckPrecision();
        Tensor? result = null;
        InEvalMode(() =>
        {
            using var scope = torch.NewDisposeScope();
            using (AutocastScope()) result = Model.call(Prepare(x));
            result = scope.MoveToOuter(result);
        });
        return result!;
    }

    private Predictions Gather(IEnumerable<(Tensor X, Tensor? Y)> batches, bool owned)
    {
        CheckPrecision();
        var outputs = new List<Tensor>();
        var targets = new List<Tensor>();
        bool labelled = true;
        try
        {
            InEvalMode(() =>
            {
                using var e = batches.GetEnumerator();
                while (true)
                {
                    using var scope = torch.NewDisposeScope();
                    if (!e.MoveNext()) break;
                    var (x0, y0) = e.Current;
                    try
                    {
                        Tensor output;
                        using (AutocastScope()) output = Model.call(Prepare(x0));
                        if (output.dim() == 0) throw new InvalidOperationException("Predict: the model returned a scalar; expected one output per sample");
                        if (outputs.Count > 0 && !outputs[0].shape.AsSpan(1).SequenceEqual(output.shape.AsSpan(1)))
                            throw new InvalidOperationException($"Predict: the model's outputs change shape between batches ([{string.Join(", ", outputs[0].shape)}] then [{string.Join(", ", output.shape)}])");
                        outputs.Add(output.to(ScalarType.Float32, Device.CPU).contiguous().DetachFromDisposeScope());
                        if (y0 is not null && y0.dim() == 1 && IsClassIndex(y0)) targets.Add(y0.to(ScalarType.Int64, Device.CPU).DetachFromDisposeScope());
                        else labelled = false;
                    }
                    finally
                    {
                        if (owned)
                        {
                            x0?.Dispose();
                            y0?.Dispose();
                        }
                    }
                }
            });
            if (outputs.Count == 0) throw new InvalidOperationException("Predict: the data gave no batches");
            var logits = torch.cat(outputs);
            long[]? predicted = logits.dim() == 2 && logits.size(1) > 0 ? Metrics.PredictedClasses(logits) : null;
            long[]? labels = null;
            if (labelled)
            {
                using var all = torch.cat(targets);
                labels = all.ToArray<long>();
                if (labels.Length != logits.size(0)) throw new InvalidOperationException($"Predict: {labels.Length} targets for {logits.size(0)} outputs");
            }
            return new Predictions(logits, predicted, labels);
        }
        finally
        {
            foreach (var t in outputs) t.Dispose();
            foreach (var t in targets) t.Dispose();
        }
    }

    /// <summary>Runs <paramref name="action"/> in eval mode without gradients, then restores every module's previous mode.</summary>
    private void InEvalMode(Action action)
    {
        var modes = Model.modules().Select(m => (module: m, training: m.training)).ToList();
        Model.eval();
        try
        {
            using (torch.no_grad()) action();
        }
        finally
        {
            // modules() lists parents before children, so each child's own mode wins.
            foreach (var (module, training) in modes)
                if (module.training != training) module.train(training);
        }
    }
}

/// <summary>The result of <see cref="Trainer.Evaluate(IBatchSource)"/>: mean loss, accuracy (NaN when not classifying) and sample count.</summary>
public sealed record Evaluation(double Loss, double Accuracy, long Samples)
{
    public override string ToString() =>
        $"loss {Training.Progress.Number(Loss)}" + (double.IsNaN(Accuracy) ? "" : $", accuracy {Training.Progress.Percent(Accuracy)}") +
        $" ({Samples.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} samples)";
}

/// <summary>
/// The outputs of <see cref="Trainer.Predict(IBatchSource)"/> on the CPU: <see cref="Logits"/>
/// [N, …], the predicted classes (argmax, when outputs are [N, C]) and the targets (when the data
/// had class-index targets). Dispose it to free <see cref="Logits"/> (or let a scope do it).
/// </summary>
public sealed class Predictions : IDisposable
{
    internal Predictions(Tensor logits, long[]? predicted, long[]? targets)
    {
        Logits = logits;
        Predicted = predicted;
        Targets = targets;
    }

    /// <summary>The model's outputs, float32 on the CPU, in data order.</summary>
    public Tensor Logits { get; }

    /// <summary>The predicted class of each sample, or null when the outputs are not [N, C].</summary>
    public long[]? Predicted { get; }

    /// <summary>The targets, or null when the data had no class-index targets.</summary>
    public long[]? Targets { get; }

    public int Count => (int)Logits.size(0);

    /// <summary>The fraction predicted correctly.</summary>
    public double Accuracy => Predicted is null || Targets is null || Count == 0 ? double.NaN : (double)Metrics.CountEqual(Predicted, Targets) / Count;

    /// <summary>The indices of the misclassified samples, in data order.</summary>
    public int[] Misclassified()
    {
        var (p, t) = Both();
        return Enumerable.Range(0, p.Length).Where(i => p[i] != t[i]).ToArray();
    }

    /// <summary>The confusion matrix (rows = true class, columns = predicted), labelled with <paramref name="labels"/> when given.</summary>
    public ConfusionMatrix ConfusionMatrix(IReadOnlyList<string>? labels = null)
    {
        var (p, t) = Both();
        int classes = labels?.Count ?? (int)Logits.size(1);
        return Training.ConfusionMatrix.From(t, p, classes, labels);
    }

    private (long[] predicted, long[] targets) Both() =>
        (Predicted ?? throw new InvalidOperationException("the outputs are not class scores of shape [N, C]"),
         Targets ?? throw new InvalidOperationException("the data had no class-index targets"));

    public void Dispose() => Logits.Dispose();
}
