namespace FaceObject.Core.Imaging;

/// <summary>An image container recognised from its first bytes. GIF is recognised only so it can be refused by name.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    Bmp,
    Gif,
}
