using System.Net.Http.Headers;
using System.Net.Http.Json;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>
/// The edge face gate of the demo, in front of the cabinet: provisioned as a device, placed at the
/// cabinet, with the applicant enrolled from sample photos (../shared/data/faces). "Walking up" runs
/// the real gate program over a folder of other photos of the same person: it syncs the templates
/// of the people who may collect there, recognises the applicant over several frames and sends its
/// signed decision and capture photo; the cloud opens the compartment.
/// </summary>
internal sealed class DemoGate(string gateDll, string deviceFile, string walkUpFolder, string stateFolder, string logFolder, string cloudUrl)
{
    public const string Id = "gate-demo-01";

    /// <summary>Sample photos stand in for the applicant's face: 4 to enrol, the others are the gate's camera frames.</summary>
    private const string SamplePerson = "katy_perry";

    public static async Task<DemoGate?> PrepareAsync(HttpClient admin, string root, string demo, string cabinet, string cloudUrl, Func<string, Task<string>> provision, CancellationToken cancellationToken)
    {
        string gateDll = Path.Combine(root, "edge-face-gate", "SmartSeal.EdgeFaceGate", "bin", "Release", "net10.0", "SmartSeal.EdgeFaceGate.dll");
        string photos = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "faces", "people", SamplePerson));
        if (!File.Exists(gateDll) || !Directory.Exists(photos))
        {
            AnsiConsole.MarkupLineInterpolated($"  [grey]no edge gate: {(File.Exists(gateDll) ? photos : gateDll)} is missing; the keeper dispenses instead[/]");
            return null;
        }

        string deviceFile = await provision(Id);
        await OkAsync(admin.PutAsJsonAsync($"/api/gates/{Id}/cabinet", new { cabinetId = cabinet }, cancellationToken), cancellationToken);

        string[] all = Directory.GetFiles(photos).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
        HttpClient keeper = await DemoOffice.SignInAsync(admin.BaseAddress!, DemoOffice.Keeper, cancellationToken);
        using (var form = new MultipartFormDataContent())
        {
            foreach (string photo in all.Take(4))
            {
                var content = new ByteArrayContent(await File.ReadAllBytesAsync(photo, cancellationToken));
                content.Headers.ContentType = new MediaTypeHeaderValue(photo.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg");
                form.Add(content, "photos", Path.GetFileName(photo));
            }

            await OkAsync(keeper.PostAsync($"/api/faces/{DemoOffice.Applicant.Login}", form, cancellationToken), cancellationToken);
        }

        string walkUp = Path.Combine(demo, "gate", "walk-up");
        Directory.CreateDirectory(walkUp);
        foreach (string photo in all.Skip(4))
        {
            File.Copy(photo, Path.Combine(walkUp, Path.GetFileName(photo)), overwrite: true);
        }

        AnsiConsole.MarkupLineInterpolated($"  edge gate [bold]{Id}[/] at {cabinet}; {DemoOffice.Applicant.Name} enrolled from 4 sample photos");
        return new DemoGate(gateDll, deviceFile, walkUp, Path.Combine(demo, "gate", "state"), Path.Combine(demo, "logs"), cloudUrl);
    }

    /// <summary>The applicant stands in front of the camera: the gate runs over the walk-up frames and exits.</summary>
    public async Task<int> WalkUpAsync(int visit, CancellationToken cancellationToken)
    {
        using var gate = new DemoProcess(
            Id, gateDll, ["run", "--device", deviceFile, "--cloud", cloudUrl, "--input", walkUpFolder, "--state", stateFolder], new Dictionary<string, string>(),
            Path.Combine(logFolder, $"{Id}-{visit}.log"));
        return await gate.WaitForExitAsync(cancellationToken);
    }

    public string LogOf(int visit) => Path.Combine(logFolder, $"{Id}-{visit}.log");

    private static async Task OkAsync(Task<HttpResponseMessage> call, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await call;
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new DemoException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
