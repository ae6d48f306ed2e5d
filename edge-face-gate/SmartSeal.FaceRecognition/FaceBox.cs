namespace SmartSeal.FaceRecognition;

/// <summary>A detected face in image pixels with the detector's confidence.</summary>
public readonly record struct FaceBox(float X1, float Y1, float X2, float Y2, float Score)
{

    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);
    public float CenterX => (X1 + X2) / 2;
    public float CenterY => (Y1 + Y2) / 2;

    public float IntersectionOverUnion(FaceBox other)
    {
        float w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        float h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        float intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }
}
