namespace SmartSeal.Protocol.IotHub
{
    /// <summary>
    /// The <c>name=value&amp;name=value</c> lists IoT Hub appends to topics: a message's property bag
    /// (<c>devices/{id}/messages/events/{bag}</c>, <c>.../devicebound/{bag}</c>) and the query part of
    /// the <c>$iothub/...</c> topics (<c>?$rid=7&amp;$version=3</c>). Names and values are url-encoded.
    /// </summary>
    public static class IotHubPropertyBag
    {
        /// <summary>One encoded <c>name=value</c> pair.</summary>
        public static string Pair(string name, string value)
        {
            return UrlEncoding.Encode(name) + "=" + UrlEncoding.Encode(value);
        }

        /// <summary>The decoded value of <paramref name="name"/>, or null when absent or malformed. A leading '?' is ignored.</summary>
        public static string Get(string bag, string name)
        {
            if (bag == null)
            {
                return null;
            }

            int start = bag.Length > 0 && bag[0] == '?' ? 1 : 0;
            while (start < bag.Length)
            {
                int end = bag.IndexOf('&', start);
                if (end < 0)
                {
                    end = bag.Length;
                }

                int equals = bag.IndexOf('=', start);
                if (equals > start && equals < end)
                {
                    if (UrlEncoding.Decode(bag.Substring(start, equals - start)) == name)
                    {
                        return UrlEncoding.Decode(bag.Substring(equals + 1, end - equals - 1));
                    }
                }
                else if (end > start && UrlEncoding.Decode(bag.Substring(start, end - start)) == name)
                {
                    // A name without a value (allowed in property bags) reads as empty.
                    return string.Empty;
                }

                start = end + 1;
            }

            return null;
        }
    }
}
