using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnCourse.Notebooks.Export;

/// <summary>
/// The one scoping rule where a notebook's C# and a program's differ. In the kernel a cell's top-level
/// variables are fields of the submission, so a block may declare a local of the same name (it shadows
/// the field): <c>foreach (var net in nets) …</c> in one cell, <c>var net = …;</c> in another. In a
/// program the top-level variables are locals of one method, and a local in a nested block may not have
/// the name of one of them (CS0136), wherever it is declared. Such a nested local is renamed, with every
/// reference in its scope (<c>net</c> → <c>net2</c>). Lambdas and local functions may shadow (C# 8), so
/// what they declare is left alone. Found from the syntax alone, as the kernel's scoping rules are.
/// </summary>
internal static class NestedLocals
{
    /// <summary>The variables and local functions a cell declares at its top level (its script fields and methods).</summary>
    public static IEnumerable<string> TopLevelNames(CompilationUnitSyntax root)
    {
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case FieldDeclarationSyntax field:
                    foreach (var v in field.Declaration.Variables) yield return v.Identifier.ValueText;
                    break;
                case MethodDeclarationSyntax method:
                    yield return method.Identifier.ValueText;
                    break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function }:
                    yield return function.Identifier.ValueText;
                    break;
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local }:
                    foreach (var v in local.Declaration.Variables) yield return v.Identifier.ValueText;
                    foreach (var name in ExpressionVariables(local)) yield return name;
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax expression }:
                    foreach (var name in ExpressionVariables(expression)) yield return name;
                    break;
            }
        }
    }

    /// <summary>
    /// Variables an expression statement or declaration declares in its enclosing scope (out vars, patterns, deconstructions), outside lambdas.
    /// </summary>
    private static IEnumerable<string> ExpressionVariables(StatementSyntax statement) =>
        statement.DescendantNodes(node => node is not AnonymousFunctionExpressionSyntax)
            .OfType<SingleVariableDesignationSyntax>()
            .Select(d => d.Identifier.ValueText);

    /// <summary>
    /// Renames each nested local of <paramref name="root"/> whose name is in <paramref name="topLevel"/>
    /// to the first of <c>name2</c>, <c>name3</c>, … that <paramref name="taken"/> does not hold.
    /// </summary>
    public static CompilationUnitSyntax Rename(CompilationUnitSyntax root, ISet<string> topLevel, ISet<string> taken)
    {
        // Innermost first, so a rename never invalidates a scope still to be renamed.
        var conflicts = root.DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken) && topLevel.Contains(t.ValueText))
            .Select(t => (Token: t, Scope: NestedScope(t)))
            .Where(c => c.Scope is not null)
            .OrderByDescending(c => c.Token.SpanStart)
            .ToList();
        foreach (var (token, _) in conflicts)
        {
            // Re-find the token and its scope in the current tree (earlier renames replaced nodes).
            var current = root.FindToken(token.SpanStart);
            var scope = NestedScope(current)!;
            string name = current.ValueText;
            string newName = Enumerable.Range(2, int.MaxValue - 2).Select(i => name + i).First(n => !taken.Contains(n));
            var excluded = scope is ForEachStatementSyntax forEach ? forEach.Expression
                : scope is ForEachVariableStatementSyntax forEachVariable ? forEachVariable.Expression
                : null;
            var references = scope.DescendantTokens()
                .Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name
                            && (t == current || IsSimpleNameReference(t))
                            && (excluded is null || !excluded.Span.Contains(t.Span)))
                .ToList();
            root = root.ReplaceTokens(references, (_, t) => SyntaxFactory.Identifier(t.LeadingTrivia, newName, t.TrailingTrivia));
        }
        return root;
    }

    /// <summary>The scope of the local that <paramref name="token"/> declares when that local sits in a nested block of top-level code; else null.</summary>
    private static SyntaxNode? NestedScope(SyntaxToken token)
    {
        var declaration = token.Parent;
        SyntaxNode? scope = declaration switch
        {
            VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: var owner } } v when v.Identifier == token => owner switch
            {
                LocalDeclarationStatementSyntax local => local.Parent,
                ForStatementSyntax or UsingStatementSyntax or FixedStatementSyntax => owner,
                _ => null,
            },
            ForEachStatementSyntax forEach when forEach.Identifier == token => forEach,
            CatchDeclarationSyntax { Parent: CatchClauseSyntax clause } catchDeclaration when catchDeclaration.Identifier == token => clause,
            SingleVariableDesignationSyntax designation => DesignationScope(designation),
            _ => null,
        };
        if (scope is null or GlobalStatementSyntax or CompilationUnitSyntax) return null;
        // Only top-level code: not inside a lambda or local function (they may shadow), nor a type.
        for (var node = declaration; node is not null; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseTypeDeclarationSyntax or MethodDeclarationSyntax) return null;
            if (node is GlobalStatementSyntax) return scope;
        }
        return null;
    }

    /// <summary>
    /// An expression variable's scope: the block around an expression statement or declaration; the statement itself otherwise (if, while, using, …).
    /// </summary>
    private static SyntaxNode? DesignationScope(SingleVariableDesignationSyntax designation)
    {
        var statement = designation.Ancestors().OfType<StatementSyntax>().FirstOrDefault();
        return statement switch
        {
            null => null,
            ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax or YieldStatementSyntax
                => statement.Parent,
            _ => statement,
        };
    }

    /// <summary>A use of a name as a variable: not a member's name after a dot, a named argument or an object initializer's member.</summary>
    private static bool IsSimpleNameReference(SyntaxToken token)
    {
        if (token.Parent is not IdentifierNameSyntax name) return false;
        return name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => false,
            MemberBindingExpressionSyntax => false,
            NameColonSyntax or NameEqualsSyntax => false,
            AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ObjectInitializerExpression } } assignment
                when assignment.Left == name => false,
            QualifiedNameSyntax or AliasQualifiedNameSyntax => false,
            _ => true,
        };
    }
}
