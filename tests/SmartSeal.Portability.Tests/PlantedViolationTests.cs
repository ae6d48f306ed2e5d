using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>Proves the check can fail: sources with known violations must produce exactly those.</summary>
public class PlantedViolationTests
{
    private readonly ITestOutputHelper _output;

    public PlantedViolationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private IReadOnlyList<string>? Check(string source)
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return null;
        }

        IReadOnlyList<Violation> violations = new PortabilityChecker(catalog).Check(new[] { new SourceFile("Planted.cs", source) });
        violations.ToList().ForEach(v => _output.WriteLine(v.ToString()));
        return violations.Select(v => $"{v.File}:{v.Line}: {v.Symbol}").ToList();
    }

    [Fact]
    public void The_issues_planted_violations_are_reported_exactly()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading.Tasks;
            namespace Planted
            {
                public class Bad
                {
                    public int Count(List<int> items) { return items.Count; }
                    public async Task Later() { await Task.Delay(1); }
                    public DateTime When() { return DateTime.Now; }
                    public string Joined(string[] parts) { return string.Join(",", parts); }
                    public byte[] Hash(byte[] data) { return SHA256.HashData(data); }
                }
            }
            """;
        IReadOnlyList<string>? violations = Check(source);
        if (violations == null)
        {
            return;
        }

        Assert.Equal(
            new[]
            {
                "Planted.cs:9: T:System.Collections.Generic.List`1",
                "Planted.cs:10: T:System.Threading.Tasks.Task",
                "Planted.cs:10: async",
                "Planted.cs:10: await",
                "Planted.cs:11: P:System.DateTime.Now",
                "Planted.cs:12: M:System.String.Join(System.String,System.String[])",
                "Planted.cs:13: T:System.Security.Cryptography.SHA256",
            },
            violations);
    }

    [Fact]
    public void Idiomatic_nanoframework_code_passes()
    {
        const string source = """
            using System;
            using System.Collections;
            using System.Security.Cryptography;
            using System.Text;
            namespace Planted
            {
                public enum Mode { Off, On }

                public delegate void Changed(object sender, bool active);

                public class Good : IDisposable
                {
                    private readonly ArrayList _items = new ArrayList();
                    private readonly Hashtable _byName = new Hashtable();
                    private readonly object _sync = new object();
                    public event Changed OnChanged;

                    public string Describe(long value, Mode mode)
                    {
                        StringBuilder text = new StringBuilder();
                        text.Append(value);
                        text.Append($"{mode} at {DateTime.UtcNow.Ticks}");
                        return string.Format("{0}:{1}", text.ToString(), _items.Count) + value.ToString();
                    }

                    public byte[] Mac(byte[] key, byte[] data)
                    {
                        using (HMACSHA256 hmac = new HMACSHA256(key))
                        {
                            return hmac.ComputeHash(data);
                        }
                    }

                    public int Sum()
                    {
                        int sum = 0;
                        lock (_sync)
                        {
                            foreach (object item in _items)
                            {
                                sum += (int)item;
                            }
                        }

                        if (_byName.Contains("x")) { sum++; }
                        OnChanged?.Invoke(this, sum > 0);
                        return sum + (int)Math.Abs(-2.5) + Encoding.UTF8.GetBytes("印").Length;
                    }

                    public void Dispose() { }
                }
            }
            """;
        IReadOnlyList<string>? violations = Check(source);
        if (violations == null)
        {
            return;
        }

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("int? x = null;", "Nullable<T>")]
    [InlineData("var t = (1, 2);", "tuple")]
    [InlineData("int[] a = new int[4]; int last = a[^1];", "index from end")]
    [InlineData("int[] a = new int[4]; int[] b = a[1..2];", "range")]
    [InlineData("int[] a = new int[4]; var q = from v in a select v;", "LINQ query")]
    [InlineData("int[] a = new int[4]; int n = System.Linq.Enumerable.Count(a);", "M:System.Linq.Enumerable.Count``1(System.Collections.Generic.IEnumerable{``0})")]
    [InlineData("System.Span<byte> s = new byte[4];", "T:System.Span`1")]
    [InlineData("System.Span<byte> s = stackalloc byte[4];", "stackalloc")]
    [InlineData("var e = new System.Collections.Generic.Dictionary<string, int>();", "T:System.Collections.Generic.Dictionary`2")]
    [InlineData("string s = \"a\".Replace(\"a\", \"b\");", "M:System.String.Replace(System.String,System.String)")]
    [InlineData("string s = System.Text.Encoding.UTF8.GetString(new byte[1]);", "M:System.Text.Encoding.GetString(System.Byte[])")]
    [InlineData("bool d = char.IsDigit('1');", "M:System.Char.IsDigit(System.Char)")]
    [InlineData("double v = double.Parse(\"1.5\", System.Globalization.CultureInfo.InvariantCulture);", "M:System.Double.Parse(System.String,System.IFormatProvider)")]
    public void Each_unsupported_construct_is_caught(string statement, string expected)
    {
        IReadOnlyList<string>? violations = Check("namespace P { public class C { public void M() { " + statement + " } } }");
        if (violations == null)
        {
            return;
        }

        Assert.Contains($"Planted.cs:1: {expected}", violations);
    }

    [Theory]
    [InlineData("public record R(int A);", "record")]
    [InlineData("public class C { public int A { get; init; } }", "init")]
    [InlineData("public class Box<T> { }", "generic declaration")]
    public void Unsupported_declarations_are_caught(string declaration, string expected)
    {
        IReadOnlyList<string>? violations = Check("namespace P { " + declaration + " }");
        if (violations == null)
        {
            return;
        }

        Assert.Contains($"Planted.cs:1: {expected}", violations);
    }

    [Fact]
    public void Compile_errors_are_violations_too()
    {
        IReadOnlyList<string>? violations = Check("namespace P { public class C { public void M() { UndefinedThing(); } } }");
        if (violations == null)
        {
            return;
        }

        Assert.Contains("Planted.cs:1: CS0103", violations);
    }
}
