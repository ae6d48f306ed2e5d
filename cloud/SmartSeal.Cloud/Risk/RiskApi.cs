using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Risk;

/// <summary>
/// <c>GET /api/risk?fromMs=&amp;toMs=</c>: unusual use in the seals the caller audits or keeps, with
/// reasons (default: the last <see cref="RiskOptions.BoardDays"/> days). Registration with it.
/// </summary>
public static class RiskApi
{
    public static void AddRisk(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RiskOptions>().BindConfiguration(RiskOptions.Section)
            .Validate(o => !o.Problems().Any(), "SmartSeal:Risk is not usable (time zone, working hours or thresholds); see RiskOptions")
            .ValidateOnStart();
        builder.Services.AddSingleton<RiskReview>();
    }

    public static void MapRiskApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/risk", ReviewAsync).WithTags("Risk").RequireAuthorization(Policies.Auditor)
            .WithSummary("Unusual use to review (outside working hours, far above the unit's norm, repeated refusals, outside the approved area, the same document page stamped twice), newest first, with reasons");

    public static async Task<Results<Ok<RiskBoard>, ValidationProblem>> ReviewAsync(
        RiskReview review, IOptionsMonitor<RiskOptions> options, TimeProvider time, ClaimsPrincipal user, long? fromMs, long? toMs, CancellationToken cancellationToken)
    {
        long to = toMs ?? time.GetUtcNow().ToUnixTimeMilliseconds();
        long from = fromMs ?? to - (long)TimeSpan.FromDays(options.CurrentValue.BoardDays).TotalMilliseconds;
        if (from >= to || to - from > (long)TimeSpan.FromDays(366).TotalMilliseconds)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fromMs"] = ["the period must start before it ends and span at most 366 days"] });
        }

        return TypedResults.Ok(await review.ReviewAsync(LedgerAudience.Of(user), from, to, cancellationToken));
    }
}
