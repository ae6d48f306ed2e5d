using System.Net.Http.Json;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>How an endpoint admits callers.</summary>
public enum Gate
{
    /// <summary>Open by design (sign-in, health, the API reference): listed so, and never 401/403 anonymously.</summary>
    Anonymous,

    /// <summary>Authenticated by a device's signature, not a user: anonymous callers get 401.</summary>
    DeviceSigned,

    /// <summary>Any signed-in user; what they see is their own or filtered to their units.</summary>
    SignedIn,

    /// <summary>A role policy (and, for unit-owned objects, the unit authority).</summary>
    Role,

    /// <summary>A portal page: anonymous callers are sent to the sign-in page.</summary>
    Page,
}

/// <summary>The request an endpoint's row sends, built once per row (it may create the object it acts on) and sent to each caller.</summary>
public sealed record MatrixRequest(string Path, object? Json = null, Func<HttpContent>? Body = null)
{
    /// <summary>The Authorization header the right caller sends instead of its client's (a device's signature).</summary>
    public string? RightAuthorization { get; init; }

    public HttpContent? Content() => Body?.Invoke() ?? (Json is null ? null : JsonContent.Create(Json));
}

/// <summary>
/// One endpoint of the matrix, keyed like <see cref="MappedEndpoint.Key"/>. Cases: anonymous
/// (401, or a redirect for pages); <see cref="WrongRole"/> (403); <see cref="OtherUnit"/>, the right
/// role in the other province (403 or 404, or for lists a 2xx without <see cref="HiddenFromOtherUnit"/>);
/// <see cref="Right"/>, the right role in the right unit (2xx, or <see cref="Success"/>).
/// </summary>
public sealed record MatrixRow(string Key, Gate Gate, Func<MatrixWorld, Task<MatrixRequest>>? Request = null)
{
    public string Right { get; init; } = "keeperA";

    public string? WrongRole { get; init; }

    public string? OtherUnit { get; init; }

    /// <summary>For lists and searches: what the other unit's caller must not find in its 2xx answer.</summary>
    public Func<MatrixWorld, string>? HiddenFromOtherUnit { get; init; }

    /// <summary>Per-item answers (batch approval): a denied caller gets 2xx with a 403/404 per item.</summary>
    public bool DeniedPerItem { get; init; }

    /// <summary>The right caller's expected statuses when not "any 2xx" (a domain refusal after authorization passed; see <see cref="Note"/>).</summary>
    public int[]? Success { get; init; }

    public string? Note { get; init; }

    /// <summary>The row's method; GET for endpoints that take any method ("ANY") and for portal pages ("PAGE").</summary>
    public HttpMethod Method => Key[..Key.IndexOf(' ', StringComparison.Ordinal)] is "ANY" or "PAGE" ? HttpMethod.Get : new HttpMethod(Key[..Key.IndexOf(' ', StringComparison.Ordinal)]);

    public static MatrixRow Get(string pattern, Gate gate, Func<MatrixWorld, string> path) => new("GET " + pattern, gate, w => Task.FromResult(new MatrixRequest(path(w))));

    public static MatrixRow Send(string method, string pattern, Gate gate, Func<MatrixWorld, Task<MatrixRequest>> request) => new(method + " " + pattern, gate, request);

    public static MatrixRow Send(string method, string pattern, Gate gate, Func<MatrixWorld, string> path, Func<MatrixWorld, object?> json) =>
        new(method + " " + pattern, gate, w => Task.FromResult(new MatrixRequest(path(w), json(w))));
}
