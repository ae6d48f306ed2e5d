using System.Data.Common;
using System.Globalization;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// Inventory checks (盘点): starting one snapshots the seals that should physically exist in the
/// unit's subtree (engraved, in use, suspended); cabinets, locks or a keeper then report the tags
/// they see; the comparison lists discrepancies; closing records the result in the ledger.
/// </summary>
public sealed class InventoryService(
    Database database, SealRegistry seals, OrgDirectory organisation, DeviceRepository deviceRegistry, IAdminAuditTrail auditTrail, Commands.CommandService commands,
    TimeProvider time, ILogger<InventoryService> logger)
{
    private static readonly string[] ExpectedStates = [Kebab.Of(SealState.Engraved), Kebab.Of(SealState.InUse), Kebab.Of(SealState.Suspended)];

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<ChangeResult<InventoryCheck>> StartAsync(string? unitId, CallerScope keeper, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(unitId))
        {
            return ChangeResult<InventoryCheck>.Invalid("unitId", "is required");
        }

        if (!await seals.InScopeAsync(unitId, keeper, writing: true, cancellationToken))
        {
            return ChangeResult<InventoryCheck>.Forbidden($"{keeper.Actor} is not a keeper of {unitId}");
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!(await organisation.UnitPathsAsync(connection, transaction, [unitId])).ContainsKey(unitId))
        {
            return ChangeResult<InventoryCheck>.Invalid("unitId", $"no unit {unitId}");
        }

        long now = Now;
        long id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO inventory_checks (unit_id, started_by, started_ms) VALUES (@unitId, @actor, @now) RETURNING id", new { unitId, actor = keeper.Actor, now }, transaction);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO inventory_items (check_id, seal_id, rfid_tag, location_kind, location_ref)
            SELECT @id, s.id, s.rfid_tag, s.location_kind, s.location_ref FROM seals s
            WHERE {UnitSubtree.IdInSubtreeOf("s.unit_id", "@unitId")} AND s.state IN (@s0, @s1, @s2)
            """,
            new { id, unitId, s0 = ExpectedStates[0], s1 = ExpectedStates[1], s2 = ExpectedStates[2] }, transaction);
        string[] locations = (await connection.QueryAsync<string>(
            "SELECT location_ref FROM inventory_items WHERE check_id = @id AND location_kind IN ('cabinet', 'lock') AND location_ref IS NOT NULL",
            new { id }, transaction)).ToArray();
        IReadOnlyList<string> devices = await deviceRegistry.TagReadersAsync(connection, transaction, unitId, locations);
        await transaction.CommitAsync(cancellationToken);

        // The devices that hold (or should hold) the unit's seals report the tags they see; their
        // reports arrive as tag-report events (TagReportHandler). An offline device gets the request
        // when it is back, within the command's lifetime.
        foreach (string device in devices)
        {
            var sent = await commands.SendAsync(device, new SmartSeal.Protocol.Messages.ReportTagsBody { CheckId = id.ToString(CultureInfo.InvariantCulture) }, keeper.Actor, TimeSpan.FromHours(1), cancellationToken: cancellationToken);
            logger.LogInformation("Inventory check {Check}: tag report requested from {Device} ({Status})", id, device, sent.Status);
        }

        return ChangeResult<InventoryCheck>.Ok((await ReadAsync(id, cancellationToken))!);
    }

    /// <summary>Tags seen by <paramref name="source"/> (a cabinet's or lock's tag report, or a keeper's reader); repeated reports are idempotent.</summary>
    public async Task<ChangeResult<InventoryCheck>> ObserveAsync(long id, string? source, IReadOnlyList<string>? tags, CallerScope keeper, CancellationToken cancellationToken = default)
    {
        var normalised = new List<string>();
        foreach (string tag in tags ?? [])
        {
            if (SealRegistry.NormaliseTag(tag) is not { } upper)
            {
                return ChangeResult<InventoryCheck>.Invalid("tags", $"'{tag}' is not 8-32 hex digits");
            }

            normalised.Add(upper);
        }

        if (normalised.Count == 0)
        {
            return ChangeResult<InventoryCheck>.Invalid("tags", "at least one tag");
        }

        if (await GuardAsync(id, keeper, cancellationToken) is { } refused)
        {
            return refused;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (string tag in normalised.Distinct())
        {
            await connection.ExecuteAsync(
                "INSERT INTO inventory_observations (check_id, rfid_tag, source, at_ms) VALUES (@id, @tag, @source, @now) ON CONFLICT DO NOTHING",
                new { id, tag, source = string.IsNullOrWhiteSpace(source) ? "manual:" + keeper.Actor : source.Trim(), now = Now }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<InventoryCheck>.Ok((await ReadAsync(id, cancellationToken))!);
    }

    /// <summary>Closes the check and ledgers its result on the unit's chain (expected, found, every discrepancy).</summary>
    public async Task<ChangeResult<InventoryCheck>> CloseAsync(long id, CallerScope keeper, CancellationToken cancellationToken = default)
    {
        if (await GuardAsync(id, keeper, cancellationToken) is { } refused)
        {
            return refused;
        }

        InventoryCheck check = (await ReadAsync(id, cancellationToken))!;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long now = Now;
        if (await connection.ExecuteAsync("UPDATE inventory_checks SET closed_by = @actor, closed_ms = @now WHERE id = @id AND closed_ms IS NULL", new { id, actor = keeper.Actor, now }, transaction) == 0)
        {
            return ChangeResult<InventoryCheck>.Conflict($"inventory check {id} is closed");
        }

        await auditTrail.UnitActionAsync(connection, transaction, check.UnitId, keeper.Actor, now, "inventory-closed", new()
        {
            ["check"] = id.ToString(CultureInfo.InvariantCulture),
            ["expected"] = check.Expected.ToString(CultureInfo.InvariantCulture),
            ["found"] = check.Found.Length.ToString(CultureInfo.InvariantCulture),
            ["discrepancies"] = string.Join("; ", check.Discrepancies.Select(d => $"{d.Kind} {d.SealId ?? d.RfidTag}")),
        });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<InventoryCheck>.Ok(check with { ClosedBy = keeper.Actor, ClosedMs = now });
    }

    /// <summary>The check with the comparison of the snapshot against the reported tags, or null when it does not exist.</summary>
    public async Task<InventoryCheck?> ReadAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var head = await connection.QuerySingleOrDefaultAsync<CheckRow>(
            "SELECT id AS Id, unit_id AS UnitId, started_by AS StartedBy, started_ms AS StartedMs, closed_by AS ClosedBy, closed_ms AS ClosedMs FROM inventory_checks WHERE id = @id", new { id });
        if (head is null)
        {
            return null;
        }

        var items = (await connection.QueryAsync<(string SealId, string? Tag, string LocationKind, string? LocationRef)>(
            "SELECT seal_id, rfid_tag, location_kind, location_ref FROM inventory_items WHERE check_id = @id ORDER BY seal_id", new { id })).ToList();
        var seen = (await connection.QueryAsync<(string Tag, string Source)>(
            "SELECT rfid_tag, source FROM inventory_observations WHERE check_id = @id ORDER BY rfid_tag, source", new { id })).ToList();
        var sourcesByTag = seen.GroupBy(o => o.Tag).ToDictionary(g => g.Key, g => g.Select(o => o.Source).ToList());

        var found = new List<InventoryFound>();
        var discrepancies = new List<InventoryDiscrepancy>();
        foreach (var item in items)
        {
            if (item.Tag is null)
            {
                discrepancies.Add(new("no-tag", item.SealId, null, "the seal has no RFID tag: check it by hand"));
            }
            else if (!sourcesByTag.TryGetValue(item.Tag, out List<string>? sources))
            {
                discrepancies.Add(new("missing", item.SealId, item.Tag, $"not reported; the register says {item.LocationKind}{(item.LocationRef is null ? string.Empty : " " + item.LocationRef)}"));
            }
            else
            {
                found.AddRange(sources.Select(s => new InventoryFound(item.SealId, item.Tag, s)));
                string? device = item.LocationKind is "cabinet" or "lock" ? item.LocationRef?.Split('/')[0] : null;
                if (device is not null && !sources.Contains(device))
                {
                    discrepancies.Add(new("elsewhere", item.SealId, item.Tag, $"the register says {item.LocationKind} {item.LocationRef}; reported by {string.Join(", ", sources)}"));
                }
            }
        }

        var expectedTags = items.Where(i => i.Tag is not null).Select(i => i.Tag!).ToHashSet();
        foreach (string tag in sourcesByTag.Keys.Where(t => !expectedTags.Contains(t)))
        {
            var other = await connection.QueryFirstOrDefaultAsync<(string Id, string UnitId, string State)>(
                "SELECT id, unit_id, state FROM seals WHERE rfid_tag = @tag ORDER BY updated_ms DESC", new { tag });
            string detail = other.Id is null ? "an unknown tag" : $"seal {other.Id} of {other.UnitId}, {other.State}";
            discrepancies.Add(new("unexpected", other.Id, tag, $"{detail}; reported by {string.Join(", ", sourcesByTag[tag])}"));
        }

        return new InventoryCheck(head.Id, head.UnitId, head.StartedBy, head.StartedMs, head.ClosedBy, head.ClosedMs, items.Count, [.. found], [.. discrepancies]);
    }

    private async Task<ChangeResult<InventoryCheck>?> GuardAsync(long id, CallerScope keeper, CancellationToken cancellationToken)
    {
        InventoryCheck? check = await ReadAsync(id, cancellationToken);
        if (check is null || !await seals.InScopeAsync(check.UnitId, keeper, writing: false, cancellationToken))
        {
            return ChangeResult<InventoryCheck>.NotFound($"no inventory check {id}");
        }

        if (!await seals.InScopeAsync(check.UnitId, keeper, writing: true, cancellationToken))
        {
            return ChangeResult<InventoryCheck>.Forbidden($"{keeper.Actor} is not a keeper of {check.UnitId}");
        }

        return check.ClosedMs is not null ? ChangeResult<InventoryCheck>.Conflict($"inventory check {id} is closed") : null;
    }

    private sealed class CheckRow
    {
        public long Id { get; set; }

        public string UnitId { get; set; } = "";

        public string StartedBy { get; set; } = "";

        public long StartedMs { get; set; }

        public string? ClosedBy { get; set; }

        public long? ClosedMs { get; set; }
    }
}
