using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// A seal's scope of authority: the purpose categories and document types it may be used for (the
/// finance seal only for finance matters), and who may apply for it (applicants of some units'
/// subtrees, holders of some posts). Empty lists do not restrict. An authorisation document
/// (授权文件) admits a purpose or document type outside the scope when <see cref="AllowAuthorisation"/>;
/// it never admits an applicant who may not apply.
/// </summary>
public sealed record SealScope(string SealId, string[] Purposes, string[] DocumentTypes, string[] Units, string[] Posts, bool AllowAuthorisation,
    string? UpdatedBy = null, long UpdatedMs = 0)
{
    /// <summary>Why <paramref name="applicant"/> may not apply for this use (field and reason), or null when the use is within scope.</summary>
    public (string Field, string Reason)? Refusal(ApplicationContent content, ActiveUser applicant)
    {
        if (Units.Length > 0 && !Units.Any(u => applicant.UnitPath.Contains("/" + u + "/", StringComparison.Ordinal)))
        {
            return ("applicant", $"seal {SealId} may be applied for only from units {string.Join(", ", Units)}; {applicant.Login} is of {applicant.UnitId}");
        }

        if (Posts.Length > 0 && (applicant.Post is null || !Posts.Contains(applicant.Post, StringComparer.Ordinal)))
        {
            return ("applicant", $"seal {SealId} may be applied for only by posts {string.Join(", ", Posts)}; {applicant.Login} holds {applicant.Post ?? "no post"}");
        }

        bool authorised = AllowAuthorisation && content.Authorisation is not null;
        if (Purposes.Length > 0 && !authorised && (content.Category is null || !Purposes.Contains(content.Category, StringComparer.Ordinal)))
        {
            return ("category", $"seal {SealId} serves only {string.Join(", ", Purposes)}; '{content.Category ?? "(no category)"}' is outside its scope"
                + (AllowAuthorisation ? " — attach an authorisation document (授权文件) to use it outside its scope" : string.Empty));
        }

        if (DocumentTypes.Length > 0 && !authorised && content.Documents.FirstOrDefault(d => d.Type is null || !DocumentTypes.Contains(d.Type, StringComparer.Ordinal)) is { } outside)
        {
            return ("documents", $"seal {SealId} stamps only documents of type {string.Join(", ", DocumentTypes)}; '{outside.Name}' is {outside.Type ?? "of no type"}"
                + (AllowAuthorisation ? " — attach an authorisation document (授权文件) to use it outside its scope" : string.Empty));
        }

        return null;
    }

    /// <summary>Whether the use is outside the default scope and admitted only by its authorisation document.</summary>
    public bool NeedsAuthorisation(ApplicationContent content) =>
        (Purposes.Length > 0 && (content.Category is null || !Purposes.Contains(content.Category, StringComparer.Ordinal)))
        || (DocumentTypes.Length > 0 && content.Documents.Any(d => d.Type is null || !DocumentTypes.Contains(d.Type, StringComparer.Ordinal)));
}

/// <summary>The body of <c>PUT /api/seals/{sealId}/scope</c>.</summary>
public sealed record SealScopeRequest(string[]? Purposes, string[]? DocumentTypes, string[]? Units, string[]? Posts, bool? AllowAuthorisation);
