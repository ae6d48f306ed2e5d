using System.CommandLine;

namespace SmartSeal.Demo;

/// <summary>What a run of the demo was asked for.</summary>
internal sealed record DemoSettings(bool Tour, int DurationSeconds, int HttpPort, int? MqttPort);

/// <summary>
/// The demo's command line (<c>./scripts/run.sh [options]</c>): options are checked, so
/// <c>--help</c> prints help and a mistyped option is an error instead of starting a demo.
/// </summary>
internal static class DemoCommand
{
    public static RootCommand Create()
    {
        var tour = new Option<bool>("--tour") { Description = "play the scripted walk-through (collection and return at the cabinet, a lock trip, an alarm, a remote disable) before the live view" };
        var duration = new Option<int>("--duration") { Description = "stop by itself after this many seconds of live view (after the start and the tour; 0: run until Ctrl+C)" };
        var httpPort = new Option<int>("--http-port") { Description = "the cloud's HTTP port (portal and API)", DefaultValueFactory = _ => 8080 };
        var mqttPort = new Option<int?>("--mqtt-port") { Description = "the cloud's MQTT port (default 1883, or a free one when 1883 is taken)" };
        var reset = new Option<bool>("--reset") { Description = $"wipe the demo's data ({DemoData.Folder}/: cloud database, photos, device flash, logs) first; asks unless --yes" };
        var yes = new Option<bool>("--yes") { Description = "with --reset: wipe without asking" };
        var protocolTour = new Option<bool>("--protocol-tour") { Description = "instead: the earlier walk through the protocol's guarantees on one simulated lock (no cloud)" };
        var json = new Option<bool>("--json") { Description = "with --protocol-tour: print the last signed message as JSON" };

        var root = new RootCommand("SmartSeal demo: the cloud, a seeded organisation, a simulated cabinet and two locks, the edge gate on sample photos, and a live view of what the cloud sees. Data in .demo/ (a second run continues the first).")
        {
            tour, duration, httpPort, mqttPort, reset, yes, protocolTour, json,
        };
        root.SetAction(async (r, ct) =>
        {
            if (r.GetValue(protocolTour))
            {
                return ProtocolTour.Run(r.GetValue(json) ? ["--json"] : []);
            }

            var settings = new DemoSettings(r.GetValue(tour), r.GetValue(duration), r.GetValue(httpPort), r.GetValue(mqttPort));
            if (r.GetValue(reset) && !DemoData.Reset(LiveDemo.RepositoryRoot(), settings.HttpPort, r.GetValue(yes)))
            {
                return 1;
            }

            return await LiveDemo.RunAsync(settings);
        });
        return root;
    }
}
