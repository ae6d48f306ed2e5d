using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Moves an approved application's seal out and back: stows seals in cabinet compartments,
/// dispenses at a cabinet with a short-lived single-use token (for the applicant the edge gate
/// recognised, or on a keeper's word), binds a seal into a portable lock with a token carrying
/// the approved limits (delivered as retained desired state, so it arrives on reconnect), and
/// ends trips with the token revoked. Every step is checked against the register and the
/// application first, written in one transaction with its ledger entry, and only then sent to
/// the device.
/// </summary>
public sealed class CheckoutService(
    Database database,
    DeviceCache devices,
    UseTokenIssuer issuer,
    IApprovedDocuments documents,
    CommandService commands,
    DesiredStateService desiredStates,
    SealDirectory seals,
    LedgerService ledger,
    Alarms.AlarmService alarms,
    IOptions<CheckoutOptions> options,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<Checkout?> FindAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await CheckoutStore.FindAsync(applicationId, connection, null);
    }

    public async Task<IReadOnlyList<IssuedToken>> TokensAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await UseTokenStore.ForApplicationAsync(applicationId, connection, null);
    }

    public async Task<IReadOnlyList<Checkout>> ListAsync(string? holder, CheckoutStatus? status, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await CheckoutStore.ListAsync(holder, status is { } s ? Kebab.Of(s) : null, connection);
    }

    /// <summary>
    /// A keeper puts a seal into an empty compartment of a cabinet: the cabinet is told to open it
    /// for that seal's tag (<c>accept-return</c>); the seal is in the cabinet once the cabinet reports
    /// it <c>returned</c> with the right tag.
    /// </summary>
    public async Task<ChangeResult<CabinetOpening>> StowAsync(string sealId, string cabinetId, int compartment, string actor, CancellationToken cancellationToken = default)
    {
        if (await devices.FindAsync(cabinetId, cancellationToken) is not { Kind: DeviceKind.Cabinet, Retired: false } cabinet)
        {
            return ChangeResult<CabinetOpening>.Invalid("cabinetId", $"no cabinet {cabinetId}");
        }

        if (compartment < 1 || compartment > cabinet.Compartments)
        {
            return ChangeResult<CabinetOpening>.Invalid("compartment", $"cabinet {cabinetId} has compartments 1..{cabinet.Compartments}");
        }

        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            SealFacts? seal = await SealAsync(sealId, connection, null);
            if (seal is null)
            {
                return ChangeResult<CabinetOpening>.NotFound($"no seal {sealId}");
            }

            if (seal.RfidTag is null)
            {
                return ChangeResult<CabinetOpening>.Conflict($"seal {sealId} has no RFID tag registered: the cabinet could not recognise it");
            }

            if (await CheckoutStore.OutForSealAsync(sealId, connection, null) is { } open)
            {
                return ChangeResult<CabinetOpening>.Conflict($"seal {sealId} is out for application {open.ApplicationId}; it comes back by its return");
            }

            string place = CabinetPlace(cabinetId, compartment);
            string? occupant = (await seals.IdsAtAsync(SealLocationKind.Cabinet, place, connection, null)).FirstOrDefault(id => id != sealId);
            if (occupant != null)
            {
                return ChangeResult<CabinetOpening>.Conflict($"compartment {compartment} of {cabinetId} already holds seal {occupant}");
            }

            return await OpenForReturnAsync(cabinetId, compartment, seal, actor, cancellationToken);
        }
    }

    /// <summary>Opens the compartment a collected seal came from, for that seal only, so its holder can put it back.</summary>
    public async Task<ChangeResult<CabinetOpening>> AcceptReturnAsync(string applicationId, string requestedBy, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        Checkout? checkout = await CheckoutStore.FindAsync(applicationId, connection, null);
        if (checkout is null)
        {
            return ChangeResult<CabinetOpening>.NotFound($"no approved application {applicationId}");
        }

        if (checkout.Mode != "cabinet" || checkout.Status != CheckoutStatus.Out || checkout.DeviceId is null || checkout.Compartment is null)
        {
            return ChangeResult<CabinetOpening>.Conflict($"application {applicationId} has no seal out from a cabinet (it is {Kebab.Of(checkout.Status)})");
        }

        SealFacts seal = (await SealAsync(checkout.SealId, connection, null))!;
        return await OpenForReturnAsync(checkout.DeviceId, checkout.Compartment.Value, seal, requestedBy, cancellationToken);
    }

    /// <summary>
    /// Someone the edge gate recognised at a cabinet: if they hold a seal collected from this
    /// cabinet, its compartment opens for the return; otherwise their approved collection is dispensed.
    /// </summary>
    public async Task<string> ServeAtCabinetAsync(string person, string cabinetId, string gateReference, CancellationToken cancellationToken = default)
    {
        string? returning;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            returning = await connection.QueryFirstOrDefaultAsync<string>(
                "SELECT application_id FROM checkouts WHERE holder = @person AND mode = 'cabinet' AND status = 'out' AND device_id = @cabinetId ORDER BY out_ms",
                new { person, cabinetId });
        }

        if (returning != null)
        {
            ChangeResult<CabinetOpening> opened = await AcceptReturnAsync(returning, gateReference, cancellationToken);
            return opened.Status == ChangeStatus.Ok ? $"return of {returning}" : opened.Error ?? "return refused";
        }

        ChangeResult<Checkout> dispensed = await DispenseForAsync(person, cabinetId, gateReference, cancellationToken);
        return dispensed.Status == ChangeStatus.Ok ? $"dispense of {dispensed.Value!.ApplicationId}" : dispensed.Error ?? "dispense refused";
    }

    private async Task<ChangeResult<CabinetOpening>> OpenForReturnAsync(string cabinetId, int compartment, SealFacts seal, string requestedBy, CancellationToken cancellationToken)
    {
        CommandSendResult sent = await commands.SendAsync(
            cabinetId, new AcceptReturnBody { Compartment = compartment, SealId = seal.Id, ExpectedTag = seal.RfidTag }, requestedBy, options.Value.DispenseCommandTtl, cancellationToken: cancellationToken);
        logger.LogInformation("Compartment {Cabinet}/{Compartment} opens for the return of {Seal} ({By}): {Status}", cabinetId, compartment, seal.Id, requestedBy, sent.Status);
        return sent.Command is { } command
            ? ChangeResult<CabinetOpening>.Ok(new CabinetOpening(seal.Id, cabinetId, compartment, command.Id, command.Status))
            : ChangeResult<CabinetOpening>.Conflict($"cabinet {cabinetId} cannot take commands: {sent.Status}");
    }

    /// <summary>
    /// Opens the compartment holding the application's seal for its applicant: a cabinet token for
    /// that compartment (one use, minutes long) in a signed <c>dispense</c> command.
    /// </summary>
    public async Task<ChangeResult<Checkout>> DispenseAsync(string applicationId, string requestedBy, string? cabinetId = null, CancellationToken cancellationToken = default)
    {
        long now = Now;
        Checkout started;
        DispenseBody body;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            (ChangeResult<Checkout>? refused, Checkout? checkout, ApplicationRecord? application, SealFacts? seal) = await LoadForUseAsync(applicationId, ApplicationMode.Cabinet, now, connection, transaction);
            if (refused != null)
            {
                return refused;
            }

            if (seal!.LocationKind != "cabinet" || !TryParsePlace(seal.LocationRef, out string sealCabinet, out int compartment))
            {
                return ChangeResult<Checkout>.Conflict($"seal {seal.Id} is not in a cabinet (it is {Where(seal)})");
            }

            if (cabinetId != null && cabinetId != sealCabinet)
            {
                return ChangeResult<Checkout>.Conflict($"seal {seal.Id} is in cabinet {sealCabinet}, not {cabinetId}");
            }

            if (await devices.FindAsync(sealCabinet, cancellationToken) is not { Kind: DeviceKind.Cabinet, Retired: false } cabinet)
            {
                return ChangeResult<Checkout>.Conflict($"cabinet {sealCabinet} is not registered");
            }

            var claims = new UseTokenClaims
            {
                Id = NewTokenId(), DeviceId = cabinet.Id, Applicant = application!.Applicant, SealId = seal.Id, ApplicationId = application.Id,
                Mode = ApplicationMode.Cabinet, Uses = 1, Compartment = compartment, SealTag = seal.RfidTag,
                IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(now), NotBefore = DateTimeOffset.FromUnixTimeMilliseconds(now),
                Expires = DateTimeOffset.FromUnixTimeMilliseconds(now) + options.Value.CabinetTokenLifetime,
            };
            await UseTokenStore.InsertAsync(Issued(claims, requestedBy, now), connection, transaction);
            started = checkout! with { Status = CheckoutStatus.Dispensing, DeviceId = cabinet.Id, Compartment = compartment, TokenId = claims.Id, UpdatedMs = now };
            await CheckoutStore.UpdateAsync(started, connection, transaction);
            body = new DispenseBody { Compartment = compartment, SealId = seal.Id, ExpectedTag = seal.RfidTag, Token = issuer.Sign(claims, cabinet) };
            await transaction.CommitAsync(cancellationToken);
        }

        CommandSendResult sent = await commands.SendAsync(started.DeviceId!, body, requestedBy, options.Value.DispenseCommandTtl, cancellationToken: cancellationToken);
        logger.LogInformation("Dispense of {Seal} from {Cabinet}/{Compartment} for {Application} ({Holder}) requested by {By}: {Status}",
            started.SealId, started.DeviceId, started.Compartment, started.ApplicationId, started.Holder, requestedBy, sent.Status);
        return ChangeResult<Checkout>.Ok(started);
    }

    /// <summary>
    /// The applicant the edge gate recognised at <paramref name="cabinetId"/>: dispenses their
    /// approved, uncollected application for a seal in that cabinet (the earliest due first).
    /// </summary>
    public async Task<ChangeResult<Checkout>> DispenseForAsync(string applicant, string cabinetId, string gateReference, CancellationToken cancellationToken = default)
    {
        string? applicationId;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            IReadOnlyList<Checkout> awaiting = await CheckoutStore.CollectableAsync(applicant, Now, connection, null);
            HashSet<string> inCabinet = (await seals.FactsAsync(awaiting.Select(c => c.SealId).Distinct().ToArray(), connection, null))
                .Where(s => s.LocationKind == "cabinet" && s.LocationRef?.StartsWith(cabinetId + "/", StringComparison.Ordinal) == true)
                .Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            applicationId = awaiting.FirstOrDefault(c => inCabinet.Contains(c.SealId))?.ApplicationId;
        }

        if (applicationId == null)
        {
            logger.LogInformation("{Applicant} was recognised at {Cabinet} ({Gate}) but holds no approved collection of a seal in it", applicant, cabinetId, gateReference);
            return ChangeResult<Checkout>.NotFound($"{applicant} holds no approved, uncollected application for a seal in {cabinetId}");
        }

        return await DispenseAsync(applicationId, gateReference, cabinetId, cancellationToken);
    }

    /// <summary>
    /// Binds the application's seal into a portable lock for the trip: the lock token (stamps,
    /// window, area, documents, the seal's tag) goes to the lock as retained desired state.
    /// </summary>
    public async Task<ChangeResult<Checkout>> BindToLockAsync(string applicationId, string lockId, string? tagRead, string actor, CancellationToken cancellationToken = default)
    {
        if (await devices.FindAsync(lockId, cancellationToken) is not { Kind: DeviceKind.Lock, Retired: false } device)
        {
            return ChangeResult<Checkout>.Invalid("lockId", $"no portable lock {lockId}");
        }

        long now = Now;
        Checkout bound;
        string token;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            (ChangeResult<Checkout>? refused, Checkout? checkout, ApplicationRecord? application, SealFacts? seal) = await LoadForUseAsync(applicationId, ApplicationMode.Lock, now, connection, transaction);
            if (refused != null)
            {
                return refused;
            }

            if (tagRead != null && !string.Equals(tagRead, seal!.RfidTag, StringComparison.OrdinalIgnoreCase))
            {
                return ChangeResult<Checkout>.Conflict($"the tag read ({tagRead}) is not seal {seal.Id}'s ({seal.RfidTag ?? "none registered"}): wrong seal");
            }

            string? busy = await connection.QueryFirstOrDefaultAsync<string>(
                "SELECT application_id FROM checkouts WHERE device_id = @lockId AND mode = 'lock' AND status = 'out'", new { lockId }, transaction);
            if (busy != null)
            {
                return ChangeResult<Checkout>.Conflict($"lock {lockId} already carries the seal of application {busy}; return that trip first");
            }

            if (await desiredStates.FindAsync(lockId, connection, transaction) is { Enabled: false })
            {
                return ChangeResult<Checkout>.Conflict($"lock {lockId} is disabled; enable it before binding a seal");
            }

            ApplicationContent content = application!.Content;
            var claims = new UseTokenClaims
            {
                Id = NewTokenId(), DeviceId = lockId, Applicant = application.Applicant, SealId = seal!.Id, ApplicationId = application.Id,
                Mode = ApplicationMode.Lock, Uses = content.Stamps, SealTag = seal.RfidTag, Location = content.Location,
                Documents = await documents.ForApplicationAsync(application.Id, connection, transaction, cancellationToken),
                IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(now),
                NotBefore = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(now, content.WindowFromMs)),
                Expires = DateTimeOffset.FromUnixTimeMilliseconds(content.WindowToMs),
            };
            claims = claims with { OfflineUses = claims.Documents.Count > 0 ? Math.Min(options.Value.OfflineStamps, content.Stamps) : 0 };
            token = issuer.Sign(claims, device);
            await UseTokenStore.InsertAsync(Issued(claims, actor, now), connection, transaction);
            bound = checkout! with { Status = CheckoutStatus.Out, DeviceId = lockId, TokenId = claims.Id, OutMs = now, UpdatedMs = now };
            await CheckoutStore.UpdateAsync(bound, connection, transaction);
            await SealRegistry.SetLocationAsync(connection, transaction, seal.Id, SealLocationKind.Lock, lockId, now);
            await ledger.AppendAsync([Custody(seal.Id, actor, now, "bind", lockId, application.Id) with { TokenId = claims.Id }], connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await PushTokenAsync(lockId, token, actor, $"seal {bound.SealId} bound for {applicationId}", cancellationToken);
        return ChangeResult<Checkout>.Ok(bound);
    }

    /// <summary>
    /// Ends a trip: the seal comes out of the lock (into a cabinet compartment, or to the keeper taking it back),
    /// the token is revoked and the lock's desired state drops it and lists it as revoked.
    /// </summary>
    public async Task<ChangeResult<Checkout>> ReturnFromLockAsync(string applicationId, string? cabinetId, int? compartment, string actor, CancellationToken cancellationToken = default)
    {
        long now = Now;
        Checkout returned;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            Checkout? checkout = await CheckoutStore.FindAsync(applicationId, connection, transaction);
            if (checkout is null)
            {
                return ChangeResult<Checkout>.NotFound($"no approved application {applicationId}");
            }

            if (checkout.Mode != "lock" || checkout.Status != CheckoutStatus.Out)
            {
                return ChangeResult<Checkout>.Conflict($"application {applicationId} has no seal out in a lock (it is {Kebab.Of(checkout.Status)})");
            }

            SealFacts seal = (await SealAsync(checkout.SealId, connection, transaction))!;
            // Without a compartment the seal is with whoever took it back from the lock.
            (SealLocationKind kind, string place) = (SealLocationKind.Person, actor);
            if (cabinetId != null)
            {
                if (await devices.FindAsync(cabinetId, cancellationToken) is not { Kind: DeviceKind.Cabinet } cabinet || compartment is not { } c || c < 1 || c > cabinet.Compartments)
                {
                    return ChangeResult<Checkout>.Invalid("compartment", $"no compartment {compartment} in cabinet {cabinetId}");
                }

                (kind, place) = (SealLocationKind.Cabinet, CabinetPlace(cabinetId, c));
            }

            if (checkout.TokenId != null)
            {
                await UseTokenStore.RevokeAsync(checkout.TokenId, "returned", now, connection, transaction);
            }

            returned = checkout with { Status = CheckoutStatus.Returned, ReturnedMs = now, UpdatedMs = now };
            await CheckoutStore.UpdateAsync(returned, connection, transaction);
            if (checkout.OverdueMs != null)
            {
                await alarms.ClearAsync(checkout.DeviceId!, CheckoutAlarms.OverdueReturn, 0, actor, $"seal {seal.Id} returned", connection, transaction, cancellationToken);
            }

            await SealRegistry.SetLocationAsync(connection, transaction, seal.Id, kind, place, now);
            await ledger.AppendAsync([Custody(seal.Id, actor, now, "unbind", place, applicationId) with { DeviceId = checkout.DeviceId, TokenId = checkout.TokenId }], connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await PushTokenAsync(returned.DeviceId!, null, actor, $"seal {returned.SealId} returned from {applicationId}", cancellationToken);
        return ChangeResult<Checkout>.Ok(returned);
    }

    /// <summary>Withdraws the permission: an uncollected application is cancelled; a lock's live token is revoked and the lock told at once.</summary>
    public async Task<ChangeResult<Checkout>> RevokeAsync(string applicationId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        long now = Now;
        Checkout changed;
        string? pushTo = null;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            Checkout? checkout = await CheckoutStore.FindAsync(applicationId, connection, transaction);
            if (checkout is null)
            {
                return ChangeResult<Checkout>.NotFound($"no approved application {applicationId}");
            }

            if (checkout.Status is CheckoutStatus.Returned or CheckoutStatus.Cancelled)
            {
                return ChangeResult<Checkout>.Conflict($"application {applicationId} is already {Kebab.Of(checkout.Status)}");
            }

            if (checkout.TokenId != null && await UseTokenStore.RevokeAsync(checkout.TokenId, reason, now, connection, transaction) && checkout.Mode == "lock")
            {
                pushTo = checkout.DeviceId;
            }

            // A trip in progress stays out (the seal is still in the lock) but can no longer stamp.
            changed = checkout.Status == CheckoutStatus.Out ? checkout with { UpdatedMs = now } : checkout with { Status = CheckoutStatus.Cancelled, UpdatedMs = now };
            await CheckoutStore.UpdateAsync(changed, connection, transaction);
            await ledger.AppendAsync([Custody(checkout.SealId, actor, now, "revoke", reason, applicationId) with { TokenId = checkout.TokenId }], connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (pushTo != null)
        {
            await PushTokenAsync(pushTo, null, actor, $"token of {applicationId} revoked: {reason}", cancellationToken);
        }

        return ChangeResult<Checkout>.Ok(changed);
    }

    public static string CabinetPlace(string cabinetId, int compartment) => cabinetId + "/" + compartment.ToString(CultureInfo.InvariantCulture);

    public static bool TryParsePlace(string? place, out string cabinetId, out int compartment)
    {
        cabinetId = string.Empty;
        compartment = 0;
        int slash = place?.LastIndexOf('/') ?? -1;
        if (slash <= 0 || !int.TryParse(place![(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out compartment))
        {
            return false;
        }

        cabinetId = place[..slash];
        return true;
    }

    /// <summary>The checks every way out shares: an approved application of this mode, inside its window, its seal in use and not out.</summary>
    private async Task<(ChangeResult<Checkout>? Refused, Checkout? Checkout, ApplicationRecord? Application, SealFacts? Seal)> LoadForUseAsync(
        string applicationId, ApplicationMode mode, long now, DbConnection connection, DbTransaction transaction)
    {
        Checkout? checkout = await CheckoutStore.FindAsync(applicationId, connection, transaction);
        ApplicationRecord? application = await ApplicationService.ReadAsync(applicationId, connection, transaction);
        if (checkout is null || application is null)
        {
            return (application is null ? ChangeResult<Checkout>.NotFound($"no application {applicationId}") : ChangeResult<Checkout>.Conflict($"application {applicationId} is not approved"), null, null, null);
        }

        string wanted = mode == ApplicationMode.Cabinet ? "cabinet" : "lock";
        if (checkout.Mode != wanted)
        {
            return (ChangeResult<Checkout>.Conflict($"application {applicationId} is for {(checkout.Mode == "cabinet" ? "collection at a cabinet" : "a portable lock")}, not {(wanted == "cabinet" ? "collection at a cabinet" : "a portable lock")}"), null, null, null);
        }

        if (checkout.Status != CheckoutStatus.Awaiting)
        {
            return (ChangeResult<Checkout>.Conflict($"application {applicationId} is already {Kebab.Of(checkout.Status)}"), null, null, null);
        }

        if (now >= application.Content.WindowToMs)
        {
            return (ChangeResult<Checkout>.Conflict($"the approved window of {applicationId} ended at {DateTimeOffset.FromUnixTimeMilliseconds(application.Content.WindowToMs):u}"), null, null, null);
        }

        if (mode == ApplicationMode.Cabinet && now < application.Content.WindowFromMs)
        {
            return (ChangeResult<Checkout>.Conflict($"the approved window of {applicationId} starts at {DateTimeOffset.FromUnixTimeMilliseconds(application.Content.WindowFromMs):u}"), null, null, null);
        }

        SealFacts seal = (await SealAsync(checkout.SealId, connection, transaction))!;
        if (seal.State != "in-use")
        {
            return (ChangeResult<Checkout>.Conflict($"seal {seal.Id} is {seal.State}: it cannot be used"), null, null, null);
        }

        if (await CheckoutStore.OutForSealAsync(seal.Id, connection, transaction) is { } other)
        {
            return (ChangeResult<Checkout>.Conflict($"seal {seal.Id} is out for application {other.ApplicationId}"), null, null, null);
        }

        if (await SealHolds.HeldReasonAsync(seal.Id, connection, transaction) is { } held)
        {
            return (ChangeResult<Checkout>.Conflict($"seal {seal.Id} is disabled remotely ({held}); enable it first"), null, null, null);
        }

        return (null, checkout, application, seal);
    }

    private async Task PushTokenAsync(string lockId, string? token, string actor, string reason, CancellationToken cancellationToken)
    {
        string[] revoked;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            revoked = await UseTokenStore.RevokedLiveAsync(lockId, Now, connection, null);
        }

        DesiredStateResult result = await desiredStates.SetAsync(lockId, current => current with { Token = token, Revoked = revoked }, reason, actor, cancellationToken);
        if (result.Status != DesiredStateStatus.Ok)
        {
            logger.LogError("The token change for {Lock} was recorded but its desired state was not: {Status} {Problems}", lockId, result.Status,
                string.Join("; ", result.Problems?.SelectMany(p => p.Value) ?? []));
        }
    }

    private static IssuedToken Issued(UseTokenClaims claims, string by, long now) => new()
    {
        Jti = claims.Id, ApplicationId = claims.ApplicationId, SealId = claims.SealId, DeviceId = claims.DeviceId,
        Mode = claims.Mode == ApplicationMode.Cabinet ? "cabinet" : "lock", Compartment = claims.Compartment > 0 ? claims.Compartment : null,
        Uses = claims.Uses, NotBeforeMs = claims.NotBefore.ToUnixTimeMilliseconds(), ExpiresMs = claims.Expires.ToUnixTimeMilliseconds(), IssuedMs = now, IssuedBy = by,
    };

    private static string NewTokenId() => "tok-" + Guid.NewGuid().ToString("n");

    private async Task<SealFacts?> SealAsync(string sealId, DbConnection connection, DbTransaction? transaction) =>
        (await seals.FactsAsync([sealId], connection, transaction)).SingleOrDefault();

    private static string Where(SealFacts seal) => seal.LocationKind + (seal.LocationRef is null ? string.Empty : " " + seal.LocationRef);

    private static LedgerEntry Custody(string sealId, string actor, long now, string action, string where, string? applicationId) => new()
    {
        SealId = sealId, Kind = LedgerKinds.Custody, AtMs = now, Actor = actor, ApplicationId = applicationId,
        Fields = new Dictionary<string, string> { ["action"] = action, ["where"] = where },
    };
}
