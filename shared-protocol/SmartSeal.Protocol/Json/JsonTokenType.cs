namespace SmartSeal.Protocol.Json
{
    public enum JsonTokenType
    {
        None = 0,
        StartObject,
        EndObject,
        StartArray,
        EndArray,
        PropertyName,
        String,
        Number,
        True,
        False,
        Null,
    }
}
