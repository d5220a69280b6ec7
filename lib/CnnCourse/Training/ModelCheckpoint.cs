using System.Globalization;
using System.Text.Json.Nodes;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Training;

/// <summary>
/// Saves the model during training into <see cref="Folder"/>:
/// <list type="bullet">
/// <item><c>best.safetensors</c>: the weights (state dict) of the epoch with the best
/// <see cref="Monitor"/> so far, with the epoch and the value in its metadata; loadable by
/// TorchSharp.PyBridge (<c>net.load_safetensors(path)</c>), and by Python's safetensors;</item>
/// <item><c>last/</c>: a full checkpoint of the latest epoch (weights, optimizer, scheduler,
/// epoch, random state, history; see <see cref="Trainer.SaveCheckpoint"/>) to resume from with
/// <see cref="Trainer.Resume"/>; or, with <c>fullCheckpoint: false</c>, only its weights as
/// <c>last.safetensors</c>.</item>
/// </list>
/// Every file is written atomically (a temporary, then a rename), so an interrupted run never
/// leaves a half-written checkpoint.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    public ModelCheckpoint(string folder, string monitor = "val_loss", string? mode = null, bool saveBest = true, bool saveLast = true,
        bool fullCheckpoint = true)
    {
        Check.NotEmpty(folder, nameof(folder), nameof(ModelCheckpoint));
        Mode = History.Mode(monitor, mode);
        Folder = folder;
        Monitor = monitor;
        SaveBest = saveBest;
        SaveLast = saveLast;
        FullCheckpoint = fullCheckpoint;
    }

    public string Folder { get; }
    public string Monitor { get; }
    public string Mode { get; }
    public bool SaveBest { get; }
    public bool SaveLast { get; }
    public bool FullCheckpoint { get; }

    /// <summary>The best weights' file.</summary>
    public string BestPath => Path.Combine(Folder, "best.safetensors");

    /// <summary>The last checkpoint: a folder (full checkpoint) or a weights file.</summary>
    public string LastPath => Path.Combine(Folder, FullCheckpoint ? "last" : "last.safetensors");

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch saved in best.safetensors (0: none yet).</summary>
    public int BestEpoch { get; private set; }

    public override int Order => 100;

    public override void OnFitStart(Trainer trainer) => Directory.CreateDirectory(Folder);

    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (SaveBest)
        {
            double value = record[Monitor];
            if (double.IsNaN(value))
                throw new InvalidOperationException($"ModelCheckpoint monitors {Monitor}, which epoch {record.Epoch} did not measure" +
                    (Monitor.StartsWith("val", StringComparison.Ordinal) ? " (was Fit given validation data?)" : ""));
            if (BestEpoch == 0 || (Mode == "max" ? value > Best : value < Best))
            {
                Best = value;
                BestEpoch = record.Epoch;
                SafetensorsFile.Save(trainer.Model.state_dict(), BestPath, new Dictionary<string, string>
                {
                    ["epoch"] = record.Epoch.ToString(CultureInfo.InvariantCulture),
                    ["monitor"] = Monitor,
                    ["value"] = value.ToString("R", CultureInfo.InvariantCulture),
                });
            }
        }
        if (SaveLast)
        {
            if (FullCheckpoint) trainer.SaveCheckpoint(LastPath);
            else SafetensorsFile.Save(trainer.Model.state_dict(), LastPath, new Dictionary<string, string>
            {
                ["epoch"] = record.Epoch.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    // The last checkpoint is written above after Best was updated, so it holds this epoch's state.
    public override CallbackState SaveState() => new(new JsonObject
    {
        ["monitor"] = Monitor,
        ["best"] = double.IsNaN(Best) ? null : Best,
        ["best_epoch"] = BestEpoch,
    });

    public override void LoadState(CallbackState state)
    {
        Check.NotNull(state, nameof(state), "ModelCheckpoint");
        if (state.Values["monitor"]?.GetValue<string>() != Monitor) return;
        Best = state.Values["best"]?.GetValue<double>() ?? double.NaN;
        BestEpoch = state.Values["best_epoch"]!.GetValue<int>();
    }
}
