using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SmartSeal.Portability;

namespace SmartSeal.Portability.Tests;

/// <summary>The stubs generated from api.tsv for nanoFramework-only libraries (M2Mqtt, System.Device.*, Iot.Device.*...).</summary>
public class ApiStubTests
{
    private readonly ITestOutputHelper _output;

    public ApiStubTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Stubs_declare_every_catalogued_member_of_the_types_they_stub()
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return;
        }

        var stubbedTypes = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        int rowCount = 0;
        foreach ((string assembly, CSharpCompilation stubs) in SharedData.Checker(catalog).Stubs.Compilations)
        {
            var types = new HashSet<string>(
                AllTypes(stubs.Assembly.GlobalNamespace).Select(t => t.GetDocumentationCommentId()![2..]),
                StringComparer.Ordinal);
            stubbedTypes.UnionWith(types);
            List<ApiRow> rows = catalog.Rows
                .Where(r => r.Assembly == assembly && ApiStubs.CanStub(r))
                .Where(r => types.Contains(r.Kind == 'T' ? r.Id[2..] : ApiCatalog.SplitMember(r.Id).Type))
                .ToList();
            rowCount += rows.Count;
            missing.AddRange(rows.Where(r => DocumentationCommentId.GetFirstSymbolForDeclarationId(r.Id, stubs) == null).Select(r => r.Id));
        }

        missing.ForEach(_output.WriteLine);
        _output.WriteLine($"{stubbedTypes.Count} stubbed types, {rowCount} rows, {missing.Count} not reproduced");

        Assert.Contains("nanoFramework.M2Mqtt.MqttClient", stubbedTypes);
        Assert.Contains("System.Device.Gpio.GpioController", stubbedTypes);
        Assert.DoesNotContain("System.String", stubbedTypes); // the runtime provides it
        Assert.Empty(missing);
    }

    /// <summary>
    /// Members are stubbed as api.tsv lists them, without override/abstract; a stub class deriving
    /// from a runtime class (Stream) or implementing a runtime interface with a differently typed
    /// member therefore misses "implementations". Those errors cannot affect binding; any other
    /// error (syntax, unknown type, bad modifier) means the generator is wrong.
    /// </summary>
    private static readonly string[] ContractErrors = { "CS0534", "CS0535", "CS0738" };

    [Fact]
    public void Stub_source_compiles_without_errors_other_than_unimplemented_contracts()
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return;
        }

        List<Diagnostic> errors = SharedData.Checker(catalog).Stubs.Compilations.Values
            .SelectMany(c => c.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error && !ContractErrors.Contains(d.Id))
            .ToList();
        errors.Take(60).ToList().ForEach(e => _output.WriteLine(e.ToString()));
        Assert.Empty(errors);
    }

    private IReadOnlyList<string>? Check(string source)
    {
        ApiCatalog? catalog = SharedData.CatalogOrSkip(_output);
        if (catalog == null)
        {
            return null;
        }

        IReadOnlyList<Violation> violations = SharedData.Checker(catalog).Check(new[] { new SourceFile("Esp32.cs", source) });
        violations.ToList().ForEach(v => _output.WriteLine(v.ToString()));
        return violations.Select(v => $"{v.File}:{v.Line}: {v.Symbol}").ToList();
    }

    [Fact]
    public void Esp32_style_source_using_only_stubbed_libraries_passes()
    {
        const string source = """
            using System.Device.Gpio;
            using System.IO.Ports;
            using nanoFramework.M2Mqtt;
            using nanoFramework.M2Mqtt.Messages;
            namespace Planted
            {
                public class Board
                {
                    private readonly MqttClient _client = new MqttClient("broker", 8883, true, null, null, MqttSslProtocols.TLSv1_2);
                    private readonly SerialPort _port = new SerialPort("COM2", 9600);

                    public bool Run(GpioController gpio)
                    {
                        GpioPin led = gpio.OpenPin(2, PinMode.Output);
                        led.Write(PinValue.High);
                        _client.MqttMsgPublishReceived += OnMessage;
                        _client.Connect("dev", "dev", "pw", false, MqttQoSLevel.AtLeastOnce, true, "t/status", "offline", false, 60);
                        _client.Subscribe(new[] { "t/cmd" }, new[] { MqttQoSLevel.AtLeastOnce });
                        _port.Open();
                        return _client.IsConnected && _port.BytesToRead >= 0;
                    }

                    private void OnMessage(object sender, MqttMsgPublishEventArgs e)
                    {
                        string topic = e.Topic;
                        byte[] payload = e.Message;
                    }
                }
            }
            """;
        IReadOnlyList<string>? violations = Check(source);
        if (violations == null)
        {
            return;
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Planted_violations_in_esp32_style_source_are_reported()
    {
        const string source = """
            using System.Collections.Generic;
            using nanoFramework.M2Mqtt;
            namespace Planted
            {
                public class Bad
                {
                    public void Run(MqttClient client, List<string> topics)
                    {
                        client.ConnectAsync("dev");
                        client.Subscribe(topics.ToArray(), null);
                    }
                }
            }
            """;
        IReadOnlyList<string>? violations = Check(source);
        if (violations == null)
        {
            return;
        }

        Assert.Contains("Esp32.cs:7: CS0246", violations); // no List<T> in nanoFramework's mscorlib
        Assert.Contains("Esp32.cs:9: CS1061", violations); // MqttClient has no ConnectAsync in api.tsv
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container) =>
        container.GetMembers().OfType<INamespaceOrTypeSymbol>().SelectMany(m =>
            m is INamedTypeSymbol type ? new[] { type }.Concat(AllTypes(type)) : AllTypes(m));
}
