using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Devices;

/// <summary>The device registry in the database.</summary>
public sealed class DeviceRepository(Database database)
{
    /// <summary>The select list that maps a row straight onto <see cref="Device"/> (Dapper reads the kind by name, ignoring case).</summary>
    private const string Columns = """
        id AS Id, kind AS Kind, key_version AS KeyVersion, model AS Model, firmware AS Firmware, org_unit AS OrgUnit,
        compartments AS Compartments, online AS Online, status_reason AS StatusReason, last_seen_ms AS LastSeenMs,
        battery_percent AS BatteryPercent, last_fix_ms AS LastFixMs, last_lat_e7 AS LastLatE7, last_lon_e7 AS LastLonE7,
        last_accuracy_m AS LastAccuracyM, created_ms AS CreatedMs, retired AS Retired
        """;

    /// <summary>Devices per statement of the list queries (SQL lists stay short: binding costs the square of the parameters).</summary>
    private const int DevicesPerStatement = 100;

    /// <summary>Adds a device; false when the id is taken.</summary>
    public async Task<bool> AddAsync(Device device, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        int rows = await connection.ExecuteAsync(
            """
            INSERT INTO devices (id, kind, key_version, model, firmware, org_unit, compartments, created_ms)
            VALUES (@Id, @KindText, @KeyVersion, @Model, @Firmware, @OrgUnit, @Compartments, @CreatedMs)
            ON CONFLICT (id) DO NOTHING
            """,
            new { device.Id, KindText = KindText(device.Kind), device.KeyVersion, device.Model, device.Firmware, device.OrgUnit, device.Compartments, device.CreatedMs });
        return rows == 1;
    }

    public async Task<Device?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Device>($"SELECT {Columns} FROM devices WHERE id = @id", new { id });
    }

    /// <summary>
    /// The ids of the devices assigned to a unit of the subtrees of <paramref name="rootUnitIds"/>, and with
    /// <paramref name="withUnassigned"/> those assigned to no unit (shared equipment).
    /// </summary>
    public async Task<IReadOnlyList<string>> IdsInSubtreesAsync(IReadOnlyList<string> rootUnitIds, bool withUnassigned, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters();
        string unassigned = withUnassigned ? "org_unit IS NULL OR " : string.Empty;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM devices WHERE {unassigned}{UnitSubtree.IdWithinAny(parameters, "root", "org_unit", rootUnitIds)}", parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Ids of the devices assigned to one of <paramref name="unitIds"/> (the caller resolves subtrees).</summary>
    public async Task<IReadOnlyList<string>> IdsInUnitsAsync(IEnumerable<string> unitIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<string>(connection, "SELECT id FROM devices WHERE org_unit IN {values}", unitIds, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<Device>> ListAsync(DeviceKind? kind, bool? online, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Device>(
            $"""
            SELECT {Columns} FROM devices
            WHERE (@kind IS NULL OR kind = @kind) AND (@online IS NULL OR online = @online)
            ORDER BY id
            """,
            new { kind = kind is null ? null : KindText(kind.Value), online })).AsList();
    }

    /// <summary>
    /// Sets last seen (server time) for the devices of an ingest batch, in its transaction, and
    /// first locks their rows in id order: batches of two cloud instances that share devices then
    /// queue behind each other instead of deadlocking. Two statements per 100 devices.
    /// </summary>
    public async Task MarkSeenAsync(IReadOnlyList<string> ids, long nowMs, DbConnection connection, DbTransaction transaction)
    {
        string[] ordered = ids.Distinct().Order(StringComparer.Ordinal).ToArray();
        foreach (string[] chunk in ordered.Chunk(DevicesPerStatement))
        {
            var parameters = new DynamicParameters();
            parameters.Add("now", nowMs);
            string list = SqlList.In(parameters, "d", chunk);
            await connection.QueryAsync<string>($"SELECT id FROM devices WHERE id IN {list} ORDER BY id{database.Dialect.ForUpdate}", parameters, transaction);
            await connection.ExecuteAsync($"UPDATE devices SET last_seen_ms = CASE WHEN last_seen_ms < @now THEN @now ELSE last_seen_ms END WHERE id IN {list}", parameters, transaction);
        }
    }

    /// <summary>The stored presence of the known devices among <paramref name="ids"/> (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<DevicePresence>> PresenceAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<(string Id, bool Online, string? StatusReason, bool Retired)>(
                connection, "SELECT id, online, status_reason, retired FROM devices WHERE id IN {values}", ids, cancellationToken: cancellationToken))
            .Select(r => new DevicePresence(r.Id, r.Online, r.StatusReason, r.Retired)).ToList();
    }

    /// <summary>Moves the device to a new key version (rotation); returns the new version, or null for an unknown device.</summary>
    public async Task<int?> RotateKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        int? version = await RotateKeyAsync(id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>The rotation in the caller's transaction, recorded in the change feed with it.</summary>
    public async Task<int?> RotateKeyAsync(string id, long nowMs, DbConnection connection, DbTransaction transaction)
    {
        int? version = await connection.QuerySingleOrDefaultAsync<int?>(
            "UPDATE devices SET key_version = key_version + 1 WHERE id = @id RETURNING key_version", new { id }, transaction);
        if (version != null)
        {
            await RecordChangeAsync(id, DeviceChanges.KeyRotated, nowMs, connection, transaction);
        }

        return version;
    }

    /// <summary>
    /// Retires the device in the caller's transaction (it may never log in or report again) and
    /// records it in the change feed; false when there is no such device or it was retired already.
    /// </summary>
    public async Task<bool> RetireAsync(string id, long nowMs, DbConnection connection, DbTransaction transaction)
    {
        int rows = await connection.ExecuteAsync("UPDATE devices SET retired = TRUE, online = FALSE WHERE id = @id AND NOT retired", new { id }, transaction);
        if (rows == 1)
        {
            await RecordChangeAsync(id, DeviceChanges.Retired, nowMs, connection, transaction);
        }

        return rows == 1;
    }

    public async Task RecordChangeAsync(string id, string change, long nowMs, DbConnection connection, DbTransaction? transaction = null) =>
        await connection.ExecuteAsync("INSERT INTO device_changes (device_id, change, at_ms) VALUES (@id, @change, @nowMs)", new { id, change, nowMs }, transaction);

    /// <summary>The change feed after <paramref name="afterSeq"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DeviceChange>> ChangesAfterAsync(long afterSeq, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Seq, string DeviceId, string Change)>(
            "SELECT seq, device_id, change FROM device_changes WHERE seq > @afterSeq ORDER BY seq LIMIT 1000", new { afterSeq });
        return rows.Select(r => new DeviceChange(r.Seq, r.DeviceId, r.Change)).ToList();
    }

    /// <summary>The newest position of the change feed (0 when empty).</summary>
    public async Task<long> LatestChangeAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM device_changes");
    }

    /// <summary>The battery level a device reported, written in the ingest batch's transaction.</summary>
    public async Task SetBatteryAsync(string id, int percent, DbConnection connection, DbTransaction transaction) =>
        await connection.ExecuteAsync("UPDATE devices SET battery_percent = @percent WHERE id = @id", new { percent, id }, transaction);

    /// <summary>
    /// Applies a presence message. Status envelopes carry seq 0, so ordering is by device time:
    /// an older status (a late last will after a reconnect) never overwrites a newer one.
    /// </summary>
    public async Task<bool> SetPresenceAsync(string id, bool online, long deviceMs, string? reason, string? firmware, long serverMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        int rows = await connection.ExecuteAsync(
            """
            UPDATE devices SET online = @online, status_ms = @deviceMs, status_reason = @reason,
                firmware = COALESCE(@firmware, firmware), last_seen_ms = @serverMs
            WHERE id = @id AND status_ms <= @deviceMs
            """,
            new { id, online, deviceMs, reason, firmware, serverMs });
        return rows == 1;
    }

    /// <summary>
    /// The live cabinets and locks to ask for a tag report in an inventory of <paramref name="unitId"/>'s subtree, by id:
    /// those assigned to a unit of it, and those where one of <paramref name="locationRefs"/> (a device id, or
    /// <c>device/compartment</c>) says an expected seal is, whatever their unit.
    /// </summary>
    public async Task<IReadOnlyList<string>> TagReadersAsync(DbConnection connection, DbTransaction transaction, string unitId, IReadOnlyCollection<string> locationRefs)
    {
        var holding = new HashSet<string>(StringComparer.Ordinal);
        foreach (string reference in locationRefs)
        {
            holding.Add(reference);
            for (int slash = reference.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = reference.IndexOf('/', slash + 1))
            {
                holding.Add(reference[..slash]);
            }
        }

        IEnumerable<TagReaderRow> readers = await connection.QueryAsync<TagReaderRow>(
            $"""
            SELECT id AS Id, CASE WHEN {UnitSubtree.IdInSubtreeOf("org_unit", "@unitId")} THEN TRUE ELSE FALSE END AS InUnit
            FROM devices WHERE retired = FALSE AND kind IN ('cabinet', 'lock') ORDER BY id
            """,
            new { unitId }, transaction);
        return readers.Where(r => r.InUnit || holding.Contains(r.Id)).Select(r => r.Id).ToList();
    }

    /// <summary>
    /// Applies an ingest batch's status messages in its transaction, one statement each, with the
    /// same device-time ordering (last seen is set apart, by <see cref="MarkSeenAsync"/>).
    /// </summary>
    public async Task SetPresenceAsync(IReadOnlyList<PresenceReport> reports, DbConnection connection, DbTransaction transaction)
    {
        foreach (PresenceReport report in reports)
        {
            await connection.ExecuteAsync(
                """
                UPDATE devices SET online = @Online, status_ms = @DeviceMs, status_reason = @Reason,
                    firmware = COALESCE(@Firmware, firmware)
                WHERE id = @DeviceId AND status_ms <= @DeviceMs
                """,
                report,
                transaction);
        }
    }

    internal static string KindText(DeviceKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>A live cabinet or lock, and whether it is assigned to the inventoried subtree (SQLite hands back booleans as Int64).</summary>
    private sealed class TagReaderRow
    {
        public string Id { get; set; } = "";

        public bool InUnit { get; set; }
    }
}
