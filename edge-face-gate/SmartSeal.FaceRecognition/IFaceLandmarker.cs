using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>
/// A landmark model behind one seam: 68 points in the iBUG/dlib layout (jaw 0–16, brows 17–26, nose
/// 27–35, eyes 36–47, mouth 48–67) in frame pixels, whatever the model computes internally. Alignment,
/// dlib's chip, eye openness and the motion cues read this layout.
/// </summary>
public interface IFaceLandmarker
{
    Point2f[] Locate(Mat bgr, FaceBox box);
}
