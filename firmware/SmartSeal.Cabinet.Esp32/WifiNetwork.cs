using System.Device.Wifi;
using System.Threading;
using nanoFramework.Networking;

namespace SmartSeal.Cabinet.Esp32
{
    /// <summary>
    /// Brings Wi-Fi up with DHCP and starts SNTP. The radio reconnects by itself
    /// (<see cref="WifiReconnectionKind.Automatic"/>); <see cref="CloudLink"/> retries MQTT with backoff.
    /// </summary>
    public static class WifiNetwork
    {
        /// <summary>Connects and waits for an address and a valid time; false after <paramref name="timeoutMs"/>.</summary>
        public static bool Connect(string ssid, string password, int timeoutMs)
        {
            CancellationTokenSource cancel = new CancellationTokenSource(timeoutMs);
            bool connected = WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, true, 0, cancel.Token);
            if (connected)
            {
                Sntp.Server1 = "ntp.aliyun.com";
                Sntp.Server2 = "pool.ntp.org";
                Sntp.Start();
            }

            return connected;
        }
    }
}
