using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Photos;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>Ledger retention: at least five years or the host does not start; photos under retention cannot be deleted.</summary>
public class RetentionTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public void A_retention_below_five_years_stops_the_host_naming_the_setting()
    {
        using var cloud = new ShortRetentionCloud();
        Exception refused = Record.Exception(() => cloud.Server);
        OptionsValidationException validation = Assert.IsType<OptionsValidationException>(refused is AggregateException a ? a.InnerException : refused);
        Assert.Contains(validation.Failures, f => f.Contains("SmartSeal:Ledger:RetentionYears is 3", StringComparison.Ordinal) && f.Contains("at least 5 years", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photo_younger_than_the_retention_or_evidence_of_a_recent_entry_cannot_be_deleted_but_its_thumbnail_can()
    {
        IPhotoStore store = _cloud.Service<IPhotoStore>();
        Assert.IsType<RetentionGuardedPhotoStore>(store);

        // Stored now: held by its own age.
        string recent = await ReportsWorld.PhotoAsync(_cloud, TestJpeg.Create(320, 240, seed: Random.Shared.Next()));
        await store.PutAsync(recent, PhotoVariant.Thumbnail, TestJpeg.Create(32, 24), default);
        RetentionViolationException refused = await Assert.ThrowsAsync<RetentionViolationException>(() => store.DeleteAsync(recent, PhotoVariant.Original, default));
        Assert.Contains("5-year ledger retention", refused.Message, StringComparison.Ordinal);
        Assert.True(await store.ExistsAsync(recent, PhotoVariant.Original, default));
        Assert.True(await store.DeleteAsync(recent, PhotoVariant.Thumbnail, default));

        // Stored six years ago but named by an entry of today: held as evidence.
        long sixYearsAgo = DateTimeOffset.UtcNow.AddYears(-6).ToUnixTimeMilliseconds();
        string old = await ReportsWorld.PhotoAsync(_cloud, TestJpeg.Create(320, 240, seed: Random.Shared.Next()), sixYearsAgo);
        await _cloud.Service<SmartSeal.Cloud.Ledger.LedgerService>().AppendAsync([new SmartSeal.Cloud.Ledger.LedgerEntry
        {
            SealId = "retention-test", Kind = "stamp", AtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Fields = new Dictionary<string, string> { ["photos"] = old },
        }]);
        RetentionViolationException evidence = await Assert.ThrowsAsync<RetentionViolationException>(() => store.DeleteAsync(old, PhotoVariant.Original, default));
        Assert.Contains("evidence of ledger entry", evidence.Message, StringComparison.Ordinal);

        // Six years old and named by nothing under retention: it may go.
        string expired = await ReportsWorld.PhotoAsync(_cloud, TestJpeg.Create(320, 240, seed: Random.Shared.Next()), sixYearsAgo);
        Assert.True(await store.DeleteAsync(expired, PhotoVariant.Original, default));
        Assert.False(await store.ExistsAsync(expired, PhotoVariant.Original, default));
    }

    [Fact]
    public async Task The_retention_endpoint_reports_the_years_and_when_the_oldest_entry_may_first_go()
    {
        System.Text.Json.JsonElement view = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(_cloud.AdminClient(), "/api/reports/retention");
        Assert.Equal(5, view.GetProperty("years").GetInt32());
        Assert.True(view.GetProperty("protectedSinceMs").GetInt64() < DateTimeOffset.UtcNow.AddYears(-4).ToUnixTimeMilliseconds());
    }

    private sealed class ShortRetentionCloud : CloudFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["SmartSeal:Ledger:RetentionYears"] = "3" };
    }
}
