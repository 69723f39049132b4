namespace FaceObject.ServiceDefaults;

/// <summary>
/// Registered by the first <see cref="ServiceDefaultsRegistration.AddServiceDefaults"/> call, so a host composing
/// a library that calls it too (the API registration does) does not add the defaults file or the health checks twice.
/// </summary>
internal sealed class ServiceDefaultsMarker;
