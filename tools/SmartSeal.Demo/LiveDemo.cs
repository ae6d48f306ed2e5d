using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>
/// The product on one machine: the cloud (embedded MQTT broker, SQLite, photos on disk) as its own
/// process, a simulated cabinet and two simulated locks running the real firmware against it over
/// MQTT, and a live view of what the cloud sees. <c>--tour</c> walks through a remote disable and
/// re-enable with the device's signed acknowledgement, a locate command, the alarm list and a
/// ledger verification. Everything lives under <c>.demo/</c> so a second run continues the first.
/// </summary>
internal static class LiveDemo
{
    private static readonly string[] Locks = ["lock-demo-01", "lock-demo-02"];
    private const string Cabinet = "cab-demo-01";

    public static async Task<int> RunAsync(string[] args)
    {
        string root = RepositoryRoot();
        string demo = Path.Combine(root, ".demo");
        int httpPort = Option(args, "--http-port", 8080);
        int mqttPort = Option(args, "--mqtt-port", FreeOr(1883));
        int seconds = Option(args, "--duration", 0);
        bool tour = args.Contains("--tour");

        string cloudDll = Built(root, "cloud/SmartSeal.Cloud", "smartseal-cloud.dll");
        string simDll = Built(root, "simulators/SmartSeal.Simulators", "SmartSeal.Simulators.dll");
        var children = new List<DemoProcess>();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        try
        {
            string baseUrl = $"http://127.0.0.1:{httpPort}";
            AnsiConsole.MarkupLine($"[bold]SmartSeal demo[/] — cloud on [link]{baseUrl}[/], MQTT on 127.0.0.1:{mqttPort}, data in {demo}");
            children.Add(new DemoProcess("cloud", cloudDll, [], new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = baseUrl,
                ["SmartSeal__DataDirectory"] = Path.Combine(demo, "cloud"),
                ["SmartSeal__Mqtt__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SmartSeal__Mqtt__WebSocket"] = "true",
            }, Path.Combine(demo, "logs", "cloud.log")));

            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(http, children[0], stop.Token);
            string adminKey = (await File.ReadAllTextAsync(Path.Combine(demo, "cloud", "admin-api.key"), stop.Token)).Trim();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

            foreach ((string id, string kind, int compartments) in Locks.Select(l => (l, "lock", 0)).Append((Cabinet, "cabinet", 4)))
            {
                string file = await ProvisionAsync(http, demo, id, kind, compartments, mqttPort, stop.Token);
                var simArgs = new List<string> { kind, "--broker", $"127.0.0.1:{mqttPort}", "--provision", file, "--state-dir", Path.Combine(demo, "devices") };
                if (kind == "cabinet")
                {
                    simArgs.AddRange(["--compartments", compartments.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                }

                children.Add(new DemoProcess(id, simDll, simArgs, new Dictionary<string, string>(), Path.Combine(demo, "logs", id + ".log")));
            }

            PrintHow(baseUrl, adminKey, demo);
            if (tour)
            {
                await TourAsync(http, stop.Token);
            }

            await LiveViewAsync(http, children, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (DemoException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]demo stopped:[/] {e.Message}");
            return 1;
        }
        finally
        {
            foreach (DemoProcess child in Enumerable.Reverse(children))
            {
                child.Dispose();
            }
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, DemoProcess cloud, CancellationToken cancellationToken)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (cloud.HasExited)
            {
                throw new DemoException($"the cloud exited; see {cloud.LogPath}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > until)
            {
                throw new DemoException($"the cloud did not get ready in 60 s; see {cloud.LogPath}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Registers the device (or, on a later run, re-issues its key) and writes its device.json for the simulator.</summary>
    private static async Task<string> ProvisionAsync(HttpClient http, string demo, string id, string kind, int compartments, int mqttPort, CancellationToken cancellationToken)
    {
        string file = Path.Combine(demo, "provision", id + ".json");
        var broker = new { host = "127.0.0.1", port = mqttPort, wifiSsid = "demo-office", apn = "cmiot" };
        HttpResponseMessage response = await http.PostAsJsonAsync("/api/devices", new { deviceId = id, kind, compartments, model = "demo", broker }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict && File.Exists(file))
        {
            // Known from an earlier run: keep its key (rotating it would make the simulator's
            // queued, old-key messages unverifiable — the cloud would rightly call them forged).
            AnsiConsole.MarkupLineInterpolated($"  [bold]{id}[/] ({kind}) known from an earlier run → simulator");
            return file;
        }

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            response = await http.PostAsJsonAsync($"/api/devices/{id}/rotate-key", broker, cancellationToken);
            string flash = Path.Combine(demo, "devices", id);
            if (Directory.Exists(flash))
            {
                Directory.Delete(flash, recursive: true); // its flash holds messages signed with the old key
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new DemoException($"provisioning {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        JsonNode provisioned = (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, provisioned["deviceJson"]!.GetValue<string>(), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"  provisioned [bold]{id}[/] ({kind}, key v{provisioned["device"]!["keyVersion"]}) → simulator");
        return file;
    }

    private static void PrintHow(string baseUrl, string adminKey, string demo)
    {
        AnsiConsole.Write(new Panel(new Markup(
            $"API reference  [link]{baseUrl}/api/reference[/]\n" +
            $"Admin API key  {adminKey}\n" +
            $"Try            curl -s -X POST -H 'Authorization: Bearer {adminKey}' -H 'Content-Type: application/json' -d '{{\"reason\":\"lost\"}}' {baseUrl}/api/devices/lock-demo-01/disable\n" +
            $"Logs           {Path.Combine(demo, "logs")}\n" +
            "Stop           Ctrl+C")).Header("how to look").Border(BoxBorder.Rounded));
    }

    private static async Task TourAsync(HttpClient http, CancellationToken cancellationToken)
    {
        AnsiConsole.Write(new Rule("[bold]tour[/]"));
        await WaitOnlineAsync(http, Locks[0], cancellationToken);
        Step("1. The keeper disables lock-demo-01 (lost on a trip): retained signed desired state + immediate set-state");
        JsonNode disabled = (await SendAsync(http, $"/api/devices/{Locks[0]}/disable", new { reason = "demo: reported lost" }, cancellationToken))!;
        long version = disabled["desiredState"]!["version"]!.GetValue<long>();
        JsonNode applied = await WaitAppliedAsync(http, Locks[0], version, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"   the lock applied version {version} and acknowledged it after [bold]{applied["acknowledgedAfterMs"]} ms[/]; every unlock is refused now");

        Step("2. The keeper re-enables it");
        JsonNode enabled = (await SendAsync(http, $"/api/devices/{Locks[0]}/enable", new { reason = "demo: found" }, cancellationToken))!;
        applied = await WaitAppliedAsync(http, Locks[0], enabled["desiredState"]!["version"]!.GetValue<long>(), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"   enabled again, acknowledged after [bold]{applied["acknowledgedAfterMs"]} ms[/]");

        Step("3. Where is lock-demo-02? A signed locate command, answered by the device");
        JsonNode? located = await SendAsync(http, $"/api/devices/{Locks[1]}/commands?wait=10", new { type = "locate", body = new { }, ttlSeconds = 60 }, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"   command {located?["id"]}: {located?["status"]} {located?["resultReason"]}");
        JsonNode device = (await http.GetFromJsonAsync<JsonNode>($"/api/devices/{Locks[1]}", cancellationToken))!;
        AnsiConsole.MarkupLineInterpolated($"   last fix {device["latitude"]}, {device["longitude"]} (±{device["accuracyM"]} m)");

        Step("4. The ledger verifies (hash chains and signed checkpoints)");
        await SendAsync(http, "/api/ledger/checkpoints", new { }, cancellationToken);
        JsonNode verify = (await http.GetFromJsonAsync<JsonNode>("/api/ledger/verify", cancellationToken))!;
        AnsiConsole.MarkupLineInterpolated($"   intact: [bold]{verify["intact"]}[/], {verify["entriesChecked"]} entries, {verify["checkpointsChecked"]} checkpoints");
        AnsiConsole.Write(new Rule());
    }

    private static void Step(string text) => AnsiConsole.MarkupLineInterpolated($"[yellow]{text}[/]");

    private static async Task<JsonNode?> SendAsync(HttpClient http, string path, object body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await http.PostAsJsonAsync(path, body, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoException($"{path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static async Task WaitOnlineAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetFromJsonAsync<JsonNode>($"/api/devices/{id}", cancellationToken))?["online"]?.GetValue<bool>() != true)
        {
            if (DateTime.UtcNow > until)
            {
                throw new DemoException($"{id} did not come online in 60 s; see .demo/logs/{id}.log");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<JsonNode> WaitAppliedAsync(HttpClient http, string id, long version, CancellationToken cancellationToken)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            JsonNode state = (await http.GetFromJsonAsync<JsonNode>($"/api/devices/{id}/desired-state", cancellationToken))!;
            if (state["appliedVersion"]!.GetValue<long>() >= version)
            {
                return state;
            }

            if (DateTime.UtcNow > until)
            {
                throw new DemoException($"{id} did not acknowledge version {version} in 30 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task LiveViewAsync(HttpClient http, List<DemoProcess> children, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(new Markup("starting...")).StartAsync(async ctx =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ctx.UpdateTarget(await RenderAsync(http, children, cancellationToken));
                await Task.Delay(1000, cancellationToken);
            }
        });
    }

    private static async Task<Table> RenderAsync(HttpClient http, List<DemoProcess> children, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"what the cloud sees — {DateTime.Now:HH:mm:ss} (Ctrl+C to stop)")
            .AddColumns("device", "kind", "online", "battery", "last fix", "last seen", "process");
        JsonArray devices = (await http.GetFromJsonAsync<JsonArray>("/api/devices", cancellationToken)) ?? [];
        foreach (JsonNode? d in devices)
        {
            string id = d!["id"]!.GetValue<string>();
            bool online = d["online"]!.GetValue<bool>();
            long seen = d["lastSeenMs"]!.GetValue<long>();
            DemoProcess? process = children.FirstOrDefault(c => c.Name == id);
            table.AddRow(
                id,
                d["kind"]!.GetValue<string>(),
                online ? "[green]online[/]" : "[grey]offline[/]",
                d["batteryPercent"] is { } b ? $"{b} %" : "-",
                d["latitude"] is { } lat ? $"{lat.GetValue<double>():F5}, {d["longitude"]!.GetValue<double>():F5}" : "-",
                seen > 0 ? $"{(DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(seen)).TotalSeconds:F0} s ago" : "never",
                process is null ? "-" : process.HasExited ? "[red]exited[/]" : "running");
        }

        JsonNode page = (await http.GetFromJsonAsync<JsonNode>("/api/alarms?active=true", cancellationToken))!;
        JsonArray alarms = page["items"]!.AsArray();
        long total = page["total"]!.GetValue<long>();
        table.Caption($"{total} active alarm(s)" + (alarms.Count > 0 ? ": " + string.Join(", ", alarms.Take(4).Select(a => $"{a!["type"]} on {a["deviceId"]}")) : string.Empty));
        return table;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int value) ? value : fallback;
    }

    private static int FreeOr(int preferred)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, preferred);
            probe.Start();
            probe.Stop();
            return preferred;
        }
        catch (SocketException)
        {
            var any = new TcpListener(IPAddress.Loopback, 0);
            any.Start();
            int port = ((IPEndPoint)any.LocalEndpoint).Port;
            any.Stop();
            return port;
        }
    }

    private static string Built(string root, string project, string dll)
    {
        string path = Path.Combine(root, project, "bin", "Release", "net10.0", dll);
        return File.Exists(path) ? path : throw new DemoException($"{path} is missing: run `dotnet build SmartSeal.sln -c Release` (./scripts/run.sh does)");
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SmartSeal.sln")))
            {
                return dir;
            }
        }

        throw new DemoException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }
}

internal sealed class DemoException(string message) : Exception(message);
