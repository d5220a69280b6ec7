using CnnCourse.Notebooks.Tests.Support;

namespace CnnCourse.Notebooks.Tests;

public sealed class SessionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Variables_and_methods_carry_over_between_cells()
    {
        var session = new SessionHarness(_dir.File("nb/state.ipynb"));
        await session.RunAsync("var total = 40;\nint Twice(int x) => 2 * x;");
        string outputs = await session.OutputsJsonAsync("total + Twice(1)");
        Assert.Equal("""
            [
             {
              "data": {
               "text/html": [
                "<div class=\"dni-plaintext\"><pre>42</pre></div>"
               ],
               "text/plain": [
                "42"
               ]
              },
              "metadata": {},
              "output_type": "display_data"
             }
            ]
            """, outputs);
    }
}
