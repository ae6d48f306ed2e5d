using System.Collections.Concurrent;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>The device's main loop on one thread (the firmware core is single-threaded); actions run on it between steps.</summary>
public sealed class DeviceLoop : IDisposable
{
    private readonly ConcurrentQueue<(Action Action, TaskCompletionSource Done)> _actions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public DeviceLoop(SimulatedDevice device)
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                while (_actions.TryDequeue(out var work))
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

                device.Step();
                Thread.Sleep(5); // the firmware main loop's pace between steps, as on the device
            }
        }) { IsBackground = true, Name = "device " + device.DeviceId };
        _thread.Start();
    }

    public void Run(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _actions.Enqueue((action, done));
        Assert.True(done.Task.Wait(TimeSpan.FromSeconds(20)), "the device loop did not run the action");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
