using SmartSeal.Firmware.Hardware;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Cli;

/// <summary>broker: the embedded broker alone, until Ctrl+C, stdin closing, or --duration.</summary>
public static class BrokerCommand
{
    public static int Run(int port, byte[] masterKey, double durationSeconds, SimLog log)
    {
        using var broker = new EmbeddedBroker(masterKey, new HostClock(), log, port);
        broker.Start();
        Console.WriteLine($"broker listening on 127.0.0.1:{broker.Port}");
        using var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        stop.Wait(durationSeconds > 0 ? TimeSpan.FromSeconds(durationSeconds) : Timeout.InfiniteTimeSpan);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine($"broker: accepted {broker.AcceptedConnections}, refused {broker.RefusedConnections}, ACL denials {broker.AclDenials}, CPU {cpu.TotalSeconds:0.0} s");
        return 0;
    }
}
