using SmartSeal.Cloud.Cli;
using SmartSeal.Cloud.Hosting;

// `smartseal-cloud` with no verb runs the host; with a verb (devices, ...) it is the admin CLI.
if (CloudCli.IsCommand(args))
{
    return await CloudCli.RunAsync(args);
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddSmartSealCloud();
WebApplication app = builder.Build();
app.MapSmartSealCloud();
await app.RunAsync();
return 0;

/// <summary>The host's entry point, visible to <c>WebApplicationFactory&lt;Program&gt;</c> in tests.</summary>
public partial class Program;
