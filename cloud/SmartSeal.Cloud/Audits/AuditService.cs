using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// The audit workflow: open (the checklist is generated: a reproducible sample of the period's ledger
/// entries of the units, the before/after photos of sampled stamps, the units' stocktakes in the
/// period), tick lines, record findings, assign rectification to a unit with a deadline, the unit
/// answers, the auditor accepts (the finding closes) or returns it, and closes the audit once no
/// rectification is pending. Every refusal says why; nothing changes on a refusal.
/// </summary>
public sealed class AuditService(
    AuditStore store, OrgStore org, LedgerReader ledger, LedgerEvidence evidence, SealDirectory seals, SealRegistry register, IOptionsMonitor<AuditOptions> options, TimeProvider time,
    ILogger<AuditService> logger)
{
    private const int MaxDescription = 2000;

    public async Task<ChangeResult<Audit>> OpenAsync(OpenAuditRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        string title = request.Title?.Trim() ?? "";
        if (title.Length is < 1 or > 200)
        {
            problems["title"] = ["is required (1..200 characters)"];
        }

        if (request.FromMs is not { } from || request.ToMs is not { } to || from >= to || to - from > (long)TimeSpan.FromDays(366).TotalMilliseconds)
        {
            problems["fromMs"] = ["the period must start before it ends and span at most 366 days"];
        }

        string[] units = (request.UnitIds ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).ToArray();
        if (units.Length == 0)
        {
            problems["unitIds"] = ["name at least one unit"];
        }

        foreach (string unit in units)
        {
            if (await org.FindUnitAsync(unit, cancellationToken) is null)
            {
                problems["unitIds"] = [$"no unit {unit}"];
            }
        }

        if (problems.Count > 0)
        {
            return ChangeResult<Audit>.Invalid(problems);
        }

        if (!caller.Audits(units))
        {
            logger.LogWarning("Audit refused: {Actor} is not an auditor of {Units}", caller.Actor, string.Join(",", units));
            return ChangeResult<Audit>.Forbidden($"{caller.Actor} is not an auditor of every unit named ({string.Join(", ", units)})");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long seed = request.Seed ?? BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        IReadOnlyList<AuditItem> items = await ChecklistAsync(units, request.FromMs!.Value, request.ToMs!.Value, seed, caller.Actor, cancellationToken);
        var audit = new Audit(0, title, request.FromMs.Value, request.ToMs.Value, units, seed, caller.Actor, now, null, null, items, []);
        long id = await store.InsertAsync(audit, cancellationToken);
        return ChangeResult<Audit>.Ok((await store.ReadAsync(id, cancellationToken))!);
    }

    /// <summary>The checklist: sampled entries (in id order), a photo pair for each sampled stamp with both photos, then the stocktakes.</summary>
    private async Task<IReadOnlyList<AuditItem>> ChecklistAsync(string[] units, long fromMs, long toMs, long seed, string actor, CancellationToken cancellationToken)
    {
        AuditOptions settings = options.CurrentValue;
        // Only seal chains are sampled (seal use and custody), not the organisation's or devices' admin chains;
        // a line belongs to its seal's unit, so a finding on it is that unit's.
        var audience = new LedgerAudience(actor, false, units);
        Dictionary<string, string> sealUnits = (await register.ListAsync(audience.AsReader(), null, null, cancellationToken)).ToDictionary(s => s.Id, s => s.UnitId, StringComparer.Ordinal);
        var candidates = new Dictionary<long, StoredLedgerEntry>();
        foreach (string unit in units)
        {
            await foreach (StoredLedgerEntry entry in ledger.StreamAsync(audience, new LedgerFilter(UnitId: unit, FromMs: fromMs, ToMs: toMs), cancellationToken))
            {
                if (sealUnits.ContainsKey(entry.SealId))
                {
                    candidates.TryAdd(entry.Id, entry);
                }
            }
        }

        var items = new List<AuditItem>();
        var photoPairs = new List<AuditItem>();
        foreach (long id in AuditSampler.Sample(candidates.Keys, seed, settings.SampleSize))
        {
            StoredLedgerEntry entry = candidates[id];
            string unit = sealUnits[entry.SealId];
            items.Add(new AuditItem(0, items.Count, AuditItemKinds.LedgerEntry, id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.SealId, unit, entry.AtMs, null, null, null, null, null, null));
            if (entry.Kind == LedgerKinds.Stamp && photoPairs.Count < settings.PhotoPairs)
            {
                EntryEvidence found = await evidence.ForAsync(entry, cancellationToken, verifyChain: false);
                string? before = found.Photos.FirstOrDefault(p => p.Purpose == "before" && !p.IsClip)?.Sha256;
                string? after = found.Photos.LastOrDefault(p => p.Purpose == "after" && !p.IsClip)?.Sha256;
                if (before is not null && after is not null)
                {
                    photoPairs.Add(new AuditItem(0, 0, AuditItemKinds.PhotoPair, id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.SealId, unit, entry.AtMs, before, after, null, null, null, null));
                }
            }
        }

        items.AddRange(photoPairs.Select(p => p with { Position = items.Count + photoPairs.IndexOf(p) }));
        IReadOnlySet<string> subtree = await org.SubtreesAsync(units, cancellationToken);
        foreach (InventoryCheckSummary check in (await seals.InventoryChecksAsync([.. subtree], 200, cancellationToken))
            .Where(c => c.StartedMs >= fromMs && c.StartedMs <= toMs).OrderBy(c => c.Id))
        {
            items.Add(new AuditItem(0, items.Count, AuditItemKinds.Stocktake, check.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, check.UnitId, check.StartedMs, null, null, null, null, null, null));
        }

        return items;
    }

    /// <summary>The audit if the caller audits its units (null: not found, or not theirs to see).</summary>
    public async Task<Audit?> ReadAsync(long id, AuditCaller caller, CancellationToken cancellationToken) =>
        await store.ReadAsync(id, cancellationToken) is { } audit && caller.Audits(audit.UnitIds) ? audit : null;

    public async Task<IReadOnlyList<Audit>> ListAsync(AuditCaller caller, CancellationToken cancellationToken) =>
        (await store.ListAsync(500, cancellationToken)).Where(a => caller.Audits(a.UnitIds)).ToList();

    public async Task<ChangeResult<AuditItem>> CheckAsync(long auditId, long itemId, CheckItemRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        if (request.Outcome is not ("ok" or "finding"))
        {
            return ChangeResult<AuditItem>.Invalid("outcome", "is ok or finding");
        }

        if (request.Note is { Length: > MaxDescription })
        {
            return ChangeResult<AuditItem>.Invalid("note", $"at most {MaxDescription} characters");
        }

        if ((await OpenAuditAsync(auditId, caller, cancellationToken)).Error is { } refused)
        {
            return Refuse<AuditItem>(refused);
        }

        if (!await store.CheckItemAsync(auditId, itemId, request.Outcome, request.Note, caller.Actor, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            return ChangeResult<AuditItem>.NotFound($"no checklist line {itemId} in audit {auditId}");
        }

        return ChangeResult<AuditItem>.Ok((await store.ReadAsync(auditId, cancellationToken))!.Items.Single(i => i.Id == itemId));
    }

    public async Task<ChangeResult<AuditFinding>> RecordAsync(long auditId, RecordFindingRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (request.Severity is null || !FindingSeverity.All.Contains(request.Severity))
        {
            problems["severity"] = ["is minor (轻微), moderate (一般) or severe (严重)"];
        }

        if (string.IsNullOrWhiteSpace(request.Description) || request.Description.Length > MaxDescription)
        {
            problems["description"] = [$"is required (1..{MaxDescription} characters)"];
        }

        if (problems.Count > 0)
        {
            return ChangeResult<AuditFinding>.Invalid(problems);
        }

        (Audit? audit, ChangeResult<object>? error) = await OpenAuditAsync(auditId, caller, cancellationToken);
        if (error is not null)
        {
            return Refuse<AuditFinding>(error);
        }

        AuditItem? item = request.ItemId is { } itemId ? audit!.Items.FirstOrDefault(i => i.Id == itemId) : null;
        if (request.ItemId is not null && item is null)
        {
            return ChangeResult<AuditFinding>.Invalid("itemId", $"no checklist line {request.ItemId} in audit {auditId}");
        }

        string? unit = request.UnitId ?? item?.UnitId;
        if (unit is null || !(await org.SubtreesAsync(audit!.UnitIds, cancellationToken)).Contains(unit))
        {
            return ChangeResult<AuditFinding>.Invalid("unitId", $"name a unit of the audit ({string.Join(", ", audit!.UnitIds)}) or one below it");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var finding = new AuditFinding(0, auditId, item?.Id, unit, request.Severity!, request.Description!.Trim(), caller.Actor, now, FindingStatus.Open,
            null, null, null, null, null, null, null, 0, null, null);
        long id = await store.InsertFindingAsync(finding, cancellationToken);
        return ChangeResult<AuditFinding>.Ok(finding with { Id = id });
    }

    public async Task<ChangeResult<AuditFinding>> AssignAsync(long auditId, long findingId, AssignRectificationRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (request.DeadlineMs is not { } deadline || deadline <= now)
        {
            return ChangeResult<AuditFinding>.Invalid("deadlineMs", "is required and must lie in the future");
        }

        (Audit? audit, ChangeResult<object>? error) = await OpenAuditAsync(auditId, caller, cancellationToken);
        if (error is not null)
        {
            return Refuse<AuditFinding>(error);
        }

        if (audit!.Findings.FirstOrDefault(f => f.Id == findingId) is not { } finding)
        {
            return ChangeResult<AuditFinding>.NotFound($"no finding {findingId} in audit {auditId}");
        }

        string unit = request.UnitId ?? finding.UnitId;
        if (!(await org.SubtreesAsync(audit.UnitIds, cancellationToken)).Contains(unit))
        {
            return ChangeResult<AuditFinding>.Invalid("unitId", $"name a unit of the audit ({string.Join(", ", audit.UnitIds)}) or one below it");
        }

        if (finding.Status != FindingStatus.Open)
        {
            return ChangeResult<AuditFinding>.Conflict($"finding {findingId} is {finding.Status}: rectification is assigned once, to an open finding");
        }

        return await SaveAsync(finding with { Status = FindingStatus.Rectifying, RectifyUnit = unit, DeadlineMs = deadline, AssignedMs = now }, finding.Status, cancellationToken);
    }

    /// <summary>The unit's keeper or head answers a rectification assigned to their unit.</summary>
    public async Task<ChangeResult<AuditFinding>> AnswerAsync(long auditId, long findingId, AnswerRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Answer) || request.Answer.Length > MaxDescription)
        {
            return ChangeResult<AuditFinding>.Invalid("answer", $"is required (1..{MaxDescription} characters)");
        }

        Audit? audit = await store.ReadAsync(auditId, cancellationToken);
        AuditFinding? finding = audit?.Findings.FirstOrDefault(f => f.Id == findingId);
        if (finding is null || (!caller.Answers(finding.RectifyUnit) && !caller.Audits(audit!.UnitIds)))
        {
            return ChangeResult<AuditFinding>.NotFound($"no finding {findingId} in audit {auditId}");
        }

        if (!caller.Answers(finding.RectifyUnit))
        {
            logger.LogWarning("Rectification answer refused: {Actor} is not keeper or head of {Unit} (finding {Finding})", caller.Actor, finding.RectifyUnit, findingId);
            return ChangeResult<AuditFinding>.Forbidden($"{caller.Actor} is not a keeper or head of {finding.RectifyUnit ?? "the unit"}, which answers finding {findingId}");
        }

        if (finding.Status != FindingStatus.Rectifying)
        {
            return ChangeResult<AuditFinding>.Conflict($"finding {findingId} is {finding.Status}: only a finding under rectification is answered");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await SaveAsync(finding with { Status = FindingStatus.Answered, Answer = request.Answer.Trim(), AnsweredBy = caller.Actor, AnsweredMs = now }, finding.Status, cancellationToken);
    }

    /// <summary>The auditor accepts the answer (the finding closes for good) or returns it to the unit (it answers again, by the same deadline).</summary>
    public async Task<ChangeResult<AuditFinding>> ReviewAsync(long auditId, long findingId, ReviewRequest request, AuditCaller caller, CancellationToken cancellationToken)
    {
        if (request.Accept is not { } accept)
        {
            return ChangeResult<AuditFinding>.Invalid("accept", "is true (accept the answer) or false (return it)");
        }

        if (!accept && string.IsNullOrWhiteSpace(request.Note))
        {
            return ChangeResult<AuditFinding>.Invalid("note", "say why the answer is returned");
        }

        (Audit? audit, ChangeResult<object>? error) = await OpenAuditAsync(auditId, caller, cancellationToken);
        if (error is not null)
        {
            return Refuse<AuditFinding>(error);
        }

        if (audit!.Findings.FirstOrDefault(f => f.Id == findingId) is not { } finding)
        {
            return ChangeResult<AuditFinding>.NotFound($"no finding {findingId} in audit {auditId}");
        }

        if (finding.Status != FindingStatus.Answered)
        {
            return ChangeResult<AuditFinding>.Conflict($"finding {findingId} is {finding.Status}: only an answered finding is accepted or returned");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        AuditFinding reviewed = accept
            ? finding with { Status = FindingStatus.Closed, ReviewNote = request.Note?.Trim(), ClosedBy = caller.Actor, ClosedMs = now }
            : finding with { Status = FindingStatus.Rectifying, ReviewNote = request.Note!.Trim(), Returns = finding.Returns + 1 };
        return await SaveAsync(reviewed, finding.Status, cancellationToken);
    }

    public async Task<ChangeResult<Audit>> CloseAsync(long auditId, AuditCaller caller, CancellationToken cancellationToken)
    {
        (Audit? audit, ChangeResult<object>? error) = await OpenAuditAsync(auditId, caller, cancellationToken);
        if (error is not null)
        {
            return Refuse<Audit>(error);
        }

        long[] pending = audit!.Findings.Where(f => f.Status is FindingStatus.Rectifying or FindingStatus.Answered).Select(f => f.Id).ToArray();
        if (pending.Length > 0)
        {
            return ChangeResult<Audit>.Conflict($"rectification still open for finding(s) {string.Join(", ", pending)}: accept their answers first");
        }

        if (!await store.CloseAsync(auditId, caller.Actor, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            return ChangeResult<Audit>.Conflict($"audit {auditId} changed meanwhile (closed, or a rectification was assigned): read it again");
        }

        return ChangeResult<Audit>.Ok((await store.ReadAsync(auditId, cancellationToken))!);
    }

    /// <summary>Findings assigned for rectification to the units the caller answers for (keeper or head).</summary>
    public async Task<IReadOnlyList<AuditFinding>> RectificationsAsync(AuditCaller caller, CancellationToken cancellationToken) =>
        caller.Everything ? [] : await store.AssignedToAsync([.. caller.AnswerUnits], cancellationToken);

    public IReadOnlyList<UnitScore> Scores(Audit audit) =>
        AuditScoring.Score(audit.UnitIds, audit.Findings, options.CurrentValue, audit.ClosedMs ?? time.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<(Audit? Audit, ChangeResult<object>? Error)> OpenAuditAsync(long auditId, AuditCaller caller, CancellationToken cancellationToken)
    {
        Audit? audit = await ReadAsync(auditId, caller, cancellationToken);
        if (audit is null)
        {
            return (null, ChangeResult<object>.NotFound($"no audit {auditId}"));
        }

        return audit.Closed ? (audit, ChangeResult<object>.Conflict($"audit {auditId} is closed: its checklist and findings no longer change")) : (audit, null);
    }

    private async Task<ChangeResult<AuditFinding>> SaveAsync(AuditFinding changed, string expectedStatus, CancellationToken cancellationToken) =>
        await store.UpdateFindingAsync(changed, expectedStatus, cancellationToken)
            ? ChangeResult<AuditFinding>.Ok(changed)
            : ChangeResult<AuditFinding>.Conflict($"finding {changed.Id} changed meanwhile: read it again");

    private static ChangeResult<T> Refuse<T>(ChangeResult<object> error) => new(error.Status, Error: error.Error, Problems: error.Problems);
}
