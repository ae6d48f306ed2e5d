using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using Iot.Device.Mfrc522;
using SmartSeal.Cabinet.Linux.Configuration;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>The Linux kernel's buses: the default GPIO driver (libgpiod/sysfs, BCM numbering on a Pi), i2c-dev and spidev.</summary>
public sealed class LinuxBuses : IBoardBuses
{
    /// <summary>Well under the MFRC522's 10 MHz: the readers sit on ribbon cables to the compartments.</summary>
    public const int RfidClockHz = 5_000_000;

    public GpioController OpenGpio() => new();

    public I2cDevice OpenI2c(int bus, int address) => I2cDevice.Create(new I2cConnectionSettings(bus, address));

    public SpiDevice OpenSpi(SpiRef device) => SpiDevice.Create(new SpiConnectionSettings(device.Bus, device.ChipSelect)
    {
        ClockFrequency = RfidClockHz,
        Mode = MfRc522.DefaultSpiMode,
    });
}
