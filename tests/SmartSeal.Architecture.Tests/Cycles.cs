namespace SmartSeal.Architecture.Tests;

/// <summary>Cycles in a directed graph of names: strongly connected components and the edges inside them.</summary>
public static class Cycles
{
    /// <summary>The components with more than one node (each is one knot of mutually reachable nodes), largest first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Knots(IReadOnlySet<(string From, string To)> edges)
    {
        Dictionary<string, List<string>> next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = new SortedSet<string>(edges.SelectMany(e => new[] { e.From, e.To }), StringComparer.Ordinal);
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var knots = new List<IReadOnlyList<string>>();

        // Tarjan's algorithm; the graphs here have a few dozen nodes, so recursion depth is no concern.
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (string to in next.GetValueOrDefault(node, []))
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[node] = Math.Min(low[node], index[to]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    knots.Add(component);
                }
            }
        }

        foreach (string node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return knots.OrderByDescending(k => k.Count).ThenBy(k => k[0], StringComparer.Ordinal).ToList();
    }

    /// <summary>Edges that lie on some cycle: both ends in the same knot.</summary>
    public static IReadOnlyList<(string From, string To)> CyclicEdges(IReadOnlySet<(string From, string To)> edges)
    {
        var knotOf = new Dictionary<string, int>();
        IReadOnlyList<IReadOnlyList<string>> knots = Knots(edges);
        for (int i = 0; i < knots.Count; i++)
        {
            foreach (string node in knots[i])
            {
                knotOf[node] = i;
            }
        }

        return edges.Where(e => knotOf.TryGetValue(e.From, out int a) && knotOf.TryGetValue(e.To, out int b) && a == b).ToList();
    }

    /// <summary>Pairs that use each other directly (A → B and B → A), each once, A before B.</summary>
    public static IReadOnlyList<(string A, string B)> MutualPairs(IReadOnlySet<(string From, string To)> edges) =>
        edges.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && edges.Contains((e.To, e.From))).ToList();
}
