using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SmartSeal.Architecture.Tests;

/// <summary>A C# source file: its path relative to the scanned folder and its text.</summary>
public sealed record SourceFile(string Path, string Text)
{
    /// <summary>Every .cs file under <paramref name="folder"/> except build output.</summary>
    public static IReadOnlyList<SourceFile> Under(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceFile(f, File.ReadAllText(System.IO.Path.Combine(folder, f))))
            .ToList();
}

/// <summary>A table named in SQL inside a source file, and the namespace segment the file declares.</summary>
public sealed record TableUse(string Path, string? Segment, string Table);

/// <summary>
/// Finds the tables a source file's SQL names. SQL is any string literal (plain, verbatim, raw,
/// interpolated, with holes as blanks) holding an upper-case SQL keyword; a table counts where its
/// name stands as a whole word outside SQL string literals and not as a qualified column or parameter.
/// </summary>
public static partial class SqlTableScanner
{
    [GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|CREATE|ALTER|DROP)\b")]
    private static partial Regex SqlKeyword();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex SqlStringLiteral();

    [GeneratedRegex(@"(?<![\w.@:/$-])([a-z][a-z0-9_]*)(?![\w(])")]
    private static partial Regex Word();

    /// <summary>The table names in the migrations (CREATE TABLE), lower case.</summary>
    public static IReadOnlySet<string> TablesIn(string migrationsFolder) =>
        new SortedSet<string>(
            Directory.EnumerateFiles(migrationsFolder, "*.sql")
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"(?i)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)"))
                .Select(m => m.Groups[1].Value.ToLowerInvariant()),
            StringComparer.Ordinal);

    public static IReadOnlyList<TableUse> Scan(IEnumerable<SourceFile> files, IReadOnlySet<string> tables, string root)
    {
        var uses = new List<TableUse>();
        foreach (SourceFile file in files)
        {
            SyntaxNode tree = CSharpSyntaxTree.ParseText(file.Text).GetRoot();
            string? ns = tree.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            string? segment = ns is null ? null : CloudModules.Segment(ns, root);
            var found = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string literal in Literals(tree).Where(l => SqlKeyword().IsMatch(l)))
            {
                string sql = SqlStringLiteral().Replace(literal, "''");
                foreach (Match word in Word().Matches(sql))
                {
                    if (tables.Contains(word.Value))
                    {
                        found.Add(word.Value);
                    }
                }
            }

            uses.AddRange(found.Select(t => new TableUse(file.Path, segment, t)));
        }

        return uses;
    }

    private static IEnumerable<string> Literals(SyntaxNode tree)
    {
        foreach (SyntaxNode node in tree.DescendantNodes())
        {
            if (node is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
            {
                yield return literal.Token.ValueText;
            }
            else if (node is InterpolatedStringExpressionSyntax interpolated)
            {
                var text = new StringBuilder();
                foreach (InterpolatedStringContentSyntax content in interpolated.Contents)
                {
                    text.Append(content is InterpolatedStringTextSyntax part ? part.TextToken.ValueText : " ");
                }

                yield return text.ToString();
            }
        }
    }
}
