namespace SmartSeal.Portability;

/// <summary>A C# source to check; <see cref="DisplayPath"/> is what violations report (repository-relative).</summary>
public sealed record SourceFile(string DisplayPath, string Text)
{
    public static SourceFile FromDisk(string path, string root) =>
        new(Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path));
}
