using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnCourse.Notebooks.Parameters;

/// <summary>A parameter given on the command line (<c>-p NAME VALUE</c>), as text.</summary>
internal sealed record NotebookParameter(string Name, string Value)
{
    /// <summary>A C# identifier, so the injected declaration compiles.</summary>
    public static bool IsValidName(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;
}

/// <summary>The C# types a parameter can have, with their literal forms.</summary>
internal enum ParameterType
{
    Bool,
    Int,
    Long,
    Double,
    Float,
    Decimal,
    String,
}

/// <summary>A command-line value converted to a parameter's type: its C# literal and its JSON form (for the stamp).</summary>
internal sealed record TypedValue(ParameterType Type, string Literal, JsonNode Json)
{
    /// <summary>The type a value has when the parameters cell does not say: bool, int, long, double, else string (papermill's order).</summary>
    public static ParameterType Infer(string text)
    {
        if (bool.TryParse(text, out _)) return ParameterType.Bool;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return ParameterType.Int;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return ParameterType.Long;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return ParameterType.Double;
        return ParameterType.String;
    }

    /// <summary>Converts <paramref name="text"/> to <paramref name="type"/>, or returns null when it is not a value of that type.</summary>
    public static TypedValue? TryConvert(string text, ParameterType type)
    {
        const NumberStyles Integer = NumberStyles.AllowLeadingSign;
        const NumberStyles Real = NumberStyles.Float;
        var invariant = CultureInfo.InvariantCulture;
        switch (type)
        {
            case ParameterType.Bool when bool.TryParse(text, out bool b):
                return new(type, b ? "true" : "false", JsonValue.Create(b));
            case ParameterType.Int when int.TryParse(text, Integer, invariant, out int i):
                return new(type, i.ToString(invariant), JsonValue.Create(i));
            case ParameterType.Long when long.TryParse(text, Integer, invariant, out long l):
                return new(type, l.ToString(invariant) + "L", JsonValue.Create(l));
            case ParameterType.Double when double.TryParse(text, Real, invariant, out double d) && double.IsFinite(d):
                return new(type, RealLiteral(d.ToString("R", invariant)), JsonValue.Create(d));
            case ParameterType.Float when float.TryParse(text, Real, invariant, out float f) && float.IsFinite(f):
                return new(type, f.ToString("R", invariant) + "f", JsonValue.Create(f));
            case ParameterType.Decimal when decimal.TryParse(text, Real, invariant, out decimal m):
                return new(type, m.ToString(invariant) + "m", JsonValue.Create(m));
            case ParameterType.String:
                return new(type, SymbolDisplay.FormatLiteral(text, quote: true), JsonValue.Create(text));
            default:
                return null;
        }
    }

    /// <summary>"1" would be an int in C#: a double literal needs a point or an exponent.</summary>
    private static string RealLiteral(string roundTrip) =>
        roundTrip.IndexOfAny(['.', 'E', 'e']) >= 0 ? roundTrip : roundTrip + ".0";

    public static string Describe(ParameterType type) => type == ParameterType.Bool ? "bool (true or false)" : Keyword(type);

    /// <summary>The C# keyword of the type.</summary>
    public static string Keyword(ParameterType type) => type switch
    {
        ParameterType.Bool => "bool",
        ParameterType.Int => "int",
        ParameterType.Long => "long",
        ParameterType.Double => "double",
        ParameterType.Float => "float",
        ParameterType.Decimal => "decimal",
        _ => "string",
    };
}
