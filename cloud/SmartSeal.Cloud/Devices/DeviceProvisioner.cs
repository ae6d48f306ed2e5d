using System.Globalization;
using System.Data.Common;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Registers devices and hands out their key exactly once (as a provisioning file for flashing or
/// for the simulators): the cloud keeps only the key version and derives the key when it needs it.
/// </summary>
public sealed class DeviceProvisioner(DeviceRepository repository, DeviceCache cache, DeviceKeyring keys, Database database, IAdminAuditTrail auditTrail, TimeProvider time)
{
    public async Task<ProvisionResult> ProvisionAsync(ProvisionRequest request, CancellationToken cancellationToken = default)
    {
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            return ProvisionResult.Invalid(problems);
        }

        var device = new Device
        {
            Id = request.DeviceId, Kind = request.Kind, KeyVersion = 1, Model = request.Model, OrgUnit = request.OrgUnit,
            Compartments = request.Compartments, CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (!await repository.AddAsync(device, cancellationToken))
        {
            return ProvisionResult.Conflict($"device {request.DeviceId} already exists; rotate its key to re-provision it");
        }

        // Another process may have cached "no such device": the feed makes it look again.
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            await repository.RecordChangeAsync(device.Id, DeviceChanges.Provisioned, device.CreatedMs, connection);
        }

        cache.Invalidate(device.Id);
        return ProvisionResult.Ok(device, keys.KeyFor(device.Id, device.KeyVersion));
    }

    /// <summary>
    /// Moves the device to the next key version, audited in the ledger. Its old key stops working
    /// at once in every process (they read the change feed before trusting a cached key) and its
    /// broker sessions are dropped (<see cref="DeviceCache.Changed"/>).
    /// </summary>
    public async Task<ProvisionResult> RotateKeyAsync(string deviceId, string actor, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        int? version = await InTransactionAsync(async (connection, transaction) =>
        {
            int? version = await repository.RotateKeyAsync(deviceId, now, connection, transaction);
            if (version is { } v)
            {
                await auditTrail.DeviceActionAsync(connection, transaction, deviceId, actor, now, DeviceChanges.KeyRotated,
                    new() { ["keyVersion"] = v.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
            }

            return version;
        }, cancellationToken);
        if (version is null)
        {
            return ProvisionResult.NotFound(deviceId);
        }

        Device device = (await repository.FindAsync(deviceId, cancellationToken))!;
        return ProvisionResult.Ok(device, keys.KeyFor(deviceId, version.Value));
    }

    /// <summary>
    /// Retires the device for good, audited in the ledger: its logins and messages are refused from
    /// now on in every process and its broker sessions are dropped. Retiring twice changes nothing.
    /// </summary>
    public async Task<RetireStatus> RetireAsync(string deviceId, string actor, CancellationToken cancellationToken = default)
    {
        if (await repository.FindAsync(deviceId, cancellationToken) is not { } device)
        {
            return RetireStatus.NotFound;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        bool retired = await InTransactionAsync(async (connection, transaction) =>
        {
            bool retired = await repository.RetireAsync(device.Id, now, connection, transaction);
            if (retired)
            {
                await auditTrail.DeviceActionAsync(connection, transaction, device.Id, actor, now, DeviceChanges.Retired, [], cancellationToken);
            }

            return retired;
        }, cancellationToken);
        return retired ? RetireStatus.Retired : RetireStatus.AlreadyRetired;
    }

    /// <summary>Runs a registry change and its audit entry in one transaction, then applies it in this process at once.</summary>
    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> change, CancellationToken cancellationToken)
    {
        T result;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            result = await change(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
        }

        await cache.CatchUpAsync(cancellationToken);
        return result;
    }

    /// <summary>The device's <c>device.json</c> (hardware-docs/provisioning.md §2) for a broker endpoint.</summary>
    /// <summary>
    /// Why the caller's broker and network settings cannot make a valid device.json for this kind
    /// (null when they can) — checked before a device is registered, so a bad request registers
    /// nothing and loses no key.
    /// </summary>
    public static string? BrokerProblem(DeviceKind kind, BrokerEndpoint broker)
    {
        try
        {
            ProvisioningFileFor(new Device { Id = "lock-check", Kind = kind }, new byte[32], broker);
            return null;
        }
        catch (SmartSeal.Protocol.ProtocolException e)
        {
            return e.Message;
        }
    }

    public static byte[] ProvisioningFileFor(Device device, byte[] key, BrokerEndpoint broker)
    {
        var file = new ProvisioningFile
        {
            DeviceId = device.Id,
            Kind = device.Kind switch { DeviceKind.Cabinet => ProvisioningFile.KindCabinet, DeviceKind.Gate => ProvisioningFile.KindGate, _ => ProvisioningFile.KindLock },
            KeyVersion = device.KeyVersion,
            Key = key,
            BrokerHost = broker.Host,
            BrokerPort = broker.Port,
            BrokerTls = broker.CaPem != null,
            BrokerCaPem = broker.CaPem,
            BrokerProfile = broker.Profile ?? ProvisioningFile.ProfileSmartSeal,
            WifiSsid = device.Kind == DeviceKind.Cabinet ? broker.WifiSsid ?? "configure-me" : null,
            WifiPassword = device.Kind == DeviceKind.Cabinet ? broker.WifiPassword ?? string.Empty : null,
            CellularApn = device.Kind == DeviceKind.Lock ? broker.Apn ?? "cmiot" : null,
        };
        var writer = new JsonWriter();
        file.Write(writer);
        return writer.ToArray();
    }
}

/// <summary>Where a provisioned device should connect, and its network settings.</summary>
/// <param name="Profile">"smartseal" (default) or "iothub" (Host is then the hub, <c>{name}.azure-devices.net</c>).</param>
public sealed record BrokerEndpoint(string Host, int Port, string? CaPem = null, string? WifiSsid = null, string? WifiPassword = null, string? Apn = null, string? Profile = null);

public sealed record ProvisionRequest(string DeviceId, DeviceKind Kind, string? Model = null, string? OrgUnit = null, int Compartments = 0)
{
    public Dictionary<string, string[]> Validate()
    {
        var problems = new Dictionary<string, string[]>();
        if (!SmartSeal.Protocol.Security.DeviceId.IsValid(DeviceId))
        {
            problems["deviceId"] = ["1..64 characters of [A-Za-z0-9._-]"];
        }

        if (!Enum.IsDefined(Kind))
        {
            problems["kind"] = ["cabinet, lock or gate"]; // JSON may carry an enum as any number
        }

        if (Kind == DeviceKind.Cabinet && Compartments is < 1 or > 64)
        {
            problems["compartments"] = ["a cabinet has 1..64 compartments"];
        }

        if (Kind != DeviceKind.Cabinet && Compartments != 0)
        {
            problems["compartments"] = ["only cabinets have compartments"];
        }

        return problems;
    }
}

public sealed record ProvisionResult(ProvisionStatus Status, Device? Device, byte[]? Key, string? Error, Dictionary<string, string[]>? Problems)
{
    public static ProvisionResult Ok(Device device, byte[] key) => new(ProvisionStatus.Ok, device, key, null, null);

    public static ProvisionResult Invalid(Dictionary<string, string[]> problems) => new(ProvisionStatus.Invalid, null, null, "invalid request", problems);

    public static ProvisionResult Conflict(string error) => new(ProvisionStatus.Conflict, null, null, error, null);

    public static ProvisionResult NotFound(string deviceId) => new(ProvisionStatus.NotFound, null, null, $"no device {deviceId}", null);
}

public enum RetireStatus
{
    Retired,
    AlreadyRetired,
    NotFound,
}

public enum ProvisionStatus
{
    Ok,
    Invalid,
    Conflict,
    NotFound,
}
