using System.CommandLine;
using SmartSeal.Portability;

var repoOption = new Option<string>("--repo") { Description = "repository root (default: found from the current folder)" };
var apiOption = new Option<string>("--api") { Description = "path of nanoFramework's api.tsv (default: ../shared/nanoframework/api.tsv)" };

var check = new Command("check", "Check that device-side sources use only the nanoFramework API and that .nfproj compile lists match");
check.Options.Add(repoOption);
check.Options.Add(apiOption);
check.SetAction(parse =>
{
    RepositoryLayout layout = RepositoryLayout.Find(parse.GetValue(repoOption) ?? Directory.GetCurrentDirectory());
    string api = parse.GetValue(apiOption) ?? layout.ApiTablePath;
    int failures = 0;

    foreach (string problem in RepositoryCheck.CheckCompileLists(layout).Concat(FirmwareRestore.Problems(layout.FirmwareSolutionPath, layout.Root)))
    {
        Console.WriteLine(problem);
        failures++;
    }

    if (!File.Exists(api))
    {
        Console.WriteLine($"SKIPPED: API check not run: {api} does not exist (the nanoFramework API table lives in ../shared).");
        return failures == 0 ? 0 : 1;
    }

    ApiCatalog catalog = ApiCatalog.Load(api);
    IReadOnlyList<Violation> violations = RepositoryCheck.CheckSources(layout, catalog);
    foreach (Violation violation in violations)
    {
        Console.WriteLine(violation);
    }

    failures += violations.Count;
    Console.WriteLine(failures == 0
        ? $"ok: {layout.PortableProjectDirectories.Count} projects inside the nanoFramework API ({catalog.Count} API entries)"
        : $"{failures} problem(s)");
    return failures == 0 ? 0 : 1;
});

var sync = new Command("sync-nfproj", "Rewrite each .nfproj's Compile list to the folder's **/*.cs (what the sibling .csproj compiles)");
sync.Options.Add(repoOption);
sync.SetAction(parse =>
{
    RepositoryLayout layout = RepositoryLayout.Find(parse.GetValue(repoOption) ?? Directory.GetCurrentDirectory());
    foreach (string nfproj in layout.NfprojFiles)
    {
        bool changed = NfprojCompileList.Sync(nfproj);
        Console.WriteLine($"{Path.GetRelativePath(layout.Root, nfproj)}: {(changed ? "updated" : "in sync")}");
    }

    return 0;
});

var stubs = new Command("stubs", "Print the C# stubs generated from api.tsv for the nanoFramework-only libraries");
stubs.Options.Add(repoOption);
stubs.Options.Add(apiOption);
stubs.SetAction(parse =>
{
    RepositoryLayout layout = RepositoryLayout.Find(parse.GetValue(repoOption) ?? Directory.GetCurrentDirectory());
    ApiCatalog catalog = ApiCatalog.Load(parse.GetValue(apiOption) ?? layout.ApiTablePath);
    foreach (var stub in new PortabilityChecker(catalog).Stubs.Compilations.Values)
    {
        Console.Write(stub.SyntaxTrees.Single().ToString());
    }

    return 0;
});

var root = new RootCommand("SmartSeal nanoFramework portability tools");
root.Subcommands.Add(check);
root.Subcommands.Add(sync);
root.Subcommands.Add(stubs);
return root.Parse(args).Invoke();
