using System.Device.Gpio;
using System.IO.Ports;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using SmartSeal.Drivers.Esp32.Camera;
using SmartSeal.Drivers.Esp32.Expander;
using SmartSeal.Drivers.Esp32.Gnss;
using SmartSeal.Drivers.Esp32.Indicator;
using SmartSeal.Drivers.Esp32.Inputs;
using SmartSeal.Drivers.Esp32.Power;
using SmartSeal.Drivers.Esp32.Provisioning;
using SmartSeal.Drivers.Esp32.Rfid;
using SmartSeal.Drivers.Esp32.Serial;
using SmartSeal.Drivers.Esp32.Storage;
using SmartSeal.Drivers.Esp32.Time;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Link.IotHub;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>Composes the portable lock: board → drivers → identity → queue/outbox/inbox → cloud link → controller → main loop.</summary>
    public static class Program
    {
        public const string Firmware = "smartseal-lock/1.0.0";

        private const int LoopMs = 50;
        private const int TickEveryLoops = 5;                 // controller tick every 250 ms
        private const long BatteryReportMs = 15 * 60 * 1000;

        private static readonly object FixSync = new object();
        private static GnssFix _pendingFix;

        public static void Main()
        {
            AssignPins();
            DeviceClock clock = new DeviceClock();
            GpioController gpio = new GpioController();
            LedBuzzerIndicator indicator = new LedBuzzerIndicator(gpio, LockBoard.LedGreen, LockBoard.LedRed, LockBoard.Buzzer);
            indicator.Show(IndicatorPattern.Working);

            FlashStore flash = new FlashStore("I:\\smartseal", 1024 * 1024);
            ProvisioningFile provisioning = DeviceProvisioning.Load(DeviceProvisioning.DefaultPath, ProvisioningFile.KindLock);
            DeviceIdentity identity = new DeviceIdentity(provisioning.DeviceId, provisioning.Key, provisioning.KeyVersion);

            // Inputs and the bolt on the expander.
            Mcp23017Expander expander = new Mcp23017Expander(new I2cDeviceChannel(LockBoard.I2cBus, LockBoard.ExpanderAddress));
            InputScanner scanner = new InputScanner(clock, 10);
            LockHardware hardware = new LockHardware();
            hardware.Bolt = new Mcp23017Latch(expander, LockBoard.BoltExpanderPin);
            hardware.StampSwitch = Switch(scanner, "stamp", expander, LockBoard.StampSwitchExpanderPin, true);
            hardware.Tamper = Switch(scanner, "tamper-case", expander, LockBoard.TamperExpanderPin, false); // intact loop = low
            hardware.Button = Switch(scanner, "button", expander, LockBoard.ButtonExpanderPin, true);

            // GNSS and camera share COM2 through the mux.
            SerialPort shared = new SerialPort(LockBoard.SharedPort, SerialGnss.DefaultBaudRate);
            shared.ReadBufferSize = 4096;
            shared.Open();
            UartMux mux = new UartMux(shared, gpio, LockBoard.UartMuxSelect);
            SerialGnss gnss = new SerialGnss(shared, OnFix);
            mux.Attach(gnss);
            MuxedCamera camera = new MuxedCamera(mux, new Vc0706Camera(new SerialPortChannel(shared), 500));
            camera.Initialise(0x00); // 640x480: the page must stay legible for the document check
            hardware.Camera = camera;
            hardware.Indicator = indicator;
            hardware.Clock = clock;
            hardware.Flash = flash;
            hardware.SealTag = new Mfrc522TagReader(LockBoard.SpiBus, LockBoard.RfidChipSelect);
            AdcBattery battery = new AdcBattery(LockBoard.BatteryAdcChannel, 2.0, 3100, gpio, LockBoard.ChargerStatus);

            // The modem's own MQTT client carries the session.
            SerialPort modemPort = new SerialPort(LockBoard.ModemPort, 115200);
            modemPort.ReadBufferSize = 2048;
            modemPort.Open();
            AtChannel at = new AtChannel(new SerialPortChannel(modemPort));
            at.Start();
            Sim7080Modem.PowerOn(at, gpio, LockBoard.ModemPowerKey);
            Sim7080MqttTransport transport = new Sim7080MqttTransport(at, provisioning.BrokerHost, provisioning.BrokerPort, provisioning.BrokerTls, provisioning.CellularApn);
            // SmartSeal's own topics (the cloud's broker, Mosquitto...) or Azure IoT Hub's dialect, per device.json.
            BrokerSession link = provisioning.BrokerProfile == ProvisioningFile.ProfileIotHub
                ? (BrokerSession)new IotHubLink(identity, transport, clock, LinkSettings(provisioning), provisioning.BrokerHost, Firmware)
                : new CloudLink(identity, transport, clock, LinkSettings(provisioning), Firmware);
            hardware.Link = link;

            OfflineQueue queue = new OfflineQueue(flash, 2000, 200);
            queue.Load();
            Outbox outbox = new Outbox(identity, queue, link, clock);
            CommandInbox inbox = new CommandInbox(identity, flash, clock, 5 * 60 * 1000);
            PositionReporter positions = new PositionReporter(new PositionReporterSettings());
            LockController controller = new LockController(identity, hardware, new LockSettings(), outbox, inbox, positions);

            scanner.Start();
            gnss.Start();
            controller.Boot(Firmware, "wakeup:" + (int)Sleep.GetWakeupCause(), BootCounter.Increment(flash));
            indicator.Show(IndicatorPattern.Ready);

            long nextBatteryMs = 0;
            for (int loop = 0; ; loop++)
            {
                link.Poll();
                OfferPendingFix(controller, clock);
                if (loop % TickEveryLoops == 0)
                {
                    controller.Tick();
                }

                if (clock.UptimeMs >= nextBatteryMs)
                {
                    nextBatteryMs = clock.UptimeMs + BatteryReportMs;
                    controller.ReportBattery(battery.Percent, battery.MilliVolts, battery.IsCharging);
                }

                Thread.Sleep(LoopMs);
            }
        }

        /// <summary>From the GNSS reader thread: keep the newest fix for the main loop.</summary>
        private static void OnFix(GnssFix fix)
        {
            lock (FixSync)
            {
                _pendingFix = fix;
            }
        }

        /// <summary>In the main loop: the newest fix sets the clock and goes to the controller (position telemetry, geofence supervision).</summary>
        private static void OfferPendingFix(LockController controller, DeviceClock clock)
        {
            GnssFix fix;
            lock (FixSync)
            {
                fix = _pendingFix;
                _pendingFix = null;
            }

            if (fix == null)
            {
                return;
            }

            if (fix.Valid)
            {
                clock.SetFromGnss(fix.UtcMs);
            }

            controller.OfferFix(fix);
        }

        private static ISwitch Switch(InputScanner scanner, string name, Mcp23017Expander expander, int pin, bool activeLow)
        {
            Mcp23017Switch input = new Mcp23017Switch(name, expander, pin, activeLow);
            scanner.Add(input);
            return input;
        }

        private static CloudLinkSettings LinkSettings(ProvisioningFile provisioning)
        {
            CloudLinkSettings settings = new CloudLinkSettings();
            settings.FixedPasswordExpiryUnixSeconds = provisioning.BrokerPasswordExpiry;
            return settings;
        }

        private static void AssignPins()
        {
            Configuration.SetPinFunction(LockBoard.I2cSda, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(LockBoard.I2cScl, DeviceFunction.I2C1_CLOCK);
            Configuration.SetPinFunction(LockBoard.SpiClock, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(LockBoard.SpiMiso, DeviceFunction.SPI1_MISO);
            Configuration.SetPinFunction(LockBoard.SpiMosi, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(LockBoard.SharedUartTx, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(LockBoard.SharedUartRx, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(LockBoard.ModemUartTx, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(LockBoard.ModemUartRx, DeviceFunction.COM3_RX);
        }
    }
}
