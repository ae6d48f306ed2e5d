using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>Each project compiles as its .nfproj builds it: its own Compile list, assembly references and project references.</summary>
public sealed class ProjectCompileTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _root = Directory.CreateTempSubdirectory("nfproj-compile-").FullName;

    public ProjectCompileTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Project(string name, string source, string references, string projectReferences = "")
    {
        string directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Code.cs"), source);
        File.WriteAllText(Path.Combine(directory, "Unlisted.cs"), "this is not C# and is not in the Compile list");
        string nfproj = Path.Combine(directory, name + ".nfproj");
        File.WriteAllText(nfproj, $"""
            <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <PropertyGroup><AssemblyName>{name}</AssemblyName></PropertyGroup>
              <ItemGroup><Compile Include="Code.cs" /></ItemGroup>
              <ItemGroup><Reference Include="mscorlib" />{references}</ItemGroup>
              <ItemGroup>{projectReferences}</ItemGroup>
            </Project>
            """);
        return nfproj;
    }

    private IReadOnlyList<Violation>? Check(params string[] nfprojs)
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return null;
        }

        IReadOnlyList<Violation> violations = SharedData.Checker(catalog).CheckProjects(NfprojProject.InBuildOrder(nfprojs), _root);
        violations.ToList().ForEach(v => _output.WriteLine(v.ToString()));
        return violations;
    }

    private const string UsesGpio = "namespace Board { public class Led { public System.Device.Gpio.GpioController Gpio; } }";

    [Fact]
    public void A_library_the_nfproj_does_not_reference_is_a_compile_error()
    {
        IReadOnlyList<Violation>? violations = Check(Project("Board", UsesGpio, string.Empty));
        if (violations == null)
        {
            return;
        }

        Assert.Contains(violations, v => v.File == "Board/Code.cs" && v.Symbol == "CS0234");
    }

    [Fact]
    public void The_same_source_compiles_once_referenced_and_a_dependent_project_sees_its_types()
    {
        string board = Project("Board", UsesGpio, "<Reference Include=\"System.Device.Gpio\" />");
        string app = Project(
            "App",
            "namespace App { public class Main { public object Led() { return new Board.Led(); } } }",
            string.Empty,
            "<ProjectReference Include=\"..\\Board\\Board.nfproj\" />");
        IReadOnlyList<Violation>? violations = Check(app, board);
        if (violations == null)
        {
            return;
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void A_reference_the_api_table_does_not_know_is_reported()
    {
        IReadOnlyList<Violation>? violations = Check(Project("Board", "namespace Board { }", "<Reference Include=\"Vendor.Unknown\" />"));
        if (violations == null)
        {
            return;
        }

        Assert.Equal(new[] { "Board/Board.nfproj:0: Vendor.Unknown" }, violations.Select(v => $"{v.File}:{v.Line}: {v.Symbol}"));
    }

    [Fact]
    public void The_corlib_is_the_real_nanoframework_mscorlib()
    {
        System.Reflection.AssemblyName name = System.Reflection.AssemblyName.GetAssemblyName(CoreLibrary.Path);
        Assert.Equal("mscorlib", name.Name);
        Assert.Equal(1, name.Version!.Major); // .NET's mscorlib facade is 4.0
        Assert.Contains("nanoframework.corelibrary", File.ReadAllText(Path.Combine(SharedData.Layout.Root, "tools", "SmartSeal.Portability", "SmartSeal.Portability.csproj")).ToLowerInvariant(), StringComparison.Ordinal);
    }
}
