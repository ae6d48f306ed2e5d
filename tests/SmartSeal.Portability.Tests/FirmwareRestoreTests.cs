using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>A restore of firmware/SmartSeal.Firmware.sln puts every package where the .nfproj HintPaths point.</summary>
public class FirmwareRestoreTests
{
    [Fact]
    public void Every_hintpath_resolves_into_the_folder_the_solution_restores_to()
    {
        RepositoryLayout layout = SharedData.Layout;
        Assert.Equal(Path.Combine(layout.Root, "packages"), FirmwareRestore.RepositoryPath(layout.FirmwareSolutionPath));
        Assert.Equal(layout.NfprojFiles.OrderBy(f => f, StringComparer.Ordinal), FirmwareRestore.SolutionProjects(layout.FirmwareSolutionPath));
        IReadOnlyList<string> problems = FirmwareRestore.Problems(layout.FirmwareSolutionPath, layout.Root);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// packages.config restore extracts a package as-is, so {id}.{version}/lib/mscorlib.dll is the
    /// nupkg's lib/mscorlib.dll. CoreLibrary is the one nanoFramework package restorable here
    /// (the checker downloads it); its path inside the package must be what the HintPaths say.
    /// </summary>
    [Fact]
    public void The_mscorlib_hintpath_names_the_file_inside_the_real_package()
    {
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string folder = $"nanoFramework.CoreLibrary.{CoreLibrary.Version}";
        foreach (string nfproj in SharedData.Layout.NfprojFiles)
        {
            string hint = File.ReadAllLines(nfproj).Select(l => l.Trim()).Single(l => l.StartsWith("<HintPath>", StringComparison.Ordinal) && l.Contains(folder, StringComparison.Ordinal));
            string insidePackage = hint[(hint.IndexOf(folder, StringComparison.Ordinal) + folder.Length + 1)..hint.IndexOf("</HintPath>", StringComparison.Ordinal)].Replace('\\', '/');
            Assert.Equal("lib/mscorlib.dll", insidePackage);
            Assert.True(File.Exists(Path.Combine(globalPackages, "nanoframework.corelibrary", CoreLibrary.Version, insidePackage)), $"{nfproj}: {insidePackage} not in the restored package");
        }
    }

    [Fact]
    public void A_hintpath_outside_the_restore_folder_or_of_another_version_is_reported()
    {
        string root = Directory.CreateTempSubdirectory("firmware-restore-").FullName;
        try
        {
            string app = Path.Combine(root, "App");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(root, "Fw.sln"), "Project(\"{11A8DD76-328B-46DF-9F39-F559912D0360}\") = \"App\", \"App\\App.nfproj\", \"{9C3D2A7E-4B1F-4E8A-8F60-2D5C7B1E3A94}\"\nEndProject\n");
            File.WriteAllText(Path.Combine(app, "packages.config"), "<packages><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\" /><package id=\"nanoFramework.System.Text\" version=\"1.3.42\" /></packages>");
            File.WriteAllText(Path.Combine(app, "App.nfproj"), """
                <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
                  <ItemGroup>
                    <Reference Include="mscorlib"><HintPath>..\..\packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll</HintPath></Reference>
                    <Reference Include="nanoFramework.System.Text"><HintPath>..\packages\nanoFramework.System.Text.1.3.40\lib\nanoFramework.System.Text.dll</HintPath></Reference>
                  </ItemGroup>
                </Project>
                """);

            // No nuget.config: packages go beside the solution, root/packages.
            IReadOnlyList<string> problems = FirmwareRestore.Problems(Path.Combine(root, "Fw.sln"), root);

            Assert.Equal(2, problems.Count);
            Assert.Contains("mscorlib HintPath", problems[0], StringComparison.Ordinal);
            Assert.Contains("outside the restore folder", problems[0], StringComparison.Ordinal);
            Assert.Contains("nanoFramework.System.Text.1.3.40, which its packages.config does not restore", problems[1], StringComparison.Ordinal);

            // A nuget.config above the solution moves the restore folder to where the first HintPath points.
            File.WriteAllText(Path.Combine(root, "nuget.config"), "<configuration><config><add key=\"repositoryPath\" value=\"../packages\" /></config></configuration>");
            Assert.Equal(Path.GetFullPath(Path.Combine(root, "..", "packages")), FirmwareRestore.RepositoryPath(Path.Combine(root, "Fw.sln")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
