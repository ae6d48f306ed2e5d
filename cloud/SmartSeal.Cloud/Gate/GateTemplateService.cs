using System.Data.Common;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Gate;

/// <summary>Which cabinet a gate serves.</summary>
public sealed record GateAssignment(string GateId, string CabinetId, string UpdatedBy, long UpdatedMs);

/// <summary>
/// Builds a gate's template set: the people who may collect at its cabinet now — an approved
/// application in cabinet mode whose window has not ended, for a seal that sits in that cabinet —
/// or bring back a seal they collected there (even overdue: the return must never be blocked),
/// and who hold an active, unexpired enrolment of the current recipe. Each person's templates
/// expire on the gate at the earlier of their enrolment's expiry and their last window's end.
/// </summary>
public sealed class GateTemplateService(Database database, CabinetEntitlements entitlements, DeviceCache devices, FaceTemplateCipher cipher, IOptions<FaceOptions> options, TimeProvider time)
{
    /// <summary>How long a returning holder's templates stay on the gate after a sync.</summary>
    public static readonly TimeSpan ReturnWindow = TimeSpan.FromHours(12);

    public async Task<ChangeResult<GateAssignment>> AssignCabinetAsync(string gateId, string? cabinetId, string actor, CancellationToken cancellationToken)
    {
        if (await devices.FindAsync(gateId, cancellationToken) is not { Kind: DeviceKind.Gate, Retired: false })
        {
            return ChangeResult<GateAssignment>.NotFound($"no gate {gateId}");
        }

        if (cabinetId is null || await devices.FindAsync(cabinetId, cancellationToken) is not { Kind: DeviceKind.Cabinet, Retired: false })
        {
            return ChangeResult<GateAssignment>.Invalid("cabinetId", $"no cabinet {cabinetId}");
        }

        var assignment = new GateAssignment(gateId, cabinetId, actor, time.GetUtcNow().ToUnixTimeMilliseconds());
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await GateStore.PlaceAsync(assignment, connection);
        return ChangeResult<GateAssignment>.Ok(assignment);
    }

    public async Task<GateTemplateSet> BuildSetAsync(string gateId, CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        string? cabinet = await GateStore.CabinetOfAsync(gateId, connection, null);
        var people = new List<GatePerson>();
        if (cabinet is not null)
        {
            IReadOnlyList<EntitledPerson> rows = await entitlements.AtCabinetAsync(cabinet, now, now + (long)ReturnWindow.TotalMilliseconds, FaceRecipe.Version, connection, cancellationToken);
            foreach (EntitledPerson row in rows)
            {
                byte[] plain = cipher.Open(row.Sealed, row.Login, FaceRecipe.Version);
                string[] templates = Enumerable.Range(0, plain.Length / TemplateCodec.Bytes)
                    .Select(i => Convert.ToBase64String(plain, i * TemplateCodec.Bytes, TemplateCodec.Bytes)).ToArray();
                people.Add(new GatePerson(row.Login, Math.Min(row.ExpiresMs, row.WindowToMs), templates));
            }
        }

        return new GateTemplateSet
        {
            GateId = gateId, CabinetId = cabinet, Recipe = FaceRecipe.Version, IssuedMs = now,
            ValidUntilMs = now + ((long)options.Value.GateSetValidityMinutes * 60 * 1000), People = people.ToArray(),
        };
    }
}
