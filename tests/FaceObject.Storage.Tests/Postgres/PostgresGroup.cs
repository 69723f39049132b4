using FaceObject.Testing;

namespace FaceObject.Storage.Tests.Postgres;

/// <summary>
/// One real PostgreSQL for the PostgreSQL test classes, each test on a table of its own. The classes of a collection
/// run one after another, so a test that stops the server never cuts another one short.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
