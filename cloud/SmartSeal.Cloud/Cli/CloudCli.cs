using System.CommandLine;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Cli;

/// <summary>
/// <c>smartseal-cloud devices ...</c>: administration against the same configuration and
/// database as the host (run it where the host runs, or point it at the database with the same
/// <c>SmartSeal__...</c> environment).
/// </summary>
public static class CloudCli
{
    private static readonly string[] Verbs = ["devices", "ledger", "approvals", "reports", "backup", "restore"];

    private static readonly Option<string> IdOption = new("--id") { Description = "device id ([A-Za-z0-9._-], 1..64)", Required = true };
    private static readonly Option<DeviceKind> KindOption = new("--kind") { Description = "cabinet, lock or gate", Required = true };
    private static readonly Option<int> CompartmentsOption = new("--compartments") { Description = "compartments (cabinets)" };
    private static readonly Option<string?> ModelOption = new("--model") { Description = "hardware model" };
    private static readonly Option<string?> OrgUnitOption = new("--org-unit") { Description = "owning org unit" };
    private static readonly Option<string?> OutOption = new("--out") { Description = "write device.json here (mode 600) instead of printing the key" };
    private static readonly Option<string> BrokerOption = new("--broker") { Description = "host:port the device connects to", DefaultValueFactory = _ => "127.0.0.1:1883" };
    private static readonly Option<string?> CaOption = new("--ca") { Description = "PEM file of the broker's CA (turns TLS on)" };
    private static readonly Option<string?> WifiOption = new("--wifi") { Description = "ssid:password (cabinets)" };
    private static readonly Option<string?> ApnOption = new("--apn") { Description = "APN of the SIM (locks)" };

    /// <summary>Who the ledger names for a change made here: the operating-system account running the CLI.</summary>
    private static string Actor => "cli:" + Environment.UserName;

    /// <summary>A verb, or a request for help (answered by the CLI: help needs no master key or database).</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (Verbs.Contains(args[0]) || args[0] is "--help" or "-h" or "-?" or "help" or "--version");

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SmartSeal cloud. Without arguments it runs the host (configuration: appsettings.json, SmartSeal__* environment variables; see cloud/README.md); with a verb below it is the administration CLI against the same configuration and database.");
        if (args is ["help", ..])
        {
            args = [.. args[1..], "--help"];
        }

        var devices = new Command("devices", "the device registry");
        root.Add(devices);

        var provision = new Command("provision", "registers a device and writes its device.json (the key is shown once)");
        foreach (Option o in new Option[] { IdOption, KindOption, CompartmentsOption, ModelOption, OrgUnitOption, OutOption, BrokerOption, CaOption, WifiOption, ApnOption })
        {
            provision.Add(o);
        }

        provision.SetAction((r, ct) => WithServicesAsync(async sp =>
        {
            var request = new ProvisionRequest(r.GetValue(IdOption)!, r.GetValue(KindOption), r.GetValue(ModelOption), r.GetValue(OrgUnitOption), r.GetValue(CompartmentsOption));
            ProvisionResult result = await sp.GetRequiredService<DeviceProvisioner>().ProvisionAsync(request, ct);
            return Report(result, r);
        }));
        devices.Add(provision);

        var rotate = new Command("rotate-key", "moves a device to a new key version and writes its new device.json");
        foreach (Option o in new Option[] { IdOption, OutOption, BrokerOption, CaOption, WifiOption, ApnOption })
        {
            rotate.Add(o);
        }

        rotate.SetAction((r, ct) => WithServicesAsync(async sp => Report(await sp.GetRequiredService<DeviceProvisioner>().RotateKeyAsync(r.GetValue(IdOption)!, Actor, ct), r)));
        devices.Add(rotate);

        var retire = new Command("retire", "retires a device for good: its logins and messages are refused and its session is dropped in every running cloud");
        retire.Add(IdOption);
        retire.SetAction((r, ct) => WithServicesAsync(async sp =>
        {
            string id = r.GetValue(IdOption)!;
            RetireStatus status = await sp.GetRequiredService<DeviceProvisioner>().RetireAsync(id, Actor, ct);
            (TextWriter output, string text, int code) = status switch
            {
                RetireStatus.Retired => (Console.Out, $"{id}: retired", 0),
                RetireStatus.AlreadyRetired => (Console.Error, $"error: {id} was retired already", 2),
                _ => (Console.Error, $"error: no device {id}", 3),
            };
            output.WriteLine(text);
            return code;
        }));
        devices.Add(retire);

        var list = new Command("list", "lists registered devices");
        list.SetAction((_, ct) => WithServicesAsync(async sp =>
        {
            Console.WriteLine($"{"id",-24} {"kind",-8} {"key",3} {"online",-6} {"battery",7} {"firmware",-12} last seen (UTC)");
            foreach (Device d in await sp.GetRequiredService<DeviceRepository>().ListAsync(null, null, ct))
            {
                string seen = d.LastSeenMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(d.LastSeenMs).ToString("u") : "never";
                Console.WriteLine($"{d.Id,-24} {d.Kind.ToString().ToLowerInvariant(),-8} v{d.KeyVersion,-2} {(d.Online ? "yes" : "no"),-6} {(d.BatteryPercent is { } b ? b + " %" : "-"),7} {d.Firmware ?? "-",-12} {seen}");
            }

            return 0;
        }));
        devices.Add(list);
        devices.Add(MosquittoAuthCommand.Create());
        root.Add(LedgerCli.Build(WithServicesAsync));
        root.Add(ApprovalsCli.Build(WithServicesAsync));
        root.Add(ReportsCli.Build(WithServicesAsync));
        foreach (Command command in BackupCli.Build(WithServicesAsync)) // issue 17 govops
        {
            root.Add(command);
        }
        return await root.Parse(args).InvokeAsync();
    }

    private static int Report(ProvisionResult result, ParseResult r)
    {
        if (result.Status != ProvisionStatus.Ok)
        {
            Console.Error.WriteLine("error: " + (result.Problems is { } p ? string.Join("; ", p.Select(kv => kv.Key + ": " + string.Join(", ", kv.Value))) : result.Error));
            return result.Status == ProvisionStatus.NotFound ? 3 : 2;
        }

        string broker = r.GetValue(BrokerOption)!;
        int colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], out int port))
        {
            Console.Error.WriteLine("error: --broker must be host:port");
            return 2;
        }

        string? wifi = r.GetValue(WifiOption);
        string? ca = r.GetValue(CaOption) is { } caFile ? File.ReadAllText(caFile) : null;
        var endpoint = new BrokerEndpoint(broker[..colon], port, ca, wifi?.Split(':', 2)[0], wifi?.Split(':', 2) is [_, var pw] ? pw : null, r.GetValue(ApnOption));
        byte[] deviceJson = DeviceProvisioner.ProvisioningFileFor(result.Device!, result.Key!, endpoint);
        if (r.GetValue(OutOption) is { } path)
        {
            SmartSeal.Cloud.Security.SecretFile.Write(path, deviceJson);
            Console.WriteLine($"{result.Device!.Id}: key version {result.Device.KeyVersion}, device.json written to {path} (holds the device key: flash it, then delete it)");
        }
        else
        {
            Console.WriteLine(System.Text.Encoding.UTF8.GetString(deviceJson));
        }

        return 0;
    }

    internal static Task<int> WithServicesAsync(Func<IServiceProvider, Task<int>> action) => WithServicesAsync(action, migrate: true);

    /// <summary>The host's services without running it; <paramref name="migrate"/> false for a restore, which must not create an empty database first.</summary>
    internal static async Task<int> WithServicesAsync(Func<IServiceProvider, Task<int>> action, bool migrate)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSmartSealCloud();
        await using WebApplication app = builder.Build();
        if (migrate)
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        }

        return await action(app.Services);
    }
}
