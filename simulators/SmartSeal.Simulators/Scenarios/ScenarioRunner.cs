using System.Diagnostics;
using System.Text.Json;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Tokens;
using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;

namespace SmartSeal.Simulators.Scenarios;

/// <summary>
/// Plays a <see cref="Scenario"/> against one simulated device in a <see cref="ScenarioWorld"/>.
/// Time is scripted: it moves only in <c>wait</c> (and drop/power-off) steps, in 250 ms loop
/// passes; MQTT traffic is real, and after every action the runner lets it settle (no message
/// moving, the cloud idle) before the next step, so expectations see a consistent picture.
/// </summary>
public sealed class ScenarioRunner
{
    public const int LoopMs = 250;

    private readonly ScenarioWorld _world;
    private readonly string? _stateDir;
    private readonly Action<SimulatedDevice>? _onStep;
    private long _elapsedMs;

    public ScenarioRunner(ScenarioWorld world, string? stateDir = null, Action<SimulatedDevice>? onStep = null)
    {
        _world = world;
        _stateDir = stateDir;
        _onStep = onStep;
    }

    public SimulatedDevice? Device { get; private set; }

    /// <summary>Creates the device, powers it on and waits (scripted time) until its link is up.</summary>
    public SimulatedDevice Start(Scenario scenario) => Start(scenario.DeviceKind, scenario.DeviceId, scenario.Compartments, scenario.DeviceSettings);

    public SimulatedDevice Start(string kind, string deviceId, int compartments = 3, JsonElement settings = default)
    {
        var options = new DeviceHostOptions
        {
            Broker = _world.Endpoint, Clock = _world.Clock, Flash = _world.CreateFlash(deviceId, _stateDir), Traffic = _world.Traffic, Log = _world.Log,
            Tap = true, ScenePhotos = true, LinkSettings = new CloudLinkSettings { InitialBackoffMs = 1000, MaxBackoffMs = 8000 },
        };
        var identity = DeviceProvisioning.FromMaster(_world.MasterKey, deviceId);
        Device = kind switch
        {
            "lock" => new SimulatedLock(identity, options, LockSettingsFrom(settings)),
            "cabinet" => new SimulatedCabinet(identity, options, compartments, CabinetSettingsFrom(settings)),
            _ => throw new FormatException($"device kind '{kind}' is not lock or cabinet"),
        };
        Device.PowerOn("power-on");
        WaitForLink(30_000);
        return Device;
    }

    public ScenarioResult Run(Scenario scenario)
    {
        var outcomes = new List<StepOutcome>();
        Start(scenario);
        outcomes.Add(new StepOutcome(0, "start", Device!.Link.Phase == CloudLinkPhase.Up, $"{scenario.DeviceKind} {scenario.DeviceId}, link {Device.Link.Phase}", _elapsedMs));
        for (int i = 0; i < scenario.Steps.Count; i++)
        {
            outcomes.Add(RunStep(scenario.Steps[i], i + 1, scenario.BaseDirectory));
            _onStep?.Invoke(Device!);
        }

        Device!.Shutdown();
        Settle();
        return new ScenarioResult(scenario.Name, outcomes);
    }

    /// <summary>Runs one step written as scenario JSON (tests drive devices this way too).</summary>
    public StepOutcome Step(string json, string baseDirectory = ".")
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return RunStep(doc.RootElement.Clone(), 0, baseDirectory);
    }

    public StepOutcome RunStep(JsonElement step, int index, string baseDirectory)
    {
        string name = step.TryGetProperty("step", out JsonElement s) ? s.GetString() ?? "?" : "?";
        try
        {
            string detail = Execute(name, step, baseDirectory);
            List<string> failures = name == "expect" ? Check(step) : new List<string>();
            return new StepOutcome(index, Describe(name, step), failures.Count == 0, failures.Count == 0 ? detail : string.Join("; ", failures), _elapsedMs);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or IOException)
        {
            return new StepOutcome(index, Describe(name, step), false, e.GetType().Name + ": " + e.Message, _elapsedMs);
        }
    }

    /// <summary>Lets scripted time pass, one loop pass at a time, settling whenever something moved.</summary>
    public void Advance(long milliseconds)
    {
        for (long done = 0; done < milliseconds; done += LoopMs)
        {
            long activity = Activity();
            _world.Clock.Advance(Math.Min(LoopMs, milliseconds - done));
            _elapsedMs += Math.Min(LoopMs, milliseconds - done);
            Device!.Step();
            if (Activity() != activity || !Quiet())
            {
                Settle();
            }
        }
    }

    /// <summary>Runs the loop without moving time until no message moves any more.</summary>
    public void Settle()
    {
        var watch = Stopwatch.StartNew();
        long last = -1;
        int quietPasses = 0;
        while (watch.ElapsedMilliseconds < 5000)
        {
            Device!.Step();
            long activity = Activity();
            if (activity == last && Quiet())
            {
                if (++quietPasses >= 4)
                {
                    return;
                }
            }
            else
            {
                quietPasses = 0;
            }

            last = activity;
            Thread.Sleep(5);
        }

        _world.Log.Warning("scenario", "traffic did not settle within 5 s");
    }

    public void WaitForLink(long maxMs)
    {
        Settle();
        long waited = 0;
        while (Device!.PoweredOn && Device.Link.Phase != CloudLinkPhase.Up && waited < maxMs)
        {
            Advance(LoopMs);
            waited += LoopMs;
        }
    }

    private long Activity() => _world.Traffic.Activity + _world.Cloud.Received + _world.Cloud.Handled + _world.Cloud.AcksSent;

    private bool Quiet() => _world.Cloud.Idle && (!Device!.PoweredOn || Device.Transport.InboundPending == 0);

    private string Execute(string name, JsonElement step, string baseDirectory)
    {
        SimulatedDevice device = Device!;
        switch (name)
        {
            case "press-button":
                Lock().PressButton();
                break;
            case "stamp":
                Lock().Stamp();
                break;
            case "door-open":
            case "door-close":
                Cabinet().SetDoor(Int(step, "compartment"), name == "door-open");
                break;
            case "tag":
                Cabinet().SetTag(Int(step, "compartment"), TagValue(Str(step, "tag")));
                break;
            case "wrong-seal":
                Cabinet().SetTag(Int(step, "compartment"), Str(step, "tag", "04BADBAD"));
                break;
            case "register":
                Cabinet().SetTag(Int(step, "compartment"), Str(step, "tag"));
                Cabinet().Register(Int(step, "compartment"), Str(step, "seal"), Str(step, "tag"));
                break;
            case "tamper":
                bool on = step.GetProperty("on").GetBoolean();
                if (device is SimulatedLock l)
                {
                    l.SetTamper(on);
                }
                else
                {
                    Cabinet().SetTamper(on);
                }

                break;
            case "gps-route":
                string file = ResolvePath(Str(step, "file"), baseDirectory);
                NmeaTrack track = file.EndsWith(".gpx", StringComparison.OrdinalIgnoreCase) ? GpxTrack.Load(file) : NmeaTrack.FromNmeaFile(file);
                Lock().Gnss = new TrackReplay(track, _world.Clock.UtcNowMs, Dbl(step, "speed", 1));
                Settle();
                return $"{track.Cycles.Count} cycles from {Path.GetFileName(file)}";
            case "network-drop":
                device.Network.Down();
                Settle();
                if (step.TryGetProperty("seconds", out JsonElement seconds))
                {
                    Advance((long)(seconds.GetDouble() * 1000));
                    device.Network.Up();
                }

                break;
            case "network-up":
                device.Network.Up();
                break;
            case "broker-restart":
                if (_world.Broker == null)
                {
                    throw new InvalidOperationException("broker-restart needs the embedded broker");
                }

                _world.Broker.Restart();

                // The cloud is a server-side peer and resubscribes at once (real time); the device
                // reconnects on its own backoff (scripted time), so it must not get there first.
                _world.Cloud.Connect();
                break;
            case "power-cut":
                if (step.TryGetProperty("afterWrites", out JsonElement writes))
                {
                    device.Flash.CutPowerAfter(writes.GetInt32());
                    return $"armed: power fails at flash write {writes.GetInt32() + 1} from now";
                }

                device.PowerCut();
                Advance((long)(Dbl(step, "offSeconds", 0) * 1000));
                device.PowerOn("power-loss");
                WaitForLink(30_000);
                return $"rebooted (boot {device.BootCount})";
            case "wait":
                Advance((long)(Dbl(step, "seconds", 1) * 1000));
                return $"{Dbl(step, "seconds", 1)} s";
            case "wait-link":
                WaitForLink((long)(Dbl(step, "seconds", 60) * 1000));
                return device.Link.Phase.ToString();
            case "cloud":
                return Cloud(step);
            case "expect":
                Settle();
                return "as expected";
            default:
                throw new FormatException($"unknown step '{name}'");
        }

        Settle();
        return "done";
    }

    private string Cloud(JsonElement step)
    {
        HarnessCloud cloud = _world.Cloud;
        string id = Device!.DeviceId;
        string action = Str(step, "action");
        switch (action)
        {
            case "load-token":
                TokenDocument[] docs = step.TryGetProperty("documents", out JsonElement d)
                    ? d.EnumerateArray().Select(x => new TokenDocument(x.GetProperty("id").GetString()!, x.GetProperty("pages").GetInt32())).ToArray()
                    : [];
                GeoFence? fence = null;
                if (step.TryGetProperty("geofence", out JsonElement g))
                {
                    fence = new GeoCircle(GeoFence.ToE7(g.GetProperty("lat").GetDouble()), GeoFence.ToE7(g.GetProperty("lon").GetDouble()), g.GetProperty("radius").GetInt32());
                }

                string token = cloud.IssueLockToken(id, Int(step, "uses", 1), Int(step, "offline", 0), docs, fence, (long)Dbl(step, "validSeconds", 3600), Str(step, "seal", "seal-sim-01"));
                string via = Str(step, "via", "both");
                if (via is "desired" or "both")
                {
                    cloud.PublishDesired(id, token: token);
                }

                if (via is "command" or "both")
                {
                    cloud.SendCommand(id, new LoadTokenBody { Token = token });
                }

                break;
            case "set-state":
                bool enabled = step.GetProperty("enabled").GetBoolean();
                cloud.PublishDesired(id, enabled: enabled);
                if (Str(step, "via", "both") is "both" or "command")
                {
                    cloud.SendCommand(id, new SetStateBody { Enabled = enabled, Version = cloud.DesiredVersion(id), Reason = Str(step, "reason", "scenario") });
                }

                break;
            case "doc-verdict":
                string? attempt = cloud.Read(id, r => r.LastBeforePhotoAttempt) ?? throw new InvalidOperationException("no before-photo seen yet: nothing to give a verdict on");
                string verdict = Str(step, "verdict", "ok");
                int kind = Array.IndexOf(WireNames.Verdicts, verdict);
                if (kind <= 0)
                {
                    throw new FormatException($"verdict '{verdict}' is not one of {string.Join(", ", WireNames.Verdicts.Skip(1))}");
                }

                cloud.SendCommand(id, new DocumentVerdictBody { AttemptId = attempt, Verdict = (DocumentVerdictKind)kind, DocumentId = Str(step, "document", "doc-1"), Page = Int(step, "page", 1) });
                break;
            case "dispense":
                int compartment = Int(step, "compartment");
                string seal = Str(step, "seal", "seal-sim-01");
                cloud.SendCommand(id, new DispenseBody { Compartment = compartment, SealId = seal, ExpectedTag = Str(step, "tag", string.Empty), Token = cloud.IssueCabinetToken(id, compartment, seal, (long)Dbl(step, "validSeconds", 120)) });
                break;
            case "accept-return":
                cloud.SendCommand(id, new AcceptReturnBody { Compartment = Int(step, "compartment"), SealId = Str(step, "seal"), ExpectedTag = Str(step, "tag") });
                break;
            case "ack":
                cloud.AutoAck = step.GetProperty("on").GetBoolean();
                break;
            default:
                throw new FormatException($"unknown cloud action '{action}'");
        }

        Settle();
        return action + " sent";
    }

    private List<string> Check(JsonElement expect)
    {
        var failures = new List<string>();
        SimulatedDevice device = Device!;
        CloudDeviceRecord record = _world.Cloud.Device(device.DeviceId);
        void Want(string what, object? expected, object? actual)
        {
            if (!Equals(expected?.ToString(), actual?.ToString()))
            {
                failures.Add($"{what}: expected {expected}, got {actual}");
            }
        }

        int compartment = Int(expect, "compartment", 0);
        foreach (JsonProperty p in expect.EnumerateObject())
        {
            switch (p.Name)
            {
                case "step":
                case "compartment":
                    break;
                case "mode":
                    Want("mode", p.Value.GetString(), device is SimulatedLock l ? l.State?.Mode.ToString() : CompartmentOf(compartment)?.Mode.ToString());
                    break;
                case "link":
                    Want("link", p.Value.GetString(), device.PoweredOn ? device.Link.Phase.ToString() : "off");
                    break;
                case "bolt":
                    Want("bolt", p.Value.GetString(), Lock().Bolt.IsUnlocked ? "unlocked" : "locked");
                    break;
                case "latch":
                    Want($"latch {compartment}", p.Value.GetString(), Cabinet().Latches[compartment - 1].IsUnlocked ? "unlocked" : "locked");
                    break;
                case "remaining":
                    Want("remaining", p.Value.GetInt32(), Lock().State?.Remaining);
                    break;
                case "enabled":
                    Want("enabled", p.Value.GetBoolean(), device is SimulatedLock lk ? lk.State?.Enabled : Cabinet().Controller?.Enabled);
                    break;
                case "pending":
                    Want("pending outbox", p.Value.GetInt32(), device.Queue.Count);
                    break;
                case "boltOpenings":
                    Want("bolt openings", p.Value.GetInt32(), Lock().Bolt.UnlockCount);
                    break;
                case "latchOpenings":
                    Want($"latch {compartment} openings", p.Value.GetInt32(), Cabinet().Latches[compartment - 1].UnlockCount);
                    break;
                case "stamps":
                    Want("stamps in the ledger", p.Value.GetInt32(), _world.Cloud.Read(device.DeviceId, r => r.Stamps));
                    break;
                case "duplicates":
                    Want("duplicate deliveries", p.Value.GetInt64(), _world.Cloud.Read(device.DeviceId, r => r.Duplicates));
                    break;
                case "events":
                    foreach (JsonElement e in p.Value.EnumerateArray())
                    {
                        string type = e.GetProperty("type").GetString()!;
                        var fields = e.TryGetProperty("fields", out JsonElement f) ? f.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.Clone()) : new Dictionary<string, JsonElement>();
                        int count = _world.Cloud.Read(device.DeviceId, r => r.Events.Count(x => x.Type == type && x.Matches(fields)));
                        if (e.TryGetProperty("count", out JsonElement c) ? count != c.GetInt32() : count == 0)
                        {
                            failures.Add($"events {type} {JsonSerializer.Serialize(fields)}: expected {(e.TryGetProperty("count", out JsonElement c2) ? c2.GetInt32().ToString() : "at least 1")}, cloud has {count}");
                        }
                    }

                    break;
                case "noEvent":
                    foreach (JsonElement t in p.Value.EnumerateArray())
                    {
                        int count = _world.Cloud.Read(device.DeviceId, r => r.Events.Count(x => x.Type == t.GetString()));
                        if (count > 0)
                        {
                            failures.Add($"no {t.GetString()} event expected, cloud has {count}");
                        }
                    }

                    break;
                case "alarms":
                    foreach (JsonProperty a in p.Value.EnumerateObject())
                    {
                        bool active = _world.Cloud.Read(device.DeviceId, r => r.Alarms.TryGetValue(a.Name, out bool v) && v);
                        Want($"alarm {a.Name} active", a.Value.GetBoolean(), active);
                    }

                    break;
                default:
                    failures.Add($"unknown expectation '{p.Name}'");
                    break;
            }
        }

        return failures;
    }

    private CompartmentState? CompartmentOf(int number) => Cabinet().Compartments.FirstOrDefault(c => c.Number == number);

    private SimulatedLock Lock() => Device as SimulatedLock ?? throw new InvalidOperationException("this step needs a lock");

    private SimulatedCabinet Cabinet() => Device as SimulatedCabinet ?? throw new InvalidOperationException("this step needs a cabinet");

    private static string Describe(string name, JsonElement step)
    {
        var parts = step.EnumerateObject().Where(p => p.Name != "step").Select(p => $"{p.Name}={JsonSerializer.Serialize(p.Value).Trim('"')}");
        string args = string.Join(" ", parts);
        return args.Length == 0 ? name : $"{name} {args}";
    }

    private static string TagValue(string tag) => tag switch
    {
        "none" => TagReading.None,
        "unreadable" => TagReading.Unreadable,
        _ => tag,
    };

    /// <summary>Relative to the scenario file; <c>$shared/...</c> is the repository's sibling shared folder (or SMARTSEAL_SHARED).</summary>
    public static string ResolvePath(string path, string baseDirectory)
    {
        if (path.StartsWith("$shared/", StringComparison.Ordinal))
        {
            string shared = Environment.GetEnvironmentVariable("SMARTSEAL_SHARED") ?? FindShared(baseDirectory) ?? throw new FileNotFoundException("shared folder not found (set SMARTSEAL_SHARED)");
            return Path.Combine(shared, path["$shared/".Length..]);
        }

        return Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
    }

    private static string? FindShared(string start)
    {
        for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static LockSettings LockSettingsFrom(JsonElement settings)
    {
        var s = new LockSettings();
        if (settings.ValueKind == JsonValueKind.Object)
        {
            s.RelockMs = (long)(Dbl(settings, "relockSeconds", s.RelockMs / 1000.0) * 1000);
            s.VerdictTimeoutMs = (long)(Dbl(settings, "verdictTimeoutSeconds", s.VerdictTimeoutMs / 1000.0) * 1000);
            s.MaxFixAgeMs = (long)(Dbl(settings, "maxFixAgeSeconds", s.MaxFixAgeMs / 1000.0) * 1000);
        }

        return s;
    }

    private static CompartmentSettings CabinetSettingsFrom(JsonElement settings)
    {
        var s = new CompartmentSettings();
        if (settings.ValueKind == JsonValueKind.Object)
        {
            s.DoorAlarmMs = (long)(Dbl(settings, "doorAlarmSeconds", s.DoorAlarmMs / 1000.0) * 1000);
            s.CollectTimeoutMs = (long)(Dbl(settings, "collectTimeoutSeconds", s.CollectTimeoutMs / 1000.0) * 1000);
        }

        return s;
    }

    private static string Str(JsonElement e, string name, string? fallback = null) =>
        e.TryGetProperty(name, out JsonElement v) ? v.GetString() ?? string.Empty : fallback ?? throw new FormatException($"'{name}' missing");

    private static int Int(JsonElement e, string name, int? fallback = null) =>
        e.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : fallback ?? throw new FormatException($"'{name}' missing");

    private static double Dbl(JsonElement e, string name, double fallback) =>
        e.TryGetProperty(name, out JsonElement v) ? v.GetDouble() : fallback;
}
