using System.Collections;
using System.Threading;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Inputs
{
    /// <summary>
    /// Samples every registered input every <c>periodMs</c> on its own thread, so debouncing does
    /// not depend on how long the main loop's work takes (a photo upload can take seconds).
    /// </summary>
    public class InputScanner
    {
        private readonly ArrayList _inputs = new ArrayList();
        private readonly IClock _clock;
        private readonly int _periodMs;
        private Thread _thread;
        private bool _running;

        public InputScanner(IClock clock, int periodMs)
        {
            _clock = clock;
            _periodMs = periodMs;
        }

        public void Add(IPolledInput input)
        {
            _inputs.Add(input);
        }

        public void Start()
        {
            _running = true;
            _thread = new Thread(Run);
            _thread.Start();
        }

        public void Stop()
        {
            _running = false;
        }

        private void Run()
        {
            while (_running)
            {
                long now = _clock.UptimeMs;
                for (int i = 0; i < _inputs.Count; i++)
                {
                    try
                    {
                        ((IPolledInput)_inputs[i]).Poll(now);
                    }
                    catch (System.Exception)
                    {
                        // An I2C glitch on one expander must not stop the other inputs; the next scan retries.
                    }
                }

                Thread.Sleep(_periodMs);
            }
        }
    }
}
