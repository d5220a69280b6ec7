using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnCourse.Notebooks.Parameters;

/// <summary>A variable the parameters cell declares, e.g. <c>var Epochs = 5;</c>.</summary>
/// <param name="DeclaredType">The type written in the cell, or null for <c>var</c>.</param>
/// <param name="Type">The parameter's C# type when it can be told from the declaration.</param>
internal sealed record ParameterDeclaration(string Name, string? DeclaredType, ParameterType? Type, string Text);

/// <summary>Reads the top-level variable declarations of a parameters cell with Roslyn's parser.</summary>
internal static class ParameterDeclarations
{
    private static readonly CSharpParseOptions ScriptParsing = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script);

    public static IReadOnlyDictionary<string, ParameterDeclaration> Read(string source)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, ScriptParsing).GetRoot();
        var declarations = new Dictionary<string, ParameterDeclaration>(StringComparer.Ordinal);
        foreach (var member in root.Members)
        {
            var declaration = member switch
            {
                FieldDeclarationSyntax field => field.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            foreach (var variable in declaration.Variables)
            {
                string name = variable.Identifier.ValueText;
                bool isVar = declaration.Type is IdentifierNameSyntax { IsVar: true };
                var type = isVar ? TypeOfLiteral(variable.Initializer?.Value) : TypeOfName(declaration.Type);
                declarations[name] = new ParameterDeclaration(name, isVar ? null : declaration.Type.ToString(), type, $"{declaration.Type} {variable}".Trim());
            }
        }
        return declarations;
    }

    private static ParameterType? TypeOfName(TypeSyntax type) => type switch
    {
        NullableTypeSyntax nullable => TypeOfName(nullable.ElementType),
        PredefinedTypeSyntax predefined => predefined.Keyword.Kind() switch
        {
            SyntaxKind.BoolKeyword => ParameterType.Bool,
            SyntaxKind.IntKeyword => ParameterType.Int,
            SyntaxKind.LongKeyword => ParameterType.Long,
            SyntaxKind.DoubleKeyword => ParameterType.Double,
            SyntaxKind.FloatKeyword => ParameterType.Float,
            SyntaxKind.DecimalKeyword => ParameterType.Decimal,
            SyntaxKind.StringKeyword => ParameterType.String,
            _ => null,
        },
        _ => null,
    };

    private static ParameterType? TypeOfLiteral(ExpressionSyntax? value) => value switch
    {
        LiteralExpressionSyntax literal => literal.Kind() switch
        {
            SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression => ParameterType.Bool,
            SyntaxKind.StringLiteralExpression => ParameterType.String,
            SyntaxKind.NumericLiteralExpression => literal.Token.Value switch
            {
                int => ParameterType.Int,
                long => ParameterType.Long,
                double => ParameterType.Double,
                float => ParameterType.Float,
                decimal => ParameterType.Decimal,
                _ => null,
            },
            _ => null,
        },
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negative => TypeOfLiteral(negative.Operand),
        _ => null,
    };
}
