#!/bin/sh
# Creates Temporal's two databases and brings their schemas up to this admin-tools
# version. Run by docker-compose.yml on every start: existing databases are kept and
# only missing schema versions are applied. SQL_PASSWORD comes from the environment.
set -eu

SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

sql() {
  temporal-sql-tool --plugin "$DB" --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  schema=${pair#*:}
  echo "Setting up database $db"
  sql --db "$db" create
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
echo "Temporal schema is up to date"
