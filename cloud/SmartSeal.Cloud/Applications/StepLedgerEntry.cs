using System.Globalization;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// The ledger entry of something done at an application's step (a decision, an urge, a delegation):
/// one shape, so the ledger, its exports and the timeline read them all alike.
/// </summary>
internal static class StepLedgerEntry
{
    /// <param name="step">The state whose current step the entry names (the one acted on).</param>
    /// <param name="source">The idempotency key of the entry.</param>
    /// <param name="details">Fields after the common ones, in this order.</param>
    public static LedgerEntry Of(
        ApplicationRecord application, ApprovalState step, string actor, string decision, string source, long now, params (string Name, string Value)[] details)
    {
        var fields = new Dictionary<string, string>
        {
            ["application"] = application.Id,
            ["step"] = step.Steps[step.CurrentStep].Name,
            ["round"] = step.Round.ToString(CultureInfo.InvariantCulture),
            ["decision"] = decision,
            ["actor"] = actor,
        };
        foreach ((string name, string value) in details)
        {
            fields[name] = value;
        }

        return new LedgerEntry
        {
            SealId = application.Content.SealId,
            Kind = ApplicationService.LedgerKind,
            AtMs = now,
            Actor = actor,
            ApplicationId = application.Id,
            Source = source,
            Fields = fields,
        };
    }
}
