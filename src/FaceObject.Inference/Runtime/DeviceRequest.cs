namespace FaceObject.Inference.Runtime;

/// <summary>The execution provider configuration asks for (<c>Models:{key}:Device</c>).</summary>
internal enum DeviceRequest
{
    /// <summary>CUDA when it starts, else CPU with one warning.</summary>
    Auto,
    Cpu,

    /// <summary>CUDA or fail the load.</summary>
    Cuda,
}
