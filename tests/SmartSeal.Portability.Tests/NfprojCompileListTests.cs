using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

public class NfprojCompileListTests
{
    private const string EmptyNfproj = """
        <?xml version="1.0" encoding="utf-8"?>
        <Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
          <ItemGroup>
          </ItemGroup>
          <ItemGroup>
            <None Include="packages.config" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void A_planted_mismatch_is_reported_both_ways()
    {
        IReadOnlyList<string> problems = NfprojCompileList.Compare(new[] { "A.cs", "Json/B.cs" }, new[] { "A.cs", "Old.cs" }, "P.nfproj");
        Assert.Equal(new[] { "P.nfproj: missing <Compile Include=\"Json\\B.cs\" />", "P.nfproj: compiles Old.cs, which is not in the folder (or is under bin/ or obj/)" }, problems);
    }

    [Fact]
    public void Sync_writes_the_csproj_files_and_ignores_bin_and_obj()
    {
        string dir = Directory.CreateTempSubdirectory("nfproj-sync-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "Json"));
            Directory.CreateDirectory(Path.Combine(dir, "obj"));
            File.WriteAllText(Path.Combine(dir, "A.cs"), "class A {}");
            File.WriteAllText(Path.Combine(dir, "Json", "B.cs"), "class B {}");
            File.WriteAllText(Path.Combine(dir, "obj", "Generated.cs"), "class G {}");
            string nfproj = Path.Combine(dir, "P.nfproj");
            File.WriteAllText(nfproj, EmptyNfproj);

            Assert.True(NfprojCompileList.Sync(nfproj));
            Assert.Equal(new[] { "A.cs", "Json/B.cs" }, NfprojCompileList.NfprojFiles(nfproj));
            Assert.Contains("<Compile Include=\"Json\\B.cs\" />", File.ReadAllText(nfproj));
            Assert.False(NfprojCompileList.Sync(nfproj));

            File.Delete(Path.Combine(dir, "A.cs"));
            Assert.True(NfprojCompileList.Sync(nfproj));
            Assert.Equal(new[] { "Json/B.cs" }, NfprojCompileList.NfprojFiles(nfproj));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
