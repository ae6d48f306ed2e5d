using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>
/// Ledger anchoring outside the database: checkpoints timestamped and kept in a write-once witness,
/// and the verifier given those as trusted heads. Each test tampers with its own host's database,
/// so each has its own host.
/// </summary>
public class LedgerAnchorTests
{
    [Fact]
    public async Task Cutting_the_newest_entries_with_the_newest_checkpoints_fools_the_database_alone_but_not_the_witness_or_a_kept_checkpoint()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        await LedgerTamper.TruncationIsCaughtOnlyFromOutsideAsync(cloud);
        cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Rolling_the_head_back_and_writing_another_future_is_caught_by_the_witness()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        string seal = "seal-fork-" + Guid.NewGuid().ToString("n")[..6];
        LedgerCheckpoints checkpoints = cloud.Service<LedgerCheckpoints>();
        await LedgerTamper.AppendAsync(cloud, seal, 1, 5);
        LedgerCheckpoint older = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;
        await LedgerTamper.AppendAsync(cloud, seal, 6, 8);
        LedgerCheckpoint newest = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;

        // Back to entry 5, then three other uses appended through the product itself: a valid chain.
        await LedgerTamper.CutAsync(cloud, seal, keep: 5, lastKeptCheckpoint: older.Id);
        await LedgerTamper.AppendAsync(cloud, seal, 6, 8, actor: "someone.else");

        LedgerVerifier verifier = cloud.Service<LedgerVerifier>();
        Assert.True((await verifier.VerifyAsync(seal)).Intact);
        LedgerVerification withWitness = await verifier.VerifyAsync(seal, cloud.Service<LedgerWitnessing>(), []);
        Assert.False(withWitness.Intact);
        LedgerProblem forked = withWitness.Problems.Single(p => p.SealId == seal);
        Assert.Equal(8, forked.Seq);
        Assert.Contains($"differs from what checkpoint {newest.Id} signed", forked.Problem);
        cloud.AssertNoErrors();
    }

    [Fact]
    public async Task The_honest_ledger_verifies_against_its_witness_and_a_kept_checkpoint()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        string seal = "seal-honest-" + Guid.NewGuid().ToString("n")[..6];
        LedgerCheckpoints checkpoints = cloud.Service<LedgerCheckpoints>();
        await LedgerTamper.AppendAsync(cloud, seal, 1, 4);
        await checkpoints.CreateAsync(evenIfUnchanged: true);
        await LedgerTamper.AppendAsync(cloud, seal, 5, 9);
        LedgerCheckpoint kept = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;
        await LedgerTamper.AppendAsync(cloud, seal, 10, 12); // growth after the last checkpoint is not a problem

        LedgerVerifier verifier = cloud.Service<LedgerVerifier>();
        LedgerVerification withWitness = await verifier.VerifyAsync(null, cloud.Service<LedgerWitnessing>(), []);
        Assert.True(withWitness.Intact, withWitness.FirstProblem?.Problem);
        Assert.Equal(2, withWitness.TrustedCheckpointsChecked);
        LedgerVerification withFile = await verifier.VerifyAsync(seal, [LedgerWitnessing.FromFile(LedgerWitnessing.ToFile(kept))!]);
        Assert.True(withFile.Intact, withFile.FirstProblem?.Problem);
        Assert.Equal(12, withFile.EntriesChecked);
        cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_trusted_head_that_is_forged_or_carries_another_checkpoints_timestamp_is_refused()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        string seal = "seal-forged-" + Guid.NewGuid().ToString("n")[..6];
        LedgerCheckpoints checkpoints = cloud.Service<LedgerCheckpoints>();
        await LedgerTamper.AppendAsync(cloud, seal, 1, 3);
        LedgerCheckpoint first = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;
        await LedgerTamper.AppendAsync(cloud, seal, 4, 4);
        LedgerCheckpoint second = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;

        // Heads lowered to hide entry 4, root recomputed: the signature no longer fits.
        string lowered = first.Heads;
        LedgerCheckpoint forged = second with { Heads = lowered, Root = LedgerCheckpoints.Root(lowered) };
        LedgerCheckpoint restamped = second with { TimeStamp = first.TimeStamp };
        LedgerVerifier verifier = cloud.Service<LedgerVerifier>();

        LedgerVerification result = await verifier.VerifyAsync(seal, [forged, restamped]);
        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.Problem == $"trusted checkpoint {second.Id} is not signed by this cloud's ledger key or was altered");
        Assert.Contains(result.Problems, p => p.Problem == $"trusted checkpoint {second.Id} has a timestamp that is not the time-stamping authority's over its root");
        cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Every_checkpoint_is_timestamped_by_the_clouds_own_authority_with_a_key_apart_from_the_ledger_key()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        await LedgerTamper.AppendAsync(cloud, "seal-ts-" + Guid.NewGuid().ToString("n")[..6], 1, 2);
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
        LedgerCheckpoint checkpoint = (await cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
        LedgerTimeStampAuthority authority = cloud.Service<LedgerTimeStampAuthority>();

        // Checked with the .NET RFC 3161 types directly, not the product's verifier.
        byte[] token = Convert.FromBase64String(checkpoint.TimeStamp!);
        Assert.True(System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(token, out var decoded, out int consumed));
        Assert.Equal(token.Length, consumed);
        using var tsa = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(authority.CertificatePem);
        Assert.True(decoded!.VerifySignatureForHash(Convert.FromHexString(checkpoint.Root), HashAlgorithmName.SHA256, out var signer, [tsa]));
        Assert.Equal(tsa.Thumbprint, signer!.Thumbprint);
        Assert.False(decoded.VerifySignatureForHash(SHA256.HashData(Encoding.UTF8.GetBytes("another root")), HashAlgorithmName.SHA256, out _, [tsa]));
        Assert.InRange(decoded.TokenInfo.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(LedgerTimeStampAuthority.Policy.Value, decoded.TokenInfo.PolicyId.Value);

        using ECDsa ledgerKey = ECDsa.Create();
        ledgerKey.ImportFromPem(cloud.Service<LedgerSigner>().PublicKeyPem);
        Assert.NotEqual(ledgerKey.ExportSubjectPublicKeyInfo(), tsa.PublicKey.ExportSubjectPublicKeyInfo());

        // The same checkpoint, with its token, is in the witness under its write-once name.
        byte[]? witnessed = await cloud.Service<ILedgerWitness>().ReadAsync(LedgerWitnessing.NameOf(checkpoint.Id), CancellationToken.None);
        Assert.Equal(checkpoint, LedgerWitnessing.FromFile(witnessed!));
        cloud.AssertNoErrors();
    }

    [Fact]
    public async Task In_Production_the_time_stamping_key_must_be_configured_and_then_is_used_from_there()
    {
        await using (var unconfigured = new ProductionCloud(null))
        {
            Exception? refused = Record.Exception(() => unconfigured.Server);
            Assert.NotNull(refused);
            Assert.Contains("SmartSeal:Ledger:TimeStampKeyPath is required in Production", refused.ToString());
        }

        string keyPath = Path.Combine(Path.GetTempPath(), "smartseal-tsa-" + Guid.NewGuid().ToString("n") + ".pem");
        try
        {
            await using var configured = new ProductionCloud(keyPath);
            _ = configured.Server;
            LedgerCheckpoint checkpoint = (await configured.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
            Assert.True(File.Exists(keyPath));
            Assert.NotNull(checkpoint.TimeStampTime(configured.Service<LedgerTimeStampAuthority>().CertificatePem));
            configured.AssertNoErrors();
        }
        finally
        {
            File.Delete(keyPath);
        }
    }

    private sealed class ProductionCloud(string? timeStampKeyPath) : CloudFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => timeStampKeyPath is null
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["SmartSeal:Ledger:TimeStampKeyPath"] = timeStampKeyPath };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task The_witness_never_overwrites_a_name_and_a_replaced_checkpoint_is_refused_with_an_error()
    {
        string directory = Path.Combine(Path.GetTempPath(), "smartseal-witness-" + Guid.NewGuid().ToString("n"));
        var witness = new FileLedgerWitness(directory);
        try
        {
            Assert.True(await witness.TryAddAsync("checkpoint-000000000001.json", "first"u8.ToArray(), CancellationToken.None));
            Assert.False(await witness.TryAddAsync("checkpoint-000000000001.json", "second"u8.ToArray(), CancellationToken.None));
            Assert.Equal("first"u8.ToArray(), await witness.ReadAsync("checkpoint-000000000001.json", CancellationToken.None));
            Assert.Equal(["checkpoint-000000000001.json"], await witness.NamesAsync(CancellationToken.None));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(directory, "checkpoint-000000000001.json")));
            }

            await Assert.ThrowsAsync<ArgumentException>(() => witness.TryAddAsync("../escape.json", "x"u8.ToArray(), CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        // In the cloud: a checkpoint re-made under an id the witness already holds (the database's sequence reset) is refused and logged.
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        await LedgerTamper.AppendAsync(cloud, "seal-wo-" + Guid.NewGuid().ToString("n")[..6], 1, 1);
        LedgerCheckpoint original = (await cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
        LedgerWitnessing witnessing = cloud.Service<LedgerWitnessing>();
        Assert.True(await witnessing.ExportAsync(original, CancellationToken.None)); // the same bytes again: fine
        Assert.False(await witnessing.ExportAsync(original with { AtMs = original.AtMs + 1 }, CancellationToken.None));
        Assert.Equal(original, LedgerWitnessing.FromFile((await cloud.Service<ILedgerWitness>().ReadAsync(LedgerWitnessing.NameOf(original.Id), CancellationToken.None))!));
        Assert.Contains(cloud.Errors.Entries, e => e.Contains($"already holds a different checkpoint {original.Id}", StringComparison.Ordinal));
        cloud.Errors.Clear();
    }
}
