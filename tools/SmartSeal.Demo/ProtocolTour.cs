using System.Security.Cryptography;
using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>Plays the protocol's main guarantees, step by step, on a simulated portable lock.</summary>
internal static class ProtocolTour
{
    private const string DeviceId = "lock-demo-01";

    public static int Run(string[] args)
    {
        AnsiConsole.Write(new Rule("[bold]SmartSeal[/] protocol tour (智能印章协议演示)").LeftJustified());
        AnsiConsole.MarkupLine("The cloud, portal and simulators arrive in later releases; this tour runs the real device code.\n");

        byte[] master = RandomNumberGenerator.GetBytes(32);
        byte[] key = DeviceKeys.Derive(master, DeviceId, 1);
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long nowS = nowMs / 1000;
        string password = BrokerPassword.Create(DeviceId, key, nowS + 86_400);

        var table = new Table().Border(TableBorder.Rounded).AddColumns("step", "result");
        table.AddRow("1. provision device key (HMAC of master key)", Markup.Escape(Convert.ToHexStringLower(key)[..16] + "…"));
        table.AddRow("2. broker password (valid 24 h)", Markup.Escape(password[..24] + "…"));
        table.AddRow("   verify with the right key", Verdict(BrokerPassword.Verify(password, DeviceId, key, nowS, 30 * 86_400)));
        table.AddRow("   verify as another device", Verdict(BrokerPassword.Verify(password, "lock-demo-02", DeviceKeys.Derive(master, "lock-demo-02", 1), nowS, 30 * 86_400)));

        var store = new FakePersistentStore(1 << 20);
        var link = new FakeCloudLink();
        var clock = new FakeClock(nowMs);
        var queue = new OfflineQueue(store, 256, 32);
        queue.Load();
        var identity = new DeviceIdentity(DeviceId, key, 1);
        var outbox = new Outbox(identity, queue, link, clock);

        outbox.Send("stamped", Encoding.UTF8.GetBytes("{\"attempt\":\"att-1\",\"doc\":\"contract-2026-118\",\"page\":1}"), critical: true);
        outbox.Send("position", Encoding.UTF8.GetBytes("{\"lat\":312304560,\"lon\":1214737010,\"acc\":350}"), critical: false);
        table.AddRow("3. lock offline: stamp + position stored on flash", $"{outbox.Pending} pending, 0 published");
        link.SetConnected(true);
        int replayed = outbox.Flush();
        table.AddRow("4. reconnect: replay in seq order", $"{replayed} published");
        outbox.Acknowledge(new long[] { 1, 2 });
        table.AddRow("5. cloud acknowledges seq 1, 2", $"{outbox.Pending} pending");

        var published = (PublishedMessage)link.Published[0]!;
        var envelope = new Envelope();
        EnvelopeCodec.Decode(published.Payload, 0, published.Payload.Length, envelope, out _);
        table.AddRow("6. cloud verifies the stamp event's MAC", EnvelopeCodec.VerifyMac(envelope, key) ? "[green]valid[/]" : "[red]invalid[/]");
        byte[] tampered = (byte[])published.Payload.Clone();
        int page = Encoding.UTF8.GetString(tampered).IndexOf("\"page\":1", StringComparison.Ordinal) + 7;
        tampered[page] = (byte)'9';
        EnvelopeCodec.Decode(tampered, 0, tampered.Length, envelope, out _);
        table.AddRow("7. broker changes page 1 → 9 in transit", EnvelopeCodec.VerifyMac(envelope, key) ? "[red]accepted[/]" : "[green]refused: MAC mismatch[/]");

        var inbox = new CommandInbox(identity, store, clock, 5_000);
        var command = new Envelope { DeviceId = DeviceId, Seq = 1, Time = nowMs, Expires = nowMs + 60_000, Type = "set-state", Id = "disable-1" };
        command.SetBody(Encoding.UTF8.GetBytes("{\"enabled\":false,\"version\":2}"));
        byte[] wire = EnvelopeCodec.Encode(command, key);
        string topic = DeviceTopics.For(DeviceId, TopicKind.Commands);
        table.AddRow("8. keeper disables the lock (signed command)", Verdict(inbox.Accept(topic, wire, new Envelope(), out _, out _)));
        table.AddRow("9. attacker replays the same command", Verdict(inbox.Accept(topic, wire, new Envelope(), out _, out _)));

        AnsiConsole.Write(table);
        if (args.Contains("--json"))
        {
            AnsiConsole.WriteLine(Encoding.UTF8.GetString(published.Payload));
        }

        return 0;
    }

    private static string Verdict(ProtocolError error) =>
        error == ProtocolError.None ? "[green]accepted[/]" : $"[yellow]refused: {error}[/]";
}
