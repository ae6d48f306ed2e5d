using Microsoft.ML.OnnxRuntime;

namespace SmartSeal.FaceRecognition;

/// <summary>Runs one float input through a session and copies the named float outputs.</summary>
internal static class OnnxRunner
{
    public static float[][] Run(InferenceSession session, float[] input, long[] shape, params string[] outputNames)
    {
        string inputName = session.InputNames[0];
        string[] names = outputNames.Length > 0 ? outputNames : session.OutputNames.ToArray();
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using RunOptions runOptions = new();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, new[] { inputName }, new[] { value }, names);
        float[][] result = new float[outputs.Count][];
        for (int i = 0; i < outputs.Count; i++)
        {
            result[i] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }
}
