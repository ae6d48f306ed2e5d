namespace SmartSeal.Cloud.Organisation;

/// <summary>A person as records and reports print them beside their login: display name, post, unit and the unit's name.</summary>
public sealed record PersonCard(string Login, string Name, string? Post, string UnitId, string Unit)
{
    /// <summary>How people read a person in the ledger and its exports: "张伟 · 深圳市分公司 · 采购专员" (no login).</summary>
    public string Label => Labelled(Name, Unit, Post);

    /// <summary>"name · unit · post", leaving out blank parts (a snapshot recorded in a ledger entry may lack the post).</summary>
    public static string Labelled(string name, string? unit, string? post) =>
        string.Join(" · ", new[] { name, unit, post }.Where(part => !string.IsNullOrWhiteSpace(part)));
}
