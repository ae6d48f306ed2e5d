using System.Text;
using SmartSeal.Firmware.Link;
using SmartSeal.Lock.Esp32;

namespace SmartSeal.Firmware.Tests.Drivers;

/// <summary>
/// The lock's SIM7080G MQTT transport, command by command. Command syntax and replies as SIMCom's
/// "SIM7070_SIM7080_SIM7090 Series AT Command Manual" gives them: AT+CNACT? answers
/// <c>+CNACT: &lt;pdpidx&gt;,&lt;statusx&gt;,"&lt;address&gt;"</c>; AT+CNCFG=pdpidx,ip_type,"apn";
/// AT+CNACT=pdpidx,action; AT+SMCONF="name",value; AT+SMSSL=index,"ca","cert"; AT+SMCONN;
/// AT+SMSUB="topic",qos; AT+SMPUB="topic",length,qos,retain answered by the "&gt; " prompt, then
/// the data, then OK; unsolicited <c>+SMSUB: "topic","message"</c> and <c>+SMSTATE: 0</c>.
/// Every command line ends in CR; final results are OK, ERROR or +CME ERROR: n.
/// </summary>
public sealed class Sim7080Tests : IDisposable
{
    private readonly ScriptedModem _modem = new();
    private readonly AtChannel _at;

    public Sim7080Tests()
    {
        _at = new AtChannel(_modem);
        _at.Start();
    }

    public void Dispose() => _at.Stop();

    private const string Ok = "\r\nOK\r\n";

    /// <summary>A modem whose data bearer (PDP context 0) is up; <paramref name="special"/> answers what it wants to, the rest is OK.</summary>
    private static Func<string, string> BearerUp(Func<string, string?>? special = null) => command =>
        command == "AT+CNACT?" ? "\r\n+CNACT: 0,1,\"10.64.3.7\"\r\n+CNACT: 1,0,\"0.0.0.0\"\r\n\r\nOK\r\n" : special?.Invoke(command) ?? Ok;

    private static MqttConnectOptions Options(string? willTopic = "dev/lock-0001/status") => new()
    {
        ClientId = "lock-0001",
        Username = "lock-0001",
        Password = "pa\"ss",
        KeepAliveSeconds = 60,
        CleanSession = true,
        WillTopic = willTopic,
        WillPayload = willTopic == null ? null : Encoding.UTF8.GetBytes("{\"online\":false}"),
    };

    [Fact]
    public void Connect_with_the_data_bearer_up_sends_exactly_these_commands()
    {
        _modem.Reply = BearerUp(c => c == "AT+SMDISC" ? "\r\nERROR\r\n" : null); // no stale session: refused, and ignored
        var transport = new Sim7080MqttTransport(_at, "mqtt.example.cn", 8883, true, "cmnet");

        Assert.Null(transport.Connect(Options()));

        Assert.True(transport.IsConnected);
        Assert.Equal(
            new[]
            {
                "AT+CNACT?",
                "AT+SMDISC",
                "AT+SMCONF=\"URL\",\"mqtt.example.cn\",8883",
                "AT+SMCONF=\"CLIENTID\",\"lock-0001\"",
                "AT+SMCONF=\"USERNAME\",\"lock-0001\"",
                "AT+SMCONF=\"PASSWORD\",\"pa\\22ss\"", // a quote inside a quoted parameter as \22
                "AT+SMCONF=\"KEEPTIME\",60",
                "AT+SMCONF=\"CLEANSS\",1",
                "AT+SMCONF=\"QOS\",1",
                "AT+SMCONF=\"TOPIC\",\"dev/lock-0001/status\"",
                "AT+SMCONF=\"MESSAGE\",\"{\\22online\\22:false}\"",
                "AT+SMCONF=\"RETAIN\",1",
                "AT+SMSSL=1,\"ca.crt\",\"\"",
                "AT+SMCONN",
            },
            _modem.Commands);
    }

    [Fact]
    public void Connect_without_a_data_bearer_configures_the_apn_and_activates_pdp_context_0()
    {
        _modem.Reply = c => c == "AT+CNACT?" ? "\r\n+CNACT: 0,0,\"0.0.0.0\"\r\n\r\nOK\r\n" : "\r\nOK\r\n";
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmiot");

        Assert.Null(transport.Connect(Options(willTopic: null)));

        Assert.Equal(new[] { "AT+CNACT?", "AT+CNCFG=0,1,\"cmiot\"", "AT+CNACT=0,1", "AT+SMDISC" }, _modem.Commands.Take(4));
        Assert.DoesNotContain(_modem.Commands, c => c.StartsWith("AT+SMSSL", StringComparison.Ordinal) || c.Contains("\"TOPIC\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cme_error_on_a_configuration_stops_the_connect_with_a_reason()
    {
        _modem.Reply = BearerUp(c => c.StartsWith("AT+SMCONF=\"USERNAME\"", StringComparison.Ordinal) ? "\r\n+CME ERROR: 50\r\n" : null);
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmnet");

        Assert.Equal("modem refused the MQTT configuration", transport.Connect(Options()));
        Assert.False(transport.IsConnected);
        Assert.Equal("AT+SMCONF=\"USERNAME\",\"lock-0001\"", _modem.Commands[^1]); // nothing after the refusal
    }

    [Fact]
    public void An_error_on_smconn_is_a_refused_connect()
    {
        _modem.Reply = BearerUp(c => c == "AT+SMCONN" ? "\r\nERROR\r\n" : null);
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmnet");

        Assert.Equal("refused or timeout (AT+SMCONN)", transport.Connect(Options()));
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public void Subscribe_and_publish_send_the_topic_qos_length_retain_and_then_the_payload()
    {
        _modem.Reply = BearerUp(c => c.StartsWith("AT+SMPUB=", StringComparison.Ordinal) ? "> " : null);
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmnet");
        Assert.Null(transport.Connect(Options()));
        _modem.Commands.Clear();

        Assert.True(transport.Subscribe(new[] { "dev/lock-0001/cmd", "dev/lock-0001/desired" }));
        byte[] payload = Encoding.UTF8.GetBytes("{\"t\":\"unlocked\",\"seq\":7}");
        Assert.True(transport.Publish("dev/lock-0001/evt", payload, retain: false));
        Assert.True(transport.Publish("dev/lock-0001/status", payload, retain: true));

        Assert.Equal(
            new[]
            {
                "AT+SMSUB=\"dev/lock-0001/cmd\",1",
                "AT+SMSUB=\"dev/lock-0001/desired\",1",
                $"AT+SMPUB=\"dev/lock-0001/evt\",{payload.Length},1,0",
                $"AT+SMPUB=\"dev/lock-0001/status\",{payload.Length},1,1",
            },
            _modem.Commands);
        Assert.Equal(new[] { payload, payload }, _modem.Data);
    }

    [Fact]
    public void Error_instead_of_the_prompt_fails_the_publish_without_sending_the_payload()
    {
        _modem.Reply = c => c.StartsWith("AT+SMPUB=", StringComparison.Ordinal) ? "\r\nERROR\r\n" : "\r\nOK\r\n";
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmnet");

        Assert.False(transport.Publish("t", new byte[] { 0x7B, 0x7D }, retain: false));
        Assert.Empty(_modem.Data);
    }

    [Fact]
    public void Unsolicited_smsub_is_a_message_and_smstate_0_a_lost_connection()
    {
        _modem.Reply = BearerUp();
        var transport = new Sim7080MqttTransport(_at, "broker", 1883, false, "cmnet");
        var received = new List<(string Topic, string Payload)>();
        using var lost = new ManualResetEventSlim();
        using var arrived = new ManualResetEventSlim();
        transport.MessageReceived += (topic, payload) => { received.Add((topic, Encoding.UTF8.GetString(payload))); arrived.Set(); };
        transport.ConnectionLost += _ => lost.Set();
        Assert.Null(transport.Connect(Options()));

        _modem.Unsolicited("+SMSUB: \"dev/lock-0001/cmd\",\"{\"c\":\"unlock\"}\"");
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(("dev/lock-0001/cmd", "{\"c\":\"unlock\"}"), Assert.Single(received));

        _modem.Unsolicited("+SMSTATE: 0");
        Assert.True(lost.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public void A_silent_modem_times_out_as_null()
    {
        _modem.Reply = _ => string.Empty;
        Assert.Null(_at.Send("AT", 100));
        Assert.Equal(new[] { "AT" }, _modem.Commands);
    }
}
