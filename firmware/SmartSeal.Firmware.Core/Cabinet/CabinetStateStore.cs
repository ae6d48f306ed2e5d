using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>
    /// The cabinet's persisted state, as atomic flash records: one per compartment (seal, tag,
    /// mode, current token) and one for the cabinet (enable state and version, the ids of cabinet
    /// tokens already used with their expiry, so a single-use token stays used across reboots).
    /// A missing or corrupt record gives a safe default: compartment empty and locked.
    /// </summary>
    public class CabinetStateStore
    {
        /// <summary>How many used cabinet-token ids are remembered; older ones have expired long before.</summary>
        public const int UsedTokenCapacity = 64;

        /// <summary>Kept past expiry for longer than the verifier's clock-skew allowance, so a used id is never forgotten while its token could still verify.</summary>
        public const long ForgetAfterExpirySeconds = 300;

        private const string CabinetRecord = "cabinet";
        private const string CompartmentPrefix = "cmp-";

        private readonly IPersistentStore _store;
        private readonly JsonWriter _writer = new JsonWriter(256, 8192);
        private readonly string[] _usedIds = new string[UsedTokenCapacity];
        private readonly long[] _usedExpiry = new long[UsedTokenCapacity];
        private int _usedCount;

        public CabinetStateStore(IPersistentStore store)
        {
            _store = store;
            Enabled = true;
        }

        public bool Enabled;

        public long DesiredVersion;

        public bool IsTokenUsed(string jti)
        {
            for (int i = 0; i < _usedCount; i++)
            {
                if (_usedIds[i] == jti)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Records a cabinet token as used (in memory; <see cref="SaveCabinet"/> persists it).</summary>
        public void MarkTokenUsed(string jti, long expiresUnixSeconds, long nowUnixSeconds)
        {
            if (jti == null || IsTokenUsed(jti))
            {
                return;
            }

            // Forget expired ids first (they can never verify again), then the oldest if still full.
            int kept = 0;
            for (int i = 0; i < _usedCount; i++)
            {
                if (nowUnixSeconds <= 0 || _usedExpiry[i] + ForgetAfterExpirySeconds >= nowUnixSeconds)
                {
                    _usedIds[kept] = _usedIds[i];
                    _usedExpiry[kept] = _usedExpiry[i];
                    kept++;
                }
            }

            _usedCount = kept;
            if (_usedCount == UsedTokenCapacity)
            {
                for (int i = 1; i < _usedCount; i++)
                {
                    _usedIds[i - 1] = _usedIds[i];
                    _usedExpiry[i - 1] = _usedExpiry[i];
                }

                _usedCount--;
            }

            _usedIds[_usedCount] = jti;
            _usedExpiry[_usedCount] = expiresUnixSeconds;
            _usedCount++;
        }

        public void SaveCabinet()
        {
            _writer.Reset();
            _writer.BeginObject();
            _writer.Property("enabled", Enabled);
            _writer.Property("version", DesiredVersion);
            _writer.Name("used");
            _writer.BeginArray();
            for (int i = 0; i < _usedCount; i++)
            {
                _writer.BeginObject();
                _writer.Property("jti", _usedIds[i]);
                _writer.Property("exp", _usedExpiry[i]);
                _writer.EndObject();
            }

            _writer.EndArray();
            _writer.EndObject();
            _store.Write(CabinetRecord, _writer.ToArray());
        }

        public void SaveCompartment(CompartmentState state)
        {
            _writer.Reset();
            _writer.BeginObject();
            if (state.SealId != null)
            {
                _writer.Property("seal", state.SealId);
                _writer.Property("tag", state.ExpectedTag);
            }

            _writer.Property("mode", (int)state.Mode);
            if (state.TokenId != null)
            {
                _writer.Property("token", state.TokenId);
            }

            _writer.EndObject();
            _store.Write(CompartmentPrefix + state.Number.ToString(), _writer.ToArray());
        }

        public void LoadCabinet()
        {
            Enabled = true;
            DesiredVersion = 0;
            _usedCount = 0;
            byte[] data = _store.Read(CabinetRecord);
            if (data == null)
            {
                return;
            }

            try
            {
                JsonReader reader = new JsonReader(data, 0, data.Length);
                reader.ReadExpected(JsonTokenType.StartObject);
                while (reader.ReadPropertyOrEnd())
                {
                    if (reader.ValueEquals("enabled"))
                    {
                        Enabled = reader.ReadBoolean();
                    }
                    else if (reader.ValueEquals("version"))
                    {
                        DesiredVersion = reader.ReadInt64();
                    }
                    else if (reader.ValueEquals("used"))
                    {
                        ReadUsed(reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (ProtocolException)
            {
                // A torn record cannot happen (writes are atomic); a corrupt one keeps the safe defaults.
                Enabled = true;
                DesiredVersion = 0;
            }
        }

        /// <summary>The compartment after a boot: registration and mode restored; the latch is closed (fail-secure).</summary>
        public CompartmentState LoadCompartment(int number)
        {
            CompartmentState state = new CompartmentState();
            state.Number = number;
            state.Mode = CompartmentMode.Locked;
            byte[] data = _store.Read(CompartmentPrefix + number.ToString());
            if (data != null)
            {
                try
                {
                    JsonReader reader = new JsonReader(data, 0, data.Length);
                    reader.ReadExpected(JsonTokenType.StartObject);
                    while (reader.ReadPropertyOrEnd())
                    {
                        if (reader.ValueEquals("seal"))
                        {
                            state.SealId = reader.ReadString();
                        }
                        else if (reader.ValueEquals("tag"))
                        {
                            state.ExpectedTag = reader.ReadString();
                        }
                        else if (reader.ValueEquals("mode"))
                        {
                            int mode = reader.ReadInt32();
                            state.Mode = mode >= 0 && mode <= (int)CompartmentMode.Fault ? (CompartmentMode)mode : CompartmentMode.Fault;
                        }
                        else if (reader.ValueEquals("token"))
                        {
                            state.TokenId = reader.ReadString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                catch (ProtocolException)
                {
                    state = new CompartmentState();
                    state.Number = number;
                    state.Mode = CompartmentMode.Fault; // unknown content: a keeper must look
                }
            }

            return state;
        }

        private void ReadUsed(JsonReader reader)
        {
            reader.ReadExpected(JsonTokenType.StartArray);
            while (reader.ReadElementOrEnd())
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw reader.Malformed(ProtocolError.JsonUnexpectedType, "used: expected objects");
                }

                string jti = null;
                long exp = 0;
                while (reader.ReadPropertyOrEnd())
                {
                    if (reader.ValueEquals("jti"))
                    {
                        jti = reader.ReadString();
                    }
                    else if (reader.ValueEquals("exp"))
                    {
                        exp = reader.ReadInt64();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (jti != null && _usedCount < UsedTokenCapacity)
                {
                    _usedIds[_usedCount] = jti;
                    _usedExpiry[_usedCount] = exp;
                    _usedCount++;
                }
            }
        }
    }
}
