using System.Device.Gpio;
using System.Threading;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>Powers the SIM7080G on through PWRKEY and waits until it answers AT, with echo off.</summary>
    public static class Sim7080Modem
    {
        /// <summary>True once the modem answers; tries a power-key pulse when it is silent (it may be off).</summary>
        public static bool PowerOn(AtChannel at, GpioController gpio, int powerKeyPin)
        {
            GpioPin key = gpio.OpenPin(powerKeyPin, PinMode.Output);
            key.Write(PinValue.Low);
            for (int attempt = 0; attempt < 2; attempt++)
            {
                for (int i = 0; i < 10; i++)
                {
                    if (at.Send("AT", 500) != null)
                    {
                        return at.Send("ATE0", 500) != null;
                    }
                }

                // PWRKEY low for >1 s toggles power (here through an NPN, so the pin goes high).
                key.Write(PinValue.High);
                Thread.Sleep(1200);
                key.Write(PinValue.Low);
                Thread.Sleep(3000);
            }

            return false;
        }
    }
}
