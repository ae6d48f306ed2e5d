using System.Runtime.InteropServices;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cabinet.Linux;

/// <summary>
/// <c>run</c>: the cabinet's main loop against the cloud's broker until SIGINT/SIGTERM, like the
/// ESP32's Program.Main (50 ms input sampling; the controller's timers run every pass).
/// </summary>
public static class CabinetHost
{
    public const string Firmware = "smartseal-cabinet-linux/1.0.0";

    private const int LoopMs = 50;

    public static int Run(CabinetConfig config)
    {
        RefuseWhatTheTransportCannotSpeak(config.DeviceFile);
        DeviceProvisioning identity = DeviceProvisioning.FromFile(config.DeviceFile);
        string broker = !string.IsNullOrWhiteSpace(config.Broker) ? config.Broker : identity.Broker!;
        var log = new SimLog { WriteToConsole = true, ConsoleLevel = SimLogLevel.Info };
        var clock = new HostClock();
        var options = new DeviceHostOptions
        {
            Broker = BrokerEndpoint.Parse(broker), Clock = clock, Traffic = new TrafficCounters(), Log = log, Firmware = Firmware,
            Flash = new DirectoryStore(Path.Combine(config.StateDir, identity.DeviceId), 4L << 20),
        };
        using var board = new LinuxCabinetBoard(config, new LinuxBuses());
        var cabinet = new LinuxCabinet(identity, options, board, new CompartmentSettings());

        // SIGINT (Ctrl+C) and SIGTERM (systemd stop) end the loop, so the link says goodbye and the latches lock.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        cabinet.PowerOn("power-on");
        Console.WriteLine($"{identity.DeviceId}: {board.Compartments.Length} compartments, broker {broker}; Ctrl+C to stop");
        while (!stop.IsCancellationRequested)
        {
            cabinet.Run(clock.UptimeMs);
            stop.Token.WaitHandle.WaitOne(LoopMs);
        }

        cabinet.Shutdown();
        return 0;
    }

    /// <summary>
    /// The simulators' MQTTnet transport speaks plain MQTT with SmartSeal's topics only: a
    /// provisioning file that asks for TLS or the IoT Hub dialect stops the host with the reason
    /// rather than failing to connect forever.
    /// </summary>
    internal static void RefuseWhatTheTransportCannotSpeak(string deviceFile)
    {
        if (!File.Exists(deviceFile))
        {
            throw new CabinetConfigException($"deviceFile: {deviceFile} does not exist (write it with the cloud's `devices provision --kind cabinet --out`)");
        }

        byte[] json = File.ReadAllBytes(deviceFile);
        ProvisioningFile file;
        try
        {
            file = ProvisioningFile.Parse(json, 0, json.Length);
        }
        catch (ProtocolException e)
        {
            throw new CabinetConfigException($"deviceFile: {deviceFile}: {e.Message}");
        }

        if (file.BrokerTls)
        {
            throw new CabinetConfigException($"deviceFile: {deviceFile} asks for a TLS broker, which the Linux host does not speak yet; provision a plain port on the cabinet's private network or a local Mosquitto bridge");
        }

        if (file.BrokerProfile != ProvisioningFile.ProfileSmartSeal)
        {
            throw new CabinetConfigException($"deviceFile: {deviceFile} uses the '{file.BrokerProfile}' broker profile; the Linux host speaks SmartSeal's own topics only");
        }
    }
}
