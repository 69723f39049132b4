namespace FaceObject.Core.Imaging;

/// <summary>A video container recognised from its first bytes.</summary>
public enum VideoFormat
{
    /// <summary>ISO base media (<c>ftyp</c> box) with an MP4-family brand.</summary>
    Mp4,

    /// <summary>ISO base media with the QuickTime brand <c>qt  </c> (.mov).</summary>
    QuickTime,

    Avi,

    /// <summary>EBML with DocType <c>matroska</c>, or no DocType found in the header.</summary>
    Matroska,

    /// <summary>EBML with DocType <c>webm</c>.</summary>
    WebM,
}
