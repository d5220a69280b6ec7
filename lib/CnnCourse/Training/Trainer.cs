using System.Diagnostics;
using CnnCourse.Engine;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace CnnCourse.Training;

/// <summary>
/// Trains, evaluates and applies a model: the loop every lesson would otherwise write.
/// <code>
/// Seed.Everything(42);
/// var opt = torch.optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
/// var trainer = new Trainer(net, opt);
/// var history = trainer.FitOneCycle(train, test, epochs: 5, maxLr: 0.05, new ModelCheckpoint("runs/lenet"));
/// var result = trainer.Evaluate(test);          // loss and accuracy
/// var cm = trainer.Predict(test).ConfusionMatrix(labels);
/// </code>
/// <para>
/// Each batch runs inside its own dispose scope (the batch's tensors, the forward graph, the
/// loss and whatever the source made for it are freed after it), in one loop that training,
/// evaluation and prediction share, so the number of live tensors stays flat from epoch to epoch.
/// The model's parameters and the optimizer's state are never in a scope. Training uses
/// <c>Model.train()</c>; evaluation and prediction run under <c>no_grad</c> in eval mode and then put
/// back each module's previous mode.
/// </para>
/// <para>
/// The device belongs to the data: a source that names one (a <c>DataLoader</c>) makes its batches
/// there, and the trainer checks that the model's parameters are there too. It never moves the
/// model (TorchSharp's <c>Module.to(device)</c> replaces the parameters an optimizer holds) nor the
/// batches: build the model on the loader's device, then the optimizer.
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

    /// <param name="model">The network, already on the device of the data it will see.</param>
    /// <param name="optimizer">An optimizer over the model's parameters.</param>
    /// <param name="loss">loss(output, target) → a scalar tensor; default cross entropy on class indices.</param>
    public Trainer(nn.Module<Tensor, Tensor> model, Optimizer optimizer, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        Model = Check.NotNull(model, nameof(model), nameof(Trainer));
        Optimizer = Check.NotNull(optimizer, nameof(optimizer), nameof(Trainer));
        Loss = loss ?? ((output, target) => nn.functional.cross_entropy(output, target));
    }

    /// <param name="criterion">A loss module (<c>nn.CrossEntropyLoss(label_smoothing: 0.1)</c>), called as <c>criterion.call(output, target)</c>.</param>
    public Trainer(nn.Module<Tensor, Tensor> model, Optimizer optimizer, nn.Module<Tensor, Tensor, Tensor> criterion)
        : this(model, optimizer, Check.NotNull(criterion, nameof(criterion), nameof(Trainer)).call)
    {
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public Optimizer Optimizer { get; }

    /// <summary>loss(output, target): a scalar tensor, the mean over the batch.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; }

    /// <summary>Where the model's parameters are (the CPU for a model without parameters).</summary>
    public Device Device => Model.parameters().FirstOrDefault()?.device ?? torch.CPU;

    /// <summary>
    /// A learning-rate scheduler stepped by the trainer (see <see cref="LRSchedule"/>); its state is
    /// checkpointed. For the one-cycle policy use <see cref="FitOneCycle"/>, which builds the scheduler
    /// from the epochs it trains.
    /// </summary>
    public LRScheduler? Scheduler
    {
        get => Schedule?.Scheduler;
        init => initialScheduler = value;
    }

    private LRScheduler? initialScheduler;

    // The schedule of this trainer: Scheduler's (made on first use, after SchedulerInterval is known) or FitOneCycle's.
    private LRSchedule? Schedule => schedule ??= initialScheduler is null ? null : new LRSchedule(initialScheduler, SchedulerInterval);

    /// <summary>When <see cref="Scheduler"/> steps: null picks per batch for OneCycleLR, per epoch otherwise. Set it before Scheduler.</summary>
    public ScheduleInterval? SchedulerInterval { get; init; }

    /// <summary>
    /// Mixed precision for the forward pass and the loss (the engine's <see cref="Amp.Autocast"/>):
    /// null (off), <c>ScalarType.BFloat16</c> (CPU or CUDA) or <c>ScalarType.Float16</c> (CUDA, with a
    /// <see cref="Engine.GradScaler"/>).
    /// </summary>
    public ScalarType? Autocast { get; init; }

    /// <summary>The engine's loss scaler; by default one is made when <see cref="Autocast"/> is float16. Settable for other cases.</summary>
    public GradScaler? GradScaler
    {
        get
        {
            if (!scalerResolved)
            {
                scaler ??= Autocast == ScalarType.Float16 ? new GradScaler(Device.type) : null;
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
    /// Lays 4-D inputs and the model's 4-D weights out channels-last (NHWC strides, see
    /// <see cref="CnnCourse.Engine.ChannelsLast"/>), which oneDNN and cuDNN convolutions prefer. The weights are
    /// converted in place at the first Fit, Evaluate or Predict.
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

    /// <summary>Optimizer steps skipped by the loss scaler (inf or NaN gradients) over the whole run.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The gradient norm before clipping of the last batch (NaN when <see cref="ClipGradNorm"/> is off).</summary>
    public double LastGradNorm { get; private set; } = double.NaN;

    /// <summary>Why the last Fit stopped before its last epoch, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The callbacks of the current (or last) Fit, in the order they run.</summary>
    public IReadOnlyList<Callback> Callbacks => active;

    /// <summary>Asks training to stop after the current epoch (callbacks call this).</summary>
    public void Stop(string reason = "stopped by a callback")
    {
        Check.NotNull(reason, nameof(reason), "Trainer");
        StopReason ??= reason;
    }

    // ---- Fit -----------------------------------------------------------------------------------

    /// <summary>
    /// Trains for <paramref name="epochs"/> more epochs (numbered on from <see cref="Epoch"/>),
    /// validating on <paramref name="validation"/> after each, and returns <see cref="History"/>.
    /// </summary>
    public History Fit(IBatchSource train, IBatchSource? validation = null, int epochs = 1, params Callback[] callbacks)
    {
        Check.NotNull(train, nameof(train), "Trainer.Fit");
        Check.Positive(epochs, nameof(epochs), "Trainer.Fit");
        Check.NoNulls(callbacks, nameof(callbacks), "Trainer.Fit");
        Prepare(train);
        if (validation is not null) CheckDevice(validation);
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
    public History Fit(IEnumerable<(Tensor X, Tensor Y)> train, IEnumerable<(Tensor X, Tensor Y)>? validation = null, int epochs = 1,
        params Callback[] callbacks) =>
        Fit(BatchSource.From(train), validation is null ? null : BatchSource.From(validation), epochs, callbacks);

    /// <summary>
    /// Trains with the one-cycle policy (Smith 2018; fastai's <c>fit_one_cycle</c>) until
    /// <paramref name="epochs"/> epochs are done in all: one call owns both the epoch count and the
    /// schedule. It builds TorchSharp's <c>OneCycleLR</c> over <paramref name="epochs"/> ×
    /// <c>train.Count</c> steps, peaking at <paramref name="maxLr"/>, stepped after every batch. After
    /// <see cref="LoadCheckpoint"/> of a run made by the same call, it finishes that run's remaining
    /// epochs on the same schedule (a run already done trains nothing).
    /// </summary>
    public History FitOneCycle(IBatchSource train, IBatchSource? validation, int epochs, double maxLr, params Callback[] callbacks)
    {
        Check.NotNull(train, nameof(train), "Trainer.FitOneCycle");
        Check.Positive(epochs, nameof(epochs), "Trainer.FitOneCycle");
        Check.Positive(maxLr, nameof(maxLr), "Trainer.FitOneCycle");
        Check.That(train.Count > 0, nameof(train), "Trainer.FitOneCycle",
            "the one-cycle schedule needs the number of batches per epoch, but the training source does not know it (Count is -1).");
        var cycle = new OneCycle(epochs, maxLr, train.Count);
        if (Schedule is null)
        {
            if (pendingOneCycle is { } saved && saved != cycle)
                throw new InvalidOperationException($"Trainer.FitOneCycle: the checkpoint's run was FitOneCycle({saved.Epochs} epochs, maxLr {saved.MaxLr}, " +
                    $"{saved.StepsPerEpoch} batches per epoch); this call asks for ({epochs}, {maxLr}, {train.Count})");
            schedule = new LRSchedule(optim.lr_scheduler.OneCycleLR(Optimizer, maxLr, epochs: epochs, steps_per_epoch: train.Count), ScheduleInterval.Batch);
            oneCycle = cycle;
            if (pendingSchedule is not null) RestoreSchedule();
        }
        else if (oneCycle != cycle)
            throw new InvalidOperationException(oneCycle is { } current
                ? $"Trainer.FitOneCycle: this trainer is on a one-cycle run of {current.Epochs} " +
                    $"epochs at maxLr {current.MaxLr}; a new schedule needs a new trainer"
                : $"Trainer.FitOneCycle: this trainer already has a {Schedule!.Scheduler.GetType().Name} " +
                    $"(Trainer.Scheduler); FitOneCycle brings its own schedule");
        return Epoch >= epochs ? History : Fit(train, validation, epochs - Epoch, callbacks);
    }

    /// <summary>The one-cycle run this trainer's schedule was built for (by FitOneCycle), or null.</summary>
    private OneCycle? oneCycle;

    private sealed record OneCycle(int Epochs, double MaxLr, int StepsPerEpoch);

    /// <summary>FitOneCycle over plain sequences of batches (their count must be known: a list or an array).</summary>
    public History FitOneCycle(IEnumerable<(Tensor X, Tensor Y)> train, IEnumerable<(Tensor X, Tensor Y)>? validation, int epochs, double maxLr,
        params Callback[] callbacks) =>
        FitOneCycle(BatchSource.From(train), validation is null ? null : BatchSource.From(validation), epochs, maxLr, callbacks);

    private void RunEpoch(int epoch, int last, IBatchSource train, IBatchSource? validation)
    {
        using (torch.NewDisposeScope())
            foreach (var c in active) c.OnEpochStart(this, epoch);
        Model.train();
        double lr = Optimizer.ParamGroups.First().LearningRate;
        var clock = Stopwatch.StartNew();
        var totals = new Totals();
        int batch = 0, count = train.Count;

        ForEachBatch(Labelled(train, epoch - 1), train.TransfersOwnership, "the training data", (x, y) =>
        {
            var result = TrainBatch(epoch, ++batch, x, y!);
            totals.Add(result.Loss, result.Size, result.Correct);
            var elapsed = clock.Elapsed;
            Progress.BatchEnded(new ProgressSnapshot(epoch, last, batch, count, totals.Samples, totals.MeanLoss,
                totals.Accuracy, totals.Samples / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed,
                count > 0 ? elapsed / batch * Math.Max(count - batch, 0) : null));
            foreach (var c in active) c.OnBatchEnd(this, result);
        });
        if (totals.Samples == 0) throw new InvalidOperationException($"Trainer.Fit: the training data gave no batches in epoch {epoch}");
        double trainSeconds = clock.Elapsed.TotalSeconds;

        var val = validation is null ? null : Evaluate(validation, epoch - 1);
        var record = new EpochRecord(epoch, totals.MeanLoss, totals.Accuracy,
            val?.Loss ?? double.NaN, val?.Accuracy ?? double.NaN, lr, clock.Elapsed.TotalSeconds, totals.Samples / Math.Max(trainSeconds, 1e-9));
        History.Add(record);
        Epoch = epoch;
        using (torch.NewDisposeScope())
            foreach (var c in active) c.OnEpochEnd(this, record);
        Progress.EpochEnded(record, last);
    }

    private BatchResult TrainBatch(int epoch, int batch, Tensor x, Tensor y)
    {
        if (y is null) throw new InvalidOperationException($"Trainer.Fit: the training data gave no targets in batch {batch} of epoch {epoch}");
        Optimizer.zero_grad();
        var (output, loss) = Forward(x, y);
        bool stepped;
        var gradScaler = GradScaler;
        if (gradScaler is null)
        {
            loss.backward();
            if (ClipGradNorm is { } maxNorm) LastGradNorm = GradientClipping.ClipGradNorm(Optimizer.parameters(), maxNorm);
            Optimizer.step();
            stepped = true;
        }
        else
        {
            gradScaler.Scale(loss).backward();
            if (ClipGradNorm is { } maxNorm)
            {
                gradScaler.Unscale(Optimizer);
                LastGradNorm = GradientClipping.ClipGradNorm(Optimizer.parameters(), maxNorm);
            }
            stepped = gradScaler.Step(Optimizer);
            gradScaler.Update();
        }
        GlobalStep++;
        if (!stepped) SkippedSteps++;
        return new BatchResult(epoch, batch, GlobalStep, loss.ToDouble(), CountCorrect(output, y), x.size(0), !stepped);
    }

    // The forward pass and the loss, under autocast when set; 4-D inputs channels-last when set.
    private (Tensor Output, Tensor Loss) Forward(Tensor x, Tensor y)
    {
        if (ChannelsLast && x.dim() == 4) x = x.ToChannelsLast();
        using var _ = AutocastScope();
        var output = Model.call(x);
        return (output, Loss(output, y));
    }

    private IDisposable? AutocastScope() => Autocast is { } dtype ? Amp.Autocast(dtype, Device.type) : null;

    /// <summary>
    /// The one batch loop of training, evaluation and prediction: each batch (its making included)
    /// in its own dispose scope; handed-over tensors disposed after use; a batch on another device
    /// than the model is a clear error.
    /// </summary>
    private void ForEachBatch(IEnumerable<(Tensor X, Tensor? Y)> batches, bool owned, string what, Action<Tensor, Tensor?> body)
    {
        using var e = batches.GetEnumerator();
        var device = Device;
        while (true)
        {
            using var scope = torch.NewDisposeScope();
            if (!e.MoveNext()) break;
            var (x, y) = e.Current;
            try
            {
                if (x is null) throw new InvalidOperationException($"{what} gave a null input batch");
                if (!Check.SameDevice(x.device, device))
                    throw new InvalidOperationException($"{what} gave a batch on {x.device}, but the model's parameters are on {device}: " +
                        "the data owns the device, so build the model there (net.to(device)) before its optimizer");
                body(x, y);
            }
            finally
            {
                if (owned)
                {
                    x?.Dispose();
                    y?.Dispose();
                }
            }
        }
    }

    private static IEnumerable<(Tensor X, Tensor? Y)> Labelled(IBatchSource source, int epochIndex) =>
        source.Batches(epochIndex).Select(b => (b.X, (Tensor?)b.Y));

    // Checks the data's device, the precision settings and, once, lays the model's 4-D weights out channels-last.
    private void Prepare(IBatchSource? source)
    {
        if (source is not null) CheckDevice(source);
        if (ChannelsLast && !channelsLastApplied)
        {
            Model.ToChannelsLast();
            channelsLastApplied = true;
        }
        if (Autocast is not { } dtype) return;
        if (dtype != ScalarType.BFloat16 && dtype != ScalarType.Float16)
            throw new InvalidOperationException($"Trainer: Autocast must be bfloat16 or float16, not {dtype}");
        if (Device.type == DeviceType.CPU && dtype != ScalarType.BFloat16)
            throw new InvalidOperationException("Trainer: on the CPU, autocast supports bfloat16 only (set Autocast = ScalarType.BFloat16)");
    }

    private void CheckDevice(IBatchSource source)
    {
        if (source.Device is { } device && !Check.SameDevice(device, Device))
            throw new InvalidOperationException($"Trainer: the data makes its batches on {device}, but the model's parameters are on {Device}: " +
                "the data owns the device, so build the model there (net.to(device)) before its optimizer");
    }

    /// <summary>Correct predictions when output is [N, C] scores and target [N] class indices; -1 otherwise.</summary>
    private static long CountCorrect(Tensor output, Tensor target)
    {
        if (output.dim() != 2 || target.dim() != 1 || !IsClassIndex(target) || output.size(0) != target.size(0)) return -1;
        // argmax takes the first of tied maxima, as Metrics does.
        return output.argmax(1).eq(target).sum().item<long>();
    }

    private static bool IsClassIndex(Tensor target) => !target.is_floating_point() && target.dtype != ScalarType.Bool;

    /// <summary>Running sums of one pass: loss × samples, correct predictions (while the outputs classify).</summary>
    private sealed class Totals
    {
        private double lossSum;
        private long correct;
        private bool classifying = true;

        public long Samples { get; private set; }
        public double MeanLoss => lossSum / Samples;
        public double Accuracy => classifying ? (double)correct / Samples : double.NaN;

        public void Add(double loss, long size, long correctInBatch)
        {
            lossSum += loss * size;
            Samples += size;
            if (correctInBatch < 0) classifying = false;
            else correct += correctInBatch;
        }
    }

    // ---- Evaluate / Predict --------------------------------------------------------------------

    /// <summary>Mean loss and accuracy over <paramref name="data"/>, in eval mode without gradients.</summary>
    public Evaluation Evaluate(IBatchSource data) => Evaluate(data, 0);

    /// <summary>Evaluate over a plain sequence of batches.</summary>
    public Evaluation Evaluate(IEnumerable<(Tensor X, Tensor Y)> data) => Evaluate(BatchSource.From(data));

    private Evaluation Evaluate(IBatchSource data, int epochIndex)
    {
        Check.NotNull(data, nameof(data), "Trainer.Evaluate");
        Prepare(data);
        var totals = new Totals();
        InEvalMode(() => ForEachBatch(Labelled(data, epochIndex), data.TransfersOwnership, "the evaluation data", (x, y) =>
        {
            if (y is null) throw new InvalidOperationException("Trainer.Evaluate: the evaluation data gave no targets");
            var (output, loss) = Forward(x, y);
            totals.Add(loss.ToDouble(), x.size(0), CountCorrect(output, y));
        }));
        if (totals.Samples == 0) throw new InvalidOperationException("Trainer.Evaluate: the evaluation data gave no batches");
        return new Evaluation(totals.MeanLoss, totals.Accuracy, totals.Samples);
    }

    /// <summary>
    /// The model's outputs for every batch of <paramref name="data"/> (in eval mode, without
    /// gradients), gathered on the CPU, with the predicted classes and the targets.
    /// </summary>
    public Predictions Predict(IBatchSource data)
    {
        Check.NotNull(data, nameof(data), "Trainer.Predict");
        Prepare(data);
        return Gather(Labelled(data, 0), data.TransfersOwnership);
    }

    /// <summary>Predict over a plain sequence of labelled batches.</summary>
    public Predictions Predict(IEnumerable<(Tensor X, Tensor Y)> data) => Predict(BatchSource.From(data));

    /// <summary>Predict over unlabelled input batches (<see cref="Predictions.Targets"/> is then null).</summary>
    public Predictions Predict(IEnumerable<Tensor> inputs)
    {
        Check.NotNull(inputs, nameof(inputs), "Trainer.Predict");
        Prepare(null);
        return Gather(inputs.Select(x => (x, (Tensor?)null)), false);
    }

    /// <summary>The model's output for one batch <paramref name="x"/> (eval mode, no gradients), in the caller's scope.</summary>
    public Tensor Predict(Tensor x)
    {
        Check.NotNull(x, nameof(x), "Trainer.Predict");
        Prepare(null);
        Tensor? result = null;
        InEvalMode(() =>
        {
            using var scope = torch.NewDisposeScope();
            var input = ChannelsLast && x.dim() == 4 ? x.ToChannelsLast() : x;
            using (AutocastScope()) result = Model.call(input);
            result = result.MoveToOuterDisposeScope();
        });
        return result!;
    }

    private Predictions Gather(IEnumerable<(Tensor X, Tensor? Y)> batches, bool owned)
    {
        var outputs = new List<Tensor>();
        var targets = new List<Tensor>();
        bool labelled = true;
        try
        {
            InEvalMode(() => ForEachBatch(batches, owned, "the prediction data", (x, y) =>
            {
                Tensor output;
                if (ChannelsLast && x.dim() == 4) x = x.ToChannelsLast();
                using (AutocastScope()) output = Model.call(x);
                if (output.dim() == 0) throw new InvalidOperationException("Trainer.Predict: the model returned a scalar; expected one output per sample");
                if (outputs.Count > 0 && !outputs[0].shape.AsSpan(1).SequenceEqual(output.shape.AsSpan(1)))
                    throw new InvalidOperationException($"Trainer.Predict: the model's outputs change shape between " +
                        $"batches ([{string.Join(", ", outputs[0].shape)}] then [{string.Join(", ", output.shape)}])");
                outputs.Add(output.to(ScalarType.Float32, torch.CPU).contiguous().DetachFromDisposeScope());
                if (y is not null && y.dim() == 1 && IsClassIndex(y)) targets.Add(y.to(ScalarType.Int64, torch.CPU).DetachFromDisposeScope());
                else labelled = false;
            }));
            if (outputs.Count == 0) throw new InvalidOperationException("Trainer.Predict: the data gave no batches");
            var logits = torch.cat(outputs);
            long[]? predicted = logits.dim() == 2 && logits.size(1) > 0 ? Metrics.PredictedClasses(logits) : null;
            long[]? labels = null;
            if (labelled)
            {
                using var all = torch.cat(targets);
                labels = all.data<long>().ToArray();
                if (labels.Length != logits.size(0)) throw new InvalidOperationException($"Trainer.Predict: " +
                    $"{labels.Length} targets for {logits.size(0)} outputs");
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
        // The model first, then its submodules (TorchSharp's modules() lists only the submodules).
        var modes = Model.modules().Prepend(Model).Distinct(ReferenceEqualityComparer.Instance).Cast<nn.Module>()
            .Select(m => (module: m, training: m.training)).ToList();
        Model.eval();
        try
        {
            using (torch.no_grad()) action();
        }
        finally
        {
            // Parents come before children, so each child's own mode wins.
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
