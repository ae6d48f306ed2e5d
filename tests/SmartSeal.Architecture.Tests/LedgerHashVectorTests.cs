using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Architecture.Tests;

/// <summary>
/// The ledger hash against a vector computed outside the product's code (docs/architecture.md,
/// "The ledger hash": the canonical bytes written out by hand, hashed with sha256sum), so the
/// documented format and the code cannot drift apart unnoticed.
/// </summary>
public class LedgerHashVectorTests
{
    private const string FirstPayload =
        """{"seal":"seal-hq-finance","seq":1,"kind":"stamp","at":1767225600000,"recorded":1767225600123,"device":"lock-0001","actor":null,"app":"app-000042","token":"tok-7","source":"evt:lock-0001:17","fields":{"document":"合同-2026-001","page":"1"}}""";

    private const string FirstHash = "e49be06cb585f9dc483523ccc35c3f6db4f6a635f60ee0d7af2210c3b3e927cd";

    private const string SecondPayload =
        """{"seal":"seal-hq-finance","seq":2,"kind":"return","at":1767229200000,"recorded":1767229200456,"device":"cab-hq-01","actor":null,"app":"app-000042","token":null,"source":"evt:cab-hq-01:88","fields":{"compartment":"3","photo":"","tag":"E200-3412"}}""";

    private const string SecondHash = "8385c3e9acfb214508fa05581a3fdf9b892065bb81600c3c866461eb34e3f9c1";

    [Fact]
    public void The_canonical_bytes_are_the_documented_ones()
    {
        // Fields given out of order: the canonical form sorts them by name.
        Assert.Equal(FirstPayload, LedgerCanon.Payload("seal-hq-finance", 1, "stamp", 1767225600000, 1767225600123, "lock-0001", null, "app-000042", "tok-7", "evt:lock-0001:17",
            new Dictionary<string, string> { ["page"] = "1", ["document"] = "合同-2026-001" }));
        Assert.Equal(SecondPayload, LedgerCanon.Payload("seal-hq-finance", 2, "return", 1767229200000, 1767229200456, "cab-hq-01", null, "app-000042", null, "evt:cab-hq-01:88",
            new Dictionary<string, string> { ["tag"] = "E200-3412", ["compartment"] = "3", ["photo"] = "" }));
    }

    [Fact]
    public void The_chain_hashes_are_the_ones_sha256sum_gives()
    {
        Assert.Equal(FirstHash, LedgerCanon.Hash(LedgerCanon.Genesis, FirstPayload));
        Assert.Equal(SecondHash, LedgerCanon.Hash(FirstHash, SecondPayload));
        Assert.NotEqual(SecondHash, LedgerCanon.Hash(LedgerCanon.Genesis, SecondPayload));
    }
}
