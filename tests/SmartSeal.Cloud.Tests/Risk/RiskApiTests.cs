using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Risk;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Risk;

/// <summary><c>GET /api/risk</c> reads the caller's units' ledger: a keeper sees the night stamp and the double stamp on their seal, another province's keeper nothing of it.</summary>
public sealed class RiskApiTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task A_keeper_sees_the_flags_of_their_seals_with_reasons_and_another_units_keeper_does_not()
    {
        var org = new OrgWorld(_cloud);
        await org.EnsureRootAsync();
        string unitA = await org.UnitAsync(OrgWorld.Unique("ra"), "hq");
        string unitB = await org.UnitAsync(OrgWorld.Unique("rb"), "hq");
        string keeperA = await org.UserAsync(OrgWorld.Unique("keeper"), unitA, "keeper");
        string keeperB = await org.UserAsync(OrgWorld.Unique("keeper"), unitB, "keeper");
        HttpClient clientA = await org.SignInAsync(keeperA);
        string seal = await OrgWorld.SealInUseAsync(clientA, unitA, "财务专用章");

        // 2026-12-01 (a Tuesday) 23:10 in Shanghai, and the same contract page stamped twice at 10:00 and 10:05.
        long night = DateTimeOffset.Parse("2026-12-01T23:10:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        long morning = DateTimeOffset.Parse("2026-12-02T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        await _cloud.Service<LedgerService>().AppendAsync([
            Stamp(seal, night, "doc-1"), Stamp(seal, morning, "doc-2"), Stamp(seal, morning + 300_000, "doc-2"),
        ]);

        string query = $"/api/risk?fromMs={night - 3_600_000}&toMs={morning + 3_600_000}";
        RiskBoard board = (await clientA.GetFromJsonAsync<RiskBoard>(query, OrgWorld.Json))!;
        Assert.Equal([RiskKind.DocumentSealedTwice, RiskKind.OutsideHours], board.Flags.Select(f => f.Kind).ToArray());
        Assert.Equal("stamped at 2026-12-01 23:10 (Asia/Shanghai), outside working hours 08:00–18:00", board.Flags[1].Reason);
        Assert.StartsWith("document doc-2 page 1 stamped again", board.Flags[0].Reason);
        Assert.Equal("财务专用章", board.SealNames[seal]);

        HttpClient clientB = await org.SignInAsync(keeperB);
        Assert.Empty((await clientB.GetFromJsonAsync<RiskBoard>(query, OrgWorld.Json))!.Flags);
        await OrgWorld.AssertProblemAsync(await clientA.GetAsync($"/api/risk?fromMs={morning}&toMs={night}"), HttpStatusCode.BadRequest, "must start before it ends");
    }

    private static LedgerEntry Stamp(string seal, long atMs, string document) => new()
    {
        SealId = seal, Kind = LedgerKinds.Stamp, AtMs = atMs, DeviceId = "lock-risk", Actor = "chen.li", ApplicationId = "ap-risk", TokenId = "tok-risk",
        Source = "risk:" + Guid.NewGuid().ToString("n"), Fields = new Dictionary<string, string> { ["document"] = document, ["page"] = "1" },
    };
}
