using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>
/// Proves the check can fail: each planted violation must be reported, as a compiler error
/// against the real nanoFramework mscorlib and the api.tsv reference assemblies (CSxxxx), or by
/// the runtime-construct walker for what compiles but the 1.x runtime cannot run.
/// </summary>
public class PlantedViolationTests
{
    private readonly ITestOutputHelper _output;

    public PlantedViolationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private IReadOnlyList<Violation>? Check(string source)
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return null;
        }

        IReadOnlyList<Violation> violations = SharedData.Checker(catalog).Check(new[] { new SourceFile("Planted.cs", source) });
        violations.ToList().ForEach(v => _output.WriteLine(v.ToString()));
        return violations;
    }

    /// <summary>Statements inside a method; each must fail to compile for the device.</summary>
    [Theory]
    // The four the walker-only check let through (issue 19):
    [InlineData("var t = System.TimeSpan.FromSeconds(1.5);")] // only FromSeconds(long)
    [InlineData("int c = System.Math.Clamp(5, 0, 3);")] // Clamp(double, double, double) only
    // Generics, async, LINQ, Span, tuples, records' support types, desktop-only members:
    [InlineData("var l = new System.Collections.Generic.List<int>();")]
    [InlineData("var d = new System.Collections.Generic.Dictionary<string, int>();")]
    [InlineData("System.Threading.Tasks.Task.Delay(1);")]
    [InlineData("int[] a = new int[4]; var q = from v in a select v;")]
    [InlineData("int[] a = new int[4]; int n = System.Linq.Enumerable.Count(a);")]
    [InlineData("System.Span<byte> s = new byte[4];")]
    [InlineData("System.Span<byte> s = stackalloc byte[4];")]
    [InlineData("var t = (1, 2);")]
    [InlineData("int? x = null;")]
    [InlineData("int[] a = new int[4]; int last = a[^1];")]
    [InlineData("int[] a = new int[4]; int[] b = a[1..2];")]
    [InlineData("var now = System.DateTime.Now;")]
    [InlineData("string s = string.Join(\",\", new[] { \"a\" });")]
    [InlineData("string s = \"a\".Replace(\"a\", \"b\");")]
    [InlineData("bool d = char.IsDigit('1');")]
    [InlineData("string s = System.Text.Encoding.UTF8.GetString(new byte[1]);")]
    [InlineData("byte[] h = System.Security.Cryptography.SHA256.HashData(new byte[1]);")]
    [InlineData("double v = double.Parse(\"1.5\", System.Globalization.CultureInfo.InvariantCulture);")]
    [InlineData("dynamic x = 1; x.Go();")] // needs the Microsoft.CSharp binder
    [InlineData("decimal m = 1.5m;")]
    [InlineData("var w = new System.Device.Gpio.GpioController().OpenPinAsync(2);")] // a member api.tsv does not list
    public void Planted_statement_is_a_compile_error(string statement) =>
        AssertCompileError("namespace P { public class C { public void M() { " + statement + " } } }");

    /// <summary>Declarations; each must fail to compile for the device.</summary>
    [Theory]
    [InlineData("public class It { public System.Collections.IEnumerable Items() { yield return 1; } }")] // iterator: no IEnumerable<T>
    [InlineData("public class A { public async void Later() { } }")]
    [InlineData("public record R(int A);")]
    [InlineData("public class U { public unsafe void P(int* p) { } }")]
    [InlineData("public interface IStatic { static abstract int Make(); }")]
    public void Planted_declaration_is_a_compile_error(string declaration) =>
        AssertCompileError("namespace P { " + declaration + " }");

    private void AssertCompileError(string source)
    {
        IReadOnlyList<Violation>? violations = Check(source);
        if (violations != null)
        {
            Assert.Contains(violations, v => v.Symbol.StartsWith("CS", StringComparison.Ordinal) && v.File == "Planted.cs" && v.Line == 1);
        }
    }

    /// <summary>Compiles against the real mscorlib, but the 1.x runtime cannot run it.</summary>
    [Theory]
    [InlineData("public class Box<T> { }", "generic declaration")]
    [InlineData("public class G { public void M<T>(T v) { } }", "generic declaration")]
    [InlineData("public class N { public object M() { return new { A = 1 }; } }", "anonymous type")]
    [InlineData("public class Grid { public int[,] Cells = new int[2, 2]; }", "multidimensional array")]
    public void Runtime_only_constructs_are_reported_by_the_walker(string declaration, string expected)
    {
        IReadOnlyList<Violation>? violations = Check("namespace P { " + declaration + " }");
        if (violations == null)
        {
            return;
        }

        Assert.Contains(violations, v => v.Symbol == expected && v.Line == 1);
    }

    /// <summary>
    /// The real mscorlib 1.17.11 declares RuntimeFeature.DefaultImplementationsOfInterfaces and
    /// IsExternalInit (nanoframework/CoreLibrary#164 added the first, with unit tests of default
    /// interface methods on the device), so the compiler accepts both and so does the check.
    /// Pinned here so a corlib that drops them is noticed.
    /// </summary>
    [Theory]
    [InlineData("public interface IGreeter { string Name(); string Hello() { return \"hi \" + Name(); } }")]
    [InlineData("public class I { public int A { get; init; } }")]
    public void Features_the_real_corlib_declares_compile(string declaration)
    {
        IReadOnlyList<Violation>? violations = Check("namespace P { " + declaration + " }");
        if (violations == null)
        {
            return;
        }

        Assert.Empty(violations);
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
                        TimeSpan wait = TimeSpan.FromSeconds(2);
                        return sum + (int)Math.Abs(-2.5) + Encoding.UTF8.GetBytes("印").Length + (int)wait.Ticks;
                    }

                    public void Dispose() { }
                }
            }
            """;
        IReadOnlyList<Violation>? violations = Check(source);
        if (violations == null)
        {
            return;
        }

        Assert.Empty(violations);
    }
}
