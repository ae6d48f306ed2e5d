using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>Where the demo's devices are and how to reach their simulated hardware.</summary>
internal sealed record DemoDevices(string Cabinet, string TripLock, string OtherLock, Uri CabinetHands, Uri TripLockHands, Uri OtherLockHands, double Lat, double Lon);

/// <summary>
/// The scripted walk-through (<c>--tour</c>): the real flows, through the same API the portal
/// uses, with the simulated hardware moved by its tester's hands (<c>--control-port</c>): a seal
/// stowed and collected at the cabinet and brought back, a lock trip with two stamps and a refused
/// third, a tamper alarm, a remote disable acknowledged by the device, and the ledger verified.
/// </summary>
internal sealed class DemoTour(HttpClient admin, DemoDevices devices, DemoGate? gate, CancellationToken cancellationToken)
{
    private readonly HttpClient _hands = new() { Timeout = TimeSpan.FromSeconds(15) };

    public async Task RunAsync()
    {
        AnsiConsole.Write(new Rule("[bold]tour[/]"));
        HttpClient keeper = await DemoOffice.SignInAsync(admin.BaseAddress!, DemoOffice.Keeper, cancellationToken);
        HttpClient applicant = await DemoOffice.SignInAsync(admin.BaseAddress!, DemoOffice.Applicant, cancellationToken);
        HttpClient head = await DemoOffice.SignInAsync(admin.BaseAddress!, DemoOffice.Head, cancellationToken);
        HttpClient owner = await DemoOffice.SignInAsync(admin.BaseAddress!, DemoOffice.Owner, cancellationToken);
        foreach (string id in new[] { devices.Cabinet, devices.TripLock, devices.OtherLock })
        {
            await WaitAsync(async () => (await admin.GetFromJsonAsync<JsonNode>($"/api/devices/{id}", cancellationToken))?["online"]?.GetValue<bool>() == true, $"{id} online", 60);
        }

        DemoSeal contract = DemoOffice.ContractSeal;
        Step($"1. {DemoOffice.Keeper.Name} stows the contract seal in compartment 1 of {devices.Cabinet}");
        if (await LocationAsync(keeper, contract) != $"{devices.Cabinet}/1")
        {
            await SendAsync(keeper, $"/api/seals/{contract.Id}/stow", new { cabinetId = devices.Cabinet, compartment = 1 });
            await WaitCabinetAsync("1:Returning");
            await PutBackAsync(1, contract.Tag);
            await WaitAsync(async () => await LocationAsync(keeper, contract) == $"{devices.Cabinet}/1", "the cabinet reported the seal in compartment 1");
        }

        Done($"in {devices.Cabinet}/1");

        Step($"2. {DemoOffice.Applicant.Name} applies to collect it; {DemoOffice.Head.Name} and {DemoOffice.Owner.Name} approve");
        string collection = await ApplyAndApproveAsync(applicant, head, owner, contract, "cabinet", 1);
        Done($"application {collection} approved");

        var clock = Stopwatch.StartNew();
        if (gate is not null)
        {
            Step($"3. {DemoOffice.Applicant.Name} looks into the edge gate's camera: recognised, the cabinet dispenses with a single-use token; the door opens, the seal leaves, the door closes");
            Task<int> walkUp = gate.WalkUpAsync(1, cancellationToken);
            await WaitCabinetAsync("1:Dispensing", 90);
            Done($"compartment 1 released {clock.ElapsedMilliseconds} ms after {DemoOffice.Applicant.Name} stepped up (gate start, template sync, frames, decision, dispense); gate log {gate.LogOf(1)}");
            await walkUp;
        }
        else
        {
            Step($"3. At the cabinet the keeper dispenses the seal to {DemoOffice.Applicant.Name} with a single-use cabinet token; the door opens, the seal leaves, the door closes");
            await SendAsync(keeper, $"/api/checkouts/{collection}/dispense", null);
            await WaitCabinetAsync("1:Dispensing");
            Done($"compartment 1 released {clock.ElapsedMilliseconds} ms after the request");
        }

        await TakeOutAsync(1);
        await WaitAsync(async () => await CheckoutStatusAsync(keeper, collection) == "out", "the cabinet reported the seal dispensed");
        Done($"the seal is with {await LocationAsync(keeper, contract)}");

        Step("4. The return: the compartment opens for that seal only, the right tag goes back in");
        if (gate is not null)
        {
            Task<int> walkUp = gate.WalkUpAsync(2, cancellationToken);
            await WaitCabinetAsync("1:Returning", 90);
            Done($"the gate recognised {DemoOffice.Applicant.Name} holding the seal: compartment 1 opened for its return");
            await walkUp;
        }
        else
        {
            await SendAsync(keeper, $"/api/checkouts/{collection}/accept-return", null);
            await WaitCabinetAsync("1:Returning");
        }

        await PutBackAsync(1, contract.Tag);
        await WaitAsync(async () => await CheckoutStatusAsync(keeper, collection) == "returned", "the cabinet reported the seal returned");
        Done($"back in {await LocationAsync(keeper, contract)}");

        DemoSeal finance = DemoOffice.FinanceSeal;
        Step($"5. A trip: {DemoOffice.Applicant.Name} takes the finance seal out in {devices.TripLock} for 2 stamps within 500 m; approved; {DemoOffice.Keeper.Name} binds it");
        string trip = await ApplyAndApproveAsync(applicant, head, owner, finance, "lock", 2);
        await SendAsync(keeper, $"/api/checkouts/{trip}/bind", new { lockId = devices.TripLock, tag = finance.Tag });
        await WaitAsync(async () => (await StateAsync(devices.TripLockHands))["remaining"]?.GetValue<int>() == 2, "the token reached the lock (retained desired state)");
        Done("the lock holds a token for 2 stamps");

        for (int stamp = 1; stamp <= 2; stamp++)
        {
            await WaitAsync(async () => (await StateAsync(devices.TripLockHands))["mode"]?.GetValue<string>() == "Idle", "the lock idle");
            await PressAsync(devices.TripLockHands, "button");
            await WaitAsync(async () => (await StateAsync(devices.TripLockHands))["mode"]?.GetValue<string>() == "Unlocked", $"unlocked for stamp {stamp}");
            await PressAsync(devices.TripLockHands, "stamp");
            Done($"stamp {stamp}: unlocked, stamped, relocked");
        }

        await WaitAsync(async () => (await StateAsync(devices.TripLockHands))["mode"]?.GetValue<string>() == "Idle", "the lock idle");
        await PressAsync(devices.TripLockHands, "button");
        await WaitAsync(async () => (await StateAsync(devices.TripLockHands))["lastRefusals"]!.AsArray().Count > 0, "the third press refused");
        Done($"third press refused: {(await StateAsync(devices.TripLockHands))["lastRefusals"]!.AsArray().Last()}");
        await WaitAsync(async () => (await CheckoutAsync(keeper, trip))["tokens"]![0]!["used"]!.GetValue<int>() == 2, "the cloud counted both stamps");
        await SendAsync(keeper, $"/api/checkouts/{trip}/return", new { });
        Done("returned: the token is revoked and the lock told");

        Step($"6. Someone forces {devices.OtherLock}'s case: a tamper alarm");
        await PressAsync(devices.OtherLockHands, "tamper?on=true");
        await WaitAsync(async () => ActiveAlarms(await admin.GetFromJsonAsync<JsonNode>("/api/alarms?active=true", cancellationToken)).Contains($"tamper on {devices.OtherLock}"), "the tamper alarm");
        Done($"active: {string.Join(", ", ActiveAlarms(await admin.GetFromJsonAsync<JsonNode>("/api/alarms?active=true", cancellationToken)))}");
        await PressAsync(devices.OtherLockHands, "tamper?on=false");

        Step($"7. {DemoOffice.Keeper.Name} disables {devices.OtherLock} remotely, then enables it again");
        JsonNode disabled = (await SendAsync(keeper, $"/api/devices/{devices.OtherLock}/disable", new { reason = "演示：外壳被撬开" }))!;
        JsonNode applied = await WaitAppliedAsync(devices.OtherLock, disabled["desiredState"]!["version"]!.GetValue<long>());
        Done($"the lock applied it and acknowledged after {applied["acknowledgedAfterMs"]} ms");
        JsonNode enabled = (await SendAsync(keeper, $"/api/devices/{devices.OtherLock}/enable", new { reason = "演示：已检查，恢复使用" }))!;
        applied = await WaitAppliedAsync(devices.OtherLock, enabled["desiredState"]!["version"]!.GetValue<long>());
        Done($"enabled again, acknowledged after {applied["acknowledgedAfterMs"]} ms");

        Step("8. The ledger (用印台账): the trip's stamps with who, what and where; every chain verifies");
        JsonArray entries = (await admin.GetFromJsonAsync<JsonArray>($"/api/ledger?seal={finance.Id}&application={trip}", cancellationToken))!;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "kind", "time", "applicant", "unit", "device", "where");
        foreach (JsonNode? e in entries.Reverse())
        {
            JsonNode fields = e!["fields"]!;
            table.AddRow(
                e["seq"]!.ToString(), e["kind"]!.ToString(),
                DateTimeOffset.FromUnixTimeMilliseconds(e["atMs"]!.GetValue<long>()).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(fields["applicantName"]?.ToString() ?? e["actor"]?.ToString() ?? "-"), Markup.Escape(fields["applicantUnit"]?.ToString() ?? "-"),
                e["deviceId"]?.ToString() ?? "-", fields["lat"] is { } lat ? $"{lat}, {fields["lon"]}" : "-");
        }

        AnsiConsole.Write(table);
        await SendAsync(admin, "/api/ledger/checkpoints", new { });
        JsonNode verify = (await admin.GetFromJsonAsync<JsonNode>("/api/ledger/verify", cancellationToken))!;
        Done($"intact: {verify["intact"]}, {verify["entriesChecked"]} entries, {verify["checkpointsChecked"]} checkpoints");
        AnsiConsole.Write(new Rule());
    }

    private static void Step(string text) => AnsiConsole.MarkupLineInterpolated($"[yellow]{text}[/]");

    private static void Done(string text) => AnsiConsole.MarkupLineInterpolated($"   [green]✓[/] {text}");

    private static IEnumerable<string> ActiveAlarms(JsonNode? page) =>
        page?["items"]?.AsArray().Select(a => $"{a!["type"]} on {a["deviceId"]}") ?? [];

    private async Task<string> ApplyAndApproveAsync(HttpClient applicant, HttpClient head, HttpClient owner, DemoSeal seal, string mode, int stamps)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        JsonNode application = (await SendAsync(applicant, "/api/applications", new
        {
            sealId = seal.Id,
            purpose = mode == "lock" ? "外出签订供货合同" : "签订采购合同",
            documents = new[] { new { name = mode == "lock" ? "供货合同.pdf" : "采购合同.pdf", pages = 2 } },
            stamps,
            mode,
            location = new { circle = new { lat = devices.Lat, lon = devices.Lon, radiusM = 500 } },
            windowFromMs = now - 60_000,
            windowToMs = now + (4 * 3_600_000),
            urgency = "urgent",
        }))!;
        string id = application["id"]!.GetValue<string>();
        await SendAsync(head, $"/api/approvals/{id}/approve", new { comment = "同意" });
        await SendAsync(owner, $"/api/approvals/{id}/approve", new { comment = "同意" });
        return id;
    }

    private async Task<string?> LocationAsync(HttpClient client, DemoSeal seal) =>
        (await client.GetFromJsonAsync<JsonNode>($"/api/seals/{seal.Id}", cancellationToken))?["locationRef"]?.GetValue<string>();

    private async Task<JsonNode> CheckoutAsync(HttpClient client, string applicationId) =>
        (await client.GetFromJsonAsync<JsonNode>($"/api/checkouts/{applicationId}", cancellationToken))!;

    private async Task<string?> CheckoutStatusAsync(HttpClient client, string applicationId) =>
        (await CheckoutAsync(client, applicationId))["checkout"]?["status"]?.GetValue<string>();

    private async Task<JsonNode> StateAsync(Uri hands) => (await _hands.GetFromJsonAsync<JsonNode>(new Uri(hands, "state"), cancellationToken))!;

    private async Task PressAsync(Uri hands, string what)
    {
        HttpResponseMessage response = await _hands.PostAsync(new Uri(hands, what), null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoException($"{hands}{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private Task WaitCabinetAsync(string compartmentMode, int seconds = 30) =>
        WaitAsync(async () => (await StateAsync(devices.CabinetHands))["mode"]?.GetValue<string>()?.Split(' ').Contains(compartmentMode) == true, $"cabinet compartment {compartmentMode}", seconds);

    /// <summary>Open the released door, put the seal with this tag in, close the door.</summary>
    private async Task PutBackAsync(int compartment, string tag)
    {
        await PressAsync(devices.CabinetHands, $"door/{compartment}?open=true");
        await PressAsync(devices.CabinetHands, $"tag/{compartment}?id={tag}");
        await Task.Delay(800, cancellationToken); // the reader is polled
        await PressAsync(devices.CabinetHands, $"door/{compartment}?open=false");
    }

    private async Task TakeOutAsync(int compartment)
    {
        await PressAsync(devices.CabinetHands, $"door/{compartment}?open=true");
        await PressAsync(devices.CabinetHands, $"tag/{compartment}?id=");
        await Task.Delay(800, cancellationToken);
        await PressAsync(devices.CabinetHands, $"door/{compartment}?open=false");
    }

    private async Task<JsonNode> WaitAppliedAsync(string id, long version)
    {
        JsonNode? state = null;
        await WaitAsync(async () => (state = await admin.GetFromJsonAsync<JsonNode>($"/api/devices/{id}/desired-state", cancellationToken))!["appliedVersion"]!.GetValue<long>() >= version, $"{id} to acknowledge version {version}");
        return state!;
    }

    private async Task<JsonNode?> SendAsync(HttpClient client, string path, object? body)
    {
        HttpResponseMessage response = body is null ? await client.PostAsync(path, null, cancellationToken) : await client.PostAsJsonAsync(path, body, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoException($"{path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new DemoException($"timed out waiting for {what}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
