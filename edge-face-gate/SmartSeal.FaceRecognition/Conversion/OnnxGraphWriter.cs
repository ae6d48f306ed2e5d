using Google.Protobuf;

namespace SmartSeal.FaceRecognition.Conversion;

/// <summary>
/// Writes an ONNX model (onnx.proto3: ModelProto → GraphProto → NodeProto / TensorProto /
/// ValueInfoProto) with only the fields a float32 inference graph needs. Field numbers are those of
/// onnx/onnx.proto; the messages are written by hand with Google.Protobuf's CodedOutputStream rather
/// than generated, because five small messages do not justify a protoc step in the build.
/// </summary>
public sealed class OnnxGraphWriter
{
    private const int FloatType = 1;  // TensorProto.DataType.FLOAT
    private const int Int64Type = 7;  // TensorProto.DataType.INT64
    private const int AttributeInt = 2, AttributeInts = 7;  // AttributeProto.AttributeType

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private int _nextName;

    /// <summary>A fresh value name: the graph's intermediate tensors need unique names only.</summary>
    public string NewName(string hint) => $"{hint}_{_nextName++}";

    /// <summary>A graph input of float32; a negative dimension is symbolic (the batch).</summary>
    public void Input(string name, params long[] shape) => _inputs.Add(ValueInfo(name, shape));

    public void Output(string name, params long[] shape) => _outputs.Add(ValueInfo(name, shape));

    /// <summary>A float32 constant (weights), stored as raw little-endian bytes.</summary>
    public string Constant(string name, float[] values, params long[] dims)
    {
        byte[] raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _initializers.Add(Tensor(name, FloatType, dims, raw));
        return name;
    }

    /// <summary>An int64 constant (pads, shapes).</summary>
    public string Constant(string name, long[] values)
    {
        byte[] raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _initializers.Add(Tensor(name, Int64Type, [values.Length], raw));
        return name;
    }

    /// <summary>One operator; attributes are ints (one value) or int lists.</summary>
    public string Node(string opType, string[] inputs, string output, params (string Name, long[] Values, bool IsList)[] attributes)
    {
        _nodes.Add(Message(s =>
        {
            foreach (string input in inputs)
            {
                s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(input);
            }

            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(output);
            s.WriteTag(3, WireFormat.WireType.LengthDelimited); s.WriteString(output);
            s.WriteTag(4, WireFormat.WireType.LengthDelimited); s.WriteString(opType);
            foreach ((string name, long[] values, bool isList) in attributes)
            {
                WriteMessage(s, 5, Message(a =>
                {
                    a.WriteTag(1, WireFormat.WireType.LengthDelimited); a.WriteString(name);
                    if (isList)
                    {
                        foreach (long v in values)
                        {
                            a.WriteTag(8, WireFormat.WireType.Varint); a.WriteInt64(v);
                        }
                    }
                    else
                    {
                        a.WriteTag(3, WireFormat.WireType.Varint); a.WriteInt64(values[0]);
                    }

                    a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32(isList ? AttributeInts : AttributeInt);
                }));
            }
        }));
        return output;
    }

    public static (string, long[], bool) Ints(string name, params long[] values) => (name, values, true);
    public static (string, long[], bool) Int(string name, long value) => (name, [value], false);

    /// <summary>The ModelProto bytes: IR version 8, default-domain opset 13.</summary>
    public byte[] ToModel(string graphName, string producer)
    {
        byte[] graph = Message(s =>
        {
            foreach (byte[] node in _nodes) WriteMessage(s, 1, node);
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(graphName);
            foreach (byte[] init in _initializers) WriteMessage(s, 5, init);
            foreach (byte[] input in _inputs) WriteMessage(s, 11, input);
            foreach (byte[] output in _outputs) WriteMessage(s, 12, output);
        });
        return Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(8);
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(producer);
            WriteMessage(s, 7, graph);
            WriteMessage(s, 8, Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("");
                o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(13);
            }));
        });
    }

    private static byte[] Tensor(string name, int dataType, long[] dims, byte[] raw) => Message(s =>
    {
        foreach (long d in dims)
        {
            s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d);
        }

        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(dataType);
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        s.WriteTag(9, WireFormat.WireType.LengthDelimited); s.WriteBytes(ByteString.CopyFrom(raw));
    });

    private static byte[] ValueInfo(string name, long[] shape) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        byte[] dims = Message(d =>
        {
            foreach (long dim in shape)
            {
                WriteMessage(d, 1, Message(x =>
                {
                    if (dim >= 0)
                    {
                        x.WriteTag(1, WireFormat.WireType.Varint); x.WriteInt64(dim);
                    }
                    else
                    {
                        x.WriteTag(2, WireFormat.WireType.LengthDelimited); x.WriteString("batch");
                    }
                }));
            }
        });
        byte[] tensorType = Message(t =>
        {
            t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt32(FloatType);
            WriteMessage(t, 2, dims);
        });
        WriteMessage(s, 2, Message(t => WriteMessage(t, 1, tensorType)));
    });

    private static void WriteMessage(CodedOutputStream stream, int field, byte[] message)
    {
        stream.WriteTag(field, WireFormat.WireType.LengthDelimited);
        stream.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using MemoryStream buffer = new();
        using (CodedOutputStream stream = new(buffer, leaveOpen: true))
        {
            write(stream);
        }

        return buffer.ToArray();
    }
}
