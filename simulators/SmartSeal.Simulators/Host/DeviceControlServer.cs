using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// The hands of a hardware tester, over HTTP on loopback (<c>--control-port</c>): press the lock's
/// button, stamp, open a compartment door, put a tag in a reader, tamper — and read the device's
/// state. Every action runs on the device's loop thread between two steps, as a real input would
/// arrive between two firmware ticks. Routes (POST unless noted):
/// <c>/button</c>, <c>/stamp</c>, <c>/tamper?on=true</c>, <c>/door/{n}?open=true</c>,
/// <c>/tag/{n}?id=HEX</c> (empty id: nothing in the reader), <c>/camera</c> (a lock: the JPEG body is
/// what its camera sees at the next capture — a page held under it), <c>GET /state</c>.
/// Served by Kestrel: a bodiless <c>curl -X POST</c> (no Content-Length) is an ordinary request
/// (HttpListener answered it 411 and then stopped serving).
/// </summary>
public sealed class DeviceControlServer : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SimulatedDevice _device;
    private const string Routes = "routes: POST /button /stamp /tamper?on= /door/{n}?open= /tag/{n}?id= /camera (JPEG body), GET /state";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(Action Action, TaskCompletionSource Done)> _pending = new();

    public DeviceControlServer(SimulatedDevice device, int port)
    {
        _device = device;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        _app.Run(AnswerAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Runs the actions that arrived since the last call; call it from the device loop.</summary>
    public void RunPending()
    {
        while (_pending.TryDequeue(out var work))
        {
            try
            {
                work.Action();
                work.Done.SetResult();
            }
            catch (Exception e)
            {
                work.Done.SetException(e);
            }
        }
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string[] path = (request.Path.Value ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        (int status, object body) = (404, new { error = Routes });
        try
        {
            if (HttpMethods.IsGet(request.Method) && path is ["state"])
            {
                (status, body) = (200, _device.Snapshot());
            }
            else if (HttpMethods.IsPost(request.Method) && (path is ["camera"] ? await CameraAsync(request) : Action(path, request.Query)) is { } action)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending.Enqueue((action, done));
                await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
                (status, body) = (200, _device.Snapshot());
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException or FormatException)
        {
            (status, body) = (400, new { error = e.Message });
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json);
    }

    private Action? Action(string[] path, IQueryCollection query)
    {
        bool Flag(string name) => !string.Equals(query[name], "false", StringComparison.OrdinalIgnoreCase);
        return (_device, path) switch
        {
            (SimulatedLock l, ["button"]) => l.PressButton,
            (SimulatedLock l, ["stamp"]) => l.Stamp,
            (SimulatedLock l, ["tamper"]) => () => l.SetTamper(Flag("on")),
            (SimulatedCabinet c, ["tamper"]) => () => c.SetTamper(Flag("on")),
            (SimulatedCabinet c, ["door", string n]) => () => c.SetDoor(Compartment(c, n), Flag("open")),
            (SimulatedCabinet c, ["tag", string n]) => () => c.SetTag(Compartment(c, n), query["id"].ToString().ToUpperInvariant()),
            _ => null,
        };
    }

    /// <summary>The photo the lock's camera returns next (<see cref="SimulatedLock.HoldInFrontOfCamera"/>).</summary>
    private async Task<Action?> CameraAsync(HttpRequest request)
    {
        if (_device is not SimulatedLock lockDevice)
        {
            return null;
        }

        const int max = SmartSeal.Protocol.Messages.PhotoChunker.MaxPhotoBytes;
        var tooLarge = new ArgumentException($"send the JPEG as the body (1 to {max} bytes)");
        if (request.ContentLength > max)
        {
            throw tooLarge;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                throw tooLarge;
            }
        }

        byte[] jpeg = buffer.ToArray();
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("the body is not a JPEG");
        }

        return () => lockDevice.HoldInFrontOfCamera(jpeg);
    }

    private static int Compartment(SimulatedCabinet cabinet, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= cabinet.Latches.Length
            ? n
            : throw new ArgumentException($"compartments are 1..{cabinet.Latches.Length}");
}
