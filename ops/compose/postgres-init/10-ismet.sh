#!/bin/sh
# Runs once, when the PostgreSQL volume is empty: the app gets its own role and
# database, apart from Temporal's (see DATABASE_URL in docker-compose.yml).
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v password="${ISMET_DB_PASSWORD:?ISMET_DB_PASSWORD is required}" <<'SQL'
CREATE ROLE ismet LOGIN PASSWORD :'password';
CREATE DATABASE ismet OWNER ismet;
SQL
