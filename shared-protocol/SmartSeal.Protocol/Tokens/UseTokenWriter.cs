using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tokens
{
    /// <summary>
    /// Writes a use token as HS256 JWS. The cloud issues with Microsoft.IdentityModel.JsonWebTokens;
    /// this writer exists for simulators and test benches that run without the cloud. The tests
    /// prove its output validates with that library too.
    /// </summary>
    public static class UseTokenWriter
    {
        public static string Write(UseToken token, byte[] deviceKey, string keyId)
        {
            JsonWriter header = new JsonWriter(64, 256);
            header.BeginObject();
            header.Property("alg", "HS256");
            if (keyId != null && keyId.Length > 0)
            {
                header.Property("kid", keyId);
            }

            header.Property("typ", "JWT");
            header.EndObject();

            JsonWriter claims = new JsonWriter(256, UseTokenVerifier.DefaultMaxTokenBytes);
            claims.BeginObject();
            claims.Property("jti", token.Id);
            claims.Property("aud", token.Audience);
            claims.Property("sub", token.Subject);
            claims.Property("iat", token.IssuedAt);
            claims.Property("nbf", token.NotBefore);
            claims.Property("exp", token.Expires);
            claims.Property("seal", token.SealId);
            claims.Property("app", token.ApplicationId);
            claims.Property("uses", token.Uses);
            claims.Property("offline", token.OfflineUses);
            string mode = token.Mode == null ? UseToken.ModeLock : token.Mode;
            claims.Property("mode", mode);
            if (mode == UseToken.ModeCabinet)
            {
                claims.Property("cmp", token.Compartment);
            }

            if (token.SealTag != null)
            {
                claims.Property("tag", token.SealTag);
            }

            if (token.Documents != null && token.Documents.Length > 0)
            {
                claims.Name("docs");
                claims.BeginArray();
                for (int i = 0; i < token.Documents.Length; i++)
                {
                    claims.BeginObject();
                    claims.Property("id", token.Documents[i].Id);
                    claims.Property("pages", token.Documents[i].Pages);
                    claims.EndObject();
                }

                claims.EndArray();
            }

            if (token.Fence != null)
            {
                claims.Name("geo");
                WriteFence(claims, token.Fence);
            }

            claims.EndObject();

            byte[] signingInput = new byte[Text.Base64Url.EncodedLength(header.Length) + 1 + Text.Base64Url.EncodedLength(claims.Length)];
            int n = Text.Base64Url.Encode(header.Buffer, 0, header.Length, signingInput, 0);
            signingInput[n++] = (byte)'.';
            Text.Base64Url.Encode(claims.Buffer, 0, claims.Length, signingInput, n);
            byte[] signature = Mac.Compute(deviceKey, signingInput);

            char[] chars = new char[signingInput.Length];
            for (int i = 0; i < signingInput.Length; i++)
            {
                chars[i] = (char)signingInput[i];
            }

            return new string(chars) + "." + Text.Base64Url.Encode(signature);
        }

        private static void WriteFence(JsonWriter writer, GeoFence fence)
        {
            writer.BeginObject();
            GeoCircle circle = fence as GeoCircle;
            if (circle != null)
            {
                writer.Property("type", "circle");
                writer.Property("lat", circle.CentreLatE7);
                writer.Property("lon", circle.CentreLonE7);
                writer.Property("r", circle.RadiusMetres);
            }
            else
            {
                GeoPolygon polygon = (GeoPolygon)fence;
                writer.Property("type", "polygon");
                writer.Name("pts");
                writer.BeginArray();
                for (int i = 0; i < polygon.VertexCount; i++)
                {
                    writer.BeginArray();
                    writer.Number(polygon.LatE7(i));
                    writer.Number(polygon.LonE7(i));
                    writer.EndArray();
                }

                writer.EndArray();
            }

            writer.EndObject();
        }
    }
}
