using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;

namespace SmartSeal.Architecture.Tests;

/// <summary>One type using another (both named by their outermost declaring type).</summary>
public sealed record TypeEdge(string FromSegment, string FromType, string? ToSegment, string ToType, string ToAssembly)
{
    /// <summary>The target lies under the same root (not the framework, not another assembly's namespace).</summary>
    public bool Internal => ToSegment is not null;
}

/// <summary>
/// The type dependencies of the types under a root namespace, read from compiled IL with
/// ArchUnitNET (fields, signatures, method bodies, attributes: everything the compiler emitted),
/// grouped by the namespace segment right under the root.
/// </summary>
public sealed class ModuleGraph
{
    /// <summary>Razor compiles pages into this namespace, naming each class after its path (Portal_Pages_Ledger_Index).</summary>
    private const string RazorNamespace = "AspNetCoreGeneratedDocument";

    private ModuleGraph(string root, IReadOnlyList<TypeEdge> edges, IReadOnlySet<string> segments)
    {
        Root = root;
        Edges = edges;
        Segments = segments;
    }

    public string Root { get; }

    /// <summary>Every distinct (type → type) dependency that leaves a type under the root, including to other assemblies.</summary>
    public IReadOnlyList<TypeEdge> Edges { get; }

    /// <summary>Every namespace segment under the root that declares a type.</summary>
    public IReadOnlySet<string> Segments { get; }

    private static readonly Dictionary<string, ArchUnitNET.Domain.Architecture> Loaded = [];

    /// <summary>ArchUnitNET's model of <paramref name="assembly"/>, loaded once per assembly.</summary>
    public static ArchUnitNET.Domain.Architecture ArchitectureOf(System.Reflection.Assembly assembly)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(assembly.Location, out ArchUnitNET.Domain.Architecture? architecture))
            {
                architecture = new ArchLoader().LoadAssemblies(assembly).Build();
                Loaded[assembly.Location] = architecture;
            }

            return architecture;
        }
    }

    /// <summary>Groups the types of <paramref name="assembly"/> under <paramref name="root"/>.</summary>
    public static ModuleGraph Load(System.Reflection.Assembly assembly, string root)
    {
        ArchUnitNET.Domain.Architecture architecture = ArchitectureOf(assembly);
        var edges = new HashSet<TypeEdge>();
        var segments = new SortedSet<string>(StringComparer.Ordinal);
        foreach (IType type in architecture.Types)
        {
            (string? segment, string name) = Place(type, root);
            if (segment is null)
            {
                continue;
            }

            segments.Add(segment);
            foreach (ITypeDependency dependency in type.Dependencies)
            {
                IType target = dependency.Target;
                (string? targetSegment, string targetName) = Place(target, root);
                if (targetName != name)
                {
                    edges.Add(new TypeEdge(segment, name, targetSegment, targetName, target.Assembly?.Name ?? ""));
                }
            }
        }

        return new ModuleGraph(root, edges.OrderBy(e => e.FromType, StringComparer.Ordinal).ThenBy(e => e.ToType, StringComparer.Ordinal).ToList(), segments);
    }

    /// <summary>
    /// The segment under <paramref name="root"/> a type belongs to (null outside the root) and its
    /// outermost declaring type's full name, so closures and state machines count as their owner.
    /// </summary>
    private static (string? Segment, string Name) Place(IType type, string root)
    {
        string full = type.FullName;
        int cut = full.IndexOfAny(['+', '/']);
        string outer = cut < 0 ? full : full[..cut];
        string ns = type.Namespace?.FullName ?? "";
        if (ns == RazorNamespace)
        {
            // Razor page classes live outside the root namespace; their name starts with their folder.
            string name = outer[(RazorNamespace.Length + 1)..];
            int underscore = name.IndexOf('_', StringComparison.Ordinal);
            return root == CloudModules.Root && underscore > 0 ? (name[..underscore], outer) : (null, outer);
        }

        return (CloudModules.Segment(ns, root), outer);
    }

    /// <summary>Module-level edges (distinct module pairs) under the module map, between placed segments.</summary>
    public IReadOnlySet<(string From, string To)> ModuleEdges()
    {
        var result = new SortedSet<(string, string)>();
        foreach (TypeEdge edge in Edges.Where(e => e.Internal))
        {
            if (CloudModules.Find(edge.FromSegment) is { } from && CloudModules.Find(edge.ToSegment!) is { } to && from.Module != to.Module)
            {
                result.Add((from.Module.Name, to.Module.Name));
            }
        }

        return result;
    }

    /// <summary>Edges between folders (namespace segments) as they are today, before the module map groups them.</summary>
    public IReadOnlySet<(string From, string To)> FolderEdges() =>
        new SortedSet<(string, string)>(Edges.Where(e => e.Internal && e.FromSegment != e.ToSegment).Select(e => (e.FromSegment, e.ToSegment!)));
}
