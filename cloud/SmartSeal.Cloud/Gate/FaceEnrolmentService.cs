using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// Enrols a person from several photos: every photo must show exactly one good face at the
/// enrolment confidence (0.9) and look like the others (a mixed-up upload is refused, naming the
/// photo); the templates are sealed (<see cref="FaceTemplateCipher"/>) with the recipe version and
/// an expiry. A new enrolment revokes the previous one; both, and a revocation, are ledgered on the
/// person's unit chain. Keepers act on people of their units' subtrees, sysadmins on anyone.
/// </summary>
public sealed class FaceEnrolmentService(Database database, OrgStore org, FaceEmbeddingService embeddings, FaceTemplateCipher cipher, IAdminAuditTrail auditTrail, IOptions<FaceOptions> options, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<ChangeResult<EnrolmentResult>> EnrolAsync(string login, IReadOnlyList<EnrolmentPhoto> photos, int? lifetimeDays, CallerScope caller, CancellationToken cancellationToken)
    {
        FaceOptions limits = options.Value;
        if (photos.Count < limits.MinPhotos || photos.Count > limits.MaxPhotos)
        {
            return ChangeResult<EnrolmentResult>.Invalid("photos", $"{limits.MinPhotos}..{limits.MaxPhotos} photos of the person, one face each");
        }

        if (lifetimeDays is < 1 || lifetimeDays > limits.TemplateLifetimeDays)
        {
            return ChangeResult<EnrolmentResult>.Invalid("lifetimeDays", $"1..{limits.TemplateLifetimeDays}");
        }

        if (photos.FirstOrDefault(p => p.Bytes.Length == 0 || p.Bytes.Length > limits.MaxPhotoBytes) is { } oversized)
        {
            return ChangeResult<EnrolmentResult>.Invalid(oversized.Name, $"a photo is 1..{limits.MaxPhotoBytes} bytes");
        }

        string? unit = await UnitInScopeAsync(login, caller, cancellationToken);
        if (unit is null)
        {
            return ChangeResult<EnrolmentResult>.NotFound($"no user {login} in your units");
        }

        var stopwatch = Stopwatch.StartNew();
        FaceAnalysis[] analyses = await embeddings.UseAsync(pipeline => photos.Select(p => pipeline.AnalyseEncoded(p.Bytes, FacePipelineOptions.Enrolment)).ToArray(), cancellationToken);
        double msPerPhoto = stopwatch.Elapsed.TotalMilliseconds / photos.Count;
        var problems = new Dictionary<string, string[]>();
        for (int i = 0; i < photos.Count; i++)
        {
            if (!analyses[i].Accepted)
            {
                problems[photos[i].Name] = [$"{Kebab(analyses[i].Refusal)}: {analyses[i].Reason}"];
            }
        }

        if (problems.Count == 0)
        {
            AddStrangers(photos, analyses, problems);
        }

        if (problems.Count > 0)
        {
            return ChangeResult<EnrolmentResult>.Invalid(problems);
        }

        byte[] plain = analyses.SelectMany(a => TemplateCodec.ToBytes(a.Template!)).ToArray();
        long now = Now;
        long expires = now + ((long)(lifetimeDays ?? limits.TemplateLifetimeDays) * 24 * 3600 * 1000);
        var enrolment = new FaceEnrolment(login, FaceRecipe.Version, photos.Count, caller.Actor, now, expires, null, null);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await GateStore.RevokeEnrolmentAsync(login, caller.Actor, now, connection, transaction);
        await GateStore.InsertEnrolmentAsync(enrolment, cipher.Seal(plain, login, enrolment.Recipe), connection, transaction);
        await auditTrail.UnitActionAsync(connection, transaction, unit, caller.Actor, now, "face-enrolled",
            new() { ["login"] = login, ["templates"] = photos.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["recipe"] = enrolment.Recipe });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<EnrolmentResult>.Ok(new EnrolmentResult(enrolment, msPerPhoto));
    }

    public async Task<ChangeResult<FaceEnrolment>> RevokeAsync(string login, CallerScope caller, CancellationToken cancellationToken)
    {
        string? unit = await UnitInScopeAsync(login, caller, cancellationToken);
        if (unit is null)
        {
            return ChangeResult<FaceEnrolment>.NotFound($"no user {login} in your units");
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long now = Now;
        FaceEnrolment? revoked = await GateStore.RevokeEnrolmentAsync(login, caller.Actor, now, connection, transaction);
        if (revoked is null)
        {
            return ChangeResult<FaceEnrolment>.NotFound($"{login} has no active face enrolment");
        }

        await auditTrail.UnitActionAsync(connection, transaction, unit, caller.Actor, now, "face-revoked", new() { ["login"] = login });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<FaceEnrolment>.Ok(revoked);
    }

    public async Task<FaceEnrolment?> FindAsync(string login, CallerScope caller, CancellationToken cancellationToken)
    {
        if (await UnitInScopeAsync(login, caller, cancellationToken) is null)
        {
            return null;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await GateStore.FindEnrolmentAsync(login, connection);
    }

    /// <summary>
    /// A photo whose face matches none of the other photos (best score below the recipe's library threshold:
    /// cosine 0.45, or dlib's own distance 0.6 for its recipes, <see cref="MatchPolicy.For"/>) is someone
    /// else, or too different a picture: refused by name rather than enrolled.
    /// </summary>
    private static void AddStrangers(IReadOnlyList<EnrolmentPhoto> photos, FaceAnalysis[] analyses, Dictionary<string, string[]> problems)
    {
        TemplateMetric metric = FaceRecipe.MetricOf(FaceRecipe.Version);
        float threshold = MatchPolicy.For(FaceRecipe.Version).Threshold;
        float[][] templates = analyses.Select(a => a.Template!).ToArray();
        for (int i = 0; i < templates.Length; i++)
        {
            float best = float.NegativeInfinity;
            for (int j = 0; j < templates.Length; j++)
            {
                if (j != i)
                {
                    best = Math.Max(best, TemplateScores.Score(metric, templates[i], templates[j]));
                }
            }

            if (best < threshold)
            {
                problems[photos[i].Name] = [$"not-the-same-person: the face matches none of the other photos (best {TemplateScores.Describe(metric, best)}, needs {TemplateScores.Describe(metric, threshold)})"];
            }
        }
    }

    /// <summary>The user's unit when the caller may act on them (keeper of that unit or an ancestor, or sysadmin); null otherwise.</summary>
    private async Task<string?> UnitInScopeAsync(string login, CallerScope caller, CancellationToken cancellationToken) =>
        (await org.FindUserAsync(login, cancellationToken))?.UnitId is { } unit
        && (caller.Everything || (await org.SubtreesAsync(caller.KeeperUnitIds, cancellationToken)).Contains(unit))
            ? unit
            : null;

    private static string Kebab(FaceRefusal refusal) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(refusal.ToString());
}
