namespace SmartSeal.FaceRecognition;

/// <summary>Which recogniser a <see cref="FaceModels"/> set runs (MODELS.md compares them).</summary>
public enum FaceEmbedderKind
{
    /// <summary>fr_feature.onnx, a MobileFaceNet, 512-d. Origin unverified (MODELS.md).</summary>
    MobileFaceNet,

    /// <summary>dlib_face_recognition_resnet_model_v1 (Davis King, public domain), 128-d, converted from face-api.js's TensorFlow.js weights.</summary>
    DlibResNet,
}
