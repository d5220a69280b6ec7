using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

public class MetricsTests
{
    // Nine samples, three classes; the matrix below is counted by hand:
    //   true 0: predicted 0, 2, 0        → row [2, 0, 1]
    //   true 1: predicted 1, 1           → row [0, 2, 0]
    //   true 2: predicted 2, 2, 1, 0     → row [1, 1, 2]
    private static readonly long[] Targets = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    private static readonly long[] Predicted = [0, 2, 0, 1, 1, 2, 2, 1, 0];

    // Scores whose argmax is Predicted (the winning class gets 2, the others 0 and 1 by position).
    private static Tensor Logits()
    {
        var values = new float[Predicted.Length * 3];
        for (int i = 0; i < Predicted.Length; i++)
            for (int c = 0; c < 3; c++)
                values[i * 3 + c] = c == Predicted[i] ? 2f : c * 0.5f;
        return torch.tensor(values, [Predicted.Length, 3]);
    }

    [Fact]
    public void Confusion_matrix_counts_rows_as_true_classes_and_columns_as_predictions()
    {
        using var logits = Logits();
        using var targets = torch.tensor(Targets);
        var cm = Metrics.ConfusionMatrix(logits, targets, labels: ["cat", "dog", "owl"]);
        Assert.Equal(new long[,] { { 2, 0, 1 }, { 0, 2, 0 }, { 1, 1, 2 } }, cm.Counts);
        Assert.Equal(["cat", "dog", "owl"], cm.Labels);
        Assert.Equal(9, cm.Total);
        Assert.Equal(6.0 / 9, cm.Accuracy, 15);
        Assert.Equal([3L, 2, 4], Enumerable.Range(0, 3).Select(cm.Support));
        Assert.Equal([3L, 3, 3], Enumerable.Range(0, 3).Select(cm.Predicted));
    }

    [Fact]
    public void A_sample_of_true_class_0_predicted_as_2_lands_at_row_0_column_2()
    {
        using var predicted = torch.tensor(new long[] { 2 });
        using var targets = torch.tensor(new long[] { 0 });
        var cm = Metrics.ConfusionMatrix(predicted, targets, numClasses: 3);
        Assert.Equal(1, cm[0, 2]);
        Assert.Equal(0, cm[2, 0]);
        Assert.Equal(1, cm.Total);
    }

    [Fact]
    public void Precision_recall_and_F1_per_class_match_hand_computed_values()
    {
        var cm = ConfusionMatrix.From(Targets, Predicted, 3);
        // Precision = diagonal / column sum, recall = diagonal / row sum.
        Assert.Equal([2.0 / 3, 2.0 / 3, 2.0 / 3], Enumerable.Range(0, 3).Select(cm.Precision));
        Assert.Equal([2.0 / 3, 1.0, 0.5], Enumerable.Range(0, 3).Select(cm.Recall));
        // F1 = 2pr/(p+r): class 1: 2·(2/3)·1/(5/3) = 0.8; class 2: 2·(2/3)·(1/2)/(7/6) = 4/7.
        Assert.Equal(2.0 / 3, cm.F1(0), 15);
        Assert.Equal(0.8, cm.F1(1), 15);
        Assert.Equal(4.0 / 7, cm.F1(2), 14);
        Assert.Equal((2.0 / 3 + 0.8 + 4.0 / 7) / 3, cm.MacroF1, 14);
        var perClass = cm.PerClass();
        Assert.Equal(new ClassMetrics("1", 2.0 / 3, 1.0, cm.F1(1), 2), perClass[1]);
    }

    [Fact]
    public void Undefined_precision_and_recall_are_zero()
    {
        // Class 2 is never predicted and never true.
        var cm = ConfusionMatrix.From([0, 1], [0, 0], 3);
        Assert.Equal(0.5, cm.Precision(0));
        Assert.Equal(0.0, cm.Precision(1));
        Assert.Equal(0.0, cm.Recall(2));
        Assert.Equal(0.0, cm.F1(2));
        Assert.Equal([[1.0, 0, 0], [1.0, 0, 0], [0.0, 0, 0]], cm.NormalizedRows());
    }

    [Fact]
    public void Confusion_matrix_text_is_an_aligned_table()
    {
        var cm = ConfusionMatrix.From(Targets, Predicted, 3, ["cat", "dog", "owl"]);
        Assert.Equal(
            "true \\ pred  cat  dog  owl\n" +
            "cat            2    0    1\n" +
            "dog            0    2    0\n" +
            "owl            1    1    2\n", cm.ToString());
        Assert.Contains("macro avg", cm.Report());
    }

    [Fact]
    public void Accuracy_from_logits_and_from_class_indices()
    {
        using var logits = Logits();
        using var targets = torch.tensor(Targets);
        using var predicted = torch.tensor(Predicted);
        Assert.Equal(6.0 / 9, Metrics.Accuracy(logits, targets), 15);
        Assert.Equal(6.0 / 9, Metrics.Accuracy(predicted, targets), 15);
        Assert.Equal(Predicted, Metrics.PredictedClasses(logits));
    }

    [Fact]
    public void Accuracy_reads_tensors_that_require_grad_without_changing_them()
    {
        using var logits = torch.tensor(new float[] { 1, 3, 2, 0 }, [2, 2], requires_grad: true);
        using var targets = torch.tensor(new long[] { 1, 1 });
        Assert.Equal(0.5, Metrics.Accuracy(logits, targets));
        Assert.True(logits.requires_grad);
    }

    [Fact]
    public void Argmax_takes_the_first_of_tied_scores()
    {
        using var logits = torch.tensor(new float[] { 1, 1, 0, 0, 5, 5 }, [2, 3]);
        Assert.Equal([0L, 1], Metrics.PredictedClasses(logits));
    }

    [Fact]
    public void Top_k_accuracy_counts_targets_among_the_k_highest_scores()
    {
        using var logits = torch.tensor(new float[]
        {
            0.1f, 0.5f, 0.4f,   // target 2: second highest → top-2 hit, top-1 miss
            0.3f, 0.3f, 0.4f,   // target 1: ties with class 0, which ranks first → rank 3
            0.9f, 0.0f, 0.1f,   // target 0: highest
            0.2f, 0.7f, 0.1f,   // target 2: lowest
        }, [4, 3]);
        using var targets = torch.tensor(new long[] { 2, 1, 0, 2 });
        Assert.Equal(0.25, Metrics.TopKAccuracy(logits, targets, 1));
        Assert.Equal(Metrics.Accuracy(logits, targets), Metrics.TopKAccuracy(logits, targets, 1));
        Assert.Equal(0.5, Metrics.TopKAccuracy(logits, targets, 2));
        Assert.Equal(1.0, Metrics.TopKAccuracy(logits, targets, 3));
        Assert.Throws<ArgumentException>(() => Metrics.TopKAccuracy(logits, targets, 4));
    }

    [Fact]
    public void Mismatched_or_invalid_inputs_are_argument_errors()
    {
        using var logits = Logits();
        using var shortTargets = torch.tensor(new long[] { 0, 1 });
        using var floatTargets = torch.tensor(new float[] { 0, 1 });
        using var outOfRange = torch.tensor(new long[] { 0, 0, 0, 1, 1, 2, 2, 2, 7 });
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(logits, shortTargets));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(logits, floatTargets));
        var e = Assert.Throws<ArgumentException>(() => Metrics.ConfusionMatrix(logits, outOfRange));
        Assert.Contains("target 7 of sample 8", e.Message);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.From([0], [0], 2, ["only one"]));
    }
}
