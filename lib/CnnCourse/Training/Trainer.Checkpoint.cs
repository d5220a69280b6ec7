using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CnnCourse.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Training;

// Full checkpoints: everything a run needs to continue exactly where it was.
public sealed partial class Trainer
{
    private Dictionary<string, CallbackState>? pendingStates;
    private JsonObject? pendingData;
    private JsonObject? pendingSchedule;
    private OneCycle? pendingOneCycle;
    private byte[]? loadedOptimizerState;

    /// <summary>
    /// Saves a full checkpoint into the folder <paramref name="path"/>: the model's weights
    /// (<c>model.safetensors</c>), the optimizer's state (<c>optimizer.bin</c>, TorchSharp's
    /// <c>save_state_dict</c> format), torch's CPU generator and the callbacks' tensors
    /// (<c>state.safetensors</c>), the history (<c>history.csv</c>) and a <c>manifest.json</c> with
    /// the epoch, the step, the seed, the learning rates, the scheduler's steps, the callbacks' state
    /// and the data sources' state. The folder is written beside the target and renamed into place,
    /// so an existing checkpoint is replaced only by a complete one.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        Check.NotEmpty(path, nameof(path), "Trainer.SaveCheckpoint");
        var optimizer = Optimizer as OptimizerHelper
            ?? throw new InvalidOperationException($"Trainer.SaveCheckpoint: a {Optimizer.GetType().Name} " +
                $"cannot save its state (TorchSharp's save_state_dict is on OptimizerHelper)");
        using var scope = torch.NewDisposeScope();
        var states = new List<(string key, CallbackState state)>();
        try
        {
            foreach (var (key, callback) in KeyedCallbacks())
                if (callback.SaveState() is { } st) states.Add((key, st));
            CheckpointFolder.Write(path, folder =>
            {
                SafetensorsFile.Save(Model.state_dict(), Path.Combine(folder, ModelFile), new Dictionary<string, string>
                {
                    ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
                    ["model"] = Model.GetType().Name,
                });
                using (var stream = new FileStream(Path.Combine(folder, OptimizerFile), FileMode.CreateNew, FileAccess.Write))
                {
                    using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
                    stream.Flush(flushToDisk: true);
                }

                var tensors = new Dictionary<string, Tensor> { [TorchRngKey] = torch.get_rng_state() };
                var callbacksJson = new JsonObject();
                foreach (var (key, st) in states)
                {
                    callbacksJson[key] = new JsonObject
                    {
                        ["values"] = st.Values.DeepClone(),
                        ["tensors"] = new JsonArray(st.Tensors.Keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()),
                    };
                    foreach (var (name, t) in st.Tensors) tensors[$"{CallbackPrefix}{key}.{name}"] = t;
                }
                SafetensorsFile.Save(tensors, Path.Combine(folder, StateFile));
                History.SaveCsv(Path.Combine(folder, HistoryFile));

                var data = new JsonObject();
                if (lastTrain is IResumableSource t1) data["train"] = t1.SaveState();
                if (lastValidation is IResumableSource v1 && !ReferenceEquals(lastValidation, lastTrain)) data["validation"] = v1.SaveState();
                var manifest = new JsonObject
                {
                    ["format"] = Format,
                    ["epoch"] = Epoch,
                    ["global_step"] = GlobalStep,
                    ["skipped_steps"] = SkippedSteps,
                    ["seed"] = Seed.Current,
                    ["saved_at"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                    ["model"] = new JsonObject { ["type"] = Model.GetType().Name, ["file"] = ModelFile },
                    ["optimizer"] = new JsonObject
                    {
                        ["type"] = Optimizer.GetType().Name,
                        ["file"] = OptimizerFile,
                        ["lr"] = new JsonArray(Optimizer.ParamGroups.Select(g => (JsonNode?)JsonValue.Create(g.LearningRate)).ToArray()),
                    },
                    ["one_cycle"] = oneCycle is { } c
                        ? new JsonObject { ["epochs"] = c.Epochs, ["max_lr"] = c.MaxLr, ["steps_per_epoch"] = c.StepsPerEpoch }
                        : null,
                    ["tensors"] = StateFile,
                    ["history"] = HistoryFile,
                    ["rng"] = new JsonObject { ["torch_cpu"] = TorchRngKey, ["course_random"] = Seed.Random.SaveState() },
                    ["grad_scaler"] = GradScaler is { IsEnabled: true } gs
                        ? new JsonObject(gs.StateDict().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))) : null,
                    ["callbacks"] = callbacksJson,
                    ["data"] = data,
                };
                CheckpointFolder.WriteText(Path.Combine(folder, CheckpointFolder.ManifestFile),
                    manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            });
        }
        finally
        {
            foreach (var (_, st) in states) st.Dispose();
        }
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this trainer, whose model and
    /// optimizer (and scheduler, if the run had one through <see cref="Scheduler"/>) must be built as
    /// the saved run's were: the weights, the optimizer's state, the epoch and step counters, the
    /// history, torch's CPU generator, <see cref="Seed.Random"/> and the seed; the scheduler is
    /// brought to the saved step by replaying its steps. Callback and data source states are handed
    /// over when the next Fit starts (a one-cycle schedule when the next <see cref="FitOneCycle"/>
    /// builds it). Training then continues exactly as the saved run would have (on the CPU).
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        Check.NotEmpty(path, nameof(path), "Trainer.LoadCheckpoint");
        string folder = CheckpointFolder.Resolve(path)
            ?? throw new DirectoryNotFoundException($"no checkpoint at '{path}' (a folder with {CheckpointFolder.ManifestFile})");
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, CheckpointFolder.ManifestFile))) as JsonObject
                       ?? throw new InvalidDataException("the manifest is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"checkpoint '{path}': {CheckpointFolder.ManifestFile} is not valid JSON ({e.Message})", e);
        }
        if (manifest["format"]?.GetValue<string>() != Format)
            throw new InvalidDataException($"checkpoint '{path}': unknown format '{manifest["format"]}' (expected '{Format}')");
        string optimizerType = manifest["optimizer"]?["type"]?.GetValue<string>() ?? "";
        if (optimizerType != Optimizer.GetType().Name)
            throw new InvalidOperationException($"checkpoint '{path}' was saved with a " +
                $"{optimizerType} optimizer, this trainer has a {Optimizer.GetType().Name}");
        var optimizer = Optimizer as OptimizerHelper
            ?? throw new InvalidOperationException($"Trainer.LoadCheckpoint: a {Optimizer.GetType().Name} cannot load a saved state");
        var savedSchedule = manifest["callbacks"]?[nameof(LRSchedule)]?["values"] as JsonObject;
        if (Schedule is { } schedule && savedSchedule?["type"]?.GetValue<string>() is { } savedType && savedType != schedule.Scheduler.GetType().Name)
            throw new InvalidOperationException($"checkpoint '{path}' was saved with a " +
                $"{savedType} scheduler, this trainer has a {schedule.Scheduler.GetType().Name}");
        if (manifest["grad_scaler"] is JsonObject && GradScaler is not { IsEnabled: true })
            throw new InvalidOperationException($"checkpoint '{path}' has a gradient scaler's " +
                $"state, but this trainer has none (was it saved with Autocast = Float16?)");

        using var scope = torch.NewDisposeScope();
        var weights = SafetensorsFile.Load(Path.Combine(folder, manifest["model"]?["file"]?.GetValue<string>() ?? ModelFile));
        var tensors = SafetensorsFile.Load(Path.Combine(folder, manifest["tensors"]?.GetValue<string>() ?? StateFile));
        var optimizerBytes = File.ReadAllBytes(Path.Combine(folder, manifest["optimizer"]?["file"]?.GetValue<string>() ?? OptimizerFile));
        var history = History.LoadCsv(Path.Combine(folder, manifest["history"]?.GetValue<string>() ?? HistoryFile));
        if (!tensors.TryGetValue(TorchRngKey, out var rng))
            throw new InvalidDataException($"checkpoint '{path}': {StateFile} has no '{TorchRngKey}'");
        string courseRandom = manifest["rng"]?["course_random"]?.GetValue<string>()
                              ?? throw new InvalidDataException($"checkpoint '{path}': the manifest has no rng.course_random");

        // Everything is read and checked; now change the trainer.
        using (torch.no_grad())
        {
            var (missing, unexpected) = Model.load_state_dict(weights, strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException($"checkpoint '{path}': its weights do not fit this {Model.GetType().Name} " +
                    $"(missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)})");
        }
        LoadOptimizerState(optimizer, optimizerBytes);

        var pending = new Dictionary<string, CallbackState>();
        if (manifest["callbacks"] is JsonObject callbacks)
            foreach (var (key, node) in callbacks)
            {
                if (key == nameof(LRSchedule)) continue;
                var values = node?["values"] as JsonObject ?? new JsonObject();
                var own = new Dictionary<string, Tensor>();
                foreach (var name in node?["tensors"] as JsonArray ?? new JsonArray())
                {
                    string n = name!.GetValue<string>();
                    own[n] = tensors.TryGetValue($"{CallbackPrefix}{key}.{n}", out var t)
                        ? t.DetachFromDisposeScope()
                        : throw new InvalidDataException($"checkpoint '{path}': the state of callback {key} lacks the tensor '{n}'");
                }
                pending[key] = new CallbackState((JsonObject)values.DeepClone(), own);
            }

        torch.set_rng_state(rng);
        Seed.Random.LoadState(courseRandom);
        Seed.Restore(manifest["seed"]?.GetValue<long?>());
        if (manifest["grad_scaler"] is JsonObject scalerState)
            GradScaler!.LoadStateDict(scalerState.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>()));

        History.Clear();
        foreach (var r in history) History.Add(r);
        Epoch = manifest["epoch"]!.GetValue<int>();
        GlobalStep = manifest["global_step"]!.GetValue<long>();
        SkippedSteps = manifest["skipped_steps"]?.GetValue<long>() ?? 0;
        DisposePending();
        pendingStates = pending;
        pendingData = manifest["data"] is JsonObject d ? (JsonObject)d.DeepClone() : null;
        loadedOptimizerState = optimizerBytes;
        pendingOneCycle = manifest["one_cycle"] is JsonObject c
            ? new OneCycle(c["epochs"]!.GetValue<int>(), c["max_lr"]!.GetValue<double>(), c["steps_per_epoch"]!.GetValue<int>())
            : null;
        pendingSchedule = savedSchedule is null ? null : (JsonObject)savedSchedule.DeepClone();
        // The trainer's own scheduler is restored now (its rates are visible before Fit); FitOneCycle's when it builds it.
        if (pendingSchedule is not null && Schedule is not null) RestoreSchedule();
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> when there is one (see
    /// <see cref="LoadCheckpoint"/>) and says whether it did: a notebook cell that starts with
    /// <c>trainer.TryLoadCheckpoint("runs/lenet/last")</c> and goes on with
    /// <c>trainer.FitOneCycle(…, new ModelCheckpoint("runs/lenet"))</c> finishes an interrupted run when re-run.
    /// </summary>
    public bool TryLoadCheckpoint(string path)
    {
        Check.NotEmpty(path, nameof(path), "Trainer.TryLoadCheckpoint");
        if (CheckpointFolder.Resolve(path) is null) return false;
        LoadCheckpoint(path);
        return true;
    }

    /// <summary>
    /// Continues the run saved at <paramref name="checkpoint"/> (for example
    /// <c>ModelCheckpoint</c>'s <c>last</c> folder) until <paramref name="totalEpochs"/> epochs are
    /// done; when there is no checkpoint yet, trains from the start. So a notebook cell
    /// <c>trainer.Resume("runs/lenet/last", train, test, 10, new ModelCheckpoint("runs/lenet"))</c>
    /// can be re-run after an interruption and finishes the same 10 epochs. (With the one-cycle
    /// schedule: <see cref="TryLoadCheckpoint"/>, then <see cref="FitOneCycle"/>.)
    /// </summary>
    public History Resume(string checkpoint, IBatchSource train, IBatchSource? validation, int totalEpochs, params Callback[] callbacks)
    {
        Check.Positive(totalEpochs, nameof(totalEpochs), "Trainer.Resume");
        TryLoadCheckpoint(checkpoint);
        return Epoch >= totalEpochs ? History : Fit(train, validation, totalEpochs - Epoch, callbacks);
    }

    // Replays the saved schedule's steps on the fresh scheduler, then puts the optimizer's saved
    // rates (and momenta, which OneCycleLR cycles) back over what the replay wrote.
    private void RestoreSchedule(LRSchedule? target = null)
    {
        var saved = pendingSchedule!;
        pendingSchedule = null;
        pendingOneCycle = null;
        (target ?? Schedule!).Replay(saved, History);
        LoadOptimizerState((OptimizerHelper)Optimizer, loadedOptimizerState!);
    }

    // The optimizer's state tensors must outlive any dispose scope this runs in (the caller's, or
    // LoadCheckpoint's own): everything the load makes is taken out of the scope.
    private static void LoadOptimizerState(OptimizerHelper optimizer, byte[] state)
    {
        using var scope = torch.NewDisposeScope();
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        optimizer.load_state_dict(reader);
        scope.Detach(scope.DisposablesView.ToList());
    }

    // Callbacks of this run by unique state key (a repeated key gets "#2", "#3", …).
    private IEnumerable<(string key, Callback callback)> KeyedCallbacks()
    {
        var list = active.Count > 0 || Schedule is null ? active : [Schedule];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in list)
        {
            string key = c.StateKey;
            if (string.IsNullOrEmpty(key) || key.Contains('.'))
                throw new InvalidOperationException($"callback {c.GetType().Name} has the state key '{key}'; a key must be non-empty and contain no '.'");
            int n = seen[key] = seen.GetValueOrDefault(key) + 1;
            yield return (n == 1 ? key : $"{key}#{n}", c);
        }
    }

    private void ApplyPendingState(IBatchSource train, IBatchSource? validation)
    {
        // A schedule given as a callback (new LRSchedule(…)) rather than through Scheduler is restored here.
        if (pendingSchedule is not null && active.OfType<LRSchedule>().FirstOrDefault() is { } given) RestoreSchedule(given);
        if (pendingSchedule is not null)
            throw new InvalidOperationException("Trainer.Fit: the checkpoint has a learning-rate scheduler's state, but this run has no scheduler: " +
                (pendingOneCycle is not null ? "continue it with FitOneCycle and the same epochs and maxLr"
                    : "set Trainer.Scheduler to a scheduler of the same kind"));
        if (pendingStates is { } states)
        {
            pendingStates = null;
            try
            {
                foreach (var (key, callback) in KeyedCallbacks())
                    if (callback is not LRSchedule && states.Remove(key, out var st))
                        using (st) callback.LoadState(st);
            }
            finally
            {
                foreach (var st in states.Values) st.Dispose();
            }
        }
        if (pendingData is { } data)
        {
            pendingData = null;
            if (data["train"]?.GetValue<string>() is { } t && train is IResumableSource rt) rt.LoadState(t);
            if (data["validation"]?.GetValue<string>() is { } v && validation is IResumableSource rv && !ReferenceEquals(validation, train)) rv.LoadState(v);
        }
    }

    private void DisposePending()
    {
        if (pendingStates is null) return;
        foreach (var st in pendingStates.Values) st.Dispose();
        pendingStates = null;
    }

    private const string Format = "cnncourse.checkpoint/2";
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.safetensors";
    private const string HistoryFile = "history.csv";
    private const string CallbackPrefix = "callbacks.";
    private const string TorchRngKey = "rng.torch_cpu";
}

/// <summary>Writes a checkpoint folder all at once: built beside the target, then renamed into place.</summary>
internal static class CheckpointFolder
{
    internal const string ManifestFile = "manifest.json";

    /// <summary>
    /// Runs <paramref name="write"/> on a fresh temporary folder next to <paramref name="path"/>, then
    /// swaps it in: the old checkpoint is renamed aside, the new one renamed to <paramref name="path"/>,
    /// the old one deleted. On failure the temporary folder is removed and the old checkpoint kept.
    /// A crash between the two renames leaves the old checkpoint aside, which <see cref="Resolve"/> finds.
    /// </summary>
    internal static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        string parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder", nameof(path));
        string name = Path.GetFileName(full);
        if (File.Exists(full)) throw new IOException($"cannot write the checkpoint '{path}': a file of that name is in the way");
        Directory.CreateDirectory(parent);
        string id = Guid.NewGuid().ToString("N");
        string temp = Path.Combine(parent, $".{name}.tmp-{id}");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        string? aside = null;
        try
        {
            if (Directory.Exists(full))
            {
                aside = Path.Combine(parent, $".{name}.old-{id}");
                Directory.Move(full, aside);
            }
            Directory.Move(temp, full);
        }
        catch
        {
            if (aside is not null && !Directory.Exists(full)) Directory.Move(aside, full);
            TryDelete(temp);
            throw;
        }
        if (aside is not null) TryDelete(aside);
    }

    /// <summary>The checkpoint folder for <paramref name="path"/>: itself, or a complete one set aside by an interrupted write; null when none.</summary>
    internal static string? Resolve(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (File.Exists(Path.Combine(full, ManifestFile))) return full;
        string? parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent)) return null;
        return new DirectoryInfo(parent).GetDirectories($".{Path.GetFileName(full)}.old-*")
            .Where(d => File.Exists(Path.Combine(d.FullName, ManifestFile)))
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Select(d => d.FullName)
            .FirstOrDefault();
    }

    /// <summary>Writes text and flushes it to disk.</summary>
    internal static void WriteText(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
