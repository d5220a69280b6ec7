using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Kernel;

/// <summary>Where a running cell's outputs go, in the order they happen.</summary>
internal interface IOutputSink
{
    /// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
    void WriteStream(string name, string text);

    /// <summary>A new display: <paramref name="data"/> is an nbformat mime bundle.</summary>
    void Display(string displayId, JsonObject data);

    /// <summary>Replaces the bundle of an earlier display (of this cell or an earlier one).</summary>
    void UpdateDisplay(string displayId, JsonObject data);
}
