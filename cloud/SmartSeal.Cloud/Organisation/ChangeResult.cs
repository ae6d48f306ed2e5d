namespace SmartSeal.Cloud.Organisation;

public enum ChangeStatus
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>The outcome of an admin change, which the API maps onto 200/201, 400, 404, 409 or 403.</summary>
public sealed record ChangeResult<T>(ChangeStatus Status, T? Value = default, string? Error = null, IDictionary<string, string[]>? Problems = null)
{
    public static ChangeResult<T> Ok(T value) => new(ChangeStatus.Ok, value);

    public static ChangeResult<T> Invalid(string field, params string[] reasons) => new(ChangeStatus.Invalid, Problems: new Dictionary<string, string[]> { [field] = reasons });

    public static ChangeResult<T> Invalid(IDictionary<string, string[]> problems) => new(ChangeStatus.Invalid, Problems: problems);

    public static ChangeResult<T> NotFound(string error) => new(ChangeStatus.NotFound, Error: error);

    public static ChangeResult<T> Conflict(string error) => new(ChangeStatus.Conflict, Error: error);

    public static ChangeResult<T> Forbidden(string error) => new(ChangeStatus.Forbidden, Error: error);
}
