using Microsoft.Data.Sqlite;

namespace ActorProducer.Samples.Transactions;

/// <summary>An order as the service stores it.</summary>
public sealed record Order(string Id, string Customer, decimal Amount);

/// <summary>
/// The order service's own database (SQLite in a file): the local transaction of every "order created" message.
/// The transaction checker reads it too — from whichever node the broker asks, after any crash.
/// </summary>
public sealed class OrderStore
{
    private readonly string _connectionString;

    public OrderStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = Open();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS orders (
              id         TEXT PRIMARY KEY,
              customer   TEXT NOT NULL,
              amount     TEXT NOT NULL,
              created_at TEXT NOT NULL
            )
            """);
    }

    public string Path { get; }

    /// <summary>Writes the order in one database transaction (the "local transaction").</summary>
    public async Task InsertAsync(Order order, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO orders (id, customer, amount, created_at) VALUES ($id, $customer, $amount, $at)";
        insert.Parameters.AddWithValue("$id", order.Id);
        insert.Parameters.AddWithValue("$customer", order.Customer);
        insert.Parameters.AddWithValue("$amount", order.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the order was written (what the checker asks).</summary>
    public async Task<bool> ExistsAsync(string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM orders WHERE id = $id";
        query.Parameters.AddWithValue("$id", orderId);
        return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Every order id, sorted.</summary>
    public async Task<IReadOnlyList<string>> OrderIdsAsync()
    {
        await using var connection = Open();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id FROM orders ORDER BY id";
        var ids = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
