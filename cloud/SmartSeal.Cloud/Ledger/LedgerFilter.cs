namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// What to read from the ledger: one seal (chain), a unit's subtree, a person (the entry's actor or
/// the applicant of its application), a device, an application, a kind, a period [from, to] in Unix ms.
/// </summary>
public sealed record LedgerFilter(
    string? SealId = null,
    string? UnitId = null,
    string? Person = null,
    string? DeviceId = null,
    string? ApplicationId = null,
    string? Kind = null,
    long? FromMs = null,
    long? ToMs = null)
{
    /// <summary>Validation problems by query parameter name (empty when fine).</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (FromMs is { } from && ToMs is { } to && to < from)
        {
            problems["to"] = ["must not be before from"];
        }

        if (FromMs is < 0)
        {
            problems["from"] = ["must not be negative"];
        }

        return problems;
    }
}
