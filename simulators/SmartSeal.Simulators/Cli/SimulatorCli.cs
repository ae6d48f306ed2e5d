using System.CommandLine;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;
using SmartSeal.Simulators.Scenarios;
using Spectre.Console;

namespace SmartSeal.Simulators.Cli;

/// <summary>The command line: lock, cabinet, fleet, broker, measure (see simulators/README.md).</summary>
public static class SimulatorCli
{
    private static readonly Option<string> Broker = new("--broker") { Description = "host:port of the MQTT broker, 'embedded' (in-process, with SAS and ACL checks) or 'spawn' (a broker child process)", DefaultValueFactory = _ => "embedded" };
    private static readonly Option<string?> DeviceIdOption = new("--device-id") { Description = "device id (default lock-0001 / cab-0001, or from the scenario)" };
    private static readonly Option<string?> MasterKey = new("--master-key") { Description = "master key in hex (64+ digits); device keys are derived from it as the cloud does" };
    private static readonly Option<string?> Provision = new("--provision") { Description = "the device's provisioning file device.json (hardware-docs/provisioning.md)" };
    private static readonly Option<string?> ScenarioFile = new("--scenario") { Description = "scenario JSON file to play (scripted time); exit code 0 when every expectation held" };
    private static readonly Option<string?> StateDir = new("--state-dir") { Description = "folder for the devices' flash (one subfolder per device) so they survive restarts; default in memory" };
    private static readonly Option<bool> Tui = new("--tui") { Description = "live terminal view of the devices" };
    private static readonly Option<double> Duration = new("--duration") { Description = "seconds to run (live and fleet modes; 0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Count = new("--count") { Description = "number of locks in the fleet", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> Threads = new("--threads") { Description = "scheduler threads driving the fleet", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Compartments = new("--compartments") { Description = "compartments of a live cabinet", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> Port = new("--port") { Description = "port of the standalone broker", DefaultValueFactory = _ => 1883 };
    private static readonly Option<int> ControlPort = new("--control-port") { Description = "loopback HTTP port for a tester's hands: POST /button /stamp /tamper /door/{n}?open= /tag/{n}?id=, GET /state", DefaultValueFactory = _ => 0 };
    private static readonly Option<double?> Latitude = new("--lat") { Description = "centre of the lock's synthetic walk (degrees)" };
    private static readonly Option<double?> Longitude = new("--lon") { Description = "centre of the lock's synthetic walk (degrees)" };
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "log everything to stderr" };

    public static RootCommand Build()
    {
        var root = new RootCommand("SmartSeal device simulators: the real firmware core on MQTTnet, scripted scenarios, fleets.");
        root.Add(DeviceCommand("lock", DeviceKind.Lock));
        root.Add(DeviceCommand("cabinet", DeviceKind.Cabinet));

        var fleet = new Command("fleet", "thousands of locks in one process against one broker; prints memory, CPU and traffic per device at the end");
        foreach (Option o in new Option[] { Broker, MasterKey, Count, Duration, Threads, StateDir, Tui, Verbose })
        {
            fleet.Add(o);
        }

        fleet.SetAction(r => Fleet.FleetCommand.Run(new Fleet.FleetOptions
        {
            Broker = r.GetValue(Broker)!, MasterKey = MasterKeyOf(r), Count = r.GetValue(Count), DurationSeconds = r.GetValue(Duration),
            Threads = r.GetValue(Threads), StateDir = r.GetValue(StateDir), Tui = r.GetValue(Tui), Log = LogOf(r),
        }));
        root.Add(fleet);

        var broker = new Command("broker", "the embedded broker on its own (SAS password and topic ACL checks), for fleets larger than one process's sockets allow");
        broker.Add(Port);
        broker.Add(MasterKey);
        broker.Add(Duration);
        broker.Add(Verbose);
        broker.SetAction(r => BrokerCommand.Run(r.GetValue(Port), MasterKeyOf(r), r.GetValue(Duration), LogOf(r)));
        root.Add(broker);

        var measure = new Command("measure", "allocation per handled message, per position report and per tick, and retained memory per lock instance, on the firmware core alone");
        measure.SetAction(_ => MeasureCommand.Run());
        root.Add(measure);
        return root;
    }

    private static Command DeviceCommand(string name, DeviceKind kind)
    {
        var command = new Command(name, kind == DeviceKind.Lock ? "one portable seal lock" : "one seal cabinet");
        foreach (Option o in new Option[] { Broker, DeviceIdOption, MasterKey, Provision, ScenarioFile, StateDir, Tui, Duration, Verbose, ControlPort })
        {
            command.Add(o);
        }

        if (kind == DeviceKind.Cabinet)
        {
            command.Add(Compartments);
        }
        else
        {
            command.Add(Latitude);
            command.Add(Longitude);
        }

        command.SetAction(r =>
        {
            SimLog log = LogOf(r);
            string? scenario = r.GetValue(ScenarioFile);
            if (scenario != null)
            {
                return ScenarioCommand.Run(scenario, r.GetValue(Broker)!, MasterKeyOf(r), r.GetValue(StateDir), r.GetValue(Tui), log);
            }

            return LiveDeviceCommand.Run(new LiveDeviceOptions
            {
                Kind = kind, Broker = r.GetValue(Broker)!, DeviceId = r.GetValue(DeviceIdOption), MasterKey = MasterKeyOf(r), Provision = r.GetValue(Provision),
                StateDir = r.GetValue(StateDir), Tui = r.GetValue(Tui), DurationSeconds = r.GetValue(Duration), Compartments = kind == DeviceKind.Cabinet ? r.GetValue(Compartments) : 0, Log = log,
                ControlPort = r.GetValue(ControlPort), Latitude = kind == DeviceKind.Lock ? r.GetValue(Latitude) : null, Longitude = kind == DeviceKind.Lock ? r.GetValue(Longitude) : null,
            });
        });
        return command;
    }

    private static byte[] MasterKeyOf(ParseResult r)
    {
        string? hex = r.GetValue(MasterKey);
        return hex == null ? DeviceProvisioning.DemoMasterKey : DeviceProvisioning.ParseMasterKey(hex);
    }

    private static SimLog LogOf(ParseResult r) => new() { WriteToConsole = true, ConsoleLevel = r.GetValue(Verbose) ? SimLogLevel.Debug : SimLogLevel.Warning };
}
