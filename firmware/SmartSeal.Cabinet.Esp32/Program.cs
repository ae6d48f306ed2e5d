using System;
using System.Device.Gpio;
using System.IO.Ports;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using SmartSeal.Drivers.Esp32.Camera;
using SmartSeal.Drivers.Esp32.Expander;
using SmartSeal.Drivers.Esp32.Indicator;
using SmartSeal.Drivers.Esp32.Inputs;
using SmartSeal.Drivers.Esp32.Power;
using SmartSeal.Drivers.Esp32.Provisioning;
using SmartSeal.Drivers.Esp32.Rfid;
using SmartSeal.Drivers.Esp32.Serial;
using SmartSeal.Drivers.Esp32.Storage;
using SmartSeal.Drivers.Esp32.Time;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Link.IotHub;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Cabinet.Esp32
{
    /// <summary>Composes the cabinet: board → drivers → identity → queue/outbox/inbox → cloud link → controller → main loop.</summary>
    public static class Program
    {
        public const string Firmware = "smartseal-cabinet/1.0.0";

        private const int LoopMs = 50;
        private const int TickEveryLoops = 5;                 // controller tick every 250 ms
        private const long BatteryReportMs = 10 * 60 * 1000;

        public static void Main()
        {
            AssignPins();
            DeviceClock clock = new DeviceClock();
            GpioController gpio = new GpioController();
            LedBuzzerIndicator indicator = new LedBuzzerIndicator(gpio, CabinetBoard.LedGreen, CabinetBoard.LedRed, CabinetBoard.Buzzer);
            indicator.Show(IndicatorPattern.Working);

            FlashStore flash = new FlashStore("I:\\smartseal", 1024 * 1024);
            ProvisioningFile provisioning = DeviceProvisioning.Load(DeviceProvisioning.DefaultPath, ProvisioningFile.KindCabinet);
            DeviceIdentity identity = new DeviceIdentity(provisioning.DeviceId, provisioning.Key, provisioning.KeyVersion);
            WifiNetwork.Connect(provisioning.WifiSsid, provisioning.WifiPassword, 30000);

            InputScanner scanner = new InputScanner(clock, 10);
            CabinetHardware hardware = new CabinetHardware();
            Mcp23017Expander low = new Mcp23017Expander(new I2cDeviceChannel(CabinetBoard.I2cBus, CabinetBoard.ExpanderLowAddress));
            Mcp23017Expander high = new Mcp23017Expander(new I2cDeviceChannel(CabinetBoard.I2cBus, CabinetBoard.ExpanderHighAddress));
            hardware.Compartments = BuildCompartments(scanner, low, high);
            Mcp23017Switch tamper = new Mcp23017Switch("tamper-case", low, CabinetBoard.TamperExpanderPin, false);
            scanner.Add(tamper);
            hardware.Tamper = tamper;
            hardware.Camera = OpenCamera();
            hardware.Indicator = indicator;
            hardware.Clock = clock;
            hardware.Flash = flash;
            AdcBattery battery = new AdcBattery(CabinetBoard.BatteryAdcChannel, 2.0, 3100, gpio, CabinetBoard.ChargerStatus);

            M2MqttTransport transport = new M2MqttTransport(provisioning.BrokerHost, provisioning.BrokerPort, provisioning.BrokerTls, 10000);
            // SmartSeal's own topics (the cloud's broker, Mosquitto...) or Azure IoT Hub's dialect, per device.json.
            BrokerSession link = provisioning.BrokerProfile == ProvisioningFile.ProfileIotHub
                ? (BrokerSession)new IotHubLink(identity, transport, clock, LinkSettings(provisioning), provisioning.BrokerHost, Firmware)
                : new CloudLink(identity, transport, clock, LinkSettings(provisioning), Firmware);
            hardware.Link = link;
            OfflineQueue queue = new OfflineQueue(flash, 2000, 200);
            queue.Load();
            Outbox outbox = new Outbox(identity, queue, link, clock);
            CommandInbox inbox = new CommandInbox(identity, flash, clock, 5 * 60 * 1000);
            CabinetController controller = new CabinetController(identity, hardware, new CompartmentSettings(), outbox, inbox);
            DeviceReporter reporter = new DeviceReporter(identity, outbox, clock);

            scanner.Start();
            controller.Boot(Firmware, "wakeup:" + (int)Sleep.GetWakeupCause(), BootCounter.Increment(flash));
            indicator.Show(IndicatorPattern.Ready);

            long nextBatteryMs = 0;
            for (int loop = 0; ; loop++)
            {
                link.Poll();
                if (loop % TickEveryLoops == 0)
                {
                    controller.Tick();
                }

                if (clock.UptimeMs >= nextBatteryMs)
                {
                    nextBatteryMs = clock.UptimeMs + BatteryReportMs;
                    BatteryBody body = new BatteryBody();
                    body.MilliVolts = battery.MilliVolts;
                    body.Percent = battery.Percent;
                    body.Charging = battery.IsCharging;
                    reporter.Send(body, false);
                }

                Thread.Sleep(LoopMs);
            }
        }

        private static CloudLinkSettings LinkSettings(ProvisioningFile provisioning)
        {
            CloudLinkSettings settings = new CloudLinkSettings();
            settings.FixedPasswordExpiryUnixSeconds = provisioning.BrokerPasswordExpiry;
            return settings;
        }

        private static void AssignPins()
        {
            Configuration.SetPinFunction(CabinetBoard.I2cSda, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(CabinetBoard.I2cScl, DeviceFunction.I2C1_CLOCK);
            Configuration.SetPinFunction(CabinetBoard.SpiClock, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(CabinetBoard.SpiMiso, DeviceFunction.SPI1_MISO);
            Configuration.SetPinFunction(CabinetBoard.SpiMosi, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(CabinetBoard.CameraUartTx, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(CabinetBoard.CameraUartRx, DeviceFunction.COM2_RX);
        }

        private static CompartmentHardware[] BuildCompartments(InputScanner scanner, Mcp23017Expander low, Mcp23017Expander high)
        {
            CompartmentHardware[] compartments = new CompartmentHardware[CabinetBoard.Compartments];
            for (int i = 0; i < compartments.Length; i++)
            {
                int number = i + 1;
                Mcp23017Expander expander = i < CabinetBoard.CompartmentsPerExpander ? low : high;
                int slot = i % CabinetBoard.CompartmentsPerExpander;
                Mcp23017Switch door = new Mcp23017Switch("door-" + number, expander, CabinetBoard.DoorPinBase + slot, false); // reed opens with the door: high = open
                scanner.Add(door);

                CompartmentHardware c = new CompartmentHardware();
                c.Number = number;
                c.Latch = new Mcp23017Latch(expander, CabinetBoard.LatchPinBase + slot);
                c.Door = door;
                c.TagReader = new Mfrc522TagReader(CabinetBoard.SpiBus, CabinetBoard.RfidChipSelect(number));
                compartments[i] = c;
            }

            return compartments;
        }

        private static ICamera OpenCamera()
        {
            SerialPort port = new SerialPort(CabinetBoard.CameraPort, Vc0706Camera.DefaultBaudRate);
            port.ReadBufferSize = 4096;
            port.Open();
            Vc0706Camera camera = new Vc0706Camera(new SerialPortChannel(port), 500);
            camera.Initialise(0x11); // 320x240: legible hand-over evidence at ~15 KB per photo
            return camera;
        }
    }
}
