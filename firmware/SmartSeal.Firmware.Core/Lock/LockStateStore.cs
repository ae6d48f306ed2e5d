using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>
    /// Writes and reads the persisted part of <see cref="LockState"/> as one atomic flash record:
    /// enable state and version, the token (compact JWS, re-verified on load), the remaining and
    /// offline counts and the attempt counter. A missing or corrupt record starts locked and
    /// disabled-safe: enabled with no token, so nothing can be stamped until the cloud speaks.
    /// </summary>
    public class LockStateStore
    {
        private const string RecordName = "lockstate";

        private readonly IPersistentStore _store;
        private readonly DeviceIdentity _identity;
        private readonly JsonWriter _writer = new JsonWriter(256, 8192);

        public LockStateStore(IPersistentStore store, DeviceIdentity identity)
        {
            _store = store;
            _identity = identity;
        }

        public void Save(LockState state)
        {
            _writer.Reset();
            _writer.BeginObject();
            _writer.Property("enabled", state.Enabled);
            _writer.Property("version", state.DesiredVersion);
            if (state.TokenJws != null)
            {
                _writer.Property("token", state.TokenJws);
            }

            _writer.Property("remaining", state.Remaining);
            _writer.Property("offline", state.OfflineRemaining);
            _writer.Property("attempts", state.AttemptCounter);
            _writer.Name("retired");
            _writer.BeginArray();
            for (int i = 0; i < state.RetiredTokenIds.Length; i++)
            {
                if (state.RetiredTokenIds[i] != null)
                {
                    _writer.String(state.RetiredTokenIds[i]);
                }
            }

            _writer.EndArray();
            _writer.EndObject();
            _store.Write(RecordName, _writer.ToArray());
        }

        /// <summary>The state after a boot: persisted fields restored, bolt closed, mode from the enable flag.</summary>
        public LockState Load()
        {
            LockState state = new LockState();
            state.Enabled = true;
            byte[] data = _store.Read(RecordName);
            if (data != null)
            {
                try
                {
                    Read(data, state);
                }
                catch (ProtocolException)
                {
                    state = new LockState();
                    state.Enabled = true;
                }
            }

            state.Mode = state.Enabled ? LockMode.Idle : LockMode.Disabled;
            return state;
        }

        private void Read(byte[] data, LockState state)
        {
            JsonReader reader = new JsonReader(data, 0, data.Length);
            reader.ReadExpected(JsonTokenType.StartObject);
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("enabled"))
                {
                    state.Enabled = reader.ReadBoolean();
                }
                else if (reader.ValueEquals("version"))
                {
                    state.DesiredVersion = reader.ReadInt64();
                }
                else if (reader.ValueEquals("token"))
                {
                    string jws = reader.ReadString();
                    UseToken token = new UseToken();
                    string detail;
                    if (new UseTokenVerifier().VerifyStored(jws, _identity.DeviceId, _identity.Key, token, out detail) == ProtocolError.None)
                    {
                        state.Token = token;
                        state.TokenJws = jws;
                    }
                }
                else if (reader.ValueEquals("remaining"))
                {
                    state.Remaining = reader.ReadInt32();
                }
                else if (reader.ValueEquals("offline"))
                {
                    state.OfflineRemaining = reader.ReadInt32();
                }
                else if (reader.ValueEquals("attempts"))
                {
                    state.AttemptCounter = reader.ReadInt64();
                }
                else if (reader.ValueEquals("retired"))
                {
                    reader.ReadExpected(JsonTokenType.StartArray);
                    while (reader.ReadElementOrEnd())
                    {
                        state.Retire(reader.GetString());
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (state.Token == null)
            {
                state.Remaining = 0;
                state.OfflineRemaining = 0;
            }
        }
    }
}
