namespace SmartSeal.Protocol.Security
{
    /// <summary>
    /// Device ids appear in topics, key labels and canonical MAC input, so they are restricted to
    /// 1..64 characters of [A-Za-z0-9._-] (no '/', '+', '#', new lines or white space).
    /// The same rule applies to command ids.
    /// </summary>
    public static class DeviceId
    {
        public const int MaxLength = 64;

        public static bool IsValid(string id)
        {
            if (id == null || id.Length == 0 || id.Length > MaxLength)
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
