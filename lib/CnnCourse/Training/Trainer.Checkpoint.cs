using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CnnCourse.Torch;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Training;

// Full checkpoints: everything a run needs to continue exactly where it was.
public sealed partial class Trainer
{
    private Dictionary<string, CallbackState>? pendingStates;
    private JsonObject? pendingData;

    /// <summary>
    /// Saves a full checkpoint into the folder <paramref name="path"/>: the model's weights
    /// (<c>model.safetensors</c>), the optimizer's state and the random generators' states
    /// (<c>state.safetensors</c>), the history (<c>history.csv</c>) and a <c>manifest.json</c> with
    /// the epoch, the step, the seed, the optimizer's hyper-parameters, the scheduler's and the
    /// callbacks' state and the data sources' state. The folder is written beside the target and
    /// renamed into place, so an existing checkpoint is replaced only by a complete one.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = torch.NewDisposeScope();
        var states = new List<(string key, CallbackState state)>();
        try
        {
            foreach (var (key, callback) in KeyedCallbacks())
                if (callback.SaveState() is { } st) states.Add((key, st));
            CheckpointFolder.Write(path, folder =>
            {
                torch.safetensors.save(Model.state_dict(), Path.Combine(folder, ModelFile), new Dictionary<string, string>
                {
                    ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
                    ["model"] = Model.GetType().Name,
                });

                using var optimizerState = Optimizer.state_dict();
                var tensors = new Dictionary<string, Tensor>(optimizerState.ToTensors(OptimizerPrefix))
                {
                    [TorchRngKey] = torch.get_rng_state(),
                };
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
                torch.safetensors.save(tensors, Path.Combine(folder, StateFile));
                History.SaveCsv(Path.Combine(folder, HistoryFile));

                var data = new JsonObject();
                if (lastTrain is IResumableSource t1) data["train"] = t1.SaveState();
                if (lastValidation is IResumableSource v1 && !ReferenceEquals(lastValidation, lastTrain)) data["validation"] = v1.SaveState();
                var manifest = new JsonObject
                {
                    ["format"] = Format,
                    ["epoch"] = Epoch,
                    ["global_step"] = GlobalStep,
                    ["seed"] = Seed.Current,
                    ["saved_at"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                    ["model"] = new JsonObject { ["type"] = Model.GetType().Name, ["file"] = ModelFile },
                    ["optimizer"] = new JsonObject { ["type"] = Optimizer.GetType().Name, ["state"] = JsonNode.Parse(optimizerState.ToJson()) },
                    ["tensors"] = StateFile,
                    ["history"] = HistoryFile,
                    ["rng"] = new JsonObject { ["torch_cpu"] = TorchRngKey, ["course_random"] = Seed.Random.SaveState() },
                    ["grad_scaler"] = GradScaler?.SaveState(),
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
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this trainer, whose model,
    /// optimizer (and scheduler, if the run had one) must be built as the saved run's were: the
    /// weights, the optimizer's state, the scheduler's state, the epoch and step counters, the
    /// history, torch's CPU generator, <see cref="Seed.Random"/> and the seed. Callback and data
    /// source states are handed over when the next Fit starts. Training then continues with
    /// <see cref="Fit(IBatchSource, IBatchSource?, int, Callback[])"/> exactly as the saved run would have (on the CPU).
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string folder = CheckpointFolder.Resolve(path) ?? throw new DirectoryNotFoundException($"no checkpoint at '{path}' (a folder with {CheckpointFolder.ManifestFile})");
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
            throw new InvalidOperationException($"checkpoint '{path}' was saved with a {optimizerType} optimizer, this trainer has a {Optimizer.GetType().Name}");
        if (Schedule is { } schedule && manifest["callbacks"]?[schedule.StateKey]?["values"]?["type"]?.GetValue<string>() is { } savedType &&
            savedType != schedule.Scheduler.GetType().Name)
            throw new InvalidOperationException($"checkpoint '{path}' was saved with a {savedType} scheduler, this trainer has a {schedule.Scheduler.GetType().Name}");
        if (manifest["grad_scaler"] is JsonObject && GradScaler is null)
            throw new InvalidOperationException($"checkpoint '{path}' has a gradient scaler's state, but this trainer has none (was it saved with Autocast = Float16?)");

        using var scope = torch.NewDisposeScope();
        var weights = torch.safetensors.load(Path.Combine(folder, manifest["model"]?["file"]?.GetValue<string>() ?? ModelFile));
        var tensors = torch.safetensors.load(Path.Combine(folder, manifest["tensors"]?.GetValue<string>() ?? StateFile));
        var history = History.LoadCsv(Path.Combine(folder, manifest["history"]?.GetValue<string>() ?? HistoryFile));
        if (!tensors.TryGetValue(TorchRngKey, out var rng))
            throw new InvalidDataException($"checkpoint '{path}': {StateFile} has no '{TorchRngKey}'");
        string courseRandom = manifest["rng"]?["course_random"]?.GetValue<string>()
                              ?? throw new InvalidDataException($"checkpoint '{path}': the manifest has no rng.course_random");

        // Everything is read and checked; now change the trainer.
        Model.load_state_dict(weights);
        var optimizerTensors = tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        using (var optimizerState = OptimizerStateDict.FromParts(manifest["optimizer"]!["state"]!.ToJsonString(), optimizerTensors, OptimizerPrefix))
            Optimizer.load_state_dict(optimizerState);

        var pending = new Dictionary<string, CallbackState>();
        if (manifest["callbacks"] is JsonObject callbacks)
            foreach (var (key, node) in callbacks)
            {
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
        // The trainer's own scheduler is restored now (its rates are visible before Fit).
        if (Schedule is { } s && pending.Remove(s.StateKey, out var scheduleState))
            using (scheduleState) s.LoadState(scheduleState);

        torch.set_rng_state(rng);
        Seed.Random.LoadState(courseRandom);
        Seed.Restore(manifest["seed"]?.GetValue<long>());
        if (manifest["grad_scaler"] is JsonObject scalerState) GradScaler!.LoadState(scalerState);

        History.Clear();
        foreach (var r in history) History.Add(r);
        Epoch = manifest["epoch"]!.GetValue<int>();
        GlobalStep = manifest["global_step"]!.GetValue<long>();
        DisposePending();
        pendingStates = pending;
        pendingData = manifest["data"] is JsonObject d ? (JsonObject)d.DeepClone() : null;
    }

    /// <summary>
    /// Continues the run saved at <paramref name="checkpoint"/> (for example
    /// <c>ModelCheckpoint</c>'s <c>last</c> folder) until <paramref name="totalEpochs"/> epochs are
    /// done; when there is no checkpoint yet, trains from the start. So a notebook cell
    /// <c>trainer.Resume("runs/lenet/last", train, test, 10, new ModelCheckpoint("runs/lenet"))</c>
    /// can be re-run after an interruption and finishes the same 10 epochs.
    /// </summary>
    public History Resume(string checkpoint, IBatchSource train, IBatchSource? validation, int totalEpochs, params Callback[] callbacks)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        if (CheckpointFolder.Resolve(checkpoint) is not null) LoadCheckpoint(checkpoint);
        return Epoch >= totalEpochs ? History : Fit(train, validation, totalEpochs - Epoch, callbacks);
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
        if (pendingStates is { } states)
        {
            pendingStates = null;
            try
            {
                foreach (var (key, callback) in KeyedCallbacks())
                    if (states.Remove(key, out var st))
                        using (st) callback.LoadState(st);
                if (states.Keys.Any(k => k == nameof(LRSchedule) || k.StartsWith(nameof(LRSchedule) + "#", StringComparison.Ordinal)))
                    throw new InvalidOperationException("the checkpoint has a learning-rate scheduler's state, but this run has no scheduler: set Trainer.Scheduler to a scheduler of the same kind");
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

    private const string Format = "cnncourse.checkpoint/1";
    private const string ModelFile = "model.safetensors";
    private const string StateFile = "state.safetensors";
    private const string HistoryFile = "history.csv";
    private const string OptimizerPrefix = "optimizer.";
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
