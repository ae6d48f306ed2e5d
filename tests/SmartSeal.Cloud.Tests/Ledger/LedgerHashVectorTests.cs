using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>
/// An independent test vector for the ledger hash: the canonical bytes were written by hand from
/// the documented format and the digests computed with <c>sha256sum</c> (Vectors/README.md has the
/// commands), so a change in the product's canonical form or hash shows here.
/// </summary>
public class LedgerHashVectorTests
{
    /// <summary><c>{ head -c 32 /dev/zero; cat entry-1.json; } | sha256sum</c></summary>
    private const string Entry1Hash = "1b12cec548c5636e108a8ec3603073ad8022ba1a4eb072b432f396f14a14ae98";

    /// <summary><c>{ printf '%s' "$H1" | xxd -r -p; cat entry-2.json; } | sha256sum</c></summary>
    private const string Entry2Hash = "a37c7755ef436810c764cf23bd315e84d45dce978be8093cb64040198ff1425f";

    private static byte[] Vector(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Ledger", "Vectors", name));

    [Fact]
    public void The_product_builds_the_documented_canonical_bytes_and_hashes_them_to_the_digests_sha256sum_gave()
    {
        string payload1 = LedgerCanon.Payload("gd-contract-1", 1, "stamp", 1_800_000_000_000, 1_800_000_000_500, "lock-0001", "zhang.wei", "app-42", "tok-42", "evt:lock-0001:7",
            new Dictionary<string, string> { ["page"] = "3", ["document"] = "合同 \"甲方\" <A&B>", ["copies"] = "2" });
        string payload2 = LedgerCanon.Payload("gd-contract-1", 2, "return", 1_800_000_060_000, 1_800_000_060_000, null, null, null, null, null, new Dictionary<string, string>());

        Assert.Equal(Vector("entry-1.json"), System.Text.Encoding.UTF8.GetBytes(payload1));
        Assert.Equal(Vector("entry-2.json"), System.Text.Encoding.UTF8.GetBytes(payload2));
        Assert.Equal(Entry1Hash, LedgerCanon.Hash(LedgerCanon.Genesis, payload1));
        Assert.Equal(Entry2Hash, LedgerCanon.Hash(Entry1Hash, payload2));
    }

    [Fact]
    public void The_verifier_accepts_the_vector_as_a_stored_chain_and_refuses_it_with_one_byte_changed()
    {
        string payload = System.Text.Encoding.UTF8.GetString(Vector("entry-1.json"));
        var row = new StoredLedgerEntry(1, "gd-contract-1", 1, "stamp", 1_800_000_000_000, 1_800_000_000_500, "lock-0001", "zhang.wei", "app-42", "tok-42", "evt:lock-0001:7",
            payload, LedgerCanon.Genesis, Entry1Hash);
        Assert.True(LedgerCanon.PayloadMatchesRow(row));
        Assert.Equal(Entry1Hash, LedgerCanon.Hash(row.PrevHash, row.Payload));
        Assert.NotEqual(Entry1Hash, LedgerCanon.Hash(row.PrevHash, payload.Replace("\"copies\":\"2\"", "\"copies\":\"3\"", StringComparison.Ordinal)));
    }
}
