using System.Data.Common;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// Who a gate at a cabinet may recognise now (the rule is <see cref="GateTemplateService"/>'s),
/// asked of each owner and joined here: the seals kept in the cabinet (Seals), approved cabinet
/// applications for them whose window is open (Applications), people holding a seal taken out of
/// that cabinet (Checkouts), active enrolments of the recipe (this module) and active accounts
/// (Organisation). A few queries per set, none per person: sets are built while a gate waits.
/// </summary>
public sealed class CabinetEntitlements(SealDirectory seals, ApplicationDirectory applications, CheckoutDirectory checkouts, OrgDirectory people)
{
    /// <summary>
    /// The entitled people, by login, each with the latest end of their windows: an open
    /// application's, or <paramref name="returnUntilMs"/> for a holder who must be able to bring a seal back.
    /// </summary>
    public async Task<IReadOnlyList<EntitledPerson>> AtCabinetAsync(
        string cabinetId, long nowMs, long returnUntilMs, string recipe, DbConnection gateConnection, CancellationToken cancellationToken)
    {
        var windows = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyList<string> sealIds = await seals.IdsInCabinetAsync(cabinetId, cancellationToken);
        if (sealIds.Count > 0)
        {
            foreach (ApplicantWindow window in await applications.CabinetWindowsOpenAsync(sealIds, nowMs, cancellationToken))
            {
                Extend(windows, window.Applicant, window.WindowToMs);
            }
        }

        foreach (string holder in await checkouts.HoldersOutOfCabinetAsync(cabinetId, cancellationToken))
        {
            Extend(windows, holder, returnUntilMs);
        }

        if (windows.Count == 0)
        {
            return [];
        }

        IReadOnlyList<SealedTemplates> enrolled = await GateStore.ActiveTemplatesAsync(windows.Keys.Order(StringComparer.Ordinal).ToArray(), nowMs, recipe, gateConnection);
        if (enrolled.Count == 0)
        {
            return [];
        }

        IReadOnlySet<string> active = await people.ActiveLoginsAsync(enrolled.Select(e => e.Login).ToArray(), cancellationToken);
        return enrolled.Where(e => active.Contains(e.Login)).Select(e => new EntitledPerson(e.Login, e.Sealed, e.ExpiresMs, windows[e.Login])).ToList();
    }

    private static void Extend(Dictionary<string, long> windows, string login, long untilMs) =>
        windows[login] = windows.TryGetValue(login, out long known) ? Math.Max(known, untilMs) : untilMs;
}
