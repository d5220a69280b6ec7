using CnnCourse.Training;

namespace CnnCourse.Tests.Training;

public class HistoryTests
{
    private static History Sample() => new(
    [
        new EpochRecord(1, 0.5, 0.75, 0.25, 0.875, 0.1, 2, 100),
        new EpochRecord(2, 0.125, 1, double.NaN, double.NaN, 0.01, 1.5, 250.5),
    ]);

    [Fact]
    public void Csv_has_one_line_per_epoch_and_empty_fields_for_missing_values()
    {
        Assert.Equal(
            "epoch,train_loss,train_acc,val_loss,val_acc,lr,epoch_time_s,images_per_s\n" +
            "1,0.5,0.75,0.25,0.875,0.1,2,100\n" +
            "2,0.125,1,,,0.01,1.5,250.5\n", Sample().ToCsv());
    }

    [Fact]
    public void Csv_round_trips_every_double_exactly()
    {
        var history = new History([new EpochRecord(1, 0.1 + 0.2, 1.0 / 3, Math.PI, double.NaN, 1e-5, 12.345678901234567, 6.02e23)]);
        string path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.csv");
        try
        {
            history.SaveCsv(path);
            var back = History.LoadCsv(path);
            Assert.Equal(history.ToCsv(), back.ToCsv());
            Assert.Equal(0.1 + 0.2, back[0].TrainLoss);
            Assert.Equal(6.02e23, back[0].ImagesPerSecond);
            Assert.True(double.IsNaN(back[0].ValAccuracy));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Series_are_plain_arrays_for_charts()
    {
        var h = Sample();
        Assert.Equal([1.0, 2.0], h.Epochs);
        Assert.Equal([0.5, 0.125], h.TrainLoss);
        Assert.Equal([0.75, 1.0], h.TrainAccuracy);
        Assert.Equal([0.1, 0.01], h.LearningRate);
        Assert.Equal([2.0, 1.5], h.EpochSeconds);
        Assert.Equal([100.0, 250.5], h.ImagesPerSecond);
        Assert.Equal(h.ValLoss, h.Series("val_loss"));
        Assert.Equal(h.TrainAccuracy, h.Series("accuracy"));
        Assert.Throws<ArgumentException>(() => h.Series("f1"));
    }

    [Fact]
    public void Best_epoch_uses_min_for_losses_and_max_for_accuracies_and_skips_missing_values()
    {
        var h = Sample();
        Assert.Equal(2, h.Best("train_loss")!.Epoch);
        Assert.Equal(2, h.Best("train_acc")!.Epoch);
        Assert.Equal(1, h.Best("val_loss")!.Epoch);
        Assert.Equal(1, h.Best("train_loss", "max")!.Epoch);
        Assert.Null(new History().Best());
    }

    [Fact]
    public void Malformed_csv_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => History.ParseCsv("a,b\n1,2\n"));
        Assert.Throws<FormatException>(() => History.ParseCsv(History.CsvHeader + "\n1,x,,,,,,\n"));
    }
}
