namespace SmartSeal.Cloud.Photos;

/// <summary>What a stored object of a photo is: the JPEG the device sent, or the portal's thumbnail made from it.</summary>
public enum PhotoVariant
{
    Original,
    Thumbnail,
}
