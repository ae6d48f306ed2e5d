using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.FaceRecognition.Templates;
using static SmartSeal.Cloud.Tests.Authorization.MatrixRow;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>
/// The fixture request and callers of every endpoint the cloud maps, keyed by method and route
/// pattern. <see cref="AuthorizationMatrixTests"/> fails for a mapped endpoint without a row here
/// (and for a row whose endpoint is gone), so a new endpoint cannot ship without its cases.
/// </summary>
public static class AuthorizationMatrix
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static IReadOnlyList<MatrixRow> Rows { get; } =
    [
        // Open by design.
        Send("POST", "/api/auth/login", Gate.Anonymous, w => "/api/auth/login", w => new { login = w.A.Keeper, password = OrgWorld.Password }),
        new MatrixRow("ANY /health/live", Gate.Anonymous) { Note = "load balancer probe: status only" },
        new MatrixRow("ANY /health/ready", Gate.Anonymous) { Note = "load balancer probe: status per check, no paths or versions" },
        Get("/openapi/{documentName}.json", Gate.Anonymous, _ => "/openapi/v1.json") with { Note = "the API description: routes and shapes, no data" },
        Get("/api/reference/{documentName?}", Gate.Anonymous, _ => "/api/reference") with { Note = "the API reference page (Scalar)" },
        Get("/api/reference/favicon.svg", Gate.Anonymous, _ => "/api/reference/favicon.svg"),
        Get("/api/reference/scalar.js", Gate.Anonymous, _ => "/api/reference/scalar.js"),
        Get("/api/reference/scalar.aspnetcore.js", Gate.Anonymous, _ => "/api/reference/scalar.aspnetcore.js"),
        new MatrixRow("GET /api/gates/{id}/templates", Gate.DeviceSigned, w => Task.FromResult(new MatrixRequest($"/api/gates/{w.GateA}/templates")
        {
            RightAuthorization = DeviceRequestSignature.Header(w.GateA, w.GateKey, "GET", $"/api/gates/{w.GateA}/templates", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        }))
        {
            Right = "anonymous", Note = "the gate signs the request with its device key (SmartSeal-Device); a user token is not a gate",
        },

        // Any signed-in user: their own identity, the unit tree.
        Send("POST", "/api/auth/password", Gate.SignedIn, _ => "/api/auth/password", _ => new { currentPassword = OrgWorld.Password, newPassword = "Another-Horse-43" }) with { Right = "spare" },
        Send("POST", "/api/auth/logout", Gate.SignedIn, w => Task.FromResult(new MatrixRequest("/api/auth/logout"))) with { Right = "leaving" },
        Get("/api/me", Gate.SignedIn, _ => "/api/me"),
        Get("/api/org/units", Gate.SignedIn, _ => "/api/org/units") with { Note = "the unit tree (names only) is the organisation's map" },
        Get("/api/org/delegations", Gate.SignedIn, _ => "/api/org/delegations") with { Note = "organisation-wide: who stands in for whom" },
        Get("/api/seals/lifecycle", Gate.SignedIn, _ => "/api/seals/lifecycle") with { Note = "the lifecycle table, no data" },
        Get("/api/events/stream", Gate.SignedIn, _ => "/api/events/stream") with { Note = "live events filtered to the caller's units (LiveFeedAudience)" },

        // Organisation administration: sysadmins; the directory for auditors and keepers.
        Send("POST", "/api/org/units", Gate.Role, _ => "/api/org/units", w => new { id = OrgWorld.Unique("u"), parentId = w.A.Province, nameZh = "新单位" }) with { Right = "admin", WrongRole = "keeperA" },
        Get("/api/org/users", Gate.Role, _ => "/api/org/users") with { Right = "auditorA", WrongRole = "applicantA", Note = "organisation-wide directory" },
        Get("/api/org/users/{login}", Gate.Role, w => $"/api/org/users/{w.A.Keeper}") with { Right = "auditorA", WrongRole = "applicantA", Note = "organisation-wide directory" },
        Send("POST", "/api/org/users", Gate.Role, _ => "/api/org/users", w => new { login = OrgWorld.Unique("new"), displayName = "新用户", unitId = w.A.City, post = "职员", password = OrgWorld.Password }) with { Right = "admin", WrongRole = "keeperA" },
        Send("PUT", "/api/org/users/{login}/password", Gate.Role, w => $"/api/org/users/{w.SpareUser}/password", _ => new { password = OrgWorld.Password }) with { Right = "admin", WrongRole = "keeperA" },
        Send("PUT", "/api/org/users/{login}/active", Gate.Role, w => $"/api/org/users/{w.SpareUser}/active", _ => new { active = true }) with { Right = "admin", WrongRole = "keeperA" },
        Send("POST", "/api/org/users/{login}/roles", Gate.Role, w => $"/api/org/users/{w.SpareUser}/roles", w => new { role = "auditor", unitId = w.A.City }) with { Right = "admin", WrongRole = "keeperA" },
        new MatrixRow("DELETE /api/org/users/{login}/roles/{role}/{unitId}", Gate.Role, w => Task.FromResult(new MatrixRequest($"/api/org/users/{w.SpareUser}/roles/auditor/{w.A.City}"))) { Right = "admin", WrongRole = "keeperA" },
        Send("POST", "/api/org/delegations", Gate.Role, _ => "/api/org/delegations", w => new { fromLogin = w.A.Owner, toLogin = w.A.Keeper, startsMs = Now, endsMs = Now + 3_600_000, reason = "出差" }) with { Right = "admin", WrongRole = "keeperA" },
        new MatrixRow("ANY /metrics", Gate.Role, _ => Task.FromResult(new MatrixRequest("/metrics"))) with { Right = "admin", WrongRole = "auditorA", Note = "counters for the operator's scraper (admin API key)" },

        // Seals: listed within the caller's units, kept by the keepers of the seal's unit.
        Get("/api/seals", Gate.SignedIn, _ => "/api/seals") with { OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/seals/{id}", Gate.SignedIn, w => $"/api/seals/{w.A.SealId}") with { OtherUnit = "keeperB" },
        Send("POST", "/api/seals", Gate.Role, _ => "/api/seals", w => new { name = "合同章", type = "contract", unitId = w.A.Province, level = 2 }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{id}/transitions", Gate.Role, async w =>
        {
            HttpResponseMessage registered = await w.A.KeeperClient.PostAsJsonAsync("/api/seals", new { name = "新章", type = "contract", unitId = w.A.Province, level = 2 });
            return new MatrixRequest($"/api/seals/{await MatrixWorld.IdOfAsync(registered)}/transitions", new { action = "engrave" });
        }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/seals/{id}/transition-requests", Gate.Role, w => $"/api/seals/{w.A.SealId}/transition-requests") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{id}/transition-requests/{requestId:long}/approve", Gate.Role, w => FourEyesRequestAsync(w, "approve")) with { Right = "admin", WrongRole = "auditorA", OtherUnit = "keeperB", Note = "the requesting keeper may not decide (four eyes): a sysadmin approves" },
        Send("POST", "/api/seals/{id}/transition-requests/{requestId:long}/reject", Gate.Role, w => FourEyesRequestAsync(w, "reject")) with { Right = "admin", WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{id}/custody", Gate.Role, async w => new MatrixRequest($"/api/seals/{await w.FreshSealAsync()}/custody", new { custodian = w.A.Keeper, reason = "交接", withPerson = false })) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{sealId}/stow", Gate.Role, async w => new MatrixRequest($"/api/seals/{await w.FreshSealAsync()}/stow", new { cabinetId = w.CabinetA, compartment = 2 })) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{sealId}/disable", Gate.Role, async w => new MatrixRequest($"/api/seals/{await w.FreshSealAsync()}/disable", new { reason = "遗失" })) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{sealId}/enable", Gate.Role, async w =>
        {
            string seal = await w.FreshSealAsync();
            (await w.Org.Admin.PostAsJsonAsync($"/api/seals/{seal}/disable", new { reason = "遗失" })).EnsureSuccessStatusCode();
            return new MatrixRequest($"/api/seals/{seal}/enable", new { reason = "找回" });
        }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/seals/board", Gate.SignedIn, _ => "/api/seals/board") with { OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/seals/board/{sealId}", Gate.SignedIn, w => $"/api/seals/board/{w.A.SealId}") with { OtherUnit = "keeperB" },
        Send("POST", "/api/inventory-checks", Gate.Role, _ => "/api/inventory-checks", w => new { unitId = w.A.Province }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/inventory-checks/{id:long}", Gate.Role, w => $"/api/inventory-checks/{w.InventoryA}") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/inventory-checks/{id:long}/observations", Gate.Role, w => $"/api/inventory-checks/{w.InventoryA}/observations", w => new { source = "handheld", tags = new[] { w.A.Tag } }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/inventory-checks/{id:long}/close", Gate.Role, w => $"/api/inventory-checks/{w.InventoryA}/close", _ => null) with { WrongRole = "auditorA", OtherUnit = "keeperB" },

        // Applications: the applicant's own, the approvers of the current step.
        Send("POST", "/api/applications", Gate.Role, _ => "/api/applications", w => Checkouts.CheckoutEndToEndTests.Request(w.A.SealId, "lock", 1)) with { Right = "applicantA", WrongRole = "keeperA", OtherUnit = "applicantB" },
        Get("/api/applications/mine", Gate.SignedIn, _ => "/api/applications/mine") with { Right = "applicantA", OtherUnit = "applicantB", HiddenFromOtherUnit = w => w.CheckoutA },
        Get("/api/applications/{id}", Gate.SignedIn, w => $"/api/applications/{w.CheckoutA}") with { Right = "applicantA", OtherUnit = "applicantB" },
        Send("POST", "/api/applications/{id}/withdraw", Gate.SignedIn, async w => new MatrixRequest($"/api/applications/{await w.PendingApplicationAsync()}/withdraw", new { })) with { Right = "applicantA", OtherUnit = "applicantB" },
        Send("POST", "/api/applications/{id}/resubmit", Gate.SignedIn, async w =>
        {
            string id = await w.PendingApplicationAsync();
            (await w.A.HeadClient.PostAsJsonAsync($"/api/approvals/{id}/return", new { comment = "补充材料" })).EnsureSuccessStatusCode();
            return new MatrixRequest($"/api/applications/{id}/resubmit", Checkouts.CheckoutEndToEndTests.Request(w.A.SealId, "lock", 2));
        }) with { Right = "applicantA", OtherUnit = "applicantB" },
        Send("POST", "/api/applications/{id}/urge", Gate.SignedIn, async w => new MatrixRequest($"/api/applications/{await w.PendingApplicationAsync()}/urge")) with
        {
            Right = "applicantA", OtherUnit = "applicantB", Success = [409], Note = "a fresh application has no overdue step: 409 after authorization (the applicant of another unit gets 404)",
        },
        Get("/api/applications/{id}/follow-ups", Gate.SignedIn, w => $"/api/applications/{w.CheckoutA}/follow-ups") with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/approvals/inbox", Gate.SignedIn, _ => "/api/approvals/inbox") with { Right = "headA" },
        Get("/api/approvals/overdue", Gate.SignedIn, _ => "/api/approvals/overdue") with { Right = "headA" },
        Get("/api/approvals/lead-times", Gate.Role, _ => "/api/approvals/lead-times") with { Right = "auditorA", WrongRole = "applicantA", Note = "organisation-wide lead-time statistics (no names)" },
        Send("POST", "/api/approvals/{applicationId}/approve", Gate.SignedIn, async w => new MatrixRequest($"/api/approvals/{await w.PendingApplicationAsync()}/approve", new { comment = "同意" })) with { Right = "headA", WrongRole = "applicantA", OtherUnit = "headB" },
        Send("POST", "/api/approvals/{applicationId}/reject", Gate.SignedIn, async w => new MatrixRequest($"/api/approvals/{await w.PendingApplicationAsync()}/reject", new { comment = "不同意" })) with { Right = "headA", WrongRole = "applicantA", OtherUnit = "headB" },
        Send("POST", "/api/approvals/{applicationId}/return", Gate.SignedIn, async w => new MatrixRequest($"/api/approvals/{await w.PendingApplicationAsync()}/return", new { comment = "补充" })) with { Right = "headA", WrongRole = "applicantA", OtherUnit = "headB" },
        Send("POST", "/api/approvals/batch-approve", Gate.SignedIn, async w => new MatrixRequest("/api/approvals/batch-approve", new { applicationIds = new[] { await w.PendingApplicationAsync() }, comment = "同意" })) with
        {
            Right = "headA", WrongRole = "applicantA", OtherUnit = "headB", DeniedPerItem = true,
        },
        Send("POST", "/api/approvals/{id}/delegate", Gate.SignedIn, async w => new MatrixRequest($"/api/approvals/{await w.PendingApplicationAsync()}/delegate", new { toLogin = w.A.Owner, reason = "出差" })) with { Right = "headA", WrongRole = "applicantA", OtherUnit = "headB" },

        // Documents of an application: its applicant and approvers.
        Send("POST", "/api/applications/{id}/documents", Gate.SignedIn, async w => new MatrixRequest($"/api/applications/{await w.PendingApplicationAsync()}/documents", Body: () =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Documents.TestDocuments.Pdf(Documents.TestDocuments.ContractPages));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "合同.pdf");
            return form;
        })) with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/applications/{id}/documents", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/documents") with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/applications/{id}/documents/{docId}/approved-copy", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/documents/{w.DocumentA}/approved-copy") with
        {
            Right = "applicantA", OtherUnit = "applicantB", Success = [409], Note = "the application is not approved yet: 409 after authorization",
        },
        Get("/api/applications/{id}/document-verdicts", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/document-verdicts") with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/applications/{id}/stamp-evidence", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/stamp-evidence") with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/applications/{id}/documents/{docId}/pages/{page:int}/image", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/documents/{w.DocumentA}/pages/1/image") with { Right = "applicantA", OtherUnit = "applicantB" },

        // Checkouts: the keepers of the seal's unit; applicants their own.
        Get("/api/checkouts", Gate.SignedIn, _ => "/api/checkouts") with { OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.CheckoutA },
        Get("/api/checkouts/{applicationId}", Gate.SignedIn, w => $"/api/checkouts/{w.CheckoutA}") with { OtherUnit = "keeperB" },
        Send("POST", "/api/checkouts/{applicationId}/dispense", Gate.Role, w => $"/api/checkouts/{w.CheckoutA}/dispense", _ => null) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Success = [409], Note = "a lock-mode checkout is not dispensed at a cabinet: 409 after authorization",
        },
        Send("POST", "/api/checkouts/{applicationId}/accept-return", Gate.Role, w => $"/api/checkouts/{w.CheckoutA}/accept-return", _ => null) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Success = [409], Note = "nothing is out at a cabinet: 409 after authorization",
        },
        Send("POST", "/api/checkouts/{applicationId}/bind", Gate.Role, w => $"/api/checkouts/{w.CheckoutA}/bind", w => new { lockId = w.LockA }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/checkouts/{applicationId}/return", Gate.Role, w => $"/api/checkouts/{w.CheckoutA}/return", _ => new { }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/checkouts/{applicationId}/revoke", Gate.Role, async w => new MatrixRequest($"/api/checkouts/{await w.ApprovedApplicationAsync()}/revoke", new { reason = "取消" })) with { WrongRole = "auditorA", OtherUnit = "keeperB" },

        // Devices, their commands, desired state and tracks: the keepers of the device's unit.
        Get("/api/devices", Gate.Role, _ => "/api/devices") with { WrongRole = "auditorA", OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.LockA },
        Get("/api/devices/{id}", Gate.Role, w => $"/api/devices/{w.LockA}") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/devices", Gate.Role, _ => "/api/devices", w => new { deviceId = OrgWorld.Unique("lock-new"), kind = "lock", orgUnit = w.A.Province }) with { Right = "admin", WrongRole = "keeperA" },
        Send("POST", "/api/devices/{id}/rotate-key", Gate.Role, w => $"/api/devices/{w.SpareLockA}/rotate-key", _ => null) with { Right = "admin", WrongRole = "keeperA" },
        Send("POST", "/api/devices/{id}/retire", Gate.Role, w => $"/api/devices/{w.RetireLockA}/retire", _ => null) with { Right = "admin", WrongRole = "keeperA" },
        Get("/api/devices/{id}/track", Gate.Role, w => $"/api/devices/{w.LockA}/track") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/devices/{id}/commands", Gate.Role, w => $"/api/devices/{w.LockA}/commands", _ => new { type = "locate", body = new { } }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/devices/{id}/commands", Gate.Role, w => $"/api/devices/{w.LockA}/commands") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/devices/{id}/commands/{commandId}", Gate.Role, w => $"/api/devices/{w.LockA}/commands/{w.CommandA}") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/devices/{id}/desired-state", Gate.Role, w => $"/api/devices/{w.LockA}/desired-state") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("PUT", "/api/devices/{id}/desired-state", Gate.Role, w => $"/api/devices/{w.LockA}/desired-state", _ => new { enabled = true, reason = "核对" }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/devices/{id}/disable", Gate.Role, w => $"/api/devices/{w.LockA}/disable", _ => new { reason = "遗失" }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/devices/{id}/enable", Gate.Role, w => $"/api/devices/{w.LockA}/enable", _ => new { reason = "找回" }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("PUT", "/api/gates/{id}/cabinet", Gate.Role, w => $"/api/gates/{w.GateA}/cabinet", w => new { cabinetId = w.CabinetA }) with { Right = "admin", WrongRole = "keeperA" },

        // Alarms: the keepers of the raising device's unit.
        Get("/api/alarms", Gate.Role, _ => "/api/alarms") with { WrongRole = "auditorA", OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.LockA },
        Get("/api/alarms/{id:long}", Gate.Role, w => $"/api/alarms/{w.AlarmA}") with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/alarms/{id:long}/acknowledge", Gate.Role, w => $"/api/alarms/{w.AlarmA}/acknowledge", _ => new { comment = "已知" }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Send("POST", "/api/alarms/{id:long}/clear", Gate.Role, w => $"/api/alarms/{w.AlarmA}/clear", _ => new { comment = "处理完毕" }) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        Get("/api/alarms/{id:long}/deliveries", Gate.Role, w => $"/api/alarms/{w.AlarmA}/deliveries") with { WrongRole = "auditorA", OtherUnit = "keeperB" },

        // Photos: auditors and keepers of the sending device's unit.
        Get("/api/photos/{sha256}", Gate.Role, w => $"/api/photos/{w.PhotoA}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/photos/{sha256}/thumbnail", Gate.Role, w => $"/api/photos/{w.PhotoA}/thumbnail") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/photos/devices/{deviceId}/{photoId}", Gate.Role, w => $"/api/photos/devices/{w.LockA}/{w.PhotoIdA}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/photos/attempts/{attemptId}", Gate.Role, w => $"/api/photos/attempts/{w.AttemptA}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.PhotoA },
        Get("/api/photos/uploads", Gate.Role, w => $"/api/photos/uploads?deviceId={w.LockA}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },

        // The ledger, its evidence, exports and reports: auditors and keepers of the chain's unit.
        Get("/api/ledger", Gate.Role, w => "/api/ledger?limit=500") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/ledger/{id:long}", Gate.Role, w => $"/api/ledger/{w.LedgerEntryA}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/ledger/verify", Gate.Role, w => $"/api/ledger/verify?seal={w.A.SealId}") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/ledger/checkpoints", Gate.Role, _ => "/api/ledger/checkpoints") with { Right = "auditorA", WrongRole = "applicantA", Note = "signed hashes over all chain heads, no entry data" },
        Send("POST", "/api/ledger/checkpoints", Gate.Role, _ => "/api/ledger/checkpoints", _ => null) with { Right = "admin", WrongRole = "keeperA" },
        Get("/api/ledger/public-key", Gate.Role, _ => "/api/ledger/public-key") with { Right = "auditorA", WrongRole = "applicantA" },
        Get("/api/ledger/timestamp/certificate", Gate.Role, _ => "/api/ledger/timestamp/certificate") with { Right = "auditorA", WrongRole = "applicantA", Note = "the time-stamping authority's certificate, no entry data" },
        Send("POST", "/api/ledger/timestamp", Gate.Role, _ => Task.FromResult(new MatrixRequest("/api/ledger/timestamp", Body: TimeStampQuery))) with { Right = "auditorA", WrongRole = "applicantA", Note = "RFC 3161 time stamps over a hash the caller sends, no entry data" },
        Get("/api/ledger/{id:long}/evidence", Gate.Role, w => $"/api/ledger/{w.LedgerEntryA}/evidence") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/ledger/{id:long}/evidence/page.png", Gate.Role, w => $"/api/ledger/{w.LedgerEntryA}/evidence/page.png") with
        {
            Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", Success = [404],
            Note = "the registration entry has no stamped page: the right caller's 404 says 'no evidence page', the other unit's 'no ledger entry' (checked)",
        },
        Get("/api/ledger/export.csv", Gate.Role, w => "/api/ledger/export.csv") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/ledger/export.pdf", Gate.Role, w => $"/api/ledger/export.pdf?seal={w.A.SealId}") with { Right = "auditorA", WrongRole = "applicantA", Note = "the same scope as the CSV (LedgerReadScope)" },
        Get("/api/reports/quarterly", Gate.Role, _ => "/api/reports/quarterly") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/reports/quarterly.pdf", Gate.Role, _ => "/api/reports/quarterly.pdf") with { Right = "auditorA", WrongRole = "applicantA", Note = "the same scope as the JSON report" },
        Get("/api/reports/charts/uses", Gate.Role, _ => "/api/reports/charts/uses") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.A.SealId },
        Get("/api/reports/charts/incidents", Gate.Role, _ => "/api/reports/charts/incidents") with { Right = "auditorA", WrongRole = "applicantA", Note = "counts within the caller's scope" },
        Get("/api/reports/charts/lead-times", Gate.Role, _ => "/api/reports/charts/lead-times") with { Right = "auditorA", WrongRole = "applicantA", Note = "statistics within the caller's scope" },
        Get("/api/reports/retention", Gate.Role, _ => "/api/reports/retention") with { Right = "auditorA", WrongRole = "applicantA", Note = "the retention rule and the oldest entry's date" },

        // Faces: keepers enrol the people of their units.
        Send("POST", "/api/faces/{login}", Gate.Role, w => Task.FromResult(new MatrixRequest($"/api/faces/{w.A.Applicant}", Body: () => new MultipartFormDataContent { { new StringContent("x"), "note" } }))) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Success = [400], Note = "no photos in the form: 400 after authorization (another unit's keeper gets 404 'no user in your units')",
        },
        Get("/api/faces/{login}", Gate.Role, w => $"/api/faces/{w.A.Applicant}") with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Success = [404], Note = "not enrolled: 'no enrolment', the other unit's keeper 'no user in your units' (checked)",
        },
        new MatrixRow("DELETE /api/faces/{login}", Gate.Role, w => Task.FromResult(new MatrixRequest($"/api/faces/{w.A.Applicant}"))) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Success = [404], Note = "not enrolled: 'no enrolment', the other unit's keeper 'no user in your units' (checked)",
        },

        // issue 17 govops: every signed-in user's own notices and channel choices (another person's notice is 404: WorkNoticeTests).
        Get("/api/notifications", Gate.SignedIn, _ => "/api/notifications") with { Right = "applicantA" },
        Send("POST", "/api/notifications/{id:long}/read", Gate.SignedIn, _ => Task.FromResult(new MatrixRequest("/api/notifications/999999999/read"))) with
        {
            Right = "applicantA", Success = [404], Note = "no such notice of the caller: 404 after authorization",
        },
        Send("POST", "/api/notifications/read-all", Gate.SignedIn, _ => Task.FromResult(new MatrixRequest("/api/notifications/read-all"))) with { Right = "applicantA" },
        Get("/api/notifications/{id:long}/deliveries", Gate.SignedIn, _ => "/api/notifications/999999999/deliveries") with
        {
            Right = "applicantA", Success = [404], Note = "no such notice of the caller: 404 after authorization",
        },
        Get("/api/notifications/settings", Gate.SignedIn, _ => "/api/notifications/settings") with { Right = "applicantA" },
        Send("PUT", "/api/notifications/settings", Gate.SignedIn, _ => "/api/notifications/settings", _ => new { language = "en", channels = Array.Empty<string>() }) with { Right = "applicantA" },
        Get("/api/risk", Gate.Role, _ => "/api/risk") with { WrongRole = "applicantA", OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.A.SealId, Note = "flags of the caller's units only (RiskApiTests: another unit's keeper sees none)" },
        // eseal: the electronic form of a register seal, kept by the keepers of the seal's unit; the CA's chain and CRL are public.
        Send("POST", "/api/seals/{id}/e-seal", Gate.Role, async w => new MatrixRequest($"/api/seals/{await w.FreshSealAsync()}/e-seal")) with { WrongRole = "auditorA", OtherUnit = "keeperB" },
        new MatrixRow("GET /api/seals/{id}/e-seal", Gate.SignedIn, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal")) with { OtherUnit = "keeperB" },
        Send("POST", "/api/seals/{id}/e-seal/transitions", Gate.Role, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/transitions", new { action = "revoke", reason = "作废" })) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Note = "revoke of a requested e-seal: no key on a token needed",
        },
        new MatrixRow("GET /api/seals/{id}/e-seal/certificate", Gate.SignedIn, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/certificate")) with
        {
            OtherUnit = "keeperB", Success = [404], Note = "not made yet: 'no certificate yet', the other unit's keeper 'no e-seal' (checked)",
        },
        Get("/api/e-seals/ca/crl", Gate.Anonymous, _ => "/api/e-seals/ca/crl") with { Note = "the CA's revocation list: what every relying party must fetch" },
        Get("/api/e-seals/ca/chain", Gate.Anonymous, _ => "/api/e-seals/ca/chain") with { Note = "the CA certificates a verifier trusts" },
        // govchains (issue 17): approval routing — chains, previews, seal scopes, placements.
        Get("/api/approval-chains", Gate.Role, _ => "/api/approval-chains") with { WrongRole = "applicantA", Note = "chain definitions name units and posts, no people" },
        Send("PUT", "/api/approval-chains/{name}", Gate.Role, _ => $"/api/approval-chains/{OrgWorld.Unique("matrix")}", w => new { unitId = w.A.Province, purposes = new[] { "matrix-only" }, steps = new[] { new { name = "head", kind = "role", roles = new[] { "approver" } } } }) with
        {
            WrongRole = "applicantA", OtherUnit = "keeperB", Note = "a keeper stores chains only for units they keep (403 for the other province)",
        },
        new MatrixRow("DELETE /api/approval-chains/{name}", Gate.Role, w => Task.FromResult(new MatrixRequest($"/api/approval-chains/{OrgWorld.Unique("none")}"))) with
        {
            WrongRole = "applicantA", Success = [404], Note = "no such chain: 404 after authorization; another unit's chain is 403 (ApprovalChains.DeleteAsync)",
        },
        Send("POST", "/api/approval-chains/preview", Gate.Role, _ => "/api/approval-chains/preview", w => new { applicant = w.A.Applicant, sealId = w.A.SealId }) with
        {
            WrongRole = "applicantA", OtherUnit = "keeperB", Note = "previewed as the applicant: another province's seal is not on their line (404)",
        },
        Get("/api/seal-scopes/{sealId}", Gate.SignedIn, w => $"/api/seal-scopes/{w.A.SealId}") with { Success = [200, 404], Note = "the scope tells applicants what a seal serves; no scope set is 404" },
        Send("PUT", "/api/seal-scopes/{sealId}", Gate.Role, w => $"/api/seal-scopes/{w.A.SealId}", _ => new { }) with { WrongRole = "applicantA", OtherUnit = "keeperB" },
        Send("PUT", "/api/org/users/{login}/placement", Gate.Role, w => $"/api/org/users/{w.SpareUser}/placement", w => new { unitId = w.A.City, post = "职员" }) with { Right = "admin", WrongRole = "keeperA" },
        Send("POST", "/api/applications/{id}/e-seal", Gate.SignedIn, async w => new MatrixRequest($"/api/applications/{await w.ApprovedApplicationAsync()}/e-seal", new { documentId = "doc-none", placement = new { everyPage = true } })) with
        {
            Right = "applicantA", OtherUnit = "applicantB", Success = [409], Note = "a lock application: the applicant hears 'not electronic sealing' after authorization, another unit's applicant 'only the applicant' (403)",
        },
        Get("/api/applications/{id}/e-sealings", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/e-sealings") with { Right = "applicantA", OtherUnit = "applicantB" },
        // eseal2 (issue 16 item 7): remote print
        Send("POST", "/api/applications/{id}/e-sealings/{sealingId}/print", Gate.SignedIn, async w => new MatrixRequest($"/api/applications/{await w.ApprovedApplicationAsync()}/e-sealings/es-none/print", new { copies = 1 })) with
        {
            Right = "applicantA", OtherUnit = "applicantB", Success = [404], Note = "no sealing in the matrix world: the applicant hears 'no sealing', another unit's applicant 'only the applicant' (403); printing is checked in RemotePrintTests",
        },
        Get("/api/applications/{id}/e-prints", Gate.SignedIn, w => $"/api/applications/{w.DocumentApplicationA}/e-prints") with { Right = "applicantA", OtherUnit = "applicantB" },
        Get("/api/e-sealed/{sha256}", Gate.SignedIn, _ => "/api/e-sealed/" + new string('0', 64)) with
        {
            Right = "applicantA", OtherUnit = "applicantB", Success = [404], Note = "no sealing in the matrix world (no token): 404 for all; who may download is checked in ESealingApiTests",
        },
        Send("POST", "/api/e-seals/verify", Gate.Anonymous, _ => Task.FromResult(new MatrixRequest("/api/e-seals/verify", Body: () => new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray())))) with
        {
            Note = "anyone who received a sealed PDF verifies it",
        },
        // issue-22 docs2: the page check's evidence image beside a ledger entry
        Get("/api/ledger/{id:long}/evidence/difference.jpg", Gate.Role, w => $"/api/ledger/{w.LedgerEntryA}/evidence/difference.jpg") with
        {
            Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", Success = [404],
            Note = "the registration entry has no page check: the right caller's 404 says 'no page-check evidence image', the other unit's 'no ledger entry' (checked)",
        },
        // issue 17 govaudit: auditors audit their units; the assigned unit's keeper or head answers (AuditApiTests checks each refusal's reason).
        Send("POST", "/api/audits", Gate.Role, _ => "/api/audits", w => OpenAudit(w)) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", Note = "an auditor of every unit named" },
        Get("/api/audits", Gate.Role, _ => "/api/audits") with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB", HiddenFromOtherUnit = w => w.A.Province },
        new MatrixRow("GET /api/audits/{id:long}", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}")) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Send("POST", "/api/audits/{id:long}/items/{itemId:long}/check", Gate.Role, async w =>
        {
            string audit = await AuditAsync(w);
            JsonElement read = await w["auditorA"].GetFromJsonAsync<JsonElement>($"/api/audits/{audit}");
            return new MatrixRequest($"/api/audits/{audit}/items/{read.GetProperty("items")[0].GetProperty("id").GetInt64()}/check", new { outcome = "ok" });
        }) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Send("POST", "/api/audits/{id:long}/findings", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}/findings", Finding(w))) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Send("POST", "/api/audits/{id:long}/findings/{findingId:long}/rectification", Gate.Role, async w => new MatrixRequest($"{await FindingAsync(w)}/rectification", Rectification(w))) with
        {
            Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB",
        },
        Send("POST", "/api/audits/{id:long}/findings/{findingId:long}/answer", Gate.SignedIn, async w =>
        {
            string finding = await FindingAsync(w);
            (await w["auditorA"].PostAsJsonAsync($"{finding}/rectification", Rectification(w))).EnsureSuccessStatusCode();
            return new MatrixRequest($"{finding}/answer", new { answer = "已整改" });
        }) with { Right = "keeperA", OtherUnit = "keeperB", Note = "the keeper or head (approver) of the assigned unit; outside it 404, an auditor of it 403" },
        Send("POST", "/api/audits/{id:long}/findings/{findingId:long}/review", Gate.Role, async w =>
        {
            string finding = await FindingAsync(w);
            (await w["auditorA"].PostAsJsonAsync($"{finding}/rectification", Rectification(w))).EnsureSuccessStatusCode();
            (await w.A.KeeperClient.PostAsJsonAsync($"{finding}/answer", new { answer = "已整改" })).EnsureSuccessStatusCode();
            return new MatrixRequest($"{finding}/review", new { accept = true });
        }) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Send("POST", "/api/audits/{id:long}/close", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}/close")) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        new MatrixRow("GET /api/audits/{id:long}/scores", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}/scores")) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        new MatrixRow("GET /api/audits/{id:long}/report.csv", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}/report.csv")) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        new MatrixRow("GET /api/audits/{id:long}/report.pdf", Gate.Role, async w => new MatrixRequest($"/api/audits/{await AuditAsync(w)}/report.pdf")) with { Right = "auditorA", WrongRole = "applicantA", OtherUnit = "auditorB" },
        Get("/api/audits/rectifications", Gate.SignedIn, _ => "/api/audits/rectifications") with { Right = "keeperA", OtherUnit = "keeperB", HiddenFromOtherUnit = w => w.A.Province },
        // eseal3 (issue 16 item 2): a legacy seal's scan as the impression, managed by the keepers of the seal's unit
        Send("POST", "/api/seals/{id}/e-seal/impression-scans", Gate.Role, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/impression-scans", Body: ScanUpload)) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB", Note = "the other province's keeper does not see the seal (404); refusals of bad uploads in ImpressionScanApiTests",
        },
        new MatrixRow("GET /api/seals/{id}/e-seal/impression-scans", Gate.SignedIn, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/impression-scans")) with { OtherUnit = "keeperB" },
        new MatrixRow("GET /api/seals/{id}/e-seal/impression-scans/{scanId}/original", Gate.SignedIn, async w => new MatrixRequest(await ScanAsync(w) + "/original")) with { OtherUnit = "keeperB" },
        Send("PUT", "/api/seals/{id}/e-seal/impression", Gate.Role, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/impression", new { source = "rendered" })) with
        {
            WrongRole = "auditorA", OtherUnit = "keeperB",
        },
        new MatrixRow("GET /api/seals/{id}/e-seal/impression.svg", Gate.SignedIn, async w => new MatrixRequest($"/api/seals/{await FreshESealAsync(w)}/e-seal/impression.svg")) with { OtherUnit = "keeperB" },
    ];

    /// <summary>
    /// Portal pages: anonymous callers are sent to sign in (the three account pages are open). What a
    /// signed-in user sees on them comes from the same services and the unit authority; the device
    /// page's disable/enable posts are checked across units in <see cref="CrossUnitTests"/>.
    /// </summary>
    public static IReadOnlyList<MatrixRow> Pages { get; } =
    [
        new("PAGE /Account/SignIn", Gate.Anonymous), new("PAGE /Account/Denied", Gate.Anonymous), new("PAGE /Account/Language", Gate.Anonymous),
        new("PAGE /", Gate.Page), new("PAGE /Index", Gate.Page), new("PAGE /Account/SignOut", Gate.Page),
        new("PAGE /Alarms", Gate.Page), new("PAGE /Alarms/Index", Gate.Page),
        new("PAGE /Applications", Gate.Page), new("PAGE /Applications/Index", Gate.Page), new("PAGE /Applications/New", Gate.Page), new("PAGE /Applications/Detail/{id}", Gate.Page),
        new("PAGE /Approvals", Gate.Page), new("PAGE /Approvals/Index", Gate.Page),
        new("PAGE /Board", Gate.Page), new("PAGE /Board/Index", Gate.Page),
        new("PAGE /Devices", Gate.Page), new("PAGE /Devices/Index", Gate.Page), new("PAGE /Devices/Detail/{id}", Gate.Page),
        new("PAGE /Keeper", Gate.Page), new("PAGE /Keeper/Index", Gate.Page), new("PAGE /Keeper/Faces", Gate.Page), new("PAGE /Keeper/Inventory", Gate.Page),
        new("PAGE /Ledger", Gate.Page), new("PAGE /Ledger/Index", Gate.Page), new("PAGE /Ledger/Entry/{id:long}", Gate.Page),
        new("PAGE /Map", Gate.Page), new("PAGE /Map/Index", Gate.Page),
        new("PAGE /Reports/Charts", Gate.Page), new("PAGE /Reports/Exports", Gate.Page), new("PAGE /Reports/Quarterly", Gate.Page),
        new("PAGE /Seals", Gate.Page), new("PAGE /Seals/Index", Gate.Page),
        new("GET /portal/events", Gate.Page) { Note = "the portal's live stream (cookie sign-in)" },

        // issue 17 govops
        new("PAGE /Notices", Gate.Page), new("PAGE /Notices/Index", Gate.Page), new("PAGE /Keeper/Risk", Gate.Page),
        // govchains (issue 17)
        new("PAGE /Keeper/Chains", Gate.Page),
        new("PAGE /Verify", Gate.Anonymous) { Note = "eseal: anyone verifies a sealed PDF" }, new("PAGE /Verify/Index", Gate.Anonymous),
        // issue 17 govaudit
        new("PAGE /Audits", Gate.Page), new("PAGE /Audits/Index", Gate.Page), new("PAGE /Audits/Detail/{id:long}", Gate.Page), new("PAGE /Audits/Rectifications", Gate.Page),
        // eseal2 (issue 16): keepers manage e-seals; sealing and downloads are handlers of /Applications/Detail and /Ledger/Entry
        new("PAGE /Seals/Electronic", Gate.Page),
        // issue 18: the portal's 404 page, where a GET for an unknown page URL is re-executed (signed in or not)
        new("PAGE /NotFound", Gate.Anonymous) { Success = [404], Note = "the portal's 404 page: no data, always status 404" },
    ];

    /// <summary>Every row: the API's and the portal's.</summary>
    public static IReadOnlyList<MatrixRow> All { get; } = [.. Rows, .. Pages];

    // issue 17 govaudit
    private static object OpenAudit(MatrixWorld w) => new { title = "矩阵审计", fromMs = Now - 86_400_000, toMs = Now + 3_600_000, unitIds = new[] { w.A.Province }, seed = 7 };

    private static object Finding(MatrixWorld w) => new { unitId = w.A.Province, severity = "minor", description = "登记不全" };

    private static object Rectification(MatrixWorld w) => new { unitId = w.A.Province, deadlineMs = Now + 7 * 86_400_000L };

    /// <summary>A fresh audit of A's province by A's auditor: its id.</summary>
    private static async Task<string> AuditAsync(MatrixWorld w) => await MatrixWorld.IdOfAsync(await w["auditorA"].PostAsJsonAsync("/api/audits", OpenAudit(w)));

    /// <summary>A fresh finding on a fresh audit of A: its path.</summary>
    private static async Task<string> FindingAsync(MatrixWorld w)
    {
        string audit = await AuditAsync(w);
        return $"/api/audits/{audit}/findings/{await MatrixWorld.IdOfAsync(await w["auditorA"].PostAsJsonAsync($"/api/audits/{audit}/findings", Finding(w)))}";
    }

    // eseal3: a scan of a legacy seal's impression, as a keeper uploads it (multipart, field 'file').
    private static HttpContent ScanUpload()
    {
        var file = new ByteArrayContent(SmartSeal.Cloud.Tests.ESeals.ScannedSeals.Png());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "file", "印模.png" } };
    }

    /// <summary>A fresh e-seal of A with one uploaded scan: the scan's path.</summary>
    private static async Task<string> ScanAsync(MatrixWorld w)
    {
        string seal = await FreshESealAsync(w);
        HttpResponseMessage uploaded = await w.A.KeeperClient.PostAsync($"/api/seals/{seal}/e-seal/impression-scans", ScanUpload());
        uploaded.EnsureSuccessStatusCode();
        return $"/api/seals/{seal}/e-seal/impression-scans/{(await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("scan").GetProperty("id").GetString()}";
    }

    /// <summary>A fresh seal of A with its electronic twin (requested).</summary>
    private static async Task<string> FreshESealAsync(MatrixWorld w)
    {
        string seal = await w.FreshSealAsync();
        (await w.A.KeeperClient.PostAsync($"/api/seals/{seal}/e-seal", null)).EnsureSuccessStatusCode();
        return seal;
    }

    private static async Task<MatrixRequest> FourEyesRequestAsync(MatrixWorld w, string decision)
    {
        string seal = await w.FreshSealAsync();
        HttpResponseMessage requested = await w.A.KeeperClient.PostAsJsonAsync($"/api/seals/{seal}/transitions", new { action = "revoke", reason = "作废" });
        string requestId = await MatrixWorld.IdOfAsync(requested);
        return new MatrixRequest($"/api/seals/{seal}/transition-requests/{requestId}/{decision}", new { comment = "核准" });
    }

    /// <summary>Texts the right caller's 404 must carry where the other unit's 404 would say "not found" as well.</summary>
    public static string? RightNotFoundMentions(MatrixRow row) => row.Key switch
    {
        "GET /api/ledger/{id:long}/evidence/page.png" => "page",
        "GET /api/ledger/{id:long}/evidence/difference.jpg" => "evidence image",
        "GET /api/faces/{login}" or "DELETE /api/faces/{login}" => "enrol",
        "GET /api/seals/{id}/e-seal/certificate" => "certificate",
        "POST /api/applications/{id}/e-sealings/{sealingId}/print" => "no sealing",
        _ => null,
    };

    /// <summary>An RFC 3161 request (<c>application/timestamp-query</c>) over some hash.</summary>
    private static HttpContent TimeStampQuery()
    {
        byte[] query = System.Security.Cryptography.Pkcs.Rfc3161TimestampRequest.CreateFromHash(
            System.Security.Cryptography.SHA256.HashData("matrix"u8), System.Security.Cryptography.HashAlgorithmName.SHA256, requestSignerCertificates: true).Encode();
        var content = new ByteArrayContent(query);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-query");
        return content;
    }
}
