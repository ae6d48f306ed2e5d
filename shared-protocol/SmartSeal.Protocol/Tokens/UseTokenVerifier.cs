using System.Collections;
using System.Text;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tokens
{
    /// <summary>
    /// Verifies approval-bound use tokens on the device, offline: JWS compact serialisation, HS256
    /// with the device's key, nothing else. The signature is checked before any claim is looked
    /// at; every refusal carries a specific <see cref="ProtocolError"/> and a short detail.
    /// </summary>
    public class UseTokenVerifier
    {
        public const int DefaultMaxTokenBytes = 4096;
        public const int MaxUses = 10000;
        public const int MaxDocuments = 32;
        public const int MaxPages = 10000;
        public const int MaxCompartment = 255;

        private const int ClaimJti = 1;
        private const int ClaimAud = 2;
        private const int ClaimSub = 4;
        private const int ClaimIat = 8;
        private const int ClaimNbf = 16;
        private const int ClaimExp = 32;
        private const int ClaimSeal = 64;
        private const int ClaimApp = 128;
        private const int ClaimUses = 256;
        private const int ClaimDocs = 512;
        private const int ClaimGeo = 1024;
        private const int ClaimOffline = 2048;
        private const int ClaimMode = 4096;
        private const int ClaimCmp = 8192;
        private const int ClaimTag = 16384;
        private const int Required = ClaimJti | ClaimAud | ClaimSub | ClaimIat | ClaimNbf | ClaimExp | ClaimSeal | ClaimApp | ClaimUses;

        private readonly long _clockSkewSeconds;
        private readonly int _maxTokenBytes;

        public UseTokenVerifier(long clockSkewSeconds, int maxTokenBytes)
        {
            _clockSkewSeconds = clockSkewSeconds;
            _maxTokenBytes = maxTokenBytes;
        }

        public UseTokenVerifier()
            : this(60, DefaultMaxTokenBytes)
        {
        }

        /// <summary>
        /// Verifies a token the device stored earlier (after a reboot the clock may not be set yet):
        /// everything but the validity window, which is checked again at every use.
        /// </summary>
        public ProtocolError VerifyStored(string compactToken, string expectedDeviceId, byte[] deviceKey, UseToken result, out string detail)
        {
            byte[] ascii = ToAscii(compactToken, out detail, out ProtocolError error);
            return ascii == null ? error : VerifyBytes(ascii, 0, ascii.Length, expectedDeviceId, deviceKey, 0, false, result, out detail);
        }

        public ProtocolError Verify(string compactToken, string expectedDeviceId, byte[] deviceKey, long nowUnixSeconds, UseToken result, out string detail)
        {
            byte[] ascii = ToAscii(compactToken, out detail, out ProtocolError error);
            return ascii == null ? error : VerifyBytes(ascii, 0, ascii.Length, expectedDeviceId, deviceKey, nowUnixSeconds, true, result, out detail);
        }

        /// <summary>Verifies a token given as ASCII bytes (e.g. straight from a command body).</summary>
        public ProtocolError Verify(byte[] token, int offset, int count, string expectedDeviceId, byte[] deviceKey, long nowUnixSeconds, UseToken result, out string detail)
        {
            return VerifyBytes(token, offset, count, expectedDeviceId, deviceKey, nowUnixSeconds, true, result, out detail);
        }

        private byte[] ToAscii(string compactToken, out string detail, out ProtocolError error)
        {
            detail = string.Empty;
            error = ProtocolError.None;
            if (compactToken == null)
            {
                detail = "no token";
                error = ProtocolError.TokenMalformed;
                return null;
            }

            if (compactToken.Length > _maxTokenBytes)
            {
                detail = "token longer than " + _maxTokenBytes.ToString() + " bytes";
                error = ProtocolError.TokenTooLarge;
                return null;
            }

            byte[] ascii = new byte[compactToken.Length];
            for (int i = 0; i < compactToken.Length; i++)
            {
                char c = compactToken[i];
                if (c > 0x7E || c < 0x21)
                {
                    detail = "token contains characters outside base64url";
                    error = ProtocolError.TokenBadBase64;
                    return null;
                }

                ascii[i] = (byte)c;
            }

            return ascii;
        }

        private ProtocolError VerifyBytes(byte[] token, int offset, int count, string expectedDeviceId, byte[] deviceKey, long nowUnixSeconds, bool checkTime, UseToken result, out string detail)
        {
            detail = string.Empty;
            if (count > _maxTokenBytes)
            {
                detail = "token longer than " + _maxTokenBytes.ToString() + " bytes";
                return ProtocolError.TokenTooLarge;
            }

            int firstDot = -1;
            int secondDot = -1;
            for (int i = offset; i < offset + count; i++)
            {
                if (token[i] != '.')
                {
                    continue;
                }

                if (firstDot < 0)
                {
                    firstDot = i;
                }
                else if (secondDot < 0)
                {
                    secondDot = i;
                }
                else
                {
                    detail = "more than three parts";
                    return ProtocolError.TokenMalformed;
                }
            }

            if (secondDot < 0 || firstDot == offset || secondDot == firstDot + 1 || secondDot == offset + count - 1)
            {
                detail = "not a JWS compact token (header.payload.signature)";
                return ProtocolError.TokenMalformed;
            }

            byte[] header = DecodePart(token, offset, firstDot - offset);
            byte[] payload = DecodePart(token, firstDot + 1, secondDot - firstDot - 1);
            byte[] signature = DecodePart(token, secondDot + 1, offset + count - secondDot - 1);
            if (header == null || payload == null || signature == null)
            {
                detail = "a part is not strict unpadded base64url";
                return ProtocolError.TokenBadBase64;
            }

            try
            {
                ProtocolError error = CheckHeader(header, result, out detail);
                if (error != ProtocolError.None)
                {
                    return error;
                }

                if (deviceKey == null || deviceKey.Length != Mac.KeyLength)
                {
                    detail = "device key must be 32 bytes";
                    return ProtocolError.KeyBadLength;
                }

                byte[] expected = Mac.Compute(deviceKey, token, offset, secondDot - offset);
                if (!Mac.FixedTimeEquals(expected, signature))
                {
                    detail = "signature does not verify with this device's key";
                    return ProtocolError.TokenBadSignature;
                }

                error = ReadClaims(payload, result, out detail);
                if (error != ProtocolError.None)
                {
                    return error;
                }

                return CheckClaims(result, expectedDeviceId, nowUnixSeconds, checkTime, out detail);
            }
            catch (ProtocolException e)
            {
                detail = e.Message;
                return e.Error == ProtocolError.TokenBadClaim || e.Error == ProtocolError.TokenBadHeader ? e.Error : ProtocolError.TokenMalformed;
            }
        }

        private ProtocolError CheckClaims(UseToken token, string expectedDeviceId, long now, bool checkTime, out string detail)
        {
            detail = string.Empty;
            if (token.Audience != expectedDeviceId)
            {
                detail = "token is for device " + token.Audience;
                return ProtocolError.TokenWrongAudience;
            }

            if (token.Expires <= token.NotBefore || token.IssuedAt > token.Expires)
            {
                detail = "validity window is empty";
                return ProtocolError.TokenBadClaim;
            }

            if (!checkTime)
            {
                // Stored tokens: the window is checked again at each use.
            }
            else if (now - _clockSkewSeconds >= token.Expires)
            {
                detail = "token expired";
                return ProtocolError.TokenExpired;
            }

            else if (now + _clockSkewSeconds < token.NotBefore)
            {
                detail = "token not valid yet";
                return ProtocolError.TokenNotYetValid;
            }
            else if (token.IssuedAt > now + _clockSkewSeconds)
            {
                detail = "token issued in the future";
                return ProtocolError.TokenIssuedInFuture;
            }

            if (token.Uses < 1 || token.Uses > MaxUses)
            {
                detail = "uses must be 1.." + MaxUses.ToString();
                return ProtocolError.TokenBadUseCount;
            }

            if (token.OfflineUses < 0 || token.OfflineUses > token.Uses)
            {
                detail = "offline must be 0..uses";
                return ProtocolError.TokenBadUseCount;
            }

            if (token.Mode == UseToken.ModeCabinet)
            {
                if (token.Compartment < 1 || token.Compartment > MaxCompartment)
                {
                    detail = "cabinet tokens need cmp 1.." + MaxCompartment.ToString();
                    return ProtocolError.TokenBadClaim;
                }
            }
            else if (token.Mode != UseToken.ModeLock || token.Compartment != 0)
            {
                detail = "mode must be lock or cabinet; cmp only on cabinet tokens";
                return ProtocolError.TokenBadClaim;
            }

            if (token.Fence != null)
            {
                GeoFenceProblem problem = token.Fence.Validate();
                if (problem != GeoFenceProblem.None)
                {
                    detail = "geofence: problem " + ((int)problem).ToString();
                    return ProtocolError.TokenBadGeofence;
                }
            }

            return ProtocolError.None;
        }

        private static ProtocolError CheckHeader(byte[] header, UseToken result, out string detail)
        {
            detail = string.Empty;
            JsonReader reader = new JsonReader(header, 0, header.Length);
            reader.ReadExpected(JsonTokenType.StartObject);
            string alg = null;
            string kid = string.Empty;
            bool seenTyp = false;
            bool seenKid = false;
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("alg"))
                {
                    if (alg != null)
                    {
                        detail = "duplicate alg";
                        return ProtocolError.TokenBadHeader;
                    }

                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        detail = "alg must be a string";
                        return ProtocolError.TokenAlgorithmNotAllowed;
                    }

                    alg = reader.GetString();
                }
                else if (reader.ValueEquals("typ"))
                {
                    if (seenTyp || reader.ReadString() != "JWT")
                    {
                        detail = "typ must be JWT";
                        return ProtocolError.TokenBadHeader;
                    }

                    seenTyp = true;
                }
                else if (reader.ValueEquals("kid"))
                {
                    if (seenKid)
                    {
                        detail = "duplicate kid";
                        return ProtocolError.TokenBadHeader;
                    }

                    kid = reader.ReadString();
                    seenKid = true;
                    if (kid.Length > 16)
                    {
                        detail = "kid too long";
                        return ProtocolError.TokenBadHeader;
                    }
                }
                else if (reader.ValueEquals("crit"))
                {
                    detail = "critical header extensions are not supported";
                    return ProtocolError.TokenBadHeader;
                }
                else
                {
                    reader.Skip();
                }
            }

            reader.ReadEndOfDocument();
            if (alg != "HS256")
            {
                detail = "only HS256 is accepted";
                return ProtocolError.TokenAlgorithmNotAllowed;
            }

            result.KeyId = kid;
            return ProtocolError.None;
        }

        private static ProtocolError ReadClaims(byte[] payload, UseToken token, out string detail)
        {
            detail = string.Empty;
            token.Documents = new TokenDocument[0];
            token.Fence = null;
            token.OfflineUses = 0;
            token.Mode = UseToken.ModeLock;
            token.Compartment = 0;
            token.SealTag = null;

            JsonReader reader = new JsonReader(payload, 0, payload.Length);
            reader.ReadExpected(JsonTokenType.StartObject);
            int seen = 0;
            while (reader.ReadPropertyOrEnd())
            {
                int claim = ClaimOf(reader);
                if (claim == 0)
                {
                    reader.Skip();
                    continue;
                }

                if ((seen & claim) != 0)
                {
                    detail = "duplicate claim";
                    return ProtocolError.TokenBadClaim;
                }

                seen |= claim;
                switch (claim)
                {
                    case ClaimJti:
                        token.Id = ReadId(reader, "jti");
                        break;
                    case ClaimAud:
                        token.Audience = ReadAudience(reader);
                        break;
                    case ClaimSub:
                        token.Subject = ReadId(reader, "sub");
                        break;
                    case ClaimIat:
                        token.IssuedAt = ReadTime(reader, "iat");
                        break;
                    case ClaimNbf:
                        token.NotBefore = ReadTime(reader, "nbf");
                        break;
                    case ClaimExp:
                        token.Expires = ReadTime(reader, "exp");
                        break;
                    case ClaimSeal:
                        token.SealId = ReadId(reader, "seal");
                        break;
                    case ClaimApp:
                        token.ApplicationId = ReadId(reader, "app");
                        break;
                    case ClaimUses:
                        token.Uses = ReadCount(reader, "uses");
                        break;
                    case ClaimOffline:
                        token.OfflineUses = ReadCount(reader, "offline");
                        break;
                    case ClaimDocs:
                        token.Documents = ReadDocuments(reader);
                        break;
                    case ClaimGeo:
                        token.Fence = ReadFence(reader);
                        break;
                    case ClaimMode:
                        token.Mode = reader.ReadString();
                        break;
                    case ClaimCmp:
                        token.Compartment = ReadCount(reader, "cmp");
                        break;
                    case ClaimTag:
                        token.SealTag = ReadTag(reader);
                        break;
                }
            }

            reader.ReadEndOfDocument();
            if ((seen & Required) != Required)
            {
                detail = "missing claim: " + MissingClaimName(seen);
                return ProtocolError.TokenMissingClaim;
            }

            return ProtocolError.None;
        }

        private static string ReadId(JsonReader reader, string name)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be a string");
            }

            string value = reader.GetString();
            if (value.Length == 0 || value.Length > 128)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be 1..128 characters");
            }

            return value;
        }

        private static string ReadAudience(JsonReader reader)
        {
            if (!reader.Read())
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "aud missing a value");
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            // A one-element array is the same audience; more than one device per token is refused.
            if (reader.TokenType == JsonTokenType.StartArray && reader.ReadElementOrEnd() && reader.TokenType == JsonTokenType.String)
            {
                string only = reader.GetString();
                if (!reader.ReadElementOrEnd())
                {
                    return only;
                }
            }

            throw new ProtocolException(ProtocolError.TokenBadClaim, "aud must name exactly one device");
        }

        private static long ReadTime(JsonReader reader, string name)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be an integer");
            }

            long value;
            try
            {
                value = reader.GetInt64();
            }
            catch (ProtocolException)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be an integer");
            }

            if (value < 0 || value > 253402300799)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " out of range");
            }

            return value;
        }

        private static int ReadCount(JsonReader reader, string name)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be an integer");
            }

            try
            {
                return reader.GetInt32();
            }
            catch (ProtocolException)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, name + " must be an integer");
            }
        }

        private static TokenDocument[] ReadDocuments(JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "docs must be an array");
            }

            ArrayList documents = new ArrayList();
            while (reader.ReadElementOrEnd())
            {
                if (reader.TokenType != JsonTokenType.StartObject || documents.Count == MaxDocuments)
                {
                    throw new ProtocolException(ProtocolError.TokenBadClaim, "docs: at most " + MaxDocuments.ToString() + " objects");
                }

                string id = null;
                int pages = -1;
                while (reader.ReadPropertyOrEnd())
                {
                    if (reader.ValueEquals("id") && id == null)
                    {
                        id = ReadId(reader, "docs.id");
                    }
                    else if (reader.ValueEquals("pages") && pages < 0)
                    {
                        pages = ReadCount(reader, "docs.pages");
                    }
                    else if (reader.ValueEquals("id") || reader.ValueEquals("pages"))
                    {
                        throw new ProtocolException(ProtocolError.TokenBadClaim, "docs: duplicate field");
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (id == null || pages < 1 || pages > MaxPages)
                {
                    throw new ProtocolException(ProtocolError.TokenBadClaim, "docs: each needs an id and pages 1.." + MaxPages.ToString());
                }

                documents.Add(new TokenDocument(id, pages));
            }

            return (TokenDocument[])documents.ToArray(typeof(TokenDocument));
        }

        private static GeoFence ReadFence(JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "geo must be an object");
            }

            string type = null;
            long lat = long.MinValue;
            long lon = long.MinValue;
            long radius = long.MinValue;
            ArrayList points = null;
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals("type") && type == null)
                {
                    type = reader.ReadString();
                }
                else if (reader.ValueEquals("lat") && lat == long.MinValue)
                {
                    lat = ReadCoordinate(reader);
                }
                else if (reader.ValueEquals("lon") && lon == long.MinValue)
                {
                    lon = ReadCoordinate(reader);
                }
                else if (reader.ValueEquals("r") && radius == long.MinValue)
                {
                    radius = ReadCoordinate(reader);
                }
                else if (reader.ValueEquals("pts") && points == null)
                {
                    points = ReadPoints(reader);
                }
                else
                {
                    throw new ProtocolException(ProtocolError.TokenBadClaim, "geo: unknown or duplicate field");
                }
            }

            if (type == "circle" && lat != long.MinValue && lon != long.MinValue && radius != long.MinValue && points == null)
            {
                return new GeoCircle((int)lat, (int)lon, (int)radius);
            }

            if (type == "polygon" && points != null && lat == long.MinValue && lon == long.MinValue && radius == long.MinValue)
            {
                int n = points.Count / 2;
                int[] lats = new int[n];
                int[] lons = new int[n];
                for (int i = 0; i < n; i++)
                {
                    lats[i] = (int)points[2 * i];
                    lons[i] = (int)points[(2 * i) + 1];
                }

                return new GeoPolygon(lats, lons);
            }

            throw new ProtocolException(ProtocolError.TokenBadClaim, "geo: a circle needs lat, lon, r; a polygon needs pts");
        }

        private static long ReadCoordinate(JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "geo values are integers");
            }

            try
            {
                return reader.GetInt32();
            }
            catch (ProtocolException)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "geo values are 32-bit integers");
            }
        }

        private static ArrayList ReadPoints(JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "geo.pts must be an array");
            }

            ArrayList flat = new ArrayList();
            while (reader.ReadElementOrEnd())
            {
                if (reader.TokenType != JsonTokenType.StartArray || flat.Count >= 2 * GeoPolygon.MaxVertices)
                {
                    throw new ProtocolException(ProtocolError.TokenBadClaim, "geo.pts: at most " + GeoPolygon.MaxVertices.ToString() + " [lat, lon] pairs");
                }

                flat.Add((int)ReadCoordinate(reader));
                flat.Add((int)ReadCoordinate(reader));
                if (reader.ReadElementOrEnd())
                {
                    throw new ProtocolException(ProtocolError.TokenBadClaim, "geo.pts: each point is [lat, lon]");
                }
            }

            return flat;
        }

        private static byte[] DecodePart(byte[] token, int offset, int count)
        {
            int length = Text.Base64Url.DecodedLength(count);
            if (length < 0)
            {
                return null;
            }

            byte[] result = new byte[length];
            return Text.Base64Url.Decode(token, offset, count, result, 0) == length ? result : null;
        }

        private static int ClaimOf(JsonReader reader)
        {
            if (reader.ValueEquals("jti"))
            {
                return ClaimJti;
            }

            if (reader.ValueEquals("aud"))
            {
                return ClaimAud;
            }

            if (reader.ValueEquals("sub"))
            {
                return ClaimSub;
            }

            if (reader.ValueEquals("iat"))
            {
                return ClaimIat;
            }

            if (reader.ValueEquals("nbf"))
            {
                return ClaimNbf;
            }

            if (reader.ValueEquals("exp"))
            {
                return ClaimExp;
            }

            if (reader.ValueEquals("seal"))
            {
                return ClaimSeal;
            }

            if (reader.ValueEquals("app"))
            {
                return ClaimApp;
            }

            if (reader.ValueEquals("uses"))
            {
                return ClaimUses;
            }

            if (reader.ValueEquals("docs"))
            {
                return ClaimDocs;
            }

            if (reader.ValueEquals("geo"))
            {
                return ClaimGeo;
            }

            if (reader.ValueEquals("offline"))
            {
                return ClaimOffline;
            }

            if (reader.ValueEquals("mode"))
            {
                return ClaimMode;
            }

            if (reader.ValueEquals("tag"))
            {
                return ClaimTag;
            }

            return reader.ValueEquals("cmp") ? ClaimCmp : 0;
        }

        /// <summary>An RFID tag id: 8..40 upper-case hex digits (4- to 20-byte UIDs), as the tag readers report them.</summary>
        private static string ReadTag(JsonReader reader)
        {
            string tag = ReadId(reader, "tag");
            bool hex = tag.Length >= 8 && tag.Length <= 40 && tag.Length % 2 == 0;
            for (int i = 0; hex && i < tag.Length; i++)
            {
                char c = tag[i];
                hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            }

            if (!hex)
            {
                throw new ProtocolException(ProtocolError.TokenBadClaim, "tag must be 8..40 upper-case hex digits");
            }

            return tag;
        }

        private static string MissingClaimName(int seen)
        {
            string[] names = new string[] { "jti", "aud", "sub", "iat", "nbf", "exp", "seal", "app", "uses" };
            for (int i = 0; i < names.Length; i++)
            {
                if ((seen & (1 << i)) == 0)
                {
                    return names[i];
                }
            }

            return string.Empty;
        }
    }
}
