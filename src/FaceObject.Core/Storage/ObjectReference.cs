namespace FaceObject.Core.Storage;

/// <summary>An object a client put in a bucket and submitted by key; FaceObject reads it and never changes it.</summary>
public sealed record ObjectReference(string Bucket, string Key);
