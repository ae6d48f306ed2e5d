namespace SmartSeal.Architecture.Tests;

/// <summary>Each table has one owner module, and only the owner's code names it in SQL.</summary>
public class TableOwnershipTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_table_has_exactly_one_owner()
    {
        IReadOnlySet<string> tables = CloudCode.Tables;
        Assert.Contains("ledger_entries", tables);
        Assert.Empty(Rules.OwnerMapMismatches(tables));
    }

    [Fact]
    public void Only_the_owner_names_a_table_in_SQL()
    {
        IReadOnlyList<TableUse> uses = CloudCode.TableUses;
        Assert.Contains(uses, u => u.Table == "ledger_entries" && u.Segment == "Ledger");
        foreach (IGrouping<string, TableUse> table in uses.GroupBy(u => u.Table).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var folders = table.GroupBy(u => u.Segment ?? "?").Select(g => $"{(g.Key.Length == 0 ? "(root)" : g.Key)} {g.Count()}");
            output.WriteLine($"{table.Key} (owner {CloudModules.TableOwners.GetValueOrDefault(table.Key, "?")}): {string.Join(", ", folders)}");
        }

        Violations.None("sql-owners", Rules.SqlOutsideOwner(uses), output);
    }
}
