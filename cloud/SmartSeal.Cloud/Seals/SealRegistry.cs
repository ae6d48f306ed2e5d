using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>A seal to register; <paramref name="Form"/> electronic or both also creates its electronic form (state requested).</summary>
public sealed record RegisterSeal(string? Id, string? Name, SealType Type, string? UnitId, int Level, string? Custodian, string? RfidTag, SealForm Form = SealForm.Physical);

/// <summary>
/// The seal register. Every change commits together with its ledger entry on the seal's chain
/// (registration: "admin"; lifecycle transitions: "lifecycle"; hand-over: "custody"), and state
/// changes are compare-and-set on the current state, so two concurrent transitions cannot both win.
/// </summary>
public sealed partial class SealRegistry(Database database, LedgerService ledger, OrgDirectory organisation, TimeProvider time)
{
    private const string Columns = """
        id AS Id, name AS Name, type AS Type, unit_id AS UnitId, level AS Level, custodian AS Custodian, rfid_tag AS RfidTag, state AS State,
        location_kind AS LocationKind, location_ref AS LocationRef, location_ms AS LocationMs, created_ms AS CreatedMs, updated_ms AS UpdatedMs
        """;

    [GeneratedRegex("^[0-9A-F]{8,32}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,39}$")]
    private static partial Regex IdPattern();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Upper-case hex of 8-32 digits (even), or null when <paramref name="tag"/> is not a tag.</summary>
    public static string? NormaliseTag(string? tag)
    {
        string? upper = tag?.Trim().Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return upper is not null && TagPattern().IsMatch(upper) && upper.Length % 2 == 0 ? upper : null;
    }

    public async Task<ChangeResult<Seal>> RegisterAsync(RegisterSeal request, CallerScope writer, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        if (request.Id is not null && !IdPattern().IsMatch(request.Id))
        {
            problems["id"] = ["3-40 lower-case letters, digits or '-'"];
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            problems["name"] = ["is required"];
        }

        if (!Enum.IsDefined(request.Type))
        {
            problems["type"] = ["unknown seal type"];
        }

        if (string.IsNullOrWhiteSpace(request.UnitId))
        {
            problems["unitId"] = ["is required"];
        }

        if (!Enum.IsDefined(request.Form))
        {
            problems["form"] = ["one of " + string.Join(", ", Enum.GetValues<SealForm>().Select(Kebab.Of))];
        }

        if (request.Level is < 1 or > 9)
        {
            problems["level"] = ["1..9"];
        }

        string? tag = NormaliseTag(request.RfidTag);
        if (request.RfidTag is not null && tag is null)
        {
            problems["rfidTag"] = ["8-32 hex digits (an even number)"];
        }

        if (problems.Count > 0)
        {
            return ChangeResult<Seal>.Invalid(problems);
        }

        string id = request.Id ?? "seal-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!(await organisation.UnitPathsAsync(connection, transaction, [request.UnitId!])).ContainsKey(request.UnitId!))
        {
            return ChangeResult<Seal>.Invalid("unitId", $"no unit {request.UnitId}");
        }

        if (!await InScopeAsync(connection, transaction, writer, request.UnitId!, writing: true))
        {
            return ChangeResult<Seal>.Forbidden($"{writer.Actor} is not a keeper of {request.UnitId}");
        }

        if (request.Custodian is not null && await organisation.ActiveUserAsync(connection, transaction, request.Custodian) is null)
        {
            return ChangeResult<Seal>.Invalid("custodian", $"no active user {request.Custodian}");
        }

        if (tag is not null && await TagHolderAsync(connection, transaction, tag, id) is { } holder)
        {
            return ChangeResult<Seal>.Conflict($"RFID tag {tag} belongs to seal {holder}");
        }

        long now = Now;
        var seal = new Seal(id, request.Name!.Trim(), request.Type, request.UnitId!, request.Level, request.Custodian, tag, SealState.EngravingRequested,
            SealLocationKind.Unknown, null, now, now, now);
        try
        {
            int inserted = await connection.ExecuteAsync(
                """
                INSERT INTO seals (id, name, type, unit_id, level, custodian, rfid_tag, state, location_kind, location_ref, location_ms, created_ms, updated_ms)
                VALUES (@Id, @Name, @type, @UnitId, @Level, @Custodian, @RfidTag, @state, @location, NULL, @now, @now, @now) ON CONFLICT (id) DO NOTHING
                """,
                new { seal.Id, seal.Name, type = Kebab.Of(seal.Type), seal.UnitId, seal.Level, seal.Custodian, seal.RfidTag, state = Kebab.Of(seal.State), location = Kebab.Of(seal.LocationKind), now },
                transaction);
            if (inserted == 0)
            {
                return ChangeResult<Seal>.Conflict($"seal {id} exists");
            }
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return ChangeResult<Seal>.Conflict($"RFID tag {tag} belongs to another seal");
        }

        await ledger.AppendAsync([Entry(seal.Id, LedgerKinds.Admin, writer.Actor, now, new()
        {
            ["action"] = "registered", ["name"] = seal.Name, ["type"] = Kebab.Of(seal.Type), ["unit"] = seal.UnitId,
            ["level"] = seal.Level.ToString(CultureInfo.InvariantCulture), ["custodian"] = seal.Custodian ?? string.Empty, ["tag"] = seal.RfidTag ?? string.Empty,
            ["state"] = Kebab.Of(seal.State),
        })], connection, transaction);
        if (request.Form != SealForm.Physical)
        {
            await ESealRegister.InsertAsync(ledger, connection, transaction, seal.Id, request.Form, writer.Actor, now);
        }

        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<Seal>.Ok(seal);
    }

    /// <summary>Seals the caller may see (their units' subtrees), optionally of one unit's subtree or one state.</summary>
    public async Task<IReadOnlyList<Seal>> ListAsync(CallerScope reader, string? unitId, SealState? state, CancellationToken cancellationToken = default)
    {
        if (!reader.Everything && reader.UnitIds.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { unitId, state = state is { } st ? Kebab.Of(st) : null });
        string scope = reader.Everything ? "TRUE" : UnitSubtree.IdWithinAny(parameters, "p", "unit_id", reader.UnitIds);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SealRow>(
            $"""
            SELECT {Columns} FROM seals
            WHERE {scope}
              AND (@unitId IS NULL OR {UnitSubtree.IdInSubtreeOf("unit_id", "@unitId")})
              AND (@state IS NULL OR state = @state)
            ORDER BY unit_id, id
            """,
            parameters);
        return rows.Select(r => r.ToSeal()).ToList();
    }

    /// <summary>One seal, or null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<Seal?> FindAsync(string id, CallerScope reader, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        Seal? seal = await ReadAsync(connection, null, id);
        return seal is not null && await InScopeAsync(connection, null, reader, seal.UnitId) ? seal : null;
    }

    /// <summary>Applies a lifecycle action: 409 naming the current state and the allowed actions when the table refuses it.</summary>
    public Task<ChangeResult<Seal>> TransitionAsync(string id, SealAction action, string? reason, string? rfidTag, CallerScope writer, CancellationToken cancellationToken = default) =>
        TransitionAsync(id, action, reason, rfidTag, writer, requestedBy: null, cancellationToken);

    /// <summary>
    /// Applies a lifecycle action. <paramref name="requestedBy"/> is set when it is the approval of
    /// someone else's request (<see cref="TransitionApprovals"/>): both names go into the ledger entry.
    /// </summary>
    public async Task<ChangeResult<Seal>> TransitionAsync(string id, SealAction action, string? reason, string? rfidTag, CallerScope writer, string? requestedBy, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(action))
        {
            return ChangeResult<Seal>.Invalid("action", "one of " + string.Join(", ", Enum.GetValues<SealAction>().Select(Kebab.Of)));
        }

        if (SealLifecycle.NeedsReason(action) && string.IsNullOrWhiteSpace(reason))
        {
            return ChangeResult<Seal>.Invalid("reason", $"is required to {Kebab.Of(action)} a seal");
        }

        string? tag = NormaliseTag(rfidTag);
        if (rfidTag is not null && tag is null)
        {
            return ChangeResult<Seal>.Invalid("rfidTag", "8-32 hex digits (an even number)");
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        ChangeResult<Seal> loaded = await LoadForChangeAsync(connection, transaction, id, writer);
        if (loaded.Value is not { } seal)
        {
            return loaded;
        }

        if (await ESealRegister.ReadAsync(connection, transaction, id) is { Form: SealForm.Electronic })
        {
            return ChangeResult<Seal>.Conflict($"seal {id} is electronic only: there is no metal seal to {Kebab.Of(action)}; its lifecycle is /api/seals/{id}/e-seal/transitions");
        }

        if (SealLifecycle.Next(seal.State, action) is not { } next)
        {
            string allowed = SealLifecycle.AllowedActions(seal.State) is { Length: > 0 } actions ? string.Join(", ", actions.Select(Kebab.Of)) : "none";
            return ChangeResult<Seal>.Conflict($"seal {id} is {Kebab.Of(seal.State)}: cannot {Kebab.Of(action)}; allowed: {allowed}");
        }

        tag ??= seal.RfidTag;
        if (action == SealAction.Activate && tag is null)
        {
            return ChangeResult<Seal>.Conflict($"seal {id} needs an RFID tag before it can be put in use (give rfidTag)");
        }

        if (tag is not null && !SealLifecycle.IsFinished(next) && await TagHolderAsync(connection, transaction, tag, id) is { } holder)
        {
            return ChangeResult<Seal>.Conflict($"RFID tag {tag} belongs to seal {holder}");
        }

        long now = Now;
        int updated;
        try
        {
            updated = await connection.ExecuteAsync(
                "UPDATE seals SET state = @next, rfid_tag = @tag, updated_ms = @now WHERE id = @id AND state = @current",
                new { id, next = Kebab.Of(next), tag, now, current = Kebab.Of(seal.State) }, transaction);
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return ChangeResult<Seal>.Conflict($"RFID tag {tag} belongs to another seal");
        }

        if (updated == 0)
        {
            return ChangeResult<Seal>.Conflict($"seal {id} changed state meanwhile; read it again");
        }

        var fields = new Dictionary<string, string> { ["action"] = Kebab.Of(action), ["from"] = Kebab.Of(seal.State), ["to"] = Kebab.Of(next), ["reason"] = reason ?? string.Empty };
        if (tag != seal.RfidTag)
        {
            fields["tag"] = tag ?? string.Empty;
        }

        if (requestedBy != null)
        {
            fields["requestedBy"] = requestedBy;
            fields["approvedBy"] = writer.Actor;
        }

        await ledger.AppendAsync([Entry(id, SealLedgerKinds.Lifecycle, writer.Actor, now, fields)], connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<Seal>.Ok(seal with { State = next, RfidTag = tag, UpdatedMs = now });
    }

    /// <summary>Hands the seal over to another custodian (交接), optionally putting it physically with them.</summary>
    public async Task<ChangeResult<Seal>> HandOverAsync(string id, string? custodian, string? reason, bool withPerson, CallerScope writer, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(custodian))
        {
            problems["custodian"] = ["is required"];
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            problems["reason"] = ["is required"];
        }

        if (problems.Count > 0)
        {
            return ChangeResult<Seal>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        ChangeResult<Seal> loaded = await LoadForChangeAsync(connection, transaction, id, writer);
        if (loaded.Value is not { } seal)
        {
            return loaded;
        }

        if (SealLifecycle.IsFinished(seal.State))
        {
            return ChangeResult<Seal>.Conflict($"seal {id} is {Kebab.Of(seal.State)}: it has no custodian any more");
        }

        if (await organisation.ActiveUserAsync(connection, transaction, custodian!) is null)
        {
            return ChangeResult<Seal>.Invalid("custodian", $"no active user {custodian}");
        }

        long now = Now;
        Seal changed = withPerson
            ? seal with { Custodian = custodian, LocationKind = SealLocationKind.Person, LocationRef = custodian, LocationMs = now, UpdatedMs = now }
            : seal with { Custodian = custodian, UpdatedMs = now };
        await connection.ExecuteAsync(
            "UPDATE seals SET custodian = @Custodian, location_kind = @kind, location_ref = @LocationRef, location_ms = @LocationMs, updated_ms = @UpdatedMs WHERE id = @Id",
            new { changed.Custodian, kind = Kebab.Of(changed.LocationKind), changed.LocationRef, changed.LocationMs, changed.UpdatedMs, changed.Id }, transaction);
        await ledger.AppendAsync([Entry(id, LedgerKinds.Custody, writer.Actor, now, new()
        {
            ["action"] = "hand-over", ["from"] = seal.Custodian ?? string.Empty, ["to"] = custodian!, ["reason"] = reason!,
            ["location"] = Kebab.Of(changed.LocationKind) + (changed.LocationRef is null ? string.Empty : ":" + changed.LocationRef),
        })], connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<Seal>.Ok(changed);
    }

    /// <summary>Records where a seal is now (cabinet compartment, lock, person), inside the caller's transaction (the orchestration's events).</summary>
    public static Task SetLocationAsync(DbConnection connection, DbTransaction transaction, string sealId, SealLocationKind kind, string? reference, long atMs) =>
        connection.ExecuteAsync("UPDATE seals SET location_kind = @kind, location_ref = @reference, location_ms = @atMs, updated_ms = @atMs WHERE id = @sealId",
            new { sealId, kind = Kebab.Of(kind), reference, atMs }, transaction);

    /// <summary>Whether <paramref name="unitId"/> lies in the caller's read (or, <paramref name="writing"/>, keeper) scope.</summary>
    public async Task<bool> InScopeAsync(string unitId, CallerScope caller, bool writing, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await InScopeAsync(connection, null, caller, unitId, writing);
    }

    private static LedgerEntry Entry(string sealId, string kind, string actor, long now, Dictionary<string, string> fields) =>
        new() { SealId = sealId, Kind = kind, AtMs = now, Actor = actor, Fields = fields };

    /// <summary>One seal whatever the caller's scope (for <see cref="SealDirectory"/> and the scoped reads here).</summary>
    internal static async Task<Seal?> ReadAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        (await connection.QuerySingleOrDefaultAsync<SealRow>($"SELECT {Columns} FROM seals WHERE id = @id", new { id }, transaction))?.ToSeal();

    /// <summary>The seal a writer may change, else the refusal: not found when out of sight, forbidden when seen but not kept.</summary>
    internal async Task<ChangeResult<Seal>> LoadForChangeAsync(DbConnection connection, DbTransaction? transaction, string id, CallerScope writer)
    {
        if (await ReadAsync(connection, transaction, id) is not { } seal || !await InScopeAsync(connection, transaction, writer, seal.UnitId))
        {
            return ChangeResult<Seal>.NotFound($"no seal {id}");
        }

        return await InScopeAsync(connection, transaction, writer, seal.UnitId, writing: true)
            ? ChangeResult<Seal>.Ok(seal)
            : ChangeResult<Seal>.Forbidden($"{writer.Actor} is not a keeper of {seal.UnitId}");
    }

    private static async Task<string?> TagHolderAsync(DbConnection connection, DbTransaction transaction, string tag, string exceptId) =>
        await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM seals WHERE rfid_tag = @tag AND id <> @exceptId AND state NOT IN ('revoked', 'destroyed')", new { tag, exceptId }, transaction);

    /// <summary>Whether <paramref name="unitId"/> lies in the subtree of one of the caller's units.</summary>
    private async Task<bool> InScopeAsync(DbConnection connection, DbTransaction? transaction, CallerScope caller, string unitId, bool writing = false)
    {
        IReadOnlyList<string> units = writing ? caller.KeeperUnitIds : caller.UnitIds;
        if (caller.Everything || units.Count == 0)
        {
            return caller.Everything;
        }

        IReadOnlyDictionary<string, string> paths = await organisation.UnitPathsAsync(connection, transaction, [unitId, .. units]);
        return paths.TryGetValue(unitId, out string? path) && units.Any(root => paths.TryGetValue(root, out string? rootPath) && UnitSubtree.IsWithin(path, rootPath));
    }

    /// <summary>Dapper maps rows onto this (SQLite hands back integers as Int64; enums are kebab-case text).</summary>
    private sealed class SealRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Type { get; set; } = "";

        public string UnitId { get; set; } = "";

        public long Level { get; set; }

        public string? Custodian { get; set; }

        public string? RfidTag { get; set; }

        public string State { get; set; } = "";

        public string LocationKind { get; set; } = "";

        public string? LocationRef { get; set; }

        public long LocationMs { get; set; }

        public long CreatedMs { get; set; }

        public long UpdatedMs { get; set; }

        public Seal ToSeal() => new(Id, Name, Kebab.Parse<SealType>(Type), UnitId, (int)Level, Custodian, RfidTag, Kebab.Parse<SealState>(State),
            Kebab.Parse<SealLocationKind>(LocationKind), LocationRef, LocationMs, CreatedMs, UpdatedMs);
    }
}
