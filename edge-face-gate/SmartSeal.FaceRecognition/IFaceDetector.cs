using OpenCvSharp;

namespace SmartSeal.FaceRecognition;

/// <summary>Finds faces in a BGR frame: the pipeline's first stage, so the detector model can be swapped.</summary>
public interface IFaceDetector
{
    /// <summary>Faces above <paramref name="confidence"/>, best score first, in pixels of <paramref name="bgr"/>.</summary>
    List<FaceBox> Detect(Mat bgr, float confidence);
}

/// <summary>Which detector model a <see cref="FaceModels"/> set runs.</summary>
public enum FaceDetectorKind
{
    /// <summary>fr_detect.onnx: Linzaer's Ultra-Light-Fast-Generic-Face-Detector-1MB version-RFB-320 (MIT, WIDER FACE); its weights equal Linzaer's by value (MODELS.md).</summary>
    UltraLight,

    /// <summary>OpenCV Zoo YuNet 2023mar, MIT; verified against the zoo's LFS hash (MODELS.md).</summary>
    YuNet,
}
