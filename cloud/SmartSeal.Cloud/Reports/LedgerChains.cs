using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The chains a <see cref="LedgerAudience"/> reads, asked of their owners: the units in scope
/// (Organisation), the seals they own (Seals), the devices assigned to them (Devices) and their
/// organisation chains; and a person's applications (Applications).
/// </summary>
public sealed class LedgerChains(OrgStore org, SealDirectory seals, DeviceRepository devices, ApplicationDirectory applications) : ILedgerChains
{
    public async Task<IReadOnlyList<string>?> ChainsAsync(ILedgerScope scope, string? unitId, CancellationToken cancellationToken)
    {
        if (scope.Everything && unitId is null)
        {
            return null;
        }

        // The units in the scope's subtrees, only those in unitId's subtree when given.
        IReadOnlySet<string> units = await org.SubtreesAsync(scope.Everything && unitId is not null ? [unitId] : scope.UnitIds, cancellationToken);
        if (!scope.Everything && unitId is not null)
        {
            IReadOnlySet<string> within = await org.SubtreesAsync([unitId], cancellationToken);
            units = units.Where(within.Contains).ToHashSet(StringComparer.Ordinal);
        }

        if (units.Count == 0)
        {
            return [];
        }

        return (await seals.IdsInUnitsAsync(units, cancellationToken))
            .Concat((await devices.IdsInUnitsAsync(units, cancellationToken)).Select(id => "device:" + id))
            .Concat(units.Select(id => "org:" + id))
            .ToList();
    }

    public Task<IReadOnlyList<string>> ApplicationsOfAsync(string person, CancellationToken cancellationToken) =>
        applications.IdsOfApplicantAsync(person, cancellationToken);
}
